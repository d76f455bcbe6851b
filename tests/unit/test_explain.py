"""The "why it matched" line reads like a person wrote it, in both languages."""

from __future__ import annotations

import re

import pytest

from bot.matching.explain import summary
from bot.matching.score import Reason

LOGO = [
    {"code": "skill", "skill": "desain logo", "term": "logo", "field": "title"},
    {"code": "skill", "skill": "desain logo", "term": "logo", "field": "text"},
    {"code": "related", "skill": "desain logo", "term": "branding"},
    {
        "code": "budget",
        "min": "250000.00",
        "max": "400000.00",
        "currency": "IDR",
        "type": "fixed",
        "fit": "high",
    },
    {"code": "short_deadline", "days": 7},
]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", "desain logo (judul) · Rp250–400rb, 2× minimummu · 7 hari"),
        ("en", "desain logo (title) · Rp250–400k, 2× your minimum · 7 days"),
    ],
)
def test_one_line_each_skill_once_no_raw_numbers(language: str, expected: str) -> None:
    line = summary(LOGO, language)
    assert line == expected
    assert not re.search(r"\d{4,}|\.00|IDR|\(fixed\)|day\(s\)", line)


@pytest.mark.parametrize(
    ("reason", "language", "expected"),
    [
        ({"min": "1500000", "max": "2000000", "currency": "IDR"}, "id", "Rp1,5–2jt"),
        ({"min": "500000", "max": "1500000", "currency": "IDR"}, "id", "Rp500rb–1,5jt"),
        ({"min": "150000", "max": "150000", "currency": "IDR"}, "id", "Rp150rb"),
        ({"min": "30", "max": "250", "currency": "USD", "type": "hourly"}, "en", "$30–250/hr"),
        ({"min": "30", "max": "250", "currency": "USD", "type": "hourly"}, "id", "US$30–250/jam"),
        ({"min": "7.5", "max": "", "currency": "EUR"}, "en", "€7.5"),
        ({"min": "250", "max": "400", "currency": ""}, "id", "250–400"),
    ],
)
def test_budgets_are_written_short(reason: dict, language: str, expected: str) -> None:
    assert summary([{"code": "budget", "fit": "ok", **reason}], language) == expected


def test_implied_skills_from_another_helpers_matcher() -> None:
    implied = Reason.make("implied", skill="JavaScript", term="React", field="title", via="react")
    assert summary([implied], "en") == "React → JavaScript (title)"
    assert summary([implied.as_dict()], "id") == "React → JavaScript (judul)"


def test_bids_deadlines_and_lowered_terms_in_indonesian() -> None:
    line = summary(
        [
            {"code": "few_bids", "bids": 0},
            {"code": "short_deadline", "days": 1},
            {"code": "lowered", "term": "penulis"},
            {"code": "lowered", "term": "penulis"},
        ],
        "id",
    )
    assert line == "1 hari · belum ada penawaran · bobot dikurangi: “penulis”"


def test_older_reasons_without_a_code_still_read() -> None:
    assert summary([{"skill": "logo", "term": "logo", "field": "tags"}], "id") == "logo (tag)"
