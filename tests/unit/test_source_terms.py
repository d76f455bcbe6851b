"""Each source's terms of use: quoted from the real payloads, kept by the configuration and
the pipeline, shown by /sources in both languages and in the README, credited on cards."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.app.config import Settings
from bot.ingest.pipeline import _skip_reason
from bot.store.models import SourceState, utcnow
from bot.ui.grouped import GroupItem, group_text
from bot.ui.render import alert_card
from bot.ui.terms_view import readme_row, sources_terms_text, terms_lines
from scrapers.plan import plan_source, plan_sources, source_labels
from scrapers.sources import SOURCES, arbeitnow, jobicy, remoteok, remotive, weworkremotely
from tests.support.fixtures import FIXTURES
from tests.unit.test_render import make_gig

README = Path(__file__).resolve().parents[2] / "README.md"


def _words(text: str) -> str:
    return " ".join(text.split())


def _envelopes() -> dict[str, str]:
    """The notices each site sends around its records, from the real payloads."""
    remoteok_api = json.loads((FIXTURES / "remoteok_api.json").read_bytes())
    remotive_api = json.loads((FIXTURES / "remotive_jobs.json").read_bytes())
    jobicy_api = json.loads((FIXTURES / "jobicy_remote_jobs_api.json").read_bytes())
    arbeitnow_api = json.loads((FIXTURES / "arbeitnow_job_board_api.json").read_bytes())
    return {
        "remoteok": remoteok_api[0]["legal"],
        "remotive": remotive_api["0-legal-notice"],
        "jobicy": jobicy_api["friendlyNotice"],
        "arbeitnow": arbeitnow_api["meta"]["terms"] + " " + arbeitnow_api["meta"]["info"],
        "weworkremotely": (FIXTURES / "weworkremotely.rss").read_text(encoding="utf-8"),
    }


def test_every_source_declares_terms_in_its_module() -> None:
    modules = {"remoteok": remoteok, "remotive": remotive, "jobicy": jobicy}
    modules |= {"arbeitnow": arbeitnow, "weworkremotely": weworkremotely}
    for name, module in modules.items():
        assert SOURCES[name].terms is module.TERMS
    assert all(spec.terms is not None for spec in SOURCES.values())


@pytest.mark.parametrize("name", ["remoteok", "remotive", "jobicy", "arbeitnow", "weworkremotely"])
def test_stated_words_are_the_sites_own(name: str) -> None:
    """Every quoted piece (cuts marked "[...]" or " | ") is in the site's real response."""
    envelope = _words(_envelopes()[name])
    pieces = re.split(r"\s*\[\.\.\.\]\s*|\s+\|\s+", SOURCES[name].terms.stated)
    assert [p for p in pieces if p and _words(p) not in envelope] == []


def test_limits_come_only_from_stated_terms() -> None:
    limited = {name for name, spec in SOURCES.items() if spec.terms.min_interval}
    assert limited == {"remotive", "jobicy", "arbeitnow"}
    assert SOURCES["remotive"].terms.min_interval == 24 * 3600 // 4  # "max. 4 times a day"
    for spec in SOURCES.values():
        assert spec.terms.min_interval is None or spec.terms.limit
        assert spec.default_interval >= (spec.terms.min_interval or 0)  # defaults keep them
    credited = {name for name, spec in SOURCES.items() if spec.terms.attribution}
    assert credited == {"remoteok", "remotive", "jobicy", "arbeitnow"}
    unknown = {name for name, spec in SOURCES.items() if not spec.terms.known}
    assert "freelancer" in unknown and "projects_co_id" in unknown
    assert SOURCES["dealls"].terms.robots == "allows all"


def test_configuration_refuses_an_interval_below_the_terms() -> None:
    with pytest.raises(ValidationError, match="below the 21600 seconds Remotive's terms allow"):
        Settings(sources={"remotive": {"interval_seconds": 3600}})
    with pytest.raises(ValidationError, match="Arbeitnow's terms"):
        Settings(sources={"jobs_de": {"kind": "arbeitnow", "interval_seconds": 600}})
    Settings(sources={"remotive": {"enabled": False, "interval_seconds": 60}})  # off: no fetch
    assert (
        Settings(sources={"remotive": {"interval_seconds": 43200}})
        .sources["remotive"]
        .interval_seconds
        == 43200
    )


