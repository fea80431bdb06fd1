"""Send one message: over SMTP when DPC_SMTP_URL is set, else as an .eml file in DPC_MAIL_DIR.

Callers send after their transaction has committed (or from the worker, for the outbox), so a
rolled-back change never mails anyone.
"""

import asyncio
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from app.core.config import Settings


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    language: str = "en"


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool


class MailNotSent(Exception):
    """The SMTP server could not be reached or refused the message."""


def parse_smtp_url(url: str) -> SmtpTarget:
    """smtp://user:pass@host:587?starttls=true, or smtps://host:465 for TLS from the start."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("DPC_SMTP_URL must look like smtp://user:pass@host:587?starttls=true")
    query = parse_qs(parts.query)
    use_tls = parts.scheme == "smtps"
    start_tls = query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes")
    return SmtpTarget(
        hostname=parts.hostname,
        port=parts.port or (465 if use_tls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
        start_tls=start_tls and not use_tls,
    )


def build_message(settings: Settings, mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="dpc.invalid")
    message.set_content(mail.text)
    # After the content: set_content replaces every Content-* header there was.
    message["Content-Language"] = mail.language
    return message


def _write_file(folder: Path, message: EmailMessage) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.as_bytes())


async def send_mail(settings: Settings, mail: OutgoingMail) -> None:
    message = build_message(settings, mail)
    if settings.smtp_url is None:
        await asyncio.to_thread(_write_file, Path(settings.mail_dir), message)
        return
    target = parse_smtp_url(settings.smtp_url.get_secret_value())
    try:
        await aiosmtplib.send(
            message,
            hostname=target.hostname,
            port=target.port,
            username=target.username,
            password=target.password,
            use_tls=target.use_tls,
            start_tls=target.start_tls,
            timeout=10,
        )
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise MailNotSent(str(exc)) from exc
