"""Synthetic demo data (no real person or provider): loaded by `python -m app.cli demo`."""

from app.core.config import Settings


async def load_demo(settings: Settings) -> str:
    """Load the demo data each domain contributes; safe to run twice."""
    del settings
    return "demo data: nothing to load yet"
