"""Tests for the Arbeitnow job board API parser against the real payload in tests/fixtures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scrapers.model import UNKNOWN_BUDGET, Gig
from scrapers.sources.arbeitnow import parse

FIXTURE = Path(__file__).parent.parent / "fixtures" / "arbeitnow_job_board_api.json"

# Read by eye from the fixture: (slug, title, company, created_at, as UTC)
EXPECTED = [
    ("hr-manager-hr-generalist-stuttgart-78115", "HR Manager / HR Generalist (m/w/d)",
     "autofox GmbH", 1779021029, (2026, 5, 17, 12, 30, 29)),
    ("senior-netsuite-solution-architect-frankfurt-am-main-27856",
     "Senior NetSuite Solution Architect (w/m/d)", "Verve", 1779016813, (2026, 5, 17, 11, 20, 13)),
    ("weg-buchhalter-munich-482397", "WEG-Buchhalter (m/w/d)", "Jobbusters® GmbH",
     1779015638, (2026, 5, 17, 11, 0, 38)),
    ("buchhalter-grobenzell-194475", "Buchhalter (m/w/d)", "Jobbusters® GmbH",
     1779015638, (2026, 5, 17, 11, 0, 38)),
    ("finanzbuchhalter-passau-141115", "Finanzbuchhalter (m/w/d)", "Jobbusters® GmbH",
     1779015636, (2026, 5, 17, 11, 0, 36)),
    ("finanzbuchhalter-nuremberg-182649", "Finanzbuchhalter (m/w/d)", "Jobbusters® GmbH",
     1779015636, (2026, 5, 17, 11, 0, 36)),
    ("tech-lead-android-core-product-munich-germany-50432",
     "Tech Lead, Android Core Product - Munich, Germany", "Speechify",
     1779000323, (2026, 5, 17, 6, 45, 23)),
    ("software-engineer-data-infrastructure-acquisition-munich-germany-349911",
     "Software Engineer, Data Infrastructure & Acquisition - Munich, Germany", "Speechify",
     1779000323, (2026, 5, 17, 6, 45, 23)),
    ("senior-software-engineer-windows-desktop-applications-munich-germany-364725",
     "Senior Software Engineer, Windows/Desktop Applications - Munich, Germany", "Speechify",
     1779000323, (2026, 5, 17, 6, 45, 23)),
    ("tech-lead-web-core-product-chrome-extension-munich-germany-367337",
     "Tech Lead, Web Core Product & Chrome Extension - Munich, Germany", "Speechify",
     1779000322, (2026, 5, 17, 6, 45, 22)),
    ("senior-software-engineer-core-experiences-munich-germany-155226",
     "Senior Software Engineer, Core Experiences - Munich, Germany", "Speechify",
     1779000322, (2026, 5, 17, 6, 45, 22)),
]  # fmt: skip


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse(FIXTURE.read_bytes())


def test_fixture_is_the_shared_payload() -> None:
    data = FIXTURE.read_bytes()
    assert len(data) == 58519
    assert data.startswith(b'{"data": [{"slug": "hr-manager-hr-generalist-stuttgart-78115"')
    assert json.loads(data)["meta"]["per_page"] == 100  # the original page size


def test_parses_all_eleven_jobs(gigs: list[Gig]) -> None:
    assert len(gigs) == 11
    assert [g.external_id for g in gigs] == [row[0] for row in EXPECTED]
    assert all(g.source == "arbeitnow" for g in gigs)
    # The API states no pay at all.
    assert all(g.budget is UNKNOWN_BUDGET for g in gigs)


@pytest.mark.parametrize(("slug", "title", "company", "epoch", "date"), EXPECTED)
def test_each_job(
    gigs: list[Gig], slug: str, title: str, company: str, epoch: int, date: tuple[int, ...]
) -> None:
    gig = next(g for g in gigs if g.external_id == slug)
    assert gig.title == title
    assert gig.company == company
    assert gig.posted_at == datetime(*date, tzinfo=UTC)
    assert gig.posted_at is not None and gig.posted_at.timestamp() == epoch
    assert gig.url.startswith("https://www.arbeitnow.com/jobs/companies/")
    assert gig.url.endswith(f"/{slug}")


def test_tags_remote_flag_and_extras(gigs: list[Gig]) -> None:
    by_id = {g.external_id: g for g in gigs}
    hr = by_id["hr-manager-hr-generalist-stuttgart-78115"]
    assert hr.tags == ("Recruitment and Selection",)
    assert hr.extra == {"remote": "no", "location": "Stuttgart", "job_type": "geschäftsleitung"}
    verve = by_id["senior-netsuite-solution-architect-frankfurt-am-main-27856"]
    assert verve.tags == ("Finance", "bachelor's degree")
    assert verve.extra["job_type"] == "Full-time permanent, experienced"
    assert by_id["buchhalter-grobenzell-194475"].extra["location"] == "Gröbenzell"
    assert "job_type" not in by_id["weg-buchhalter-munich-482397"].extra  # job_types []
    assert by_id["tech-lead-android-core-product-munich-germany-50432"].tags == ()
    # Every job in this page says remote: false, although the request filtered on "remote".
    assert {g.extra["remote"] for g in gigs} == {"no"}


def test_text_is_decoded_html(gigs: list[Gig]) -> None:
    hr = gigs[0]
    assert hr.text.startswith(
        "Wir bei autofox GmbH suchen eine strukturierte, kommunikative und verantwortungsbewusste "
        "Persönlichkeit für unser HR-Team."
    )
    nuremberg = gigs[5]
    # "&#x26;" in the description is an ampersand.
    assert nuremberg.text.startswith(
        "Zahlenjäger/in & Geistervertreiber/in der Buchhaltung gesucht!"
    )
    assert all("<p>" not in g.text and "<strong>" not in g.text for g in gigs)


def test_remote_true_and_bad_records() -> None:
    payload = json.dumps(
        {
            "data": [
                {
                    "slug": "a-1",
                    "title": "Remote Dev",
                    "url": "https://www.arbeitnow.com/jobs/companies/x/a-1",
                    "remote": True,
                    "created_at": "not a time",
                },
                {"slug": "b-2", "title": "No URL"},
                {"slug": "", "title": "No slug", "url": "https://x"},
            ]
        }
    ).encode()
    (job,) = parse(payload)
    assert job.extra == {"remote": "yes"}
    assert job.posted_at is None
    assert job.company is None
