"""Which saved real payload in tests/fixtures belongs to which source."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Registry name -> fixture file in tests/fixtures.
FIXTURE_FOR: dict[str, str] = {
    "projects_co_id": "projects_co_id_listing.html",
    "remoteok": "remoteok_api.json",
    "remotive": "remotive_jobs.json",
    "himalayas": "himalayas_jobs_api.json",
    "jobicy": "jobicy_remote_jobs_api.json",
    "arbeitnow": "arbeitnow_job_board_api.json",
    "hn_freelancer": "hn_algolia_items_whoishiring.json",
    "weworkremotely": "weworkremotely.rss",
    "freelancer": "freelancer_projects_extracted.json",
    "telegram": "tme_channel_durov.html",
    "fastwork": "fastwork_jobs_matched.json",
    "reddit": "reddit_listing_claudecode.json",
    "dealls": "dealls_api_jobs.json",
}


def fixture_payload(source: str) -> bytes:
    """The saved real payload of a source."""
    return (FIXTURES / FIXTURE_FOR[source]).read_bytes()
