"""Tenders: invoices."""
