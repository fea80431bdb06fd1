"""A real HTTP receiver on 127.0.0.1 (uvicorn, in a thread) that checks each delivery's
signature with the standardwebhooks library, as a co-op's own system would."""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.servers import free_port


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    verified: bool
    answered: int


@dataclass
class Receiver:
    """Answers each POST with the next of `answers` (200 once they run out); a delivery whose
    signature does not verify against `secret` is answered 400."""

    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    secret: str | None = None

    def delivered(self) -> list[Received]:
        return [r for r in self.received if 200 <= r.answered < 300]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        chunks = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        raw = b"".join(chunks)
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        verified = False
        if self.secret is not None:
            try:
                Webhook(self.secret).verify(raw, headers)
                verified = True
            except WebhookVerificationError:
                verified = False
        status = self.answers.pop(0) if self.answers else 200
        if not verified:
            status = 400
        self.received.append(
            Received(scope["path"], headers, json.loads(raw or b"{}"), verified, status)
        )
        extra = [(b"location", b"http://127.0.0.1:9/elsewhere")] if 300 <= status < 400 else []
        await send({"type": "http.response.start", "status": status, "headers": extra})
        await send({"type": "http.response.body", "body": b""})


@pytest.fixture
def webhook_receiver() -> Iterator[tuple[str, Receiver]]:
    """Yields (base URL, receiver)."""
    receiver = Receiver()
    port = free_port()
    config = uvicorn.Config(
        receiver, host="127.0.0.1", port=port, lifespan="off", ws="none", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the webhook receiver did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", receiver
    finally:
        server.should_exit = True
        thread.join(timeout=10)
