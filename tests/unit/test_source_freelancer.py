"""Tests for the Freelancer.com active-projects parser against real project objects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scrapers.model import BudgetType, Gig
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
