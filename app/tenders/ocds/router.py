"""Open data: the stored OCDS releases, per tender, per council area, as one feed, and as
records with their compiled release."""

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Path, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas.errors import AreaNotFound
from app.auth.errors import NoMandate, OutsideMandate
from app.core.config import Settings
from app.core.db import SETTINGS_KEY, unit_of_work
from app.core.deps import NowDep, SessionDep, SessionmakerDep, SettingsDep
from app.core.errors import problems
from app.core.pagination import MAX_LIMIT, PageLimit, decode_cursor, encode_cursor
from app.core.routing import Router
from app.core.schemas import Moment
from app.councils.dependencies import CurrentAreaReader
from app.councils.errors import NotThisArea
from app.tenders import repository, service
from app.tenders.contracts import service as contracts
from app.tenders.contracts import variations
from app.tenders.dependencies import PublicTender
from app.tenders.errors import NoReleases, TenderNotFound
from app.tenders.ocds import store
from app.tenders.ocds.errors import NoReleasesSince, RecordNotFound
from app.tenders.ocds.packages import Publisher, Stored, record_package, release_package
from app.tenders.ocds.policy import POLICY

router = Router(tags=["open data"])

FEED_LIMIT = 100


class ReleasePackage(BaseModel):
    """An OCDS 1.1 release package (https://standard.open-contracting.org/1.1/)."""

    uri: str
    version: str = Field(examples=["1.1"])
    extensions: list[str] | None = Field(
        default=None, description="The feed only: the pagination extension, for `links`."
    )
    publishedDate: str  # noqa: N815 - the standard's own field names
    publisher: dict[str, Any]
    license: str
    publicationPolicy: str  # noqa: N815
    links: dict[str, str] | None = Field(
        default=None, description="The feed only: `next`, the absolute address of the next page."
    )
    releases: list[dict[str, Any]]


class RecordPackage(BaseModel):
    """An OCDS 1.1 record package: one process's releases and its `compiledRelease`."""

    uri: str
    version: str = Field(examples=["1.1"])
    publishedDate: str  # noqa: N815
    publisher: dict[str, Any]
    license: str
    publicationPolicy: str  # noqa: N815
    records: list[dict[str, Any]]


PACKAGE: dict[int | str, dict[str, Any]] = {
    200: {"model": ReleasePackage, "description": "An OCDS 1.1 release package."}
}


async def settle_everything_due(session: AsyncSession, *, now: datetime) -> None:
    """Bring every tender and contract up to date before open data is read: deadlines and
    award votes that are due, variation votes that are due, contracts past their last day.
    Each writes its release as it settles, so every release dated before now is there."""
    await service.settle_due(session, None, now=now)
    await variations.settle_votes(session, None, None, now=now)
    await contracts.settle_due(session, now=now)


def _publisher(settings: Settings) -> Publisher:
    return Publisher(
        name=settings.ocds_publisher,
        license=settings.ocds_license,
        publication_policy=settings.ocds_publication_policy,
    )


def _uri(request: Request, settings: Settings) -> str:
    """This address as the world reaches it (DPC_PUBLIC_BASE_URL), with its query."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{settings.public_base_url}{request.url.path}{query}"


def _json(content: bytes) -> Response:
    return Response(content=content, media_type="application/json")


def _package(request: Request, settings: Settings, releases: list[Stored]) -> Response:
    return _json(
        release_package(releases, uri=_uri(request, settings), publisher=_publisher(settings))
    )


@router.get(
    "/tenders/{tender_id}/ocds",
    response_class=Response,
    responses={**PACKAGE, **problems(TenderNotFound, OutsideMandate, NoMandate)},
)
async def tender_ocds(
    seen: PublicTender, request: Request, session: SessionDep, settings: SettingsDep
) -> Response:
    """The tender's stored OCDS 1.1 releases, in the order they were published (public once
    published). Each was written when its event happened and never changes: `tender` at
    publication, `tenderAmendment` for each answered clarification and for an award the
    members voted down, `tenderUpdate` at the deadline (the bidders, never their rates; the
    demand, its number of people under the disclosure rule), `award`, `contract`,
    `implementation` (quarterly paid totals), `tenderCancellation`. `ocid` is the configured
    prefix followed by the tender's id. A draft has no releases (404)."""
    releases = await store.of_tenders(session, [seen.tender.id])
    if not releases:
        raise TenderNotFound
    return _package(request, settings, releases)


