"""Tenders: evaluation."""
