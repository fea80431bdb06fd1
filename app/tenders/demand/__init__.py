"""Tenders: demand."""