@router.get(
    "/la/areas/{code}/ocds",
    response_class=Response,
    responses={**PACKAGE, **problems(AreaNotFound, NotThisArea, NoReleases)},
)
async def area_ocds(
    reader: CurrentAreaReader,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """The stored releases of every published tender buying care in the area, in publication
    order, as one OCDS 1.1 release package (the area's council officers and API clients,
    platform administrators). While there is none, 404 `no_releases`: an empty package is
    not valid OCDS."""
    await settle_everything_due(session, now=now)
    releases = await store.in_area(session, reader.area_code)
    if not releases:
        raise NoReleases
    return _package(request, settings, releases)


@router.get(
    "/ocds/releases",
    response_class=Response,
    responses={**PACKAGE, **problems(NoReleasesSince)},
)
async def list_releases(
    request: Request,
    sessionmaker: SessionmakerDep,
    settings: SettingsDep,
    now: NowDep,
    since: Annotated[
        Moment | None,
        Query(description="Only releases whose `date` is at or after this time (inclusive)."),
    ] = None,
    cursor: Annotated[
        str | None, Query(max_length=1000, description="Opaque: as `links.next` gives it.")
    ] = None,
    limit: Annotated[
        PageLimit, Query(description=f"Releases a page (at most {MAX_LIMIT}).")
    ] = FEED_LIMIT,
) -> Response:
    """Every published release of every tender, in publication order, as an OCDS release
    package (public; the one answer that is not `{items, next_cursor}`: OCDS pages a feed
    with `links.next`, an absolute address built from DPC_PUBLIC_BASE_URL, present while
    there is more). Releases never change, so a page once read stays true; to keep up,
    follow `links.next`, or ask again with `since` set to the last release's `date`
    (inclusive, so that release comes again). Tenders whose deadline has passed are brought
    up to date first, so every release dated before now is already in the feed. Nothing
    to show: 404 `no_releases` (an empty package is not valid OCDS)."""
    after = decode_cursor(cursor, 1, [int])[0] if cursor else None
    async with unit_of_work(sessionmaker) as settling:
        settling.info[SETTINGS_KEY] = settings
        await settle_everything_due(settling, now=now)
    async with unit_of_work(sessionmaker) as reading:
        page = await store.feed(reading, since=since, after_seq=after, limit=limit)
    if not page.releases:
        raise NoReleasesSince
    next_url = None
    if page.more and page.last_seq is not None:
        query: dict[str, str] = {}
        if since is not None:
            query["since"] = since.isoformat()
        if limit != FEED_LIMIT:
            query["limit"] = str(limit)
        query["cursor"] = encode_cursor([page.last_seq])
        next_url = f"{settings.public_base_url}{request.url.path}?{urlencode(query)}"
    return _json(
        release_package(
            page.releases,
            uri=_uri(request, settings),
            publisher=_publisher(settings),
            paged=True,
            next_url=next_url,
        )
    )


@router.get(
    "/ocds/records/{ocid}",
    response_class=Response,
    responses={
        200: {"model": RecordPackage, "description": "An OCDS 1.1 record package."},
        **problems(RecordNotFound),
    },
)
async def get_record(
    ocid: Annotated[str, Path(max_length=200, description="The process's ocid.")],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """One contracting process (a tender) as an OCDS record package (public): every release
    in publication order and the `compiledRelease`, its releases merged by the OCDS merge
    rules (the latest value of each field). Unknown, or a tender never published: 404."""
    tender_id = await store.tender_of_ocid(session, ocid)
    if tender_id is None:
        raise RecordNotFound
    tender = await repository.get_tender(session, tender_id)
    if tender is not None:
        await service.settle(session, None, tender, now=now)
    releases = await store.of_ocid(session, ocid)
    return _json(
        record_package(releases, uri=_uri(request, settings), publisher=_publisher(settings))
    )


@router.get(
    "/ocds/publication-policy",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {}}, "description": "The policy, in English and Welsh."},
        **problems(),
    },
)
async def publication_policy() -> Response:
    """What the open contracting data says and leaves out, when it is written, where to find
    it, and its licence (public), in English and Welsh. The packages link here unless
    DPC_OCDS_POLICY_URL names another policy."""
    return Response(content=POLICY, media_type="text/plain; charset=utf-8")
