"""Command-line tasks: python -m app.cli create-admin | migrate | demo | purge-expired | worker."""

import argparse
import asyncio
import getpass
import os
import signal
import sys
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy import delete, inspect, make_url, select
from sqlalchemy.exc import ArgumentError, DBAPIError

from app.audit import service as audit
from app.auth.models import PreferredLanguage, User
from app.auth.passwords import Passwords
from app.core.config import Settings, get_settings
from app.core.db import create_engine, create_sessionmaker, unit_of_work
from app.core.ops import PROJECT_ROOT
from app.core.schemas import normalise_email
from app.idempotency.models import IdempotencyRecord
from app.workflows import registry


class CommandFailed(Exception):
    """A reason a command cannot run, said in one line."""


def database_name(settings: Settings) -> str:
    """The database URL as it may be printed: without its password."""
    try:
        return make_url(settings.async_database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(an unreadable DPC_DATABASE_URL)"


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def unreachable(settings: Settings, exc: BaseException) -> CommandFailed:
    return CommandFailed(
        f"cannot reach the database at {database_name(settings)}: {_first_line(exc)}"
    )


def require_schema(settings: Settings) -> None:
    """Refuse, in one line, a database that cannot be reached or has not been migrated."""
    no_schema = CommandFailed(
        f"the database at {database_name(settings)} has no schema yet: "
        "run `python -m app.cli migrate`"
    )
    url = make_url(settings.async_database_url)
    on_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if on_file and not os.path.exists(str(url.database)):
        raise no_schema

    async def migrated() -> bool:
        engine = create_engine(settings)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: inspect(sync).has_table("alembic_version")
                )
        finally:
            await engine.dispose()

    try:
        found = asyncio.run(migrated())
    except (DBAPIError, OSError, TimeoutError) as exc:
        raise unreachable(settings, exc) from exc
    if not found:
        raise no_schema


def refuse_demo_in_production(settings: Settings) -> None:
    if settings.env == "production":
        raise CommandFailed(
            "refusing to load invented demo data into a production database (DPC_ENV=production)"
        )


def migrate(settings: Settings) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = settings.async_database_url
    command.upgrade(config, "head")


async def create_admin(settings: Settings, *, email: str, password: str, full_name: str) -> str:
    engine = create_engine(settings)
    try:
        async with unit_of_work(create_sessionmaker(engine, registry.build())) as session:
            email = normalise_email(email)
            passwords = Passwords(settings)
            user = await session.scalar(select(User).where(User.email == email))
            now = datetime.now(UTC)
            if user is None:
                user = User(
                    email=email,
                    full_name=full_name,
                    preferred_language=PreferredLanguage.en,
                    created_at=now,
                )
                session.add(user)
            user.password_hash = await passwords.hash(password)
            user.is_platform_admin = True
            await session.flush()
            audit.record(session, None, "user.made_platform_admin", "user", user.id, about=user.id)
            return str(user.id)
    finally:
        await engine.dispose()


async def purge_expired(settings: Settings) -> int:
    engine = create_engine(settings)
    try:
        async with unit_of_work(create_sessionmaker(engine, registry.build())) as session:
            result = await session.execute(
                delete(IdempotencyRecord).where(IdempotencyRecord.expires_at < datetime.now(UTC))
            )
            return int(result.rowcount)  # type: ignore[attr-defined]
    finally:
        await engine.dispose()


async def run_worker(settings: Settings, *, once: bool) -> str:
    """The worker until SIGINT or SIGTERM (or, with `once`, one pass), then its engine closed."""
    from app.core.clock import SystemClock
    from app.worker import Worker

    engine = create_engine(settings)
    worker = Worker(settings, create_sessionmaker(engine, registry.build()), clock=SystemClock())
    try:
        if once:
            done = await worker.run_once()
            return (
                f"closed {done.proposals_closed} proposals, confirmed {done.visits_confirmed} "
                f"visits, announced {done.closing_soon}, "
                f"sent {done.emails} e-mails, tried {done.webhook_tries} webhook deliveries, "
                f"reminded of {done.expiry_reminders} expiring records"
            )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await worker.run(stop)
        return "worker stopped"
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="create (or promote) a platform admin")
    admin.add_argument("--email", required=True)
    admin.add_argument("--full-name", default="Platform administrator")
    commands.add_parser("migrate", help="apply every migration (alembic upgrade head)")
    commands.add_parser("demo", help="load synthetic demo data")
    commands.add_parser("purge-expired", help="delete expired idempotency records")
    worker = commands.add_parser(
        "worker", help="run what time triggers: closing proposals, e-mails, webhooks"
    )
    worker.add_argument("--once", action="store_true", help="one pass, then exit")
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as exc:
        reasons = "; ".join(
            str(error["msg"]).removeprefix("Value error, ") for error in exc.errors()
        )
        print(
            f"python -m app.cli {args.command}: the settings are refused: {reasons}",
            file=sys.stderr,
        )
        return 1
    try:
        return run(args, settings)
    except CommandFailed as exc:
        print(f"python -m app.cli {args.command}: {exc}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "migrate":
        try:
            migrate(settings)
        except (DBAPIError, OSError, TimeoutError) as exc:
            raise unreachable(settings, exc) from exc
        return 0
    if args.command == "create-admin":
        password = os.environ.get("DPC_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        if len(password) < 12:
            print("The password must have at least 12 characters.", file=sys.stderr)
            return 2
        require_schema(settings)
        user_id = asyncio.run(
            create_admin(settings, email=args.email, password=password, full_name=args.full_name)
        )
        print(f"platform admin {normalise_email(args.email)} ({user_id})")
        return 0
    if args.command == "demo":
        from app.demo import load_demo

        refuse_demo_in_production(settings)
        require_schema(settings)
        print(asyncio.run(load_demo(settings)))
        return 0
    if args.command == "purge-expired":
        require_schema(settings)
        print(f"deleted {asyncio.run(purge_expired(settings))} expired idempotency records")
        return 0
    if args.command == "worker":
        require_schema(settings)
        print(asyncio.run(run_worker(settings, once=args.once)))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
