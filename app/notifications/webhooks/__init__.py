"""Webhooks: addresses told of events (ids only), signed as Standard Webhooks says."""
