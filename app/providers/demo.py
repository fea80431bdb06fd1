"""Synthetic demo providers across the 22 areas, with the gaps rural Wales really has.

Every name, e-mail address and CIW id is invented (addresses at example.org, ids DEMO-...).
The same seed gives the same providers, and loading twice updates rather than duplicates.
"""

import random
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.area_list import load_areas
from app.providers.csv_import import ImportRow
from app.providers.imports import upsert_verified
from app.providers.models import ServiceType, WelshLanguage
from app.providers.schemas import ProviderCreate

SEED = 20260302

POWYS, CEREDIGION, GWYNEDD, ANGLESEY = "W06000023", "W06000008", "W06000002", "W06000001"
CARMARTHENSHIRE, CONWY, DENBIGHSHIRE = "W06000010", "W06000003", "W06000004"

# Service types nobody offers in these areas: thin rural markets (SPEC: coverage gaps).
MISSING: dict[str, frozenset[ServiceType]] = {
    POWYS: frozenset(
        {ServiceType.adult_placement, ServiceType.supported_living, ServiceType.day_opportunities}
    ),
    CEREDIGION: frozenset({ServiceType.adult_placement, ServiceType.care_home_adults}),
    GWYNEDD: frozenset({ServiceType.supported_living, ServiceType.community_support}),
    ANGLESEY: frozenset(
        {ServiceType.respite, ServiceType.adult_placement, ServiceType.personal_assistant}
    ),
}

# Share of providers offering the whole service in Welsh (the Active Offer), then some Welsh.
WELSH_SHARE: dict[str, tuple[float, float]] = {
    GWYNEDD: (0.65, 0.25),
    ANGLESEY: (0.55, 0.3),
    CEREDIGION: (0.45, 0.3),
    CARMARTHENSHIRE: (0.4, 0.3),
    CONWY: (0.2, 0.3),
    DENBIGHSHIRE: (0.15, 0.3),
    POWYS: (0.1, 0.3),
}
DEFAULT_WELSH_SHARE = (0.05, 0.2)

# Busier markets get more providers; the thinnest get fewest.
PROVIDERS_PER_AREA: dict[str, int] = {
    "W06000015": 14,  # Cardiff
    "W06000011": 11,  # Swansea
    "W06000016": 10,  # Rhondda Cynon Taf
    "W06000022": 9,  # Newport
    "W06000018": 9,  # Caerphilly
    POWYS: 5,
    CEREDIGION: 4,
    GWYNEDD: 6,
    ANGLESEY: 4,
}
DEFAULT_PROVIDERS = 7

WELSH_NAMES = [
    "Gofal Cymunedol {place}",
    "Cymorth {place}",
    "Gofal Cartref {place}",
    "Cwmni Gofal {place}",
    "Seibiant {place}",
    "Cynorthwywyr {place}",
    "Tŷ Gofal {place}",
    "Cam wrth Gam {place}",
]
ENGLISH_NAMES = [
    "{place} Home Support",
    "{place} Care Partners",
    "{place} Community Care",
    "{place} Living Well",
    "{place} Support Co-operative",
    "Bright Days {place}",
    "{place} Respite Services",
    "Together {place}",
]
PLACES: dict[str, list[str]] = {
    ANGLESEY: ["Môn", "Menai", "Cemaes", "Llanfair"],
    GWYNEDD: ["Eryri", "Llŷn", "Dyfi", "Ogwen", "Arfon", "Meirion"],
    "W06000003": ["Conwy", "Colwyn", "Llanrwst", "Abergele"],
    DENBIGHSHIRE: ["Clwyd", "Dinbych", "Rhuthun", "Prestatyn"],
    "W06000005": ["Fflint", "Deeside", "Yr Wyddgrug", "Treffynnon"],
    "W06000006": ["Wrecsam", "Maelor", "Rhos", "Gresffordd"],
    CEREDIGION: ["Teifi", "Aeron", "Ystwyth", "Rheidol"],
    "W06000009": ["Preseli", "Cleddau", "Tyddewi", "Penfro"],
    CARMARTHENSHIRE: ["Tywi", "Gwendraeth", "Llanelli", "Dinefwr"],
    "W06000011": ["Gŵyr", "Tawe", "Bae", "Mumbles"],
    "W06000012": ["Nedd", "Afan", "Dulais", "Margam"],
    "W06000013": ["Ogwr", "Garw", "Porthcawl", "Maesteg"],
    "W06000014": ["Bro", "Barri", "Penarth", "Llanilltud"],
    "W06000015": ["Caerdydd", "Taf", "Bute", "Llandaf", "Trelái", "Splott"],
    "W06000016": ["Rhondda", "Cynon", "Taf Elái", "Pontypridd"],
    "W06000018": ["Rhymni", "Caerffili", "Sirhywi", "Bargod"],
    "W06000019": ["Ebwy", "Tredegar", "Brynmawr", "Abertyleri"],
    "W06000020": ["Torfaen", "Pont-y-pŵl", "Cwmbrân", "Blaenafon"],
    "W06000021": ["Gwy", "Mynwy", "Y Fenni", "Cas-gwent"],
    "W06000022": ["Wysg", "Casnewydd", "Caerllion", "Gwent"],
    POWYS: ["Hafren", "Brycheiniog", "Maldwyn", "Elfael", "Y Trallwng"],
    "W06000024": ["Merthyr", "Taf Fechan", "Dowlais", "Aberfan"],
}
RURAL = frozenset({POWYS, CEREDIGION, GWYNEDD, ANGLESEY, CARMARTHENSHIRE, "W06000009"})


