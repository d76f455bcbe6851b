"""Tests for the Remotive API parser against the real payload in tests/fixtures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.sources.remotive import parse, parse_salary

FIXTURE = Path(__file__).parent.parent / "fixtures" / "remotive_jobs.json"

# Read by eye from the fixture: (id, title, company, publication_date, job_type)
EXPECTED = [
    (2090903, "Data Labeling Specialists", "Workada", (2026, 7, 26, 20, 49, 11), "freelance"),
    (2091075, "Business Development Representative", "Outsite", (2026, 7, 23, 15, 39, 28),
     "full_time"),
    (2091072, "Product Sales Specialist - Pet Health (CST timezone)", "Tribe Wellness",
     (2026, 7, 22, 6, 22, 11), None),
    (1919266, "Senior Independent AI Engineer / Architect", "A.Team", (2026, 7, 16, 10, 10, 45),
     "contract"),
    (2091067, "Senior DevOps Engineer", "Lemon.io", (2026, 7, 14, 14, 14, 46), "full_time"),
    (2090989, "Assistant Account Payable", "The Obesity Society", (2026, 7, 12, 6, 35, 18),
     "full_time"),
    (1680495, "Remote Office Assistant", "Coalition Technologies", (2026, 7, 11, 20, 18, 11),
     "full_time"),
]  # fmt: skip


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse(FIXTURE.read_bytes())


def test_fixture_is_the_shared_payload() -> None:
    data = FIXTURE.read_bytes()
    assert len(data) == 52202
    assert data.startswith(b'{"00-warning": "Remotive main domain moved')
    assert json.loads(data)["job-count"] == 35  # the original count, not the trimmed one


def test_parses_the_seven_jobs_and_ignores_the_notices(gigs: list[Gig]) -> None:
    assert len(gigs) == 7
    assert [g.external_id for g in gigs] == [str(row[0]) for row in EXPECTED]
    assert all(g.source == "remotive" and g.language == "en" for g in gigs)
    assert not any("Legal warning" in g.text for g in gigs)


@pytest.mark.parametrize(("job_id", "title", "company", "date", "job_type"), EXPECTED)
def test_each_job(
    gigs: list[Gig],
    job_id: int,
    title: str,
    company: str,
    date: tuple[int, ...],
    job_type: str | None,
) -> None:
    gig = next(g for g in gigs if g.external_id == str(job_id))
    assert gig.title == title
    assert gig.company == company  # "Coalition Technologies " comes with a trailing space
    # publication_date is naive ISO; it is read as UTC.
    assert gig.posted_at == datetime(*date, tzinfo=UTC)
    assert gig.posted_at is not None and gig.posted_at.utcoffset() is not None
    assert gig.url.startswith("https://remotive.com/remote-jobs/")
    assert gig.url.endswith(f"-{job_id}")
    assert gig.extra.get("job_type") == job_type


def test_salaries_from_free_text(gigs: list[Gig]) -> None:
    by_id = {g.external_id: g for g in gigs}
    # "$18 - $22/hr"
    assert by_id["2090903"].budget == Budget(Decimal(18), Decimal(22), "USD", BudgetType.HOURLY)
    # "$45,000 - $50,000": no period, but the field is a salary
    assert by_id["2091075"].budget == Budget(
        Decimal(45000), Decimal(50000), "USD", BudgetType.SALARY
    )
    # "$120 - $170 /hour"
    assert by_id["1919266"].budget == Budget(Decimal(120), Decimal(170), "USD", BudgetType.HOURLY)
    # "$31,2k- $52k": a decimal comma before the k and no space before the dash
    assert by_id["1680495"].budget == Budget(
        Decimal(31200), Decimal(52000), "USD", BudgetType.SALARY
    )
    assert by_id["1680495"].extra["salary"] == "$31,2k- $52k"
    for job_id in ("2091072", "2091067", "2090989"):  # salary ""
        assert by_id[job_id].budget is UNKNOWN_BUDGET
        assert "salary" not in by_id[job_id].extra


def test_tags_text_and_extras(gigs: list[Gig]) -> None:
    by_id = {g.external_id: g for g in gigs}
    first = by_id["2090903"]
    assert first.tags == ("research", "digital content", "spreadsheets")
    assert first.text.startswith("Who We Are\n\nWorkada creates high-quality labeled data")
    assert "<p>" not in first.text and "<br>" not in first.text
    assert first.extra["category"] == "Data and Analytics"
    assert first.extra["location"] == "USA"
    lemon = by_id["2091067"]
    assert len(lemon.tags) == 50
    assert "Typescript" in lemon.tags and "angular" in lemon.tags  # trailing spaces trimmed
    assert lemon.extra["location"] == "Americas, Europe, Asia, Africa, Oceania"
    # job_type "" is left out rather than kept empty
    assert "job_type" not in by_id["2091072"].extra
    assert by_id["2091072"].extra["location"] == "Worldwide"


def test_salary_helper_edge_cases() -> None:
    assert parse_salary("") is UNKNOWN_BUDGET
    assert parse_salary("Competitive") is UNKNOWN_BUDGET
    assert parse_salary("€40k - €50k") == Budget(
        Decimal(40000), Decimal(50000), "EUR", BudgetType.SALARY
    )
    assert parse_salary("$3,000 per month") == Budget(
        Decimal(3000), Decimal(3000), "USD", BudgetType.SALARY
    )
    assert parse_salary("$500 fixed") == Budget(Decimal(500), Decimal(500), "USD", BudgetType.FIXED)


def test_tolerates_odd_records() -> None:
    payload = json.dumps(
        {
            "jobs": [
                {"id": 1, "title": "Writer", "url": "https://remotive.com/remote-jobs/w-1"},
                {"id": 1, "title": "Duplicate", "url": "https://remotive.com/remote-jobs/w-1"},
                {"id": 2, "title": "", "url": "https://remotive.com/remote-jobs/x-2"},
                {"id": 3, "title": "No URL"},
                "not a job",
            ]
        }
    ).encode()
    (writer,) = parse(payload)
    assert (writer.external_id, writer.title) == ("1", "Writer")
    assert writer.posted_at is None and writer.budget is UNKNOWN_BUDGET
    assert writer.company is None and writer.text == ""
