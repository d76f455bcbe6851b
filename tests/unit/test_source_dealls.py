"""Tests for the Dealls listing API parser against the real records in tests/fixtures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from bot.app.config import Settings, SourceSettings
from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.plan import plan_source
from scrapers.sources import SOURCES
from scrapers.sources.dealls import page_urls, parse

FIXTURE = Path(__file__).parent.parent / "fixtures" / "dealls_api_jobs.json"

# Read by eye from the fixture: (id, role, slug, publishedAt as UTC, salary start, end).
EXPECTED = [
    ("6a50c3c8a2cee400123740b8", "Staff Sales", "staff-sales-5",
     (2026, 7, 10, 12, 56, 18, 354000), None, None),
    ("6a4f7b157f541a0013eb622f", "Mandarin Tutor [PROJECT BASED] - Cirebon (Online/Offline)",
     "mandarin-tutor-project-based-cirebon", (2026, 7, 10, 9, 20, 30, 107000), None, None),
    ("6a50626dfde99d0011a4f11d",
     "[POTENSI PENDAPATAN 30 JUTA++] Personal Trainer - FIT HUB Samarinda",
     "potensi-pendapatan-30-juta-personal-7", (2026, 7, 10, 3, 9, 33, 879000), 3983000, 3983001),
    ("6a4dd1ae78251a0012bc5e7e", "SEO Specialist", "seo-specialist-31",
     (2026, 7, 8, 4, 27, 26, 558000), 7000000, 12000000),
    ("6a4deb28d6e3e000118db0b2", "Product Assistant Intern", "product-assistant-intern",
     (2026, 7, 8, 6, 16, 8, 246000), 1000000, 1300000),
    ("6a3a120ef494b600120fb187", "Medical Reoresentative - Banjarmasin",
     "medical-reoresentative-banjarmasin", (2026, 6, 23, 4, 56, 46, 210000), None, None),
]  # fmt: skip


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse(FIXTURE.read_bytes())


def _by_id(gigs: list[Gig], job_id: str) -> Gig:
    return next(g for g in gigs if g.external_id == job_id)


def test_fixture_is_the_shared_payload() -> None:
    data = json.loads(FIXTURE.read_bytes())
    assert data["data"]["totalDocs"] == 1415
    assert len(data["data"]["docs"]) == 81


def test_parses_all_81_records_newest_first(gigs: list[Gig]) -> None:
    assert len(gigs) == 81
    assert len({g.key for g in gigs}) == 81
    assert all(g.source == "dealls" and g.key == f"dealls:{g.external_id}" for g in gigs)
    dates = [g.posted_at for g in gigs]
    assert all(d is not None for d in dates)
    assert gigs[0].external_id == "6a50c3c8a2cee400123740b8"
    assert gigs[-1].external_id == "6a3a120ef494b600120fb187"


@pytest.mark.parametrize(("job_id", "title", "slug", "when", "low", "high"), EXPECTED)
def test_each_job(
    gigs: list[Gig],
    job_id: str,
    title: str,
    slug: str,
    when: tuple[int, ...],
    low: int | None,
    high: int | None,
) -> None:
    gig = _by_id(gigs, job_id)
    assert gig.title == title
    assert gig.url == f"https://dealls.com/role/{slug}"
    assert gig.posted_at == datetime(*when, tzinfo=UTC)
    if low is None:
        assert gig.budget is UNKNOWN_BUDGET  # salaryRange null: unknown, never 0
    else:
        assert gig.budget == Budget(Decimal(low), Decimal(high), "IDR", BudgetType.SALARY)
        assert gig.extra["salary_period"] == "monthly"


def test_salaries_stated_on_31_records(gigs: list[Gig]) -> None:
    stated = [g for g in gigs if g.budget.is_known]
    assert len(stated) == 31
    assert all(g.budget.min is not None and g.budget.min > 0 for g in gigs if g.budget.is_known)
    assert all("salary_period" not in g.extra for g in gigs if not g.budget.is_known)


def test_company_city_workplace_employment_and_skills(gigs: list[Gig]) -> None:
    first = gigs[0]
    assert first.company == "Trafoindo Group"
    assert first.extra["location"] == "Jakarta Pusat"
    assert first.extra["country"] == "Indonesia"
    assert first.extra["workplace_type"] == "onsite"
    assert first.extra["employment_type"] == "full_time"
    assert first.extra["sector"] == "Electrical Equipment Manufacturing"
    assert first.tags == (
        "Sales Strategy",
        "Strong analytical thinking",
        "Highly Motivated",
        "Attention To Details",
    )
    tutor = _by_id(gigs, "6a4f7b157f541a0013eb622f")
    assert tutor.company == "SEKOLAH BAHASA"
    assert tutor.extra["employment_type"] == "freelance"
    assert tutor.extra["workplace_type"] == "hybrid"
    assert tutor.extra["location"] == "Cirebon"
    seo = _by_id(gigs, "6a4dd1ae78251a0012bc5e7e")
    assert seo.extra["workplace_type"] == "remote"
    assert "location" not in seo.extra  # city is null on this record
    types = [g.extra["employment_type"] for g in gigs]
    assert types.count("contract") == 4
    assert types.count("freelance") == 2
    assert types.count("internship") == 8
    assert all(g.text == "" for g in gigs)  # listing records carry no description


def test_odd_records() -> None:
    payload = json.dumps(
        {
            "data": {
                "docs": [
                    {
                        "id": "a1",
                        "slug": "writer",
                        "role": "  Content   Writer ",
                        "salaryRange": {"start": 0, "end": 0},
                        "employmentTypes": ["partTime", "partTime", "freelance"],
                        "workplaceType": "remote",
                        "publishedAt": None,
                        "company": None,
                        "skills": [{"name": ""}, {"name": "SEO"}, "junk"],
                    },
                    {"id": "a2", "slug": "x", "salaryRange": {"start": 5, "end": 2}},
                    {"id": "a3", "role": "No slug"},
                    {"id": "a1", "slug": "dup", "role": "Repeated id"},
                    "not a record",
                ]
            }
        }
    ).encode()
    (writer,) = parse(payload)
    assert writer.title == "Content Writer"
    assert writer.budget is UNKNOWN_BUDGET  # 0-0 is "not stated", never a 0 budget
    assert writer.extra["employment_type"] == "part_time,freelance"
    assert writer.posted_at is None and writer.company is None
    assert writer.tags == ("SEO",)
    assert parse(b'{"data": null}') == []


def test_page_urls_newest_first_with_employment_types() -> None:
    base = SOURCES["dealls"].default_url
    urls = page_urls(base, ["freelance", "part-time", "contract"], 3)
    assert len(urls) == 3
    for number, url in enumerate(urls, start=1):
        parts = urlsplit(url)
        assert parts.netloc == "api.sejutacita.id"
        query = parse_qsl(parts.query)
        assert ("page", str(number)) in query
        assert ("sortParam", "publishedAt") in query and ("sortBy", "desc") in query
        assert ("status", "active") in query and ("limit", "18") in query
        assert [v for k, v in query if k == "employmentTypes[]"] == [
            "freelance",
            "partTime",
            "contract",
        ]
    assert "employmentTypes" not in page_urls(base, [], 1)[0]
    with pytest.raises(ValueError, match="unknown employment type 'gig'"):
        page_urls(base, ["gig"], 1)


def test_plan_reads_pages_and_types_from_config() -> None:
    settings = Settings()
    plan = plan_source("dealls", settings.sources["dealls"])
    assert [t.key for t in plan.targets] == ["dealls:p1", "dealls:p2", "dealls:p3"]
    assert plan.interval_seconds == 1800
    assert "employmentTypes%5B%5D=partTime" in plan.targets[0].url
    custom = Settings(sources={"dealls": {"pages": 1, "employment_types": ["freelance"]}})
    (only,) = plan_source("dealls", custom.sources["dealls"]).targets
    assert "employmentTypes%5B%5D=freelance" in only.url
    assert "partTime" not in only.url
    gigs = only.parse(FIXTURE.read_bytes())
    assert len(gigs) == 81
    with pytest.raises(ValueError, match="unknown employment type"):
        plan_source("dealls", SourceSettings(url=custom.sources["dealls"].url, pages=1,
                                             employment_types=["weekly"]))  # fmt: skip
