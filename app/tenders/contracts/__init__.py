"""Tenders: contracts."""
