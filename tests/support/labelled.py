"""The labelled micro-gig set (tests/fixtures/matching): gigs, queries, labels and the split."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from scrapers.model import BudgetType, Gig
from scrapers.normalize import parse_budget, parse_wib
from scrapers.sources import SOURCES
from scrapers.sources.projects_co_id import _guess_language

MATCHING = Path(__file__).resolve().parent.parent / "fixtures" / "matching"
LABEL_FILES = (
    "micro_labels.jsonl",
    "more_labels.jsonl",
    "fixture_labels.jsonl",
    "dealls_labels.jsonl",
)
# The projects.co.id source fixture (2023, with descriptions and tags) is labelled too.
FIXTURE_SOURCE, FIXTURE_FILE = "projects_co_id", "projects_co_id_listing.html"
# Indonesian roles from another board (Dealls' open API), labelled from role and skills.
DEALLS_FILE = "dealls_api_jobs.json"
DEALLS_DETAIL = "https://api.sejutacita.id/v1/job-portal/job/slug/{}?guest=true"
UNTOUCHED_MODULUS = 3  # a gig is in the untouched part when sha256(key) % 3 == 0


@dataclass(frozen=True, slots=True)
class Label:
    """One judged (gig, query) pair."""

    gig: str
    query: str
    relevant: bool
    unsure: bool
    why: str


def untouched(key: str) -> bool:
    """True for gigs kept apart from tuning: sha256 of the key, as a number, mod 3 is 0."""
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % UNTOUCHED_MODULUS == 0


def load_gigs() -> dict[str, Gig]:
    """The labelled listings (and the projects.co.id source fixture) as Gigs, by label key."""
    out = {}
    for line in (MATCHING / "micro_gigs.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out[row["key"]] = Gig(
            "projects_co_id",
            row["key"].split(":", 1)[1],
            row["title"],
            row["url"],
            budget=parse_budget(
                row["budget"], default_currency="IDR", budget_type=BudgetType.FIXED
            ),
            posted_at=parse_wib(row["published"]),
            language=_guess_language(row["title"]),
        )
    payload = (MATCHING.parent / FIXTURE_FILE).read_bytes()
    for gig in SOURCES[FIXTURE_SOURCE].parse(payload):
        out[f"{FIXTURE_SOURCE}:{gig.external_id}"] = gig
    out.update((g.key, g) for g in dealls_gigs())
    return out


def dealls_gigs() -> list[Gig]:
    """The Dealls records as Gigs: the role as title, its listed skills as tags.

    The project has no Dealls source; listing records carry no description, so the role
    and skills are all a matcher would see.
    """
    data = json.loads((MATCHING.parent / DEALLS_FILE).read_text(encoding="utf-8"))
    return [
        Gig(
            "dealls",
            job["id"],
            job["role"],
            DEALLS_DETAIL.format(job["slug"]),
            tags=tuple(s["name"] for s in job.get("skills") or ()),
            language=_guess_language(job["role"]),
        )
        for job in data["data"]["docs"]
    ]


def family(key: str) -> str:
    """The source family of a labelled gig: projects.co.id, Dealls or global."""
    source = key.split(":", 1)[0]
    if source in ("pcid2022", FIXTURE_SOURCE):
        return "projects.co.id"
    return "Dealls" if source == "dealls" else "global"


def load_queries() -> list[str]:
    """The labelled queries, as users typed them."""
    data = json.loads((MATCHING / "skills.json").read_text(encoding="utf-8"))
    return [s["query"] for s in data["skills"]]


def load_labels() -> dict[tuple[str, str], Label]:
    """Every label by (gig key, query)."""
    out = {}
    for name in LABEL_FILES:
        for line in (MATCHING / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            label = Label(
                row["gig"], row["skill"], row["relevant"], row.get("unsure", False), row["why"]
            )
            out[(label.gig, label.query)] = label
    return out
