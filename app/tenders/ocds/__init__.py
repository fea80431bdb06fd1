"""Tenders: ocds."""
