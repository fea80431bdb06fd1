from pathlib import Path

from pydantic import SecretStr

from app.core.config import Settings
from app.mail.sender import OutgoingMail, parse_smtp_url, send_mail
from tests.mail_server import Mailbox, body_of


def test_smtp_url_names_host_port_credentials_and_starttls() -> None:
    target = parse_smtp_url("smtp://user%40x:p%20w@mail.example.org:587?starttls=true")
    assert (target.hostname, target.port, target.username, target.password) == (
        "mail.example.org",
        587,
        "user@x",
        "p w",
    )
    assert target.start_tls
    assert not target.use_tls
    assert parse_smtp_url("smtps://mail.example.org").port == 465


async def test_a_message_arrives_at_a_real_smtp_server(
    smtp_server: tuple[str, Mailbox],
) -> None:
    url, mailbox = smtp_server
    settings = Settings(env="test", smtp_url=SecretStr(url), mail_from="dpc@example.org")
    await send_mail(settings, OutgoingMail(to="ann@example.org", subject="Helo", text="Shwmae"))
    [message] = await mailbox.wait_for("ann@example.org")
    assert message["Subject"] == "Helo"
    assert message["From"] == "dpc@example.org"
    assert body_of(message).strip() == "Shwmae"


async def test_without_smtp_development_writes_the_message_to_a_file(tmp_path: Path) -> None:
    settings = Settings(env="development", mail_dir=str(tmp_path))
    await send_mail(settings, OutgoingMail(to="bob@example.org", subject="S", text="T"))
    [written] = list(tmp_path.glob("*.eml"))  # noqa: ASYNC240  (the test's own files)
    assert b"To: bob@example.org" in written.read_bytes()
