"""/filters: work type, workplace and scam-warning toggles, stored for the matcher, in both
languages, over real HTTP against the fake Bot API."""

from __future__ import annotations

from telegram.ext import Application

from tests.e2e.test_onboarding import app, buttons, press, say, user_row  # noqa: F401
from tests.support.fake_bot_api import FakeBotApi


async def test_work_type_workplace_and_risky_toggles(api: FakeBotApi, app: Application) -> None:  # noqa: F811
    shown = await say(api, "/filters")
    assert "Gigs with a scam warning: shown with a warning" in shown["text"]
    assert "Workplaces: remote, hybrid, on-site" in shown["text"]
    shown = await press(api, shown, "fi:e:full_time:0")
    shown = await press(api, shown, "fi:e:internship:0")
    shown = await press(api, shown, "fi:w:onsite:0")
    shown = await press(api, shown, "fi:w:hybrid:0")
    shown = await press(api, shown, "fi:r:risky:0")
    assert "Work types: freelance, part-time, contract" in shown["text"]
    assert "Gigs with a scam warning: hidden" in shown["text"]
    assert "▫️ Gigs with a scam warning" in [b["text"] for b in buttons(shown)]
    user, _skills = await user_row(app)
    assert user.employment_types == ["freelance", "part_time", "contract"]
    assert user.workplace_types == ["remote"]
    assert user.hide_risky is True
    await say(api, "/lang id")
    shown = await say(api, "/filters")
    assert "Proyek dengan peringatan penipuan: disembunyikan" in shown["text"]
    assert "Tempat kerja: jarak jauh (remote)" in shown["text"]
    shown = await press(api, shown, "fi:r:risky:1")
    user, _skills = await user_row(app)
    assert user.hide_risky is False
