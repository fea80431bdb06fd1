"""Tenders: questions."""
