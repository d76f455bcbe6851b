"""Tests for the We Work Remotely RSS parser against the real feed in tests/fixtures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.sources.feed import UnsafeXMLError
from scrapers.sources.weworkremotely import parse

FIXTURE = Path(__file__).parent.parent / "fixtures" / "weworkremotely.rss"
BASE = "https://weworkremotely.com/remote-jobs/"

# Read by eye from the fixture: (guid slug, company, role, pubDate UTC, region, type, category)
EXPECTED = [
    ("g2i-inc-fullstack-developer-react-react-native-node-js-remote", "G2i Inc.",
     "Fullstack Developer (React, React Native, Node.js) - Remote", (2022, 11, 8, 0, 8, 24),
     "Americas Only", "Contract", "Full-Stack Programming"),
    ("knack-software-engineeer-lead-qa-us-remote", "Knack",
     "Software Engineeer Lead - QA - US Remote", (2022, 11, 7, 23, 8, 21), "USA Only",
     "Full-Time", "All Other Remote"),
    ("findox-inc-senior-csharp-and-postgresql-backend-developer-3", "FinDox Inc",
     "Senior C# and PostgreSQL Backend Developer", (2022, 11, 7, 16, 20, 50),
     "Anywhere in the World", "Full-Time", "Back-End Programming"),
    ("shape-senior-ios-developer", "Shape", "Senior iOS Developer", (2022, 11, 7, 15, 24, 58),
     "Anywhere in the World", "Full-Time", "Front-End Programming"),
    ("clevertech-senior-devops-engineer-11", "Clevertech", "Senior DevOps Engineer",
     (2022, 11, 7, 13, 53, 59), "Anywhere in the World", "Full-Time", "DevOps and Sysadmin"),
    ("clevertech-senior-backend-engineer-javascript-node", "Clevertech",
     "Senior Backend Engineer - Javascript Node", (2022, 11, 7, 13, 51, 26),
     "Anywhere in the World", "Full-Time", "Back-End Programming"),
    ("clevertech-senior-frontend-developer-javascript-react", "Clevertech",
     "Senior Frontend Developer - Javascript React", (2022, 11, 7, 13, 48, 10),
     "Anywhere in the World", "Full-Time", "Front-End Programming"),
    ("clevertech-senior-full-stack-engineer-javascript-11", "Clevertech",
     "Senior Full Stack Engineer - Javascript", (2022, 11, 7, 13, 44, 33),
     "Anywhere in the World", "Full-Time", "Full-Stack Programming"),
    ("testgorilla-web-designer", "TestGorilla", "Web Designer", (2022, 11, 7, 13, 23, 53),
     "Anywhere in the World", "Full-Time", "Design"),
    ("salesflow-io-back-end-developer-net-core-c-english-russian-ukranian-speaking-eu",
     "Salesflow.io",
     "Back-End Developer (.Net Core / C#) - English & Russian / Ukranian Speaking, EU Remote",
     (2022, 11, 7, 11, 14, 11), "Europe Only", "Full-Time", "Back-End Programming"),
    ("used-conex-hiring-several-sales-assistants", "USED CONEX",
     "Hiring SEVERAL Sales Assistants!", (2022, 11, 7, 3, 24, 1), "Anywhere in the World",
     "Contract", "Sales and Marketing"),
    ("shopexperts-inbound-sales-manager-shopify-projects", "ShopExperts",
     "Inbound Sales Manager - Shopify Projects", (2022, 11, 6, 13, 19, 35),
     "Anywhere in the World", "Full-Time", "Sales and Marketing"),
]  # fmt: skip


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse(FIXTURE.read_bytes())


def test_fixture_is_the_shared_payload() -> None:
    data = FIXTURE.read_bytes()
    assert len(data) == 57698
    assert data.count(b"<item>") == 12


def test_parses_all_twelve_items(gigs: list[Gig]) -> None:
    assert [g.external_id for g in gigs] == [BASE + row[0] for row in EXPECTED]
    assert all(g.source == "weworkremotely" and g.language == "en" for g in gigs)


@pytest.mark.parametrize(
    ("slug", "company", "title", "date", "region", "job_type", "category"), EXPECTED
)
def test_each_item(
    gigs: list[Gig],
    slug: str,
    company: str,
    title: str,
    date: tuple[int, ...],
    region: str,
    job_type: str,
    category: str,
) -> None:
    gig = next(g for g in gigs if g.external_id == BASE + slug)
    assert gig.company == company
    assert gig.title == title  # "Clevertech: Senior DevOps Engineer " loses its trailing space
    assert gig.url == BASE + slug
    assert gig.posted_at == datetime(*date, tzinfo=UTC)
    assert gig.extra["region"] == region
    assert gig.extra["job_type"] == job_type
    assert gig.tags == (category,)
    # expires_at is 30 days after pubDate in every item of this feed.
    expires = datetime.fromisoformat(gig.extra["expires_at"])
    assert expires - datetime(*date, tzinfo=UTC) == timedelta(days=30)


def test_expiry_dates(gigs: list[Gig]) -> None:
    assert gigs[0].extra["expires_at"] == "2022-12-08T00:08:24+00:00"
    assert gigs[-1].extra["expires_at"] == "2022-12-06T13:19:35+00:00"


def test_budgets_read_from_the_description(gigs: list[Gig]) -> None:
    by_slug = {g.external_id.removeprefix(BASE): g for g in gigs}
    # "... where you can bill up to $70 per hour."
    g2i = by_slug["g2i-inc-fullstack-developer-react-react-native-node-js-remote"]
    assert g2i.budget == Budget(None, Decimal(70), "USD", BudgetType.HOURLY)
    # "- €46,728 - €62,953 + share appreciation rights" (before "budget: €1,000 per year")
    assert by_slug["testgorilla-web-designer"].budget == Budget(
        Decimal(46728), Decimal(62953), "EUR", BudgetType.SALARY
    )
    # "anywhere from $400-$4,000 US dollars a month"
    assert by_slug["used-conex-hiring-several-sales-assistants"].budget == Budget(
        Decimal(400), Decimal(4000), "USD", BudgetType.SALARY
    )
    # "Salary starting at USD $1800/mo"
    assert by_slug["shopexperts-inbound-sales-manager-shopify-projects"].budget == Budget(
        Decimal(1800), None, "USD", BudgetType.SALARY
    )
    assert sum(g.budget is UNKNOWN_BUDGET for g in gigs) == 8


def test_text_and_company_details(gigs: list[Gig]) -> None:
    g2i = gigs[0]
    assert g2i.text.startswith("Headquarters: Delray Beach, FL\n\nURL: https://g2i.co\n\nTL;DR")
    assert "<img" not in g2i.text and "&lt;" not in g2i.text
    assert g2i.extra["headquarters"] == "Delray Beach, FL"
    assert g2i.extra["company_url"] == "https://g2i.co"
    assert gigs[2].extra["headquarters"] == "El Segundo, California"


def test_category_feed_without_type_or_expiry() -> None:
    payload = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>WWR: Design</title>
<item><title>Acme: Logo Designer</title><region>Anywhere in the World</region>
<pubDate>Mon, 07 Nov 2022 13:23:53 +0000</pubDate>
<guid>https://weworkremotely.com/remote-jobs/acme-logo-designer</guid>
<link>https://weworkremotely.com/remote-jobs/acme-logo-designer</link></item>
<item><title>No company colon here</title><link>https://weworkremotely.com/x</link></item>
</channel></rss>"""
    acme, plain = parse(payload)
    assert (acme.company, acme.title) == ("Acme", "Logo Designer")
    assert acme.extra == {"region": "Anywhere in the World"}
    assert acme.language == "en"  # no <language>: WWR is English
    assert (plain.company, plain.title) == (None, "No company colon here")


def test_unsafe_feed_is_refused() -> None:
    payload = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>
<rss version="2.0"><channel><item><title>&x;</title><link>https://e.x/</link></item></channel></rss>"""
    with pytest.raises(UnsafeXMLError):
        parse(payload)


@pytest.mark.parametrize("payload", [b"", b"nope", b"<rss><channel></channel></rss>"])
def test_garbage_gives_no_gigs(payload: bytes) -> None:
    assert parse(payload) == []
