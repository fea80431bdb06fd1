"""The texts of every notification, in English and Welsh: one catalogue, as for problems.

Each event type has a title and a body in both languages; types a representative also
receives have a second body (`body_for`) naming the holder. Placeholders are the event's
params, formatted for the language: `*_pence` as pounds, `*_at` as a time in Wales, `*_on`
as a day, and the few enum values below by their label. `{coop}` is the co-op's name and
`{holder}` the holder's, both read when the text is shown. A test fails on a missing text or
on placeholders that differ between the languages.
"""

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from app.core.clock import WALES
from app.core.i18n import Language
from app.core.money import pounds_text
from app.notifications.events import EventType, ParamValue
from app.reference.labels import LABELS


@dataclass(frozen=True, slots=True)
class Text:
    title: str
    body: str
    title_cy: str
    body_cy: str
    # To a representative with `view`, about the holder they represent.
    body_for: str | None = None
    body_for_cy: str | None = None


TEXTS: dict[EventType, Text] = {
    EventType.membership_applied: Text(
        title="New application to join {coop}",
        body="Someone has asked to join {coop} as a {member_class}. An administrator can "
        "approve the application from the list of members.",
        title_cy="Cais newydd i ymuno â {coop}",
        body_cy="Mae rhywun wedi gofyn am gael ymuno â {coop} fel {member_class}. Gall "
        "gweinyddwr gymeradwyo'r cais o'r rhestr aelodau.",
    ),
    EventType.membership_approved: Text(
        title="Welcome to {coop}",
        body="Your membership of {coop} has been approved.",
        title_cy="Croeso i {coop}",
        body_cy="Mae eich aelodaeth o {coop} wedi'i chymeradwyo.",
    ),
    EventType.proposal_opened: Text(
        title="New vote: {title}",
        body="A proposal is open for your vote in {coop} until {closes_at}.",
        title_cy="Pleidlais newydd: {title}",
        body_cy="Mae cynnig ar agor i chi bleidleisio arno yn {coop} tan {closes_at}.",
    ),
    EventType.proposal_closing_soon: Text(
        title="Voting closes soon: {title}",
        body="Voting on this proposal in {coop} closes at {closes_at}.",
        title_cy="Y bleidlais yn cau cyn bo hir: {title}",
        body_cy="Mae'r bleidlais ar y cynnig hwn yn {coop} yn cau am {closes_at}.",
    ),
    EventType.proposal_closed: Text(
        title="Vote closed: {title}",
        body="The vote in {coop} has closed. Result: {outcome}.",
        title_cy="Pleidlais wedi cau: {title}",
        body_cy="Mae'r bleidlais yn {coop} wedi cau. Canlyniad: {outcome}.",
    ),
    EventType.approval_waiting: Text(
        title="Waiting for your approval",
        body="A refund of {amount_pence} asked for on your behalf in {coop} waits for you to "
        "approve or refuse it.",
        title_cy="Yn aros am eich cymeradwyaeth",
        body_cy="Mae ad-daliad o {amount_pence} y gofynnwyd amdano ar eich rhan yn {coop} yn "
        "aros i chi ei gymeradwyo neu ei wrthod.",
        body_for="A refund of {amount_pence} asked for on behalf of {holder} in {coop} waits "
        "for approval.",
        body_for_cy="Mae ad-daliad o {amount_pence} y gofynnwyd amdano ar ran {holder} yn "
        "{coop} yn aros am gymeradwyaeth.",
    ),
    EventType.refund_waiting_second_approval: Text(
        title="A refund needs a second administrator",
        body="A refund of {amount_pence} in {coop} is above the co-op's limit and waits for a "
        "second administrator to approve or refuse it.",
        title_cy="Mae angen ail weinyddwr ar ad-daliad",
        body_cy="Mae ad-daliad o {amount_pence} yn {coop} dros derfyn y gydweithfa ac yn aros "
        "i ail weinyddwr ei gymeradwyo neu ei wrthod.",
    ),
    EventType.refund_posted: Text(
        title="Refund paid",
        body="A refund of {amount_pence} has been paid out of your account in {coop}.",
        title_cy="Ad-daliad wedi'i dalu",
        body_cy="Mae ad-daliad o {amount_pence} wedi'i dalu o'ch cyfrif yn {coop}.",
        body_for="A refund of {amount_pence} has been paid out of {holder}'s account in {coop}.",
        body_for_cy="Mae ad-daliad o {amount_pence} wedi'i dalu o gyfrif {holder} yn {coop}.",
    ),
    EventType.contribution_posted: Text(
        title="Payment received",
        body="{amount_pence} has been paid into your account in {coop}.",
        title_cy="Taliad wedi'i dderbyn",
        body_cy="Mae {amount_pence} wedi'i dalu i mewn i'ch cyfrif yn {coop}.",
        body_for="{amount_pence} has been paid into {holder}'s account in {coop}.",
        body_for_cy="Mae {amount_pence} wedi'i dalu i mewn i gyfrif {holder} yn {coop}.",
    ),
    EventType.invoice_submitted: Text(
        title="An invoice to check",
        body="A provider has invoiced {coop} for your care from {period_start_on} to "
        "{period_end_on}. Please check it: you can dispute a line that is wrong.",
        title_cy="Anfoneb i'w gwirio",
        body_cy="Mae darparwr wedi anfon anfoneb at {coop} am eich gofal o {period_start_on} "
        "i {period_end_on}. Gwiriwch hi: gallwch herio llinell sy'n anghywir.",
        body_for="A provider has invoiced {coop} for {holder}'s care from {period_start_on} "
        "to {period_end_on}. Please check it: a line that is wrong can be disputed.",
        body_for_cy="Mae darparwr wedi anfon anfoneb at {coop} am ofal {holder} o "
        "{period_start_on} i {period_end_on}. Gwiriwch hi: gellir herio llinell sy'n anghywir.",
    ),
    EventType.invoice_approved: Text(
        title="Invoice approved",
        body="The invoice for your care from {period_start_on} to {period_end_on} has been "
        "approved in {coop} and charged to your account.",
        title_cy="Anfoneb wedi'i chymeradwyo",
        body_cy="Mae'r anfoneb am eich gofal o {period_start_on} i {period_end_on} wedi'i "
        "chymeradwyo yn {coop} a'i chodi ar eich cyfrif.",
        body_for="The invoice for {holder}'s care from {period_start_on} to {period_end_on} "
        "has been approved in {coop} and charged to their account.",
        body_for_cy="Mae'r anfoneb am ofal {holder} o {period_start_on} i {period_end_on} "
        "wedi'i chymeradwyo yn {coop} a'i chodi ar eu cyfrif.",
    ),
    EventType.visit_to_confirm: Text(
        title="A visit to confirm",
        body="A visit on {visit_on} waits for you to confirm it in {coop}.",
        title_cy="Ymweliad i'w gadarnhau",
        body_cy="Mae ymweliad ar {visit_on} yn aros i chi ei gadarnhau yn {coop}.",
        body_for="A visit to {holder} on {visit_on} waits to be confirmed in {coop}.",
        body_for_cy="Mae ymweliad â {holder} ar {visit_on} yn aros i gael ei gadarnhau yn {coop}.",
    ),
    EventType.tender_published: Text(
        title="New tender: {title}",
        body="{coop} invites bids for {service_type} in an area you serve, until "
        "{submission_deadline_at}.",
        title_cy="Tendr newydd: {title}",
        body_cy="Mae {coop} yn gwahodd cynigion am {service_type} mewn ardal rydych yn ei "
        "gwasanaethu, tan {submission_deadline_at}.",
    ),
    EventType.tender_awarded: Text(
        title="Tender awarded: {title}",
        body="The tender of {coop} has been awarded. The contract may follow once the "
        "standstill period ends on {standstill_ends_at}.",
        title_cy="Tendr wedi'i ddyfarnu: {title}",
        body_cy="Mae tendr {coop} wedi'i ddyfarnu. Gall y contract ddilyn pan ddaw'r cyfnod "
        "segur i ben ar {standstill_ends_at}.",
    ),
    EventType.support_request_updated: Text(
        title="Support request updated",
        body="A support request in {coop} has changed: it is now {status}.",
        title_cy="Cais cymorth wedi'i ddiweddaru",
        body_cy="Mae cais cymorth yn {coop} wedi newid: mae bellach yn {status}.",
    ),
    EventType.support_comment_added: Text(
        title="New comment on a support request",
        body="Someone has commented on a support request in {coop}.",
        title_cy="Sylw newydd ar gais cymorth",
        body_cy="Mae rhywun wedi rhoi sylw ar gais cymorth yn {coop}.",
    ),
    EventType.compliance_expiring: Text(
        title="Paperwork expires on {expires_on}: {compliance_kind}",
        body="A record kept by {coop} ({compliance_kind}) is good until {expires_on}. Please "
        "renew it in time: once the renewal is recorded, no more reminders are sent about the "
        "old one.",
        title_cy="Gwaith papur yn dod i ben ar {expires_on}: {compliance_kind}",
        body_cy="Mae cofnod sy'n cael ei gadw gan {coop} ({compliance_kind}) yn ddilys tan "
        "{expires_on}. Adnewyddwch ef mewn pryd: unwaith y cofnodir yr adnewyddiad, ni anfonir "
        "rhagor o nodiadau atgoffa am yr hen un.",
    ),
    EventType.surplus_warning: Text(
        title="Your account holds more budget than your council allows",
        body="Your balance in {coop} is now more than {surplus_weeks} weeks of your Direct "
        "Payment, the most your council lets you keep. Your council may ask for an unspent "
        "surplus back.",
        title_cy="Mae eich cyfrif yn dal mwy o gyllideb nag y mae eich cyngor yn ei ganiatáu",
        body_cy="Mae eich balans yn {coop} bellach yn fwy na {surplus_weeks} wythnos o'ch "
        "Taliad Uniongyrchol, y mwyaf y mae eich cyngor yn gadael i chi ei gadw. Gall eich "
        "cyngor ofyn am warged heb ei wario yn ôl.",
    ),
    EventType.account_password_changed: Text(
        title="Your password was changed",
        body="The password of your account was changed at {changed_at}. If this was not you, "
        "reset your password now.",
        title_cy="Newidiwyd eich cyfrinair",
        body_cy="Newidiwyd cyfrinair eich cyfrif am {changed_at}. Os nad chi wnaeth hyn, "
        "ailosodwch eich cyfrinair nawr.",
    ),
    EventType.account_email_changed: Text(
        title="Your e-mail address was changed",
        body="The e-mail address of your account was changed at {changed_at}. If this was not "
        "you, reset your password now.",
        title_cy="Newidiwyd eich cyfeiriad e-bost",
        body_cy="Newidiwyd cyfeiriad e-bost eich cyfrif am {changed_at}. Os nad chi wnaeth "
        "hyn, ailosodwch eich cyfrinair nawr.",
    ),
    EventType.account_new_login: Text(
        title="New sign-in to your account",
        body="Someone signed in to your account with your password at {signed_in_at}. If "
        "this was not you, change your password now.",
        title_cy="Mewngofnodi newydd i'ch cyfrif",
        body_cy="Mewngofnododd rhywun i'ch cyfrif gyda'ch cyfrinair am {signed_in_at}. Os nad "
        "chi oedd hyn, newidiwch eich cyfrinair nawr.",
    ),
    EventType.mandate_conflict_of_interest: Text(
        title="A representative can no longer move money",
        body="A representative works for a provider now contracted in {coop} for the care of "
        "the person they represent. Because of this conflict of interest they can no longer "
        "pay in or ask for refunds for that person; the rest of their mandate still works.",
        title_cy="Ni all cynrychiolydd symud arian mwyach",
        body_cy="Mae cynrychiolydd yn gweithio i ddarparwr sydd bellach dan gontract yn {coop} "
        "ar gyfer gofal y person y mae'n ei gynrychioli. Oherwydd y gwrthdaro buddiannau hwn ni "
        "all dalu i mewn na gofyn am ad-daliadau ar ran y person hwnnw mwyach; mae gweddill ei "
        "fandad yn dal i weithio.",
    ),
}

