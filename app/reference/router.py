"""Reference data for front ends: every enum value's English and Welsh label."""

from fastapi import APIRouter

from app.reference.labels import LABELS

router = APIRouter(prefix="/reference", tags=["reference"])


@router.get("/labels")
async def list_labels() -> dict[str, dict[str, dict[str, str]]]:
    """`{"<enum name>": {"<value>": {"en": "...", "cy": "..."}}}` for every enum the API uses."""
    return LABELS