def test_a_label_must_keep_the_name_a_site_asks_for() -> None:
    with pytest.raises(ValidationError, match="must name 'Remote OK'"):
        Settings(sources={"remoteok": {"label": "RO jobs"}})
    settings = Settings(sources={"remoteok": {"label": "Remote OK (dev jobs)"}})
    assert source_labels(settings.sources)["remoteok"] == "Remote OK (dev jobs)"
    assert source_labels(Settings().sources)["remoteok"] == "Remote OK"


def _state(last_run_minutes_ago: float) -> SourceState:
    return SourceState(
        name="remotive",
        consecutive_failures=0,
        disabled=False,
        last_run_at=utcnow() - timedelta(minutes=last_run_minutes_ago),
    )


def test_pipeline_waits_out_the_terms_interval() -> None:
    plan = plan_source("remotive", Settings().sources["remotive"])
    assert plan.min_interval == 21600
    reason = _skip_reason(_state(60), plan.min_interval)
    assert reason is not None and "its terms allow one request every 21600 s" in reason
    assert _skip_reason(_state(6 * 60), plan.min_interval) is None
    # The scheduler's clock starts before the last fetch ended: a minute early is on time.
    assert _skip_reason(_state(6 * 60 - 0.5), plan.min_interval) is None
    assert _skip_reason(_state(1), None) is None  # sources without a stated limit


def test_sources_command_text_in_both_languages() -> None:
    plans = plan_sources(Settings().enabled_sources()).values()
    english = sources_terms_text(plans, "en")
    indonesian = sources_terms_text(plans, "id")
    assert english.startswith("📜 <b>Terms of use</b>")
    assert "<b>Remotive</b> · our interval 6 hours" in english
    assert "at most one request every 6 hours (advises at most 4 calls a day)" in english
    assert "credited as “Remote OK”, linked to each listing" in english
    assert "stated in: <code>legal</code>, the first element" in english
    assert "request limit not stated; polite default interval 5 minutes" in english
    assert "robots.txt: allows all" in english
    assert indonesian.startswith("📜 <b>Ketentuan penggunaan</b>")
    assert "paling sering satu permintaan tiap 6 jam" in indonesian
    assert "batas permintaan tidak dinyatakan; jeda sopan bawaan 5 menit" in indonesian
    assert "disebut sebagai “Remotive”, dengan tautan ke tiap lowongan" in indonesian
    assert "robots.txt: mengizinkan semua" in indonesian
    for spec in SOURCES.values():
        if spec.enabled_by_default:
            assert f"<b>{spec.label}</b>" in english


def test_no_builtin_source_enabled() -> None:
    assert "Tidak ada sumber bawaan yang aktif." in sources_terms_text([], "id")


def test_unknown_terms_say_so_rather_than_invent() -> None:
    lines = terms_lines(SOURCES["freelancer"].terms, 300, "en")
    assert lines == ["request limit not stated; polite default interval 5 minutes"]


def test_readme_lists_every_source_with_its_terms() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [spec.name for spec in SOURCES.values() if readme_row(spec) not in readme]
    assert missing == []
    assert "| `freelancer` | not stated; polite default interval 5 min |" in readme


@pytest.mark.parametrize("name", ["remoteok", "remotive", "jobicy", "arbeitnow"])
def test_cards_credit_and_link_sources_that_ask(name: str) -> None:
    url = f"https://example.org/{name}/job-1"
    gig = make_gig(source=name, url=url)
    labels = source_labels(Settings().sources)
    credit = SOURCES[name].terms.attribution
    for language in ("en", "id"):
        card = alert_card(gig, [], language, labels=labels)
        assert f'📍 <a href="{url}">{credit}</a>' in card
        grouped = group_text([GroupItem(gig)], [None], language, labels=labels)
        assert f'<a href="{url}">' in grouped and f"📍 {credit} ·" in grouped
