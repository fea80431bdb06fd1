"""Tenders: bids."""
