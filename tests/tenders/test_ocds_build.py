"""The OCDS builders, the merge and the quarterly totals, without a database."""

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.providers.models import ServiceType, WelshLanguage
from app.tenders.ocds import build, common, contract_releases, spend
from app.tenders.ocds.merge import WHOLE_LIST_MERGE, compile_releases
from app.tenders.ocds.packages import Publisher, Stored, parse, record_package, release_package
from app.tenders.ocds.packages import render as render_json
from tests.tenders.ocds_review import HERE, assert_valid

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
COOP = common.party("coop", uuid.UUID(int=1), "Cwmni Gofal")
SUPPLIER = common.party("provider", uuid.UUID(int=2), "Gofal Da Cyf")
PROCESS = common.Process(ocid="ocds-dpcwales-x", buyer=COOP)
CONTRACT = common.ContractRef(contract_id=uuid.UUID(int=3), award_id=uuid.UUID(int=4))
PUBLISHER = Publisher(
    name="Test", license="https://example.org/l", publication_policy="https://example.org/p"
)


def facts(**overrides: Any) -> common.TenderFacts:
    fields: dict[str, Any] = {
        "process": PROCESS,
        "tender_id": uuid.UUID(int=5),
        "title": "Home care",
        "title_cy": "Gofal cartref",
        "description": "Care at home",
        "description_cy": None,
        "service_type": ServiceType.domiciliary_support,
        "area_codes": ("W06000015",),
        "max_hourly_rate_pence": 2500,
        "welsh_language_required": WelshLanguage.some,
        "price_weight": 60,
        "quality_weight": 40,
        "published_at": AT,
        "submission_deadline": datetime(2026, 3, 16, 12, tzinfo=UTC),
    }
    return common.TenderFacts(**(fields | overrides))


def stored(release: dict[str, Any]) -> Stored:
    return Stored(
        release_id=release["id"],
        ocid=release["ocid"],
        date=datetime.fromisoformat(release["date"]),
        body=render_json(release),
    )


class TestContractBuilders:
    """The builders the contract's variations and end publish through, from plain data."""

    def test_a_variation_is_a_contract_amendment_with_its_rate_day_and_reason(self) -> None:
        release = contract_releases.contract_amendment_release(
            PROCESS,
            contract=CONTRACT,
            variation_id=uuid.UUID(int=9),
            hourly_rate_pence=2240,
            from_date=date(2026, 6, 1),
            reason="The national living wage rose.",
            at=AT,
        )
        assert release["id"] == f"ocds-dpcwales-x-variation-{uuid.UUID(int=9)}"
        assert release["tag"] == ["contractAmendment"]
        [contract] = release["contracts"]
        assert contract["id"] == str(CONTRACT.contract_id)
        assert contract["awardID"] == str(CONTRACT.award_id)
        assert contract["items"][0]["unit"]["value"] == {
            "amount": Decimal("22.40"),
            "currency": "GBP",
        }
        [amendment] = contract["amendments"]
        assert amendment["rationale"] == "The national living wage rose."
        assert amendment["description"] == "The hourly rate is £22.40 from 2026-06-01."
        assert amendment["date"] == "2026-03-02T09:00:00Z"

    def test_an_end_is_a_contract_termination_at_the_end_of_the_last_day_in_wales(self) -> None:
        release = contract_releases.contract_termination_release(
            PROCESS, contract=CONTRACT, last_day=date(2026, 7, 31), at=AT
        )
        assert release["tag"] == ["contractTermination"]
        [contract] = release["contracts"]
        assert contract["status"] == "terminated"
        assert contract["period"] == {"endDate": "2026-07-31T23:59:59+01:00"}

    def test_both_merge_into_the_contract_and_the_packages_are_valid(self, tmp_path: Path) -> None:
        t = facts()
        releases = [
            build.tender_release(t, hours_per_week=16),
            contract_releases.contract_release(
                t,
                contract=CONTRACT,
                supplier=SUPPLIER,
                hourly_rate_pence=2135,
                hours_per_week=16,
                signed_at=datetime(2026, 4, 1, 9, tzinfo=UTC),
            ),
            contract_releases.contract_amendment_release(
                PROCESS,
                contract=CONTRACT,
                variation_id=uuid.UUID(int=9),
                hourly_rate_pence=2240,
                from_date=date(2026, 6, 1),
                reason="Wages rose.",
                at=datetime(2026, 5, 20, 9, tzinfo=UTC),
            ),
            contract_releases.contract_termination_release(
                PROCESS,
                contract=CONTRACT,
                last_day=date(2026, 11, 30),
                at=datetime(2026, 12, 1, 0, 5, tzinfo=UTC),
            ),
        ]
        package = release_package(
            [stored(r) for r in releases], uri="https://x/p", publisher=PUBLISHER
        )
        assert_valid(package, tmp_path)
        record = record_package(
            [stored(r) for r in releases], uri="https://x/r", publisher=PUBLISHER
        )
        assert_valid(record, tmp_path)
        compiled = json.loads(record, parse_float=Decimal)["records"][0]["compiledRelease"]
        [contract] = compiled["contracts"]
        assert contract["status"] == "terminated"
        assert contract["period"] == {
            "startDate": "2026-04-01T09:00:00Z",
            "endDate": "2026-11-30T23:59:59+00:00",
        }
        assert contract["items"][0]["unit"]["value"]["amount"] == Decimal("22.40")
        # The rest of the item stays as the contract had it.
        assert contract["items"][0]["quantity"] == 16
        assert [a["rationale"] for a in contract["amendments"]] == ["Wages rose."]


