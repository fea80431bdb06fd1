"""Every e-mail's text, in English and Welsh, kept in one catalogue (as problems are).

A message is a key with a subject and a body per language; `{name}` blanks are filled by
`compose`. A test fails when a message lacks either language, or when the two languages do
not have the same blanks. Add a message by adding an entry here.
"""

from dataclasses import dataclass

from app.core.i18n import Language
from app.mail.sender import OutgoingMail


@dataclass(frozen=True, slots=True)
class MailText:
    subject: str
    body: str


SIGNATURE = {
    "en": "Direct Payments co-operatives",
    "cy": "Cydweithfeydd Taliadau Uniongyrchol",
}

CATALOGUE: dict[str, dict[Language, MailText]] = {
    "account.password_reset": {
        "en": MailText(
            subject="Reset your password",
            body=(
                "Hello {full_name},\n\n"
                "Someone (we hope you) asked to reset the password of your account with the "
                "Direct Payments co-operatives.\n\n"
                "Your reset code is:\n\n"
                "{token}\n\n"
                "It works once, within {minutes} minutes: enter it, with your new password, "
                "where you asked for the reset. Asking again makes this code stop working.\n\n"
                "If you did not ask, you can ignore this message: your password stays as it "
                "is.\n\n"
                "{signature}\n"
            ),
        ),
        "cy": MailText(
            subject="Ailosod eich cyfrinair",
            body=(
                "Helo {full_name},\n\n"
                "Gofynnodd rhywun (chi, gobeithio) am ailosod cyfrinair eich cyfrif gyda'r "
                "cydweithfeydd Taliadau Uniongyrchol.\n\n"
                "Dyma'ch cod ailosod:\n\n"
                "{token}\n\n"
                "Mae'n gweithio unwaith, o fewn {minutes} munud: rhowch ef, gyda'ch cyfrinair "
                "newydd, lle gofynnoch am yr ailosod. Os gofynnwch eto, ni fydd y cod hwn yn "
                "gweithio mwyach.\n\n"
                "Os na ofynnoch chi, gallwch anwybyddu'r neges hon: bydd eich cyfrinair yn aros "
                "fel y mae.\n\n"
                "{signature}\n"
            ),
        ),
    },
    "account.email_change_confirm": {
        "en": MailText(
            subject="Confirm your new e-mail address",
            body=(
                "Hello {full_name},\n\n"
                "You asked to use this address for your account with the Direct Payments "
                "co-operatives. To confirm it, enter this code where you asked:\n\n"
                "{token}\n\n"
                "It works once, within {hours} hours; you do not need to be signed in. Until "
                "then your account keeps its old address.\n\n"
                "If you did not ask, ignore this message and nothing changes.\n\n"
                "{signature}\n"
            ),
        ),
        "cy": MailText(
            subject="Cadarnhewch eich cyfeiriad e-bost newydd",
            body=(
                "Helo {full_name},\n\n"
                "Gofynnoch am ddefnyddio'r cyfeiriad hwn ar gyfer eich cyfrif gyda'r "
                "cydweithfeydd Taliadau Uniongyrchol. I'w gadarnhau, rhowch y cod hwn lle "
                "gofynnoch:\n\n"
                "{token}\n\n"
                "Mae'n gweithio unwaith, o fewn {hours} awr; does dim angen i chi fewngofnodi. "
                "Tan hynny bydd eich cyfrif yn cadw ei hen gyfeiriad.\n\n"
                "Os na ofynnoch chi, anwybyddwch y neges hon ac ni fydd dim yn newid.\n\n"
                "{signature}\n"
            ),
        ),
    },
    "account.email_changed": {
        "en": MailText(
            subject="Your e-mail address was changed",
            body=(
                "Hello {full_name},\n\n"
                "The e-mail address of your account with the Direct Payments co-operatives was "
                "changed to {new_email} on {when} (UK time). Messages about your account now "
                "go to that address, not this one.\n\n"
                "If you did not do this, tell your co-operative's administrator at once.\n\n"
                "{signature}\n"
            ),
        ),
        "cy": MailText(
            subject="Newidiwyd eich cyfeiriad e-bost",
            body=(
                "Helo {full_name},\n\n"
                "Newidiwyd cyfeiriad e-bost eich cyfrif gyda'r cydweithfeydd Taliadau "
                "Uniongyrchol i {new_email} ar {when} (amser y DU). Bydd negeseuon am eich "
                "cyfrif yn mynd i'r cyfeiriad hwnnw o hyn ymlaen, nid i'r un hwn.\n\n"
                "Os nad chi wnaeth hyn, dywedwch wrth weinyddwr eich cydweithfa ar unwaith.\n\n"
                "{signature}\n"
            ),
        ),
    },
    "mandate.invitation": {
        "en": MailText(
            subject="{holder} asks you to act for them",
            body=(
                "Hello,\n\n"
                "{holder} would like you to act for them with the Direct Payments "
                "co-operatives, as their representative (role: {role}). They have asked that you may:\n\n"
                "{scopes}\n\n"
                "moving at most {limit} for them in any four-week cycle.\n\n"
                "Nothing works until you accept. Sign in with this address (or create an "
                "account with it) and accept or decline the invitation among the mandates "
                "offered to you; its reference is {mandate_id}.\n\n"
                "If you do not know {holder}, or do not want to act for them, decline it or "
                "ignore this message: nothing is done in your name.\n\n"
                "{signature}\n"
            ),
        ),
        "cy": MailText(
            subject="Mae {holder} yn gofyn i chi weithredu ar ei ran",
            body=(
                "Helo,\n\n"
                "Hoffai {holder} i chi weithredu ar ei ran gyda'r cydweithfeydd Taliadau "
                "Uniongyrchol, fel ei gynrychiolydd (rôl: {role}). Mae wedi gofyn i chi gael:\n\n"
                "{scopes}\n\n"
                "gan symud {limit} ar y mwyaf ar ei ran mewn unrhyw gylch pedair wythnos.\n\n"
                "Nid oes dim yn gweithio nes i chi dderbyn. Mewngofnodwch gyda'r cyfeiriad hwn "
                "(neu crëwch gyfrif gydag ef) a derbyniwch neu gwrthodwch y gwahoddiad ymhlith "
                "y mandadau a gynigir i chi; ei gyfeirnod yw {mandate_id}.\n\n"
                "Os nad ydych yn adnabod {holder}, neu os nad ydych am weithredu ar ei ran, "
                "gwrthodwch ef neu anwybyddwch y neges hon: ni wneir dim yn eich enw.\n\n"
                "{signature}\n"
            ),
        ),
    },
}


def render(key: str, language: Language, **params: object) -> MailText:
    """The message `key` in `language` with its blanks filled (the signature is added)."""
    text = CATALOGUE[key][language]
    values = {"signature": SIGNATURE[language], **params}
    return MailText(subject=text.subject.format(**values), body=text.body.format(**values))


def compose(key: str, language: Language, *, to: str, **params: object) -> OutgoingMail:
    """The message `key`, ready for `app.mail.sender` (to be sent after the commit)."""
    text = render(key, language, **params)
    return OutgoingMail(to=to, subject=text.subject, text=text.body, language=language)
