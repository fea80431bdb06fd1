"""Bank statements imported, matched to the ledger, and reconciled at a date."""
