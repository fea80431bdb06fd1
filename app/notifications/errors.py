"""Notification and webhook errors."""

from app.core.errors import NotFound, Unprocessable


class NotificationNotFound(NotFound):
    detail = "There is no such notification of yours."
    detail_cy = "Nid oes hysbysiad o'r fath i chi."


class NotificationRequired(Unprocessable):
    code = "notification_required"
    title, title_cy = "Notification required", "Mae angen yr hysbysiad"
    detail = (
        "E-mails about your own account and about approvals waiting for you cannot be "
        "turned off: {types}."
    )
    detail_cy = (
        "Ni ellir diffodd negeseuon e-bost am eich cyfrif eich hun ac am gymeradwyaethau sy'n "
        "aros amdanoch: {types}."
    )


class WebhookNotFound(NotFound):
    detail = "There is no such webhook."
    detail_cy = "Nid oes bachyn gwe o'r fath."


class WebhookUrlRefused(Unprocessable):
    code = "webhook_url_refused"
    title, title_cy = "Webhook address refused", "Cyfeiriad bachyn gwe wedi'i wrthod"
    detail = (
        "A webhook's address must be https and must not lead to a loopback, private or "
        "link-local address: {reason}."
    )
    detail_cy = (
        "Rhaid i gyfeiriad bachyn gwe fod yn https a pheidio ag arwain at gyfeiriad loopback, "
        "preifat neu gyswllt-lleol: {reason}."
    )
