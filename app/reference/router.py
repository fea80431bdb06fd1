"""Reference data for front ends: every enum value's English and Welsh label."""

from app.core.routing import Router
from app.reference.labels import LABELS

router = Router(prefix="/reference", tags=["reference"])


@router.get("/labels")
async def list_labels() -> dict[str, dict[str, dict[str, str]]]:
    """`{"<enum name>": {"<value>": {"en": "...", "cy": "..."}}}` for every enum the API uses,
    among them `transaction_kind` (ledger kinds), `audit_action` (what `/me/activity` and the
    co-op audit record), `notification_type`, `contribution_source`, `visit_status`,
    `confirmed_by`, `visit_outcome`, `award_status`, `mandate_role`, `mandate_scope`, `mandate_status`, `approval_status`,
    `capacity_change_status` and `compliance_kind`."""
    return LABELS
