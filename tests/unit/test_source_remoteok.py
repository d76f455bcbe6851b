"""Tests for the Remote OK API parser against the real payload in tests/fixtures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.sources.remoteok import parse

FIXTURE = Path(__file__).parent.parent / "fixtures" / "remoteok_api.json"

# Read by eye from the fixture: (id, position, company, epoch, date)
EXPECTED = [
    ("1130788", "Benefits Advisor Leadership Training Program", "Fisher Agencies",
     1773619203, (2026, 3, 16, 0, 0, 3)),
    ("1130787", "Senior Sales Engineer Data & AI Security", "Veeam Software",
     1773590407, (2026, 3, 15, 16, 0, 7)),
    ("1130786", "Electrical Engineer", "Central Moloney", 1773561602, (2026, 3, 15, 8, 0, 2)),
    ("1130785", "Data Center Site Start Up Manager", "Serverfarm",
     1773532804, (2026, 3, 15, 0, 0, 4)),
    ("1130783", "Staff DevOps Engineer", "Life360", 1773522004, (2026, 3, 14, 21, 0, 4)),
    ("1130780", "VP Corporate Marketing Brand & Communications", "Blackpoint Cyber",
     1773504004, (2026, 3, 14, 16, 0, 4)),
    ("1130779", "Engineering Manager Workload Management", "Graphcore",
     1773493203, (2026, 3, 14, 13, 0, 3)),
    ("1130778", "C C++ Linux developer", "Tempesta Technologies",
     1773490293, (2026, 3, 14, 12, 11, 33)),
    ("1130777", "Forward Deployed AI Architect", "Tribe AI", 1773475209, (2026, 3, 14, 8, 0, 9)),
    ("1130776", "AI Trainer", "Kastle", 1773475203, (2026, 3, 14, 8, 0, 3)),
    ("1130774", "Senior Ecommerce Creative Strategist Philippines", "HireHawk",
     1773446483, (2026, 3, 14, 0, 1, 23)),
]  # fmt: skip


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse(FIXTURE.read_bytes())


def test_fixture_shape() -> None:
    data = FIXTURE.read_bytes()
    assert len(data) == 54529
    assert data.startswith(b'[{"last_updated":1773720015,"legal":"API Terms of Service')


def test_skips_legal_notice_and_the_empty_job(gigs: list[Gig]) -> None:
    # 13 elements: legal notice + 12 jobs; job 1130784 has no position/company at all.
    assert len(gigs) == 11
    assert [g.external_id for g in gigs] == [row[0] for row in EXPECTED]
    assert "1130784" not in {g.external_id for g in gigs}
    assert all(g.source == "remoteok" and g.language == "en" for g in gigs)


@pytest.mark.parametrize(("job_id", "title", "company", "epoch", "date"), EXPECTED)
def test_each_job(
    gigs: list[Gig], job_id: str, title: str, company: str, epoch: int, date: tuple[int, ...]
) -> None:
    gig = next(g for g in gigs if g.external_id == job_id)
    assert gig.title == title
    assert gig.company == company
    assert gig.posted_at == datetime(*date, tzinfo=UTC)
    assert gig.posted_at is not None and gig.posted_at.timestamp() == epoch
    assert gig.url.startswith("https://remoteOK.com/remote-jobs/remote-")
    assert gig.url.endswith(f"-{job_id}")


def test_salaries(gigs: list[Gig]) -> None:
    by_id = {g.external_id: g for g in gigs}
    assert by_id["1130780"].budget == Budget(
        Decimal(180000), Decimal(210000), "USD", BudgetType.SALARY
    )
    assert by_id["1130779"].budget == Budget(
        Decimal(350700), Decimal(474400), "USD", BudgetType.SALARY
    )
    assert by_id["1130778"].budget == Budget(
        Decimal(40000), Decimal(100000), "USD", BudgetType.SALARY
    )
    # salary_min = salary_max = 30 for a ~10 h/week part-time role: an hourly rate.
    assert by_id["1130776"].budget == Budget(Decimal(30), Decimal(30), "USD", BudgetType.HOURLY)
    for job_id in ("1130788", "1130787", "1130786", "1130785", "1130783", "1130777", "1130774"):
        assert by_id[job_id].budget is UNKNOWN_BUDGET


def test_text_tags_and_extras(gigs: list[Gig]) -> None:
    first = gigs[0]
    assert first.url == (
        "https://remoteOK.com/remote-jobs/"
        "remote-benefits-advisor-leadership-training-program-fisher-agencies-1130788"
    )
    assert first.tags == ("training", "support", "growth", "management")
    assert first.text.startswith("Launch Your Career in Leadership\n\nFisher Organization is")
    assert "What You’ll Do\n\n- Meet virtually with clients" in first.text
    assert "Remote flexibility – work from anywhere" in first.text
    assert first.text.endswith("- Interest in growth and advancement")
    assert "Please mention the word" not in first.text
    assert "<p>" not in first.text
    by_id = {g.external_id: g for g in gigs}
    assert by_id["1130779"].extra["location"] == "Gdańsk"
    assert by_id["1130787"].extra["location"] == "Saint Louis, MO, USA"
    assert "location" not in first.extra
    assert by_id["1130778"].tags == ("senior", "Algorithms", "Data structures", "linux")
    assert by_id["1130778"].text.startswith("We’re looking for talented")
    for gig in gigs:
        assert "\u00e2\u0080" not in gig.text and "\u00c2" not in gig.text


def test_falls_back_to_date_and_tolerates_bad_records() -> None:
    payload = json.dumps(
        [
            {"legal": "terms"},
            {"id": 7, "position": "Writer", "date": "2026-03-14T08:00:03+00:00"},
            {"id": "8", "position": "Editor", "salary_min": 0, "salary_max": 50000},
            {"id": "9", "position": ""},
            "not a job",
        ]
    ).encode()
    writer, editor = parse(payload)
    assert writer.external_id == "7"
    assert writer.posted_at == datetime(2026, 3, 14, 8, 0, 3, tzinfo=UTC)
    assert writer.url == "https://remoteok.com/remote-jobs/7"
    assert writer.company is None and writer.budget is UNKNOWN_BUDGET
    assert editor.budget == Budget(None, Decimal(50000), "USD", BudgetType.SALARY)
    assert editor.posted_at is None
