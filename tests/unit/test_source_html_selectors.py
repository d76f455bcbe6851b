"""Tests for the generic CSS-selector listing parser."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType
from scrapers.sources import projects_co_id
from scrapers.sources.html_selectors import SelectorSpec, parse_with_selectors

FIXTURE = Path(__file__).parent.parent / "fixtures" / "projects_co_id_listing.html"

# projects.co.id described by selectors only; labels ("Published Budget:") read their value.
PROJECTS_CO_ID = SelectorSpec(
    item="div.col-md-10:has(> h2)",
    title="h2 > a",
    link="h2 > a",
    budget='strong:-soup-contains("Published Budget")',
    date='strong:-soup-contains("Published Date")',
    text=":scope > p:not(:has(span.tag))",
)

# Read by eye from the fixture: first and last of the 12 projects.
FIRST = (
    "54e71a",
    "Aplikasi untuk melakukan posting secara otomatis",
    500_000,
    1_000_000,
    (2023, 8, 1, 15, 22, 43),
)  # 01/08/2023 22:22:43 WIB
LAST = (
    "b5e61a",
    "Butuh Marketing Planner yang berpengalaman",
    2_000_000,
    3_000_000,
    (2023, 8, 1, 5, 56, 12),
)  # 01/08/2023 12:56:12 WIB


def test_projects_co_id_by_selectors_matches_the_dedicated_parser() -> None:
    data = FIXTURE.read_bytes()
    generic = parse_with_selectors(
        data, PROJECTS_CO_ID, source="projects_co_id_css", base_url="https://projects.co.id/"
    )
    dedicated = projects_co_id.parse(data)
    assert len(generic) == len(dedicated) == 12
    for mine, theirs in zip(generic, dedicated, strict=True):
        # No id_attr: the absolute link is the id; it embeds the dedicated parser's id.
        assert mine.external_id == mine.url == theirs.url
        assert f"/view/{theirs.external_id}/" in mine.external_id
        assert mine.title == theirs.title
        assert mine.budget == theirs.budget
        assert mine.posted_at == theirs.posted_at
        assert mine.text == theirs.text
        assert mine.source == "projects_co_id_css"
    for gig, (gig_id, title, low, high, utc) in ((generic[0], FIRST), (generic[-1], LAST)):
        assert f"/view/{gig_id}/" in gig.url
        assert gig.title == title
        assert gig.budget == Budget(Decimal(low), Decimal(high), "IDR", BudgetType.FIXED)
        assert gig.posted_at == datetime(*utc, tzinfo=UTC)


PAGE = b"""<html><body><ul class="jobs">
<li class="job" data-job-id="J-1">
  <h3 class="title"><a href="/jobs/1-logo">Desain logo UMKM</a></h3>
  <span class="price">Rp 300.000 - 500.000</span>
  <time datetime="2026-06-01T09:00:00+07:00">kemarin</time>
  <div class="desc"><p>Butuh logo.</p><p>Format <b>PNG</b> &amp; SVG.</p></div>
</li>
<li class="job">
  <h3 class="title"><a href="jobs/2-admin?ref=list">  Admin   input data </a></h3>
  <span class="price">Budget: 150rb / hari</span>
  <span class="posted">Diposting 2 Agustus 2026 14:05 WIB</span>
</li>
<li class="job" data-job-id="J-3">
  <h3 class="title"><a href="https://other.example/jobs/3">Translate 5 pages</a></h3>
  <span class="price">negotiable</span>
  <span class="posted">2026-08-03T10:00:00Z</span>
</li>
<li class="job"><h3 class="title"></h3><a href="/jobs/4">no title</a></li>
<li class="job"><h3 class="title">No link at all</h3></li>
<li class="job"><h3 class="title"><a href="#">Anchor only</a></h3></li>
<li class="job" data-job-id="J-1"><h3 class="title"><a href="/jobs/1-logo">Duplicate</a></h3></li>
</ul></body></html>"""

SPEC = SelectorSpec(
    item="li.job",
    title="h3.title",
    link="h3.title",
    budget=".price",
    date="time, .posted",
    text=".desc p",
    id_attr="data-job-id",
)


def test_hand_written_page() -> None:
    logo, admin, translate = parse_with_selectors(
        PAGE, SPEC, source="contoh", base_url="https://contoh.example/id/"
    )
    assert logo.external_id == "J-1"
    assert logo.url == "https://contoh.example/jobs/1-logo"
    assert logo.title == "Desain logo UMKM"
    assert logo.text == "Butuh logo.\n\nFormat PNG & SVG."
    assert logo.budget == Budget(Decimal(300000), Decimal(500000), "IDR", BudgetType.FIXED)
    assert logo.posted_at == datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    assert logo.source == "contoh" and logo.key == "contoh:J-1"
    # No data-job-id: the resolved link is the id.
    assert admin.external_id == admin.url == "https://contoh.example/id/jobs/2-admin?ref=list"
    assert admin.title == "Admin input data"
    assert admin.budget == Budget(Decimal(150000), Decimal(150000), "IDR", BudgetType.FIXED)
    assert admin.posted_at == datetime(2026, 8, 2, 7, 5, tzinfo=UTC)  # 14:05 WIB
    assert admin.text == ""
    assert translate.url == "https://other.example/jobs/3"
    assert translate.budget is UNKNOWN_BUDGET
    assert translate.posted_at == datetime(2026, 8, 3, 10, 0, tzinfo=UTC)


def test_default_currency_and_optional_fields() -> None:
    page = b'<div class="c"><a class="t" href="/p/9">Data entry</a><i class="b">50 - 80</i></div>'
    [gig] = parse_with_selectors(
        page,
        SelectorSpec(item="div.c", title="a.t", link="a.t", budget="i.b", currency="USD"),
        source="x",
        base_url="https://x.example",
    )
    assert gig.budget == Budget(Decimal(50), Decimal(80), "USD", BudgetType.FIXED)
    assert gig.posted_at is None and gig.text == ""
    assert gig.url == gig.external_id == "https://x.example/p/9"


@pytest.mark.parametrize(
    "fields",
    [
        {"item": "div:has(> a > b)", "title": "a", "link": "a"},
        {"item": "li", "title": "", "link": "a"},
        {"item": "li", "title": "a", "link": "a", "date": "[["},
    ],
)
def test_bad_selectors_fail_at_configuration_time(fields: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="SelectorSpec"):
        SelectorSpec(**fields)


@pytest.mark.parametrize("payload", [b"", b"\xff\xfe", b"<html></html>", b"plain text"])
def test_garbage_payload_gives_no_gigs(payload: bytes) -> None:
    assert parse_with_selectors(payload, SPEC, source="x", base_url="https://x.example") == []
