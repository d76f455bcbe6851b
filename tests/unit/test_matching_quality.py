"""Precision and recall of the matcher on hand-labelled (real gig, skill) pairs."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

from bot.matching.index import MatchIndex
from bot.matching.profile import Rates, make_profile
from scrapers.model import Gig
from scrapers.sources import SOURCES
from tests.support.fixtures import FIXTURE_FOR, FIXTURES

LABELS = FIXTURES / "labelled_matches.csv"
RATES = Rates(
    "USD",
    {"IDR": Decimal("0.000062"), "EUR": Decimal("1.08"), "GBP": Decimal("1.27"),
     "INR": Decimal("0.012")},
    date(2026, 1, 1),
)  # fmt: skip
GOAL_PRECISION, GOAL_RECALL = 0.90, 0.85


def load() -> tuple[list[dict[str, str]], dict[tuple[str, str], Gig]]:
    """The labelled rows and the fixture gigs by (source, external_id)."""
    rows = list(csv.DictReader(LABELS.open(encoding="utf-8")))
    gigs = {}
    for name, filename in FIXTURE_FOR.items():
        for gig in SOURCES[name].parse((FIXTURES / filename).read_bytes()):
            gigs[(name, gig.external_id)] = gig
    return rows, gigs


def test_labelled_set_shape() -> None:
    rows, gigs = load()
    assert len(rows) >= 300
    assert set(rows[0]) == {"source", "external_id", "skill", "relevant", "note"}
    # Every source with gigs in its fixture (r/ClaudeCode has no [Hiring] post to label).
    assert {r["source"] for r in rows} == set(FIXTURE_FOR) - {"reddit"}
    assert all((r["source"], r["external_id"]) in gigs for r in rows)
    assert {r["relevant"] for r in rows} == {"0", "1"}


def test_precision_and_recall() -> None:
    rows, gigs = load()
    skills = sorted({r["skill"] for r in rows})
    user = {s: i for i, s in enumerate(skills)}
    index = MatchIndex(RATES)
    index.add_users(make_profile(i, [s]) for s, i in user.items())  # default threshold
    tp = fp = fn = 0
    for gig_key in {(r["source"], r["external_id"]) for r in rows}:
        matched = {m.user_id for m in index.match(gigs[gig_key])}
        for r in rows:
            if (r["source"], r["external_id"]) != gig_key:
                continue
            predicted, relevant = user[r["skill"]] in matched, r["relevant"] == "1"
            tp += predicted and relevant
            fp += predicted and not relevant
            fn += relevant and not predicted
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nlabelled pairs: {len(rows)}  precision {precision:.3f}  recall {recall:.3f}")
    assert precision >= GOAL_PRECISION
    assert recall >= GOAL_RECALL
