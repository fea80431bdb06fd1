"""Command-line tasks: python -m app.cli create-admin | migrate | demo | purge-expired."""

import argparse
import asyncio
import getpass
import os
import sys
from datetime import UTC, datetime

from sqlalchemy import delete, select

from app.audit import service as audit
from app.auth.models import PreferredLanguage, User
from app.auth.passwords import Passwords
from app.core.config import Settings, get_settings
from app.core.db import create_engine, create_sessionmaker, unit_of_work
from app.core.ops import PROJECT_ROOT
from app.core.schemas import normalise_email
from app.idempotency.models import IdempotencyRecord


def migrate(settings: Settings) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = settings.async_database_url
    command.upgrade(config, "head")


async def create_admin(settings: Settings, *, email: str, password: str, full_name: str) -> str:
    engine = create_engine(settings)
    try:
        async with unit_of_work(create_sessionmaker(engine)) as session:
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
        async with unit_of_work(create_sessionmaker(engine)) as session:
            result = await session.execute(
                delete(IdempotencyRecord).where(IdempotencyRecord.expires_at < datetime.now(UTC))
            )
            return int(result.rowcount)  # type: ignore[attr-defined]
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
    args = parser.parse_args(argv)
    settings = get_settings()

    if args.command == "migrate":
        migrate(settings)
        return 0
    if args.command == "create-admin":
        password = os.environ.get("DPC_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        if len(password) < 12:
            print("The password must have at least 12 characters.", file=sys.stderr)
            return 2
        user_id = asyncio.run(
            create_admin(settings, email=args.email, password=password, full_name=args.full_name)
        )
        print(f"platform admin {normalise_email(args.email)} ({user_id})")
        return 0
    if args.command == "demo":
        from app.demo import load_demo

        print(asyncio.run(load_demo(settings)))
        return 0
    if args.command == "purge-expired":
        print(f"deleted {asyncio.run(purge_expired(settings))} expired idempotency records")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
