"""Tests for the Freelancer.com active-projects parser against real project objects."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from bot.app.config import ConfigError, Settings, country_code, load_settings
from bot.store.models import GigRow
from bot.ui.grouped import GroupItem, group_text
from bot.ui.render import alert_card, origin_line
from scrapers.model import BudgetType, Gig
from scrapers.plan import plan_source
from scrapers.sources import SOURCES
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


# --- Projects in Indonesian or from Indonesian clients ------------------------------------

COUNTRY_CODES = ["za", "in", "us", "in", "gb", "pt"]  # each owner's location.country.code


def _query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_the_fixture_states_language_and_client_country(gigs: list[Gig]) -> None:
    assert [g.extra["client_country_code"] for g in gigs] == COUNTRY_CODES
    assert gigs[0].extra["client_country"] == "South Africa"
    assert all(g.extra["listing_language"] == "en" for g in gigs)


def test_no_fixture_project_is_labelled_indonesian(gigs: list[Gig]) -> None:
    for gig in gigs:
        assert origin_line(_row(gig), "en") is None
        assert "🇮🇩" not in alert_card(_row(gig), [], "id", labels={})


def _indonesian(projects: list[dict[str, Any]]) -> dict[str, Any]:
    """The real file has no Indonesian case: a copy of its first record (31556945) with only
    the project's `language` and the owner's `location.country` edited to Indonesia."""
    project = copy.deepcopy(projects[0])
    project["language"] = "id"
    project["client"]["location"]["country"] = {"name": "Indonesia", "code": "id"}
    return project


def _row(gig: Gig) -> GigRow:
    return GigRow(
        id=1,
        source=gig.source,
        external_id=gig.external_id,
        title=gig.title,
        url=gig.url,
        text=gig.text,
        budget_min=gig.budget.min,
        budget_max=gig.budget.max,
        currency=gig.budget.currency,
        budget_type=gig.budget.type.value,
        posted_at=gig.posted_at,
        tags=list(gig.tags),
        bids=gig.bids,
        extra=gig.extra,
    )


def test_indonesian_project_from_an_indonesian_client_is_labelled(
    projects: list[dict[str, Any]],
) -> None:
    [gig] = parse(json.dumps([_indonesian(projects)]).encode())
    assert gig.language == "id"
    assert gig.extra["client_country_code"] == "id"
    assert gig.extra["client_country"] == "Indonesia"
    assert gig.extra["listing_language"] == "id"
    card_id = alert_card(_row(gig), [], "id", labels={"freelancer": "Freelancer.com"})
    card_en = alert_card(_row(gig), [], "en", labels={"freelancer": "Freelancer.com"})
    assert "🇮🇩 Klien Indonesia · diposting dalam bahasa Indonesia" in card_id
    assert "🇮🇩 Indonesian client · posted in Indonesian" in card_en
    grouped = group_text([GroupItem(_row(gig))], [None], "id", labels={})
    assert "🇮🇩 Klien Indonesia" in grouped


def test_client_country_alone_and_language_alone(projects: list[dict[str, Any]]) -> None:
    client_only = _indonesian(projects)
    client_only["language"] = "en"
    language_only = _indonesian(projects)
    language_only["client"]["location"]["country"] = copy.deepcopy(
        projects[0]["client"]["location"]["country"]
    )
    [by_client] = parse(json.dumps([client_only]).encode())
    [in_indonesian] = parse(json.dumps([language_only]).encode())
    assert origin_line(_row(by_client), "en") == "🇮🇩 Indonesian client"
    assert origin_line(_row(in_indonesian), "id") == "🇮🇩 diposting dalam bahasa Indonesia"


def test_owner_country_from_the_api_envelope_users(projects: list[dict[str, Any]]) -> None:
    """In the raw API the owner is under `result.users[owner_id]`, not in the project."""
    project = _indonesian(projects)
    owner = project.pop("client")
    envelope = {"status": "success", "result": {"projects": [project], "users": {"1411374": owner}}}
    [gig] = parse(json.dumps(envelope).encode())
    assert gig.extra["client_country_code"] == "id" and gig.language == "id"


def test_request_urls_built_from_configuration() -> None:
    settings = Settings(
        sources={"freelancer": {"languages": ["id", "ID"], "countries": ["Indonesia", "MY"]}}
    )
    plan = plan_source("freelancer", settings.sources["freelancer"])
    keys = [t.key for t in plan.targets]
    assert keys == ["freelancer", "freelancer:languages", "freelancer:countries"]
    base, by_language, by_country = (_query(t.url) for t in plan.targets)
    assert ("user_country_details", "true") in base  # the owner's country comes back
    assert not [k for k, _v in base if k in ("languages[]", "countries[]")]
    assert by_language == [*base, ("languages[]", "id")]
    assert by_country == [*base, ("countries[]", "id"), ("countries[]", "my")]
    assert plan.targets[0].url == SOURCES["freelancer"].default_url


def test_default_asks_for_indonesian_and_indonesia() -> None:
    plan = plan_source("freelancer", Settings().sources["freelancer"])
    assert [_query(t.url)[-1] for t in plan.targets[1:]] == [
        ("languages[]", "id"),
        ("countries[]", "id"),
    ]


def test_empty_lists_turn_the_extra_requests_off() -> None:
    settings = Settings(sources={"freelancer": {"languages": [], "countries": []}})
    plan = plan_source("freelancer", settings.sources["freelancer"])
    assert [t.key for t in plan.targets] == ["freelancer"]


def test_a_renamed_section_keeps_its_own_keys_and_source() -> None:
    settings = Settings(sources={"fl_id": {"kind": "freelancer", "countries": ["id"]}})
    plan = plan_source("fl_id", settings.sources["fl_id"])
    assert [t.key for t in plan.targets] == ["fl_id", "fl_id:languages", "fl_id:countries"]
    gigs = plan.targets[2].parse(FIXTURE.read_bytes())
    assert {g.source for g in gigs} == {"fl_id"}


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ('countries = ["Atlantis"]', "'Atlantis' is not a country name"),
        ('languages = ["indonesian"]', "'indonesian' is not a two-letter language code"),
    ],
)
def test_bad_filters_are_named(tmp_path: Path, toml: str, problem: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[sources.freelancer]\n{toml}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sources\.freelancer") as caught:
        load_settings(path)
    assert problem in str(caught.value)


def test_country_names_in_both_languages() -> None:
    assert [country_code(n) for n in ("Indonesia", "ID", " id ", "Malaysia", "Jerman")] == [
        "id",
        "id",
        "id",
        "my",
        "de",
    ]