class TestDemandAtTheDeadline:
    @pytest.mark.parametrize(
        ("people", "said"),
        [
            (0, "with no demand declared"),
            (1, "for fewer than 8 people"),
            (7, "for fewer than 8 people"),
            (8, "for about 10 people"),
            (12, "for about 10 people"),
        ],
    )
    def test_the_number_of_people_is_said_under_the_disclosure_rule(
        self, people: int, said: str
    ) -> None:
        release = build.bids_opened_release(facts(), tenderers=[], hours_per_week=30, people=people)
        [item] = release["tender"]["items"]
        assert item["description"] == f"Domiciliary support: hours of care a week, {said}"
        assert item["quantity"] == 30


def paid(day: datetime, amount: int, *members: int) -> spend.Payment:
    return spend.Payment(
        paid_at=day, amount_pence=amount, member_ids=frozenset(uuid.UUID(int=m) for m in members)
    )


class TestQuarters:
    def test_only_closed_quarters_drawn_from_eight_holders_are_published(self) -> None:
        payments = [
            paid(datetime(2026, 2, 1, tzinfo=UTC), 10_000, *range(1, 6)),
            paid(datetime(2026, 3, 1, tzinfo=UTC), 5_000, *range(4, 9)),  # 8 holders in Q1
            paid(datetime(2026, 5, 1, tzinfo=UTC), 7_000, *range(1, 4)),  # 3 holders in Q2
            paid(datetime(2026, 7, 2, tzinfo=UTC), 9_000, *range(1, 20)),  # Q3: still running
        ]
        quarters = spend.publishable_quarters(payments, now=datetime(2026, 8, 1, tzinfo=UTC))
        assert quarters == [common.QuarterTotal(year=2026, quarter=1, amount_pence=15_000)]

    def test_quarters_are_of_days_in_wales(self) -> None:
        # 23:30 UTC on 30 June is 00:30 on 1 July in Wales: the third quarter.
        late = paid(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), 1_000, *range(1, 9))
        assert spend.publishable_quarters([late], now=datetime(2026, 7, 1, 9, tzinfo=UTC)) == []
        [q3] = spend.publishable_quarters([late], now=datetime(2026, 10, 1, 9, tzinfo=UTC))
        assert (q3.key, q3.last_day) == ("2026-Q3", date(2026, 9, 30))

    @pytest.mark.parametrize(
        ("quarter", "last"),
        [
            (1, date(2026, 3, 31)),
            (2, date(2026, 6, 30)),
            (3, date(2026, 9, 30)),
            (4, date(2026, 12, 31)),
        ],
    )
    def test_a_quarter_ends_on_its_last_day(self, quarter: int, last: date) -> None:
        assert common.QuarterTotal(2026, quarter, 1).last_day == last


class TestMerge:
    def test_the_whole_list_fields_are_the_schemas(self) -> None:
        schema = json.loads((HERE / "ocds-1.1.5" / "release-schema.json").read_text())
        found: set[str] = set()

        def walk(value: Any) -> None:
            if isinstance(value, dict):
                for key, inner in value.items():
                    if isinstance(inner, dict) and inner.get("wholeListMerge"):
                        found.add(key)
                    walk(inner)

        walk(schema)
        assert found == WHOLE_LIST_MERGE

    def test_releases_merge_by_date_objects_by_field_arrays_by_id(self) -> None:
        first = {
            "ocid": "o",
            "id": "o-1",
            "date": "2026-01-01T00:00:00Z",
            "tag": ["tender"],
            "tender": {"id": "t", "title": "A", "status": "active"},
            "parties": [{"id": "p1", "name": "One", "roles": ["buyer", "payer"]}],
        }
        second = {
            "ocid": "o",
            "id": "o-2",
            "date": "2026-02-01T00:00:00Z",
            "tag": ["tenderUpdate"],
            "tender": {"id": "t", "status": "complete", "title": None},
            "parties": [{"id": "p2", "name": "Two"}, {"id": "p1", "roles": ["buyer"]}],
        }
        # Given newest first: the merge goes by date.
        compiled = compile_releases([second, first])
        assert compiled == {
            "ocid": "o",
            "id": "o-2026-02-01T00:00:00Z",
            "date": "2026-02-01T00:00:00Z",
            "tag": ["compiled"],
            "tender": {"id": "t", "status": "complete"},
            "parties": [
                {"id": "p1", "name": "One", "roles": ["buyer"]},
                {"id": "p2", "name": "Two"},
            ],
        }

    def test_a_whole_list_field_is_replaced_not_merged(self) -> None:
        one = {"ocid": "o", "id": "1", "date": "2026-01-01T00:00:00Z", "tag": ["tender"]}
        compiled = compile_releases(
            [
                one
                | {"parties": [{"id": "p", "additionalIdentifiers": [{"id": "a"}, {"id": "b"}]}]},
                one
                | {"id": "2", "date": "2026-01-02T00:00:00Z"}
                | {"parties": [{"id": "p", "additionalIdentifiers": [{"id": "c"}]}]},
            ]
        )
        assert compiled["parties"] == [{"id": "p", "additionalIdentifiers": [{"id": "c"}]}]

    @given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=20))
    def test_the_latest_amount_wins_and_keeps_its_exact_pence(self, amounts: list[int]) -> None:
        releases = [
            {
                "ocid": "o",
                "id": f"o-{n}",
                "date": f"2026-01-01T00:00:{n:02d}Z",
                "tag": ["tender"],
                "tender": {"id": "t", "value": common.money(pence)},
            }
            for n, pence in enumerate(amounts)
        ]
        text = render_json(compile_releases([parse(render_json(r)) for r in releases]))
        assert parse(text)["tender"]["value"]["amount"] == common.money(amounts[-1])["amount"]
