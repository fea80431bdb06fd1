"""An answer stored earlier, sent again as it was first sent (raised by idempotency)."""


class IdempotentReplay(Exception):
    """Raised to answer with a stored response; rendered as it was first sent."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__("idempotent replay")
        self.status = status
        self.body = body
