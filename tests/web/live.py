"""The real parts of the browser tests: the service on a real uvicorn server over a scratch
database with the demo providers, the system's Chromium, and a walk through its pages that
runs axe-core on every page reached."""

import asyncio
import os
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import httpx
from axe_playwright_python.async_playwright import Axe
from axe_playwright_python.base import AxeResults
from playwright.async_api import BrowserContext, Page
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.mail.catalogue import CATALOGUE
from app.tenders.models import Tender
from app.web.texts import text
from tests.factories import Person

# Where a test run keeps what a person may want to look at afterwards.
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
AXE = Axe()
AXE_OPTIONS = {"resultTypes": ["violations"]}


async def with_axe(context: BrowserContext) -> None:
    """Every document of the context starts with axe-core in it. The library's `Axe.run`
    sends its 570 kB script again for every check, which was some 60 ms of each of a journey's
    sixty-odd checks; given once, as an init script, it is not sent again (a journey took
    some 8 % less time)."""
    await context.add_init_script(script=AXE.axe_script)


async def check_accessibility(page: Page) -> AxeResults:
    """axe-core's violations of the page as it stands (any impact)."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        # A document the init script did not reach (a context not given `with_axe`).
        await page.evaluate(AXE.axe_script)
    return AxeResults(await page.evaluate("options => axe.run(document, options)", AXE_OPTIONS))


def chromium_path() -> str | None:
    """Debian's Chromium, by path: nothing is downloaded (never `playwright install`)."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch_args() -> list[str]:
    # Chromium refuses to start its sandbox as root (CI runs as root).
    return ["--no-sandbox"] if os.geteuid() == 0 else []


@dataclass
class Site:
    base: str
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    mail_dir: Path
    api: httpx.AsyncClient
    people: dict[str, Person] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)

    async def close_bidding(self, tender: uuid.UUID | str) -> None:
        """The bidding days pass: the tender's deadline is moved a second into the past, so
        the server closes bidding when it next reads the tender, as it would have then (the
        server's clock is real: a test cannot move it, and waiting for it costs seconds)."""
        async with self.sessionmaker() as session:
            await session.execute(
                update(Tender)
                .where(Tender.id == uuid.UUID(str(tender)))
                .values(submission_deadline=datetime.now(UTC) - timedelta(seconds=1))
            )
            await session.commit()

    async def reset_code(self, address: str, seconds: float = 10.0) -> str:
        """The code in the newest password-reset mail to `address` (mail goes to files)."""
        subjects = {text_of("en"), text_of("cy")}
        for _ in range(int(seconds * 10)):
            found = []
            for path in self.mail_dir.glob("*.eml"):
                message = message_from_bytes(path.read_bytes())
                if message["To"] == address and message["Subject"] in subjects:
                    found.append((path.stat().st_mtime, message))
            if found:
                message = max(found, key=lambda pair: pair[0])[1]
                body = message.get_payload(decode=True)
                assert isinstance(body, bytes)
                lines = [line.strip() for line in body.decode().splitlines()]
                return next(line for line in lines if len(line) >= 40 and " " not in line)
            await asyncio.sleep(0.1)
        raise AssertionError(f"no reset mail to {address}")


def text_of(language: str) -> str:
    return CATALOGUE["account.password_reset"]["cy" if language == "cy" else "en"].subject


def soon(seconds: int) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


@dataclass
class Walk:
    """One person's way through the pages in one language at one width. Every page reached
    is checked: its `lang`, axe-core (zero violations, any impact), and nothing wider than
    the screen; the main pages are photographed at 360 px."""

    page: Page
    language: str
    width: int
    base: str
    problems: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)

    def t(self, key: str, **params: Any) -> str:
        return text(key, "cy" if self.language == "cy" else "en", **params)

    async def goto(self, path: str, name: str, *, shot: bool = False) -> None:
        answer = await self.page.goto(self.base + path)
        assert answer is not None
        assert answer.status == 200, f"{path}: {answer.status}"
        await self.reached(name, shot=shot)

    async def reached(self, name: str, *, shot: bool = False) -> None:
        self.seen.append(name)
        lang = await self.page.get_attribute("html", "lang")
        if lang != self.language:
            self.problems.append(f"{name}: lang={lang}")
        results = await check_accessibility(self.page)
        if results.violations_count:
            self.problems.append(
                f"{name} ({self.language}, {self.width}px):\n{results.generate_report()}"
            )
        overflow = await self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            self.problems.append(f"{name} ({self.width}px): {overflow}px wider than the screen")
        if shot and self.width == 360:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await self.page.screenshot(
                path=str(SCREENSHOTS / f"{name}-{self.language}.png"), full_page=True
            )

    async def submit(self, button: str, name: str, *, shot: bool = False) -> None:
        """Press the form's button (named by its catalogue key) and check the next page."""
        await self.page.get_by_role("button", name=self.t(button), exact=True).first.click()
        await self.page.wait_for_load_state()
        await self.reached(name, shot=shot)

    async def follow(self, link: str, name: str, *, shot: bool = False, **params: Any) -> None:
        await self.page.get_by_role("link", name=self.t(link, **params), exact=True).first.click()
        await self.page.wait_for_load_state()
        await self.reached(name, shot=shot)

    async def fill(self, label: str, value: str) -> None:
        await self.page.get_by_label(self.t(label), exact=True).fill(value)

    async def notice(self, key: str, **params: Any) -> None:
        """The page confirms what was done, in the walk's language."""
        status = self.page.get_by_role("status")
        assert (await status.inner_text()).strip() == self.t(key, **params)

    def done(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)
