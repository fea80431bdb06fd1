"""Outgoing e-mail: one way to send a message, over SMTP or, in development, to files."""
