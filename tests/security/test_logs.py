"""What a failure writes to the log: enough to find it, never the values it was working on."""

import json
import logging

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.helpers import problem

SECRET_PASSWORD = "recognisable secret 7Qx!"
FULL_NAME = "Gwenllian Recognisable-Qx7"
EMAIL = "gwenllian.qx7@example.org"


async def refuse_new_users(connection: AsyncConnection, backend: str) -> None:
    """Make the database itself fail every insert of a user (inside the test's transaction)."""
    if backend == "postgresql":
        # PostgreSQL's own message then quotes the value: invalid input syntax "$argon2id$...".
        await connection.execute(
            text(
                "CREATE FUNCTION refuse_user() RETURNS trigger LANGUAGE plpgsql AS "
                "'BEGIN PERFORM CAST(NEW.password_hash AS integer); RETURN NEW; END'"
            )
        )
        await connection.execute(
            text(
                "CREATE TRIGGER refuse_user BEFORE INSERT ON user_account "
                "FOR EACH ROW EXECUTE FUNCTION refuse_user()"
            )
        )
    else:
        await connection.execute(
            text(
                "CREATE TRIGGER refuse_user BEFORE INSERT ON user_account "
                "BEGIN SELECT json('not JSON ' || NEW.password_hash); END"
            )
        )


class TestDatabaseErrorsInTheLog:
    async def test_a_failed_insert_logs_no_parameters_hash_or_personal_data(
        self,
        client: httpx.AsyncClient,
        connection: AsyncConnection,
        backend: str,
        log_lines: list[str],
    ) -> None:
        await refuse_new_users(connection, backend)
        response = await client.post(
            "/api/v1/auth/register",
            json={
                "email": EMAIL,
                "password": SECRET_PASSWORD,
                "full_name": FULL_NAME,
                "preferred_language": "en",
            },
        )
        problem(response, 500, "internal_error")
        logged = "\n".join(log_lines)
        errors = [json.loads(line) for line in log_lines if '"level": "error"' in line]
        assert errors, logged
        # Enough to find the fault: the statement and the kind of error, with the request id.
        assert any("INSERT INTO user_account" in e.get("traceback", "") for e in errors)
        assert all(e.get("request_id") for e in errors)
        for value in ("$argon2id$", "argon2", SECRET_PASSWORD, FULL_NAME, EMAIL):
            assert value not in logged, value
        assert "parameters: " not in logged

    async def test_the_database_message_itself_is_kept_out_of_the_log(
        self, connection: AsyncConnection, backend: str, log_lines: list[str]
    ) -> None:
        secret = "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0$aGFzaA"
        cast = "CAST(:v AS integer)" if backend == "postgresql" else "json(:v)"
        try:
            async with connection.begin_nested():
                await connection.execute(text(f"SELECT {cast}"), {"v": secret})
        except DBAPIError:
            logging.getLogger("app.request").exception("unhandled error")
        else:  # pragma: no cover - the statement always fails
            pytest.fail("the statement should have failed")
        logged = "\n".join(log_lines)
        assert "Traceback" in logged
        assert "SELECT" in logged
        assert secret not in logged
        assert "c2VjcmV0" not in logged
