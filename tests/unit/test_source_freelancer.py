"""Tests for the Freelancer.com active-projects parser against real project objects."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.payload import PayloadError
from scrapers.sources import SOURCES
from scrapers.sources.freelancer import parse

# A plain JSON array of six project objects from `projects/0.1/projects/active/` (with a
# `client` user object added by the collecting app); not the raw API envelope.
FIXTURE = Path(__file__).parent.parent / "fixtures" / "freelancer_projects_extracted.json"

# Read by eye from the fixture: (id, title, type, currency, min, max, bid_count,
# time_submitted, UTC date, seo_url)
EXPECTED = [
    ("31556945", "Magento 2 Infinite Scroll on Category pages", BudgetType.FIXED, "USD", 250, 750,
     35, 1632127688, (2021, 9, 20, 8, 48, 8), "magento/Magento-Infinite-Scroll-Category-pages"),
    ("31555987", "Dynamic Game Development", BudgetType.FIXED, "INR", 37500, 75000,
     4, 1632127637, (2021, 9, 20, 8, 47, 17), "javascript/Dynamic-Game-Development"),
    ("31556928", "customize laraclassified script", BudgetType.FIXED, "USD", 30, 250,
     20, 1632127598, (2021, 9, 20, 8, 46, 38), "php/customize-laraclassified-script"),
    ("31556917", "employee login & signup", BudgetType.FIXED, "INR", 12500, 37500,
     26, 1632127534, (2021, 9, 20, 8, 45, 34), "html/employee-login-signup"),
    ("31556918", "Radio Meteor Detection", BudgetType.HOURLY, "GBP", 10, 15,
     16, 1632127450, (2021, 9, 20, 8, 44, 10), "php/Radio-Meteor-Detection"),
    ("31556903", "looking for python expert to fix/finish existing code -- 2", BudgetType.FIXED,
     "USD", 30, 250, 13, 1632127304, (2021, 9, 20, 8, 41, 44),
     "python/looking-for-python-expert-fix-31556903"),
]  # fmt: skip


@pytest.fixture(scope="module")
def projects() -> list[dict[str, Any]]:
    return json.loads(FIXTURE.read_bytes())


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse(FIXTURE.read_bytes())


def test_fixture_is_the_shared_array() -> None:
    data = FIXTURE.read_bytes()
    assert len(data) == 46927
    assert data.startswith(b'[\n  {\n    "id": 31556945,\n    "owner_id": 1411374,')


def test_parses_all_six_projects_in_order(gigs: list[Gig]) -> None:
    assert [g.external_id for g in gigs] == [row[0] for row in EXPECTED]
    assert all(g.source == "freelancer" and g.language == "en" for g in gigs)
    assert gigs[0].key == "freelancer:31556945"


@pytest.mark.parametrize(
    ("project_id", "title", "kind", "currency", "low", "high", "bids", "epoch", "date", "seo"),
    EXPECTED,
)
def test_each_project(
    gigs: list[Gig],
    project_id: str,
    title: str,
    kind: BudgetType,
    currency: str,
    low: int,
    high: int,
    bids: int,
    epoch: int,
    date: tuple[int, ...],
    seo: str,
) -> None:
    gig = next(g for g in gigs if g.external_id == project_id)
    assert gig.title == title
    assert gig.budget == Budget(Decimal(low), Decimal(high), currency, kind)
    assert gig.bids == bids
    assert gig.posted_at == datetime(*date, tzinfo=UTC)
    assert gig.posted_at is not None and gig.posted_at.timestamp() == epoch
    assert gig.url == f"https://www.freelancer.com/projects/{seo}"


def test_tags_text_and_client_facts(gigs: list[Gig]) -> None:
    by_id = {g.external_id: g for g in gigs}
    assert by_id["31556945"].tags == ("PHP", "JavaScript", "Magento", "HTML")
    assert by_id["31555987"].tags == (
        "JavaScript",
        "CSS",
        "HTML5",
        "Game Development",
        "AngularJS",
    )
    assert by_id["31556903"].text.startswith(
        "hi,\n\ni have a python script that sends instructions to Deribit API.\n"
    )
    first = by_id["31556945"].extra
    assert first["client"] == "monetise"
    assert first["client_country"] == "South Africa"
    assert first["client_payment_verified"] == "yes"
    assert first["bid_avg"] == "422.43"
    # Nobody in this sample has reviews, so no (meaningless 0.0) rating is reported.
    assert "client_rating" not in first and "client_reviews" not in first
    assert by_id["31556917"].extra["client_payment_verified"] == "no"
    assert by_id["31556917"].extra["client_country"] == "India"
    assert by_id["31556918"].extra["client_country"] == "United Kingdom"
    assert by_id["31556918"].extra["commitment"] == "40 hours/week"
    assert "commitment" not in first
    for gig in gigs:
        assert all(isinstance(v, str) for v in gig.extra.values())


def _envelope(projects: list[dict[str, Any]]) -> bytes:
    """The raw API shape: projects without `client`, owners in `result.users` by id."""
    bare, users = [], {}
    for project in projects:
        project = copy.deepcopy(project)
        client = project.pop("client")
        users[str(client["id"])] = client
        bare.append(project)
    return json.dumps(
        {"status": "success", "result": {"projects": bare, "users": users, "total_count": 10}}
    ).encode()


def test_raw_envelope_gives_the_same_gigs(projects: list[dict[str, Any]], gigs: list[Gig]) -> None:
    assert "client" not in json.loads(_envelope(projects))["result"]["projects"][0]
    assert parse(_envelope(projects)) == gigs


def test_envelope_without_users_and_a_rated_client(projects: list[dict[str, Any]]) -> None:
    rated = copy.deepcopy(projects[2])
    history = rated["client"]["reputation"]["entire_history"]
    history["reviews"], history["overall"] = 12, 4.8
    [gig] = parse(_envelope([rated]))
    assert gig.extra["client_rating"] == "4.80"
    assert gig.extra["client_reviews"] == "12"
    bare = copy.deepcopy(projects[0])
    del bare["client"]
    payload = json.dumps({"status": "success", "result": {"projects": [bare]}}).encode()
    [gig] = parse(payload)
    assert gig.external_id == "31556945"
    assert not any(key.startswith("client") for key in gig.extra)


def test_missing_budget_and_bad_records(projects: list[dict[str, Any]]) -> None:
    no_budget = copy.deepcopy(projects[0])
    no_budget["budget"] = {"minimum": None, "maximum": None}
    open_ended = copy.deepcopy(projects[1])
    open_ended["budget"] = {"minimum": 1500}
    deleted = copy.deepcopy(projects[2])
    deleted["deleted"] = True
    untitled = copy.deepcopy(projects[3])
    untitled["title"] = " "
    payload = json.dumps([no_budget, open_ended, deleted, untitled, "junk", no_budget]).encode()
    first, second = parse(payload)
    assert first.budget is UNKNOWN_BUDGET
    assert second.budget == Budget(Decimal(1500), None, "INR", BudgetType.FIXED)


@pytest.mark.parametrize(
    "payload",
    [b"", b"not json", b"{}", b'{"status": "error", "message": "x"}', b'{"result": {}}', b"[]"],
)
def test_unexpected_payloads(payload: bytes) -> None:
    """Valid JSON of another shape gives no gigs; anything else is a clear PayloadError."""
    try:
        json.loads(payload)
    except ValueError:
        with pytest.raises(PayloadError, match="expected JSON"):
            parse(payload)
    else:
        assert parse(payload) == []


def test_registry_entry_when_registered() -> None:
    if "freelancer" not in SOURCES:
        pytest.skip("freelancer is not in the registry yet")
    assert SOURCES["freelancer"].parse is parse
    assert SOURCES["freelancer"].default_interval >= 300
