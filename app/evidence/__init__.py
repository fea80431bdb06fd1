"""The evidence behind a holder's payments, and the council access a holder grants to it."""
