"""Tests for the Himalayas jobs API parser against the real payload in tests/fixtures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.sources.himalayas import parse

FIXTURE = Path(__file__).parent.parent / "fixtures" / "himalayas_jobs_api.json"

# Read by eye from the fixture: (external id, title, company, pubDate, pubDate as UTC)
EXPECTED = [
    ("avantor/regional-director-sales", "Regional Director, Sales", "Avantor",
     1781119953, (2026, 6, 10, 19, 32, 33)),
    ("munerio-consulting-gmbh/vertriebsingenieur-fluidhandling-all-genders-region-"
     "nordwestdeutschland",
     "Vertriebsingenieur Fluidhandling (all genders) Region Nordwestdeutschland",
     "munerio consulting GmbH", 1781119935, (2026, 6, 10, 19, 32, 15)),
    ("sunco-com/amazon-category-specialist-amazon-category-operator",
     "Amazon Category Specialist/Amazon Category Operator", "Sunco.com",
     1781119812, (2026, 6, 10, 19, 30, 12)),
    ("plentyone-gmbh/account-manager-m-w-d", "Account Manager (m/w/d)", "PlentyONE GmbH",
     1781119515, (2026, 6, 10, 19, 25, 15)),
]  # fmt: skip


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse(FIXTURE.read_bytes())


def test_fixture_is_the_shared_payload() -> None:
    data = FIXTURE.read_bytes()
    assert len(data) == 37282
    assert b"\n" not in data.rstrip(b"\n")  # a single-line compact response
    assert json.loads(data)["limit"] == 8


def test_parses_the_four_jobs(gigs: list[Gig]) -> None:
    assert len(gigs) == 4
    assert [g.external_id for g in gigs] == [row[0] for row in EXPECTED]
    assert all(g.source == "himalayas" for g in gigs)


@pytest.mark.parametrize(("job_id", "title", "company", "epoch", "date"), EXPECTED)
def test_each_job(
    gigs: list[Gig], job_id: str, title: str, company: str, epoch: int, date: tuple[int, ...]
) -> None:
    gig = next(g for g in gigs if g.external_id == job_id)
    assert gig.title == title
    assert gig.company == company
    assert gig.posted_at == datetime(*date, tzinfo=UTC)
    assert gig.posted_at is not None and gig.posted_at.timestamp() == epoch
    company_slug, job_slug = job_id.split("/")
    assert gig.url == f"https://himalayas.app/companies/{company_slug}/jobs/{job_slug}"


def test_salaries(gigs: list[Gig]) -> None:
    avantor, munerio, sunco, plenty = gigs
    assert avantor.budget == Budget(Decimal(115800), Decimal(196650), "USD", BudgetType.SALARY)
    assert munerio.budget == Budget(Decimal(90000), Decimal(120000), "EUR", BudgetType.SALARY)
    # Job #6: a contractor paid 10-25 USD an hour.
    assert sunco.budget == Budget(Decimal(10), Decimal(25), "USD", BudgetType.HOURLY)
    assert sunco.extra["employment_type"] == "Contractor"
    # Job #8: minSalary/maxSalary/currency are null although salaryPeriod says "annual".
    assert plenty.budget is UNKNOWN_BUDGET
    assert plenty.extra["salary_period"] == "annual"


def test_tags_text_and_extras(gigs: list[Gig]) -> None:
    avantor, munerio, sunco, plenty = gigs
    assert avantor.tags[:4] == (
        "Sales",
        "Regional Director Sales",
        "Sales Leadership",
        "Sales & Management",
    )
    assert len(avantor.tags) == 12  # 1 parent category + 11 categories
    assert sunco.tags[0] == "Amazon Marketplace Management"  # parentCategories is []
    # "&-Customer-Success" loses its dangling ampersand; "Sales & Management" kept once.
    assert "Customer Success" in plenty.tags
    assert plenty.tags.count("Sales & Management") == 1
    assert "Außendienst Vertriebsmanager" in munerio.tags
    assert avantor.extra["location"] == "United States"
    assert avantor.extra["seniority"] == "Director"
    assert avantor.extra["timezones"] == "-10, -9, -8, -7, -6, -5, 14"
    assert avantor.extra["expires_at"] == "2026-08-09T19:32:32+00:00"  # expiryDate 1786303952
    assert avantor.text.startswith("The Opportunity:\n\nAt Avantor, people are the most")
    assert "<h3>" not in avantor.text
    assert plenty.text.startswith("wir suchen\n\nWIR SUCHEN DICH!")
    assert all(isinstance(v, str) for g in gigs for v in g.extra.values())


def test_odd_records() -> None:
    payload = json.dumps(
        {
            "jobs": [
                {
                    "title": "Writer",
                    "guid": "https://example.com/job/1",
                    "minSalary": 0,
                    "maxSalary": 500,
                    "currency": "usd",
                    "salaryPeriod": "project",
                    "pubDate": None,
                    "excerpt": "Short text",
                    "skills": ["Copywriting"],
                },
                {"title": "No id"},
                {"title": "", "guid": "https://example.com/job/2"},
            ]
        }
    ).encode()
    (writer,) = parse(payload)
    assert writer.external_id == "https://example.com/job/1"  # not a himalayas.app job URL
    assert writer.budget == Budget(None, Decimal(500), "USD", BudgetType.UNKNOWN)
    assert writer.posted_at is None
    assert writer.text == "Short text"  # excerpt when there is no description
    assert writer.tags == ("Copywriting",)
