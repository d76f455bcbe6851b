"""Employment type and workplace type of a gig, normalised across sources: pure, no I/O."""

from __future__ import annotations

import re

from scrapers.model import Gig

__all__ = ["EMPLOYMENT_TYPES", "WORKPLACE_TYPES", "employment_types", "workplace_type"]

EMPLOYMENT_TYPES = ("freelance", "part_time", "contract", "full_time", "internship")
WORKPLACE_TYPES = ("remote", "hybrid", "onsite")
# Gig markets: every listing there is a freelance project done online.
_FREELANCE_SOURCES = frozenset(
    {"freelancer", "projects_co_id", "fastwork", "reddit", "hn_freelancer", "telegram"}
)
# Remote-job boards list only remote work.
_REMOTE_SOURCES = frozenset(
    {"remoteok", "remotive", "weworkremotely", "himalayas", "jobicy"} | _FREELANCE_SOURCES
)
_WORDS: tuple[tuple[str, str], ...] = (
    (r"free\s*lance|contractor|project\s*based|lepas", "freelance"),
    (r"part[\s_-]*time|paruh\s+waktu", "part_time"),
    (r"contract|kontrak", "contract"),
    (r"full[\s_-]*time|permanent|penuh\s+waktu", "full_time"),
    (r"intern|magang", "internship"),
)
_PATTERNS = tuple((re.compile(rf"\b(?:{p})", re.IGNORECASE), name) for p, name in _WORDS)
_TYPE_KEYS = ("employment_type", "job_type")


def employment_types(gig: Gig) -> frozenset[str]:
    """The gig's employment types (freelance, part_time, …); empty when nobody says."""
    stated = " ".join(gig.extra.get(key, "") for key in _TYPE_KEYS)
    found = {name for pattern, name in _PATTERNS if pattern.search(stated)}
    if found:
        return frozenset(found)
    return frozenset({"freelance"}) if gig.source in _FREELANCE_SOURCES else frozenset()


def workplace_type(gig: Gig) -> str | None:
    """remote, hybrid or onsite where the source says (or only lists one kind), else None."""
    stated = gig.extra.get("workplace_type", "").strip().lower()
    if stated in WORKPLACE_TYPES:
        return stated
    remote = gig.extra.get("remote")
    if remote in ("yes", "no"):
        return "remote" if remote == "yes" else "onsite"
    return "remote" if gig.source in _REMOTE_SOURCES else None
