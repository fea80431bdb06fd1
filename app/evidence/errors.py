"""Evidence and consent errors."""

from app.core.errors import Conflict, NotFound


class GrantNotFound(NotFound):
    detail = "There is no such council access of yours."
    detail_cy = "Nid oes mynediad cyngor o'r fath yn eiddo i chi."


class AlreadyGranted(Conflict):
    code = "already_granted"
    title, title_cy = "Already shared", "Wedi'i rannu eisoes"
    detail = (
        "Your council may already read this membership's evidence (grant {grant_id}); end that "
        "grant first to give a new one."
    )
    detail_cy = (
        "Mae eich cyngor eisoes yn cael darllen tystiolaeth yr aelodaeth hon (caniatâd "
        "{grant_id}); dewch â'r caniatâd hwnnw i ben yn gyntaf i roi un newydd."
    )


class EvidenceNotFound(NotFound):
    detail = "There is no such member's evidence that you may read."
    detail_cy = "Nid oes tystiolaeth aelod o'r fath y cewch ei darllen."