# Enum values shown in a text, by their labels in GET /reference/labels.
LABELLED = {
    "compliance_kind": "compliance_kind",
    "member_class": "member_class",
    "service_type": "service_type",
    "status": "support_status",
}
OUTCOMES: dict[str, tuple[str, str]] = {
    "passed": ("passed", "wedi'i basio"),
    "rejected": ("rejected", "wedi'i wrthod"),
    "no_quorum": ("no quorum was reached", "ni chyrhaeddwyd cworwm"),
}
MONTHS_CY = (
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
FOOTER = {
    "en": "You can choose which notifications are e-mailed to you in your notification "
    "preferences.",
    "cy": "Gallwch ddewis pa hysbysiadau sy'n cael eu hanfon atoch drwy e-bost yn eich "
    "dewisiadau hysbysu.",
}
FOOTER_REQUIRED = {
    "en": "This message is about your own account or something waiting for you, so it is "
    "always e-mailed.",
    "cy": "Mae'r neges hon am eich cyfrif eich hun neu rywbeth sy'n aros amdanoch, felly "
    "mae bob amser yn cael ei hanfon drwy e-bost.",
}
SOMEONE = {"en": "someone you represent", "cy": "rhywun rydych yn ei gynrychioli"}


def day_text(day: date, language: Language) -> str:
    months = MONTHS_CY if language == "cy" else MONTHS_EN
    return f"{day.day} {months[day.month - 1]} {day.year}"


def moment_text(moment: datetime, language: Language) -> str:
    """A time as people in Wales read it: `2 March 2026, 09:00` (Welsh clock time)."""
    local = moment.astimezone(WALES)
    return f"{day_text(local.date(), language)}, {local:%H:%M}"


def _format(name: str, value: ParamValue, language: Language) -> str:
    if value is None:
        return ""
    if name.endswith("_pence") and isinstance(value, int):
        return pounds_text(value)
    text = str(value)
    if name.endswith("_at"):
        return moment_text(datetime.fromisoformat(text), language)
    if name.endswith("_on"):
        return day_text(date.fromisoformat(text), language)
    if name == "outcome":
        pair = OUTCOMES.get(text)
        return (pair[1] if language == "cy" else pair[0]) if pair else text
    if name in LABELLED:
        label = LABELS[LABELLED[name]].get(text)
        return label[language] if label else text
    return text


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True, slots=True)
class Rendered:
    title: str
    body: str


def render(
    type_: EventType,
    params: Mapping[str, ParamValue],
    language: Language,
    *,
    coop: str | None,
    holder: str | None = None,
    representing: bool = False,
) -> Rendered:
    """The title and body of a notification in `language`; `representing`: to a
    representative, about `holder`."""
    text = TEXTS[type_]
    cy = language == "cy"
    title, body = (text.title_cy, text.body_cy) if cy else (text.title, text.body)
    if representing:
        for_body = text.body_for_cy if cy else text.body_for
        body = for_body or body
    values = {name: _format(name, value, language) for name, value in params.items()}
    values["coop"] = coop or ""
    values["holder"] = holder or SOMEONE[language]
    return Rendered(
        title=title.format_map(_Missing(values)), body=body.format_map(_Missing(values))
    )


class _Missing(dict[str, str]):
    """A placeholder the event did not fill reads as empty, never as an error."""

    def __missing__(self, key: str) -> str:
        return ""
