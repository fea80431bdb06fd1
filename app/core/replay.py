"""An answer stored earlier, sent again as it was first sent (raised by idempotency)."""

from fastapi.responses import Response


def stored_answer(status: int, body: bytes) -> Response:
    """A JSON answer from bytes serialised once: the first answer to an idempotent request,
    and every replay of it, byte for byte."""
    return Response(content=body, status_code=status, media_type="application/json")


class IdempotentReplay(Exception):
    """Raised to answer with a stored response; rendered as it was first sent."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__("idempotent replay")
        self.status = status
        self.body = body
