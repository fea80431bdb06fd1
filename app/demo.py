"""Synthetic demo data (no real person or provider): loaded by `python -m app.cli demo`."""

from datetime import UTC, datetime

from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker, unit_of_work
from app.providers.demo import load_demo_providers
from app.workflows import registry


async def load_demo(settings: Settings) -> str:
    """Load the demo data each domain contributes; safe to run twice."""
    engine = create_engine(settings)
    try:
        async with unit_of_work(create_sessionmaker(engine, registry.build())) as session:
            created, updated = await load_demo_providers(session, now=datetime.now(UTC))
    finally:
        await engine.dispose()
    return f"demo data: providers {created} created, {updated} already there"
