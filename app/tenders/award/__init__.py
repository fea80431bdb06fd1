"""Tenders: award."""
