"""Notifications and webhooks: the outbox every event is written to, and what is sent from it."""