def _slug(name: str) -> str:
    folded = name.lower().translate(str.maketrans("âêîôûŵŷáéíóúẁỳäëïöüẅÿ", "aeiouwyaeiouwyaeiouwy"))
    return "".join(c if c.isalnum() else "-" for c in folded).strip("-").replace("--", "-")


def demo_rows() -> list[ImportRow]:
    """The demo providers, the same on every run."""
    rng = random.Random(SEED)  # noqa: S311  (reproducible demo data, not secrets)
    rows: list[ImportRow] = []
    for area in load_areas():
        code = area["code"]
        offered = [t for t in ServiceType if t not in MISSING.get(code, frozenset())]
        full_share, some_share = WELSH_SHARE.get(code, DEFAULT_WELSH_SHARE)
        count = PROVIDERS_PER_AREA.get(code, DEFAULT_PROVIDERS)
        # Deal the offered types round first, so every type not listed as missing is on offer.
        uncovered = list(offered)
        rng.shuffle(uncovered)
        used_names: set[str] = set()
        for _ in range(count):
            types = {uncovered.pop() if uncovered else rng.choice(offered)}
            types.update(rng.sample(offered, k=rng.randint(0, min(2, len(offered)))))
            roll = rng.random()
            welsh = (
                WelshLanguage.full
                if roll < full_share
                else WelshLanguage.some
                if roll < full_share + some_share
                else WelshLanguage.none
            )
            templates = (
                WELSH_NAMES if welsh != WelshLanguage.none or rng.random() < 0.4 else ENGLISH_NAMES
            )
            name = rng.choice(templates).format(place=rng.choice(PLACES[code]))
            while name in used_names:
                name = rng.choice(WELSH_NAMES + ENGLISH_NAMES).format(
                    place=rng.choice(PLACES[code])
                )
            used_names.add(name)
            rate = rng.randint(1950, 2650) + (rng.randint(100, 350) if code in RURAL else 0)
            number = len(rows) + 1
            details = ProviderCreate(
                name=name,
                ciw_service_id=f"DEMO-{number:04d}",
                service_types=[t for t in ServiceType if t in types],
                area_codes=[code],
                hourly_rate_pence=rate,
                capacity_hours_per_week=rng.choice([40, 80, 120, 200, 350, 500, 800, 1200]),
                welsh_language=welsh,
                contact_email=f"{_slug(name)}-{number}@example.org",
                # Ofcom keeps 01632 960xxx for drama: never a real subscriber's number.
                phone=f"01632 960{rng.randint(0, 999):03d}",
                website=f"https://{_slug(name)}.example.org" if rng.random() < 0.7 else None,
            )
            rows.append(
                ImportRow(
                    line=number, details=details, columns=frozenset(ProviderCreate.model_fields)
                )
            )
    return rows


async def load_demo_providers(session: AsyncSession, *, now: datetime) -> tuple[int, int]:
    """(created, updated): verified demo providers, matched by their DEMO- CIW ids."""
    return await upsert_verified(session, None, demo_rows(), now=now)
