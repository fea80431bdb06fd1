"""Structured JSON logs, one object a line, carrying the request id."""

import json
import logging
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import StatementError

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_RESERVED = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
# Packages whose exceptions carry what the database said, which can quote row values
# ('invalid input syntax for type integer: "$argon2id$..."', 'Failing row contains (...)').
_DRIVER_PACKAGES = ("asyncpg", "sqlite3", "aiosqlite", "psycopg", "psycopg2")
_DRIVER_MODULES = ("sqlalchemy.dialects.", "sqlalchemy.connectors.")


def _error_state(exc: BaseException | None) -> str:
    for name in ("sqlstate", "pgcode", "sqlite_errorname"):
        value = getattr(exc, name, None)
        if isinstance(value, str) and value:
            return f" ({name} {value})"
    return ""


def _is_driver_error(exc: BaseException) -> bool:
    module = type(exc).__module__
    return module.split(".")[0] in _DRIVER_PACKAGES or module.startswith(_DRIVER_MODULES)


def _safe_message(exc: BaseException) -> str:
    """What an exception says, with what a database error quotes of the data taken out."""
    if isinstance(exc, StatementError):
        original = exc.orig
        kind = type(original).__name__ if original is not None else "error"
        state = _error_state(original) or _error_state(getattr(original, "__cause__", None))
        return f"{kind}{state} [SQL: {exc.statement}]"
    if _is_driver_error(exc):
        return f"database error{_error_state(exc)} (its message is not logged)"
    return str(exc)


def format_exception_safely(exc: BaseException) -> str:
    """A traceback like the standard one, each exception in the chain told by `_safe_message`.

    SQLAlchemy's own message repeats the driver's, and the driver's can quote a row; the
    statement and the error's kind and state are enough to find the fault.
    """
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for position, link in enumerate(reversed(chain)):
        if position:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(link.__traceback__))
        name = type(link).__qualname__
        module = type(link).__module__
        if module not in ("builtins", "__main__"):
            name = f"{module}.{name}"
        parts.append(f"{name}: {_safe_message(link)}\n")
    return "".join(parts).rstrip("\n")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update(
            (key, value)
            for key, value in record.__dict__.items()
            if key not in _RESERVED and not key.startswith("_")
        )
        if record.exc_info and record.exc_info[1] is not None:
            entry["traceback"] = format_exception_safely(record.exc_info[1])
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    # A line never carries the thread or the process (JsonFormatter leaves them out), so no
    # record looks them up: on a request's line that was a fifth of the logging's cost.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's own access log would repeat ours without the request id; ours replaces it.
    logging.getLogger("uvicorn.access").handlers[:] = []
    logging.getLogger("uvicorn.access").propagate = False
    # Library chatter at INFO (each outgoing HTTP call, each migration plugin) is not ours.
    for name in ("alembic", "httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
