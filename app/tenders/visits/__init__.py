"""Visits: care recorded by the provider and confirmed by the holder before it is invoiced."""
