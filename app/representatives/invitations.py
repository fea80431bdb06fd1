"""The invitation e-mailed to the person a holder names as their representative.

It goes to the address the holder gave whether or not anyone has an account with it, after the
commit (so how long sending takes tells the holder nothing), in that person's language when
they have an account and the holder's otherwise.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import PreferredLanguage, User
from app.core.db import settings_of
from app.core.i18n import Language
from app.core.money import pounds_text
from app.mail.catalogue import compose
from app.mail.sender import send_after_commit
from app.reference.labels import LABELS
from app.representatives.models import Mandate


def _language(user: User) -> Language:
    return "cy" if user.preferred_language == PreferredLanguage.cy else "en"


def send_invitation(
    session: AsyncSession, mandate: Mandate, *, holder: User, representative: User | None
) -> None:
    language = _language(representative or holder)
    scope_labels = LABELS["mandate_scope"]
    mail = compose(
        "mandate.invitation",
        language,
        to=mandate.email,
        holder=holder.full_name,
        role=LABELS["mandate_role"][mandate.role.value][language],
        scopes="\n".join(f"- {scope_labels[scope][language]}" for scope in mandate.scopes),
        limit=pounds_text(mandate.limit_pence_per_cycle),
        mandate_id=mandate.id,
    )
    send_after_commit(session, settings_of(session), mail)
