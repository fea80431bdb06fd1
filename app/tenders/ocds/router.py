"""Open data: OCDS release packages of published tenders, per tender and per council area."""

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from app.areas.errors import AreaNotFound
from app.auth.errors import NoMandate, OutsideMandate
from app.core.config import Settings
from app.core.deps import NowDep, SessionDep, SettingsDep
from app.core.errors import problems
from app.councils.dependencies import CurrentAreaReader
from app.councils.errors import NotThisArea
from app.tenders import service
from app.tenders.dependencies import PublicTender
from app.tenders.errors import NoReleases, TenderNotFound
from app.tenders.ocds import service as ocds

router = APIRouter(tags=["open data"])


class ReleasePackage(BaseModel):
    """An OCDS 1.1 release package (https://standard.open-contracting.org/1.1/)."""

    uri: str
    version: str = Field(examples=["1.1"])
    publishedDate: str  # noqa: N815 - the standard's own field name
    publisher: dict[str, Any]
    releases: list[dict[str, Any]]


PACKAGE: dict[int | str, dict[str, Any]] = {
    200: {"model": ReleasePackage, "description": "An OCDS 1.1 release package."}
}


def _answer(request: Request, settings: Settings, releases: list[dict[str, Any]]) -> Response:
    body = ocds.package(
        releases, uri=str(request.url.replace(query="")), publisher=settings.ocds_publisher
    )
    return Response(content=ocds.render(body).encode("utf-8"), media_type="application/json")


@router.get(
    "/tenders/{tender_id}/ocds",  # noqa: FAST003 - a dependency reads `tender_id`
    response_class=Response,
    responses={**PACKAGE, **problems(TenderNotFound, OutsideMandate, NoMandate)},
)
async def tender_ocds(
    seen: PublicTender, request: Request, session: SessionDep, settings: SettingsDep
) -> Response:
    """The tender as an OCDS 1.1 release package (public once published): releases for its
    planning, tender, the close of bidding, award, contract or cancellation as they happen.
    `ocid` is the configured prefix followed by the tender's id. Before the deadline nothing
    about bids appears; after the award only the awarded rate is published. A draft does not
    exist for anyone but the co-op's members, and has no releases (404)."""
    [process] = await ocds.processes(session, [seen.tender])
    releases = ocds.releases(process, prefix=settings.ocid_prefix)
    if not releases:
        raise TenderNotFound
    return _answer(request, settings, releases)


@router.get(
    "/la/areas/{code}/ocds",  # noqa: FAST003 - a dependency reads `code`
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
    """Every published tender buying care in the area, as one OCDS 1.1 release package (the
    area's council officers and API clients, platform administrators). While there is none,
    404 `no_releases`: an empty package is not valid OCDS."""
    await service.settle_due(session, None, now=now)
    tenders = list((await session.scalars(ocds.in_area(reader.area_code))).all())
    releases = [
        release
        for process in await ocds.processes(session, tenders)
        for release in ocds.releases(process, prefix=settings.ocid_prefix)
    ]
    if not releases:
        raise NoReleases
    return _answer(request, settings, releases)
