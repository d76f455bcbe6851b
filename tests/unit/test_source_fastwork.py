"""Tests for the Fastwork jobboard API parser against real job objects.

Fixture origin: `Phoomss/fastwork_monitor` · `matched_jobs.json` · commit
00f846432d434983ce49d2e6757ecd1271c9a166 (public GitHub). That monitor polls
`GET https://jobboard-api.fastwork.co/api/jobs` (Fastwork Thailand, budgets in THB), keeps the
objects of the response's `data` array that match its keywords and saves them with
`JSON.stringify(jobs, null, 2)` after adding two keys of its own (`matchedCategories`,
`matchedAt`). So this is a plain array of 5 real job objects (2026-09-25), not the raw
`{"data": [...], "meta": {...}}` envelope. The two U+FFFD pairs inside Thai words in jobs 4 and
5 are in the original: the monitor concatenates HTTP chunks as strings, splitting UTF-8
sequences. Fastwork Indonesia (jobboard-api.fastwork.id, IDR) serves the same schema.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType, Gig
from scrapers.sources.fastwork import parse, parse_jobs, parse_th

FIXTURE = Path(__file__).parent.parent / "fixtures" / "fastwork_jobs_matched.json"

# Read by eye from the fixture: (id, title, budget, type, inserted_at, offers, tag)
EXPECTED = [
    ("465bba12-d9d4-45dc-8520-9e600a987e46",
     "มองหาฟรีแล็นท์ทำ VFX ใน unity เป็นเกมส์ 2D สไลด์สกอล", 4000, BudgetType.FIXED,
     (2026, 9, 25, 14, 10, 25, 846528), 0, "พัฒนาแอปพลิเคชัน"),
    ("60f2874d-4a00-4fac-966c-b36387673758", "หาคนทำระบบ web app ไว้ใช้ในคลินิก", 2000,
     BudgetType.FIXED, (2026, 9, 25, 13, 12, 19, 326765), 11, "พัฒนาเว็บไซต์"),
    ("5c54cc49-3819-45f0-bf90-7de24e10d1db", "อัดเสียงภาษาไทยสั้น 210ประโยค", 140,
     BudgetType.FIXED, (2026, 9, 25, 10, 4, 45, 552078), 0, "นักพากย์เสียง"),
    ("84ef18e3-d8f2-40d3-bd39-ed92356b406d", "ทีมช่วยทำคอนเทนต์ ที่อยากมีรายได้หลายทางระยะยาวจ้า",
     3000, BudgetType.SALARY, (2026, 9, 25, 7, 6, 19, 27138), 1, "สื่อออนไลน์"),
    ("dfca4019-2525-467b-9dba-3bc9edd4771c", "คนสร้างเว็บไซต์ ดีไซน์เว็บสำหรับร้านขายแอพพรีเมียม",
     None, None, (2026, 9, 25, 6, 21, 51, 796613), 14, "พัฒนาเว็บไซต์"),
]  # fmt: skip


@pytest.fixture(scope="module")
def jobs() -> list[dict[str, Any]]:
    return json.loads(FIXTURE.read_bytes())


@pytest.fixture(scope="module")
def gigs() -> list[Gig]:
    return parse_th(FIXTURE.read_bytes())


def test_fixture_shape(jobs: list[dict[str, Any]]) -> None:
    data = FIXTURE.read_bytes()
    assert len(data) == 17502
    assert len(data.decode("utf-8")) == 11307
    assert [job["id"] for job in jobs] == [row[0] for row in EXPECTED]


def test_parses_all_five_jobs(gigs: list[Gig]) -> None:
    assert [g.external_id for g in gigs] == [row[0] for row in EXPECTED]
    assert all(g.source == "fastwork_th" and g.language == "th" for g in gigs)


@pytest.mark.parametrize(("job_id", "title", "amount", "kind", "posted", "offers", "tag"), EXPECTED)
def test_each_job(
    gigs: list[Gig],
    job_id: str,
    title: str,
    amount: int | None,
    kind: BudgetType | None,
    posted: tuple[int, ...],
    offers: int,
    tag: str,
) -> None:
    gig = next(g for g in gigs if g.external_id == job_id)
    assert gig.title == title
    assert gig.url == f"https://jobboard.fastwork.co/jobs/{job_id}"
    if amount is None:
        assert gig.budget is UNKNOWN_BUDGET  # "budget": "0"
    else:
        assert gig.budget == Budget(Decimal(amount), Decimal(amount), "THB", kind)
    assert gig.posted_at == datetime(*posted, tzinfo=UTC)
    assert gig.bids == offers
    assert gig.tags == (tag,)


def test_text_and_extras(gigs: list[Gig]) -> None:
    vfx, clinic, voice, content, _ = gigs
    assert vfx.text.startswith("มองหาฟรีแล็นท์ทำ VFX ใน unity")
    assert vfx.text.endswith("ขอคนพร้อมลุยงานไม่ชนกับงานอื่นอยู่ครับ")
    assert vfx.extra == {
        "job_type": "freelance",
        "usage_type": "personal",
        "expires_at": "2026-10-25T14:10:25.829084+00:00",
        "english_required": "yes",
        "client_anonymous": "yes",
    }
    assert clinic.extra["client"] == "founqq"
    assert clinic.extra["business_type"] == "notspecified"
    assert voice.extra["deadline"] == "2026-09-26"
    assert "💰 ค่าตอบแทน: [140บาท]" in voice.text
    assert content.extra["job_type"] == "contract"
    assert content.extra["client"] == "lvvilnclub"
    assert "\ufffd" in content.text  # kept as received


def test_envelope_and_indonesian_market(jobs: list[dict[str, Any]], gigs: list[Gig]) -> None:
    envelope = {"data": jobs, "meta": {"total_count": 5, "total_pages": 1}}
    payload = json.dumps(envelope, ensure_ascii=False).encode()
    assert parse_th(payload) == gigs
    indonesian = parse(payload)
    assert [g.external_id for g in indonesian] == [g.external_id for g in gigs]
    first = indonesian[0]
    assert first.source == "fastwork" and first.language == "id"
    assert first.url == "https://jobboard.fastwork.id/jobs/465bba12-d9d4-45dc-8520-9e600a987e46"
    assert first.budget == Budget(Decimal(4000), Decimal(4000), "IDR", BudgetType.FIXED)
    custom = parse_jobs(payload, currency="IDR", job_url="https://x.example/j/", source="fw")
    assert custom[1].url == "https://x.example/j/60f2874d-4a00-4fac-966c-b36387673758"


def test_closed_untitled_and_odd_records(jobs: list[dict[str, Any]]) -> None:
    closed = copy.deepcopy(jobs[0])
    closed["status"] = "closed"
    untitled = copy.deepcopy(jobs[1])
    untitled["title"] = "   "
    odd = copy.deepcopy(jobs[2])
    odd.update(budget="nego", freelance_offers_count=None, tag=None, user_profile=None)
    part_time = copy.deepcopy(jobs[3])
    part_time["type"] = "part-time"
    payload = json.dumps([closed, untitled, odd, part_time, odd, "junk"]).encode()
    first, second = parse(payload)
    assert first.external_id == "5c54cc49-3819-45f0-bf90-7de24e10d1db"
    assert first.budget is UNKNOWN_BUDGET and first.bids is None and first.tags == ()
    assert second.budget == Budget(Decimal(3000), Decimal(3000), "IDR", BudgetType.UNKNOWN)
