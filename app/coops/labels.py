"""English and Welsh labels for the co-operative enums (for GET /reference/labels)."""

from app.coops.models import MemberClass, MemberStatus

MEMBER_CLASS_LABELS: dict[MemberClass, tuple[str, str]] = {
    MemberClass.service_user: ("Service user", "Defnyddiwr gwasanaeth"),
    MemberClass.carer: ("Carer", "Gofalwr"),
    MemberClass.worker: ("Worker", "Gweithiwr"),
    MemberClass.community_supporter: ("Community supporter", "Cefnogwr cymunedol"),
    MemberClass.local_authority: ("Local authority", "Awdurdod lleol"),
}

MEMBER_STATUS_LABELS: dict[MemberStatus, tuple[str, str]] = {
    MemberStatus.pending: ("Pending", "Yn aros"),
    MemberStatus.active: ("Active", "Gweithredol"),
    MemberStatus.suspended: ("Suspended", "Wedi'i atal"),
    MemberStatus.left: ("Left", "Wedi gadael"),
}

LABELS = {"member_class": MEMBER_CLASS_LABELS, "member_status": MEMBER_STATUS_LABELS}
