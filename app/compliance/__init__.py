"""Compliance records (DBS checks, insurance, registrations) with their expiry dates."""
