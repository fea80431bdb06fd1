"""Councils: officers, API clients, and who may read an area's figures."""
