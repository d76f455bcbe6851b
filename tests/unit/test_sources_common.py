"""What every registered source promises: a real fixture, well-formed gigs, clear errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from scrapers.payload import PayloadError
from scrapers.sources import SOURCES
from tests.support.fixtures import FIXTURE_FOR, fixture_payload

JSON_SOURCES = sorted(n for n, f in FIXTURE_FOR.items() if f.endswith(".json"))
# Real fixtures that hold no gig on purpose: r/ClaudeCode has no [Hiring] posts.
EMPTY_FIXTURES = {"reddit"}


def test_every_registered_source_has_a_real_fixture() -> None:
    assert set(SOURCES) == set(FIXTURE_FOR)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_fixture_gives_well_formed_gigs(name: str) -> None:
    gigs = SOURCES[name].parse(fixture_payload(name))
    assert bool(gigs) is (name not in EMPTY_FIXTURES)
    assert len({g.external_id for g in gigs}) == len(gigs)
    for gig in gigs:
        assert gig.source == name and gig.title.strip() and gig.url.startswith("http")
        assert gig.posted_at is None or gig.posted_at.utcoffset() == timedelta(0)
        for amount in (gig.budget.min, gig.budget.max):
            assert amount is None or amount > 0  # an unstated budget is unknown, never 0


@pytest.mark.parametrize("name", JSON_SOURCES)
@pytest.mark.parametrize("payload", [b"", b"<html>maintenance</html>", b"{}", b"[]", b'{"x": 1}'])
def test_json_sources_on_unexpected_payloads(name: str, payload: bytes) -> None:
    """Valid JSON of another shape gives no gigs; anything else is a clear PayloadError."""
    parse = SOURCES[name].parse
    try:
        json.loads(payload)
    except ValueError:
        with pytest.raises(PayloadError, match="expected JSON"):
            parse(payload)
    else:
        assert parse(payload) == []
