"""The review the OCDS tests rely on sees faults: a package breaking the standard is reported
(and `assert_valid` fails on it), and each review is of its own package only, though one
reviewer process answers them all."""

import json
from pathlib import Path
from typing import Any

import pytest

from tests.tenders.ocds_review import assert_valid, review


def package(**tender: Any) -> bytes:
    release = {
        "ocid": "ocds-dpcwales-review",
        "id": "review-1",
        "date": "2026-03-02T09:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        "tender": {"id": "t-1", **tender},
    }
    return json.dumps(
        {
            "uri": "https://example.org/packages/1",
            "publishedDate": "2026-03-02T09:00:00Z",
            "publisher": {"name": "Test"},
            "license": "https://example.org/licence",
            "publicationPolicy": "https://example.org/policy",
            "version": "1.1",
            "releases": [release],
        }
    ).encode()


def test_a_value_outside_a_closed_codelist_is_reported_and_fails(tmp_path: Path) -> None:
    report = review(package(status="half-open"), tmp_path)
    assert report["additional_closed_codelist_values"]["releases/tender/status"]["values"] == [
        "half-open"
    ]
    with pytest.raises(AssertionError):
        assert_valid(package(status="half-open"), tmp_path)


def test_a_field_of_the_wrong_type_is_a_validation_error(tmp_path: Path) -> None:
    report = review(package(status="active", numberOfTenderers="three"), tmp_path)
    assert [(error["path"], error["type"]) for error in report["validation_errors"]] == [
        ("releases/0/tender/numberOfTenderers", "integer")
    ]


def test_a_field_the_standard_does_not_define_is_reported(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="colour"):
        assert_valid(package(status="active", colour="blue"), tmp_path)


def test_each_review_is_of_its_own_package(tmp_path: Path) -> None:
    review(package(status="half-open"), tmp_path)
    assert_valid(package(status="active"), tmp_path)
