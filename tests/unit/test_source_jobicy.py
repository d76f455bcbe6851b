"""Tests for the Jobicy API parser against the real payload in tests/fixtures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.sources.jobicy import parse

FIXTURE = Path(__file__).parent.parent / "fixtures" / "jobicy_remote_jobs_api.json"

# Read by eye from the fixture: (id, jobTitle, companyName, pubDate, jobGeo, jobLevel, industry)
EXPECTED = [
    (145960, "Sales Engineer – UK", "Zscaler", (2026, 6, 10, 5, 43, 34), "UK", "Midweight",
     "Sales"),
    (145958, "SEO Manager", "Cision", (2026, 6, 10, 5, 43, 30), "UK", "Midweight", "SEO"),
    (145955, "Senior Commercial Account Executive – CIS (Russian Speaker)", "GitLab",
     (2026, 6, 10, 5, 43, 25), "Netherlands", "Senior", "Sales"),
    (145954, "Credit Risk Manager, Flex Originations", "Monzo", (2026, 6, 10, 5, 43, 24), "UK",
     "Midweight", "Finance & Accounting"),
]  # fmt: skip


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse(FIXTURE.read_bytes())


def test_fixture_is_the_shared_payload() -> None:
    data = FIXTURE.read_bytes()
    assert len(data) == 39640
    assert b'"url":"https:\\/\\/jobicy.com\\/jobs\\/145960-sales-engineer-uk"' in data
    assert b"Finance &amp; Accounting" in data


def test_parses_the_four_jobs(gigs: list[Gig]) -> None:
    assert len(gigs) == 4
    assert [g.external_id for g in gigs] == [str(row[0]) for row in EXPECTED]
    assert all(g.source == "jobicy" for g in gigs)


@pytest.mark.parametrize(
    ("job_id", "title", "company", "date", "geo", "level", "industry"), EXPECTED
)
def test_each_job(
    gigs: list[Gig],
    job_id: int,
    title: str,
    company: str,
    date: tuple[int, ...],
    geo: str,
    level: str,
    industry: str,
) -> None:
    gig = next(g for g in gigs if g.external_id == str(job_id))
    assert gig.title == title
    assert gig.company == company
    assert gig.posted_at == datetime(*date, tzinfo=UTC)
    assert gig.url.startswith(f"https://jobicy.com/jobs/{job_id}-")
    assert gig.tags == (industry,)
    assert gig.extra["location"] == geo
    assert gig.extra["level"] == level
    assert gig.extra["job_type"] == "Full-Time"


def test_optional_salary_fields(gigs: list[Gig]) -> None:
    by_id = {g.external_id: g for g in gigs}
    # Job #7 (Monzo) has salaryMin 130000 GBP yearly and no salaryMax.
    assert by_id["145954"].budget == Budget(Decimal(130000), None, "GBP", BudgetType.SALARY)
    assert by_id["145954"].extra["salary_period"] == "yearly"
    for job_id in ("145960", "145958", "145955"):
        assert by_id[job_id].budget is UNKNOWN_BUDGET
        assert "salary_period" not in by_id[job_id].extra


def test_entities_decoded_and_text_clean(gigs: list[Gig]) -> None:
    monzo = gigs[3]
    assert monzo.tags == ("Finance & Accounting",)
    assert "&amp;" not in monzo.tags[0]
    assert monzo.text.startswith("We’re on a mission to make money work for everyone.")
    cision = gigs[1]
    # The description starts with a div holding only a no-break space.
    assert cision.text.startswith("At Cision, we believe in empowering every individual")
    assert all("<div>" not in g.text and "\xa0" not in g.text for g in gigs)


def test_salary_max_only_and_entities_in_title() -> None:
    payload = json.dumps(
        {
            "jobs": [
                {
                    "id": 1,
                    "url": "https://jobicy.com/jobs/1-x",
                    "jobTitle": "Design &amp; Build",
                    "jobIndustry": "Design &amp; Multimedia",
                    "salaryMax": "60",
                    "salaryCurrency": "usd",
                    "salaryPeriod": "hourly",
                    "jobExcerpt": "Short excerpt",
                },
                {"id": 2, "jobTitle": "No URL"},
            ]
        }
    ).encode()
    (job,) = parse(payload)
    assert job.title == "Design & Build"
    assert job.tags == ("Design & Multimedia",)
    assert job.budget == Budget(None, Decimal(60), "USD", BudgetType.HOURLY)
    assert job.text == "Short excerpt"
    assert job.posted_at is None
