"""Real projects.co.id listings (tests/fixtures/matching/micro_gigs.jsonl) as normalised gigs,
for market-rate tests computed by hand over them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from scrapers.model import BudgetType, Gig
from scrapers.normalize import parse_budget, parse_wib
from tests.support.fixtures import FIXTURES


def micro_gigs() -> list[Gig]:
    """The projects.co.id gigs of the labelled micro-gig set, budgets parsed as the source
    parser does (IDR, fixed)."""
    gigs = []
    for line in (FIXTURES / "matching" / "micro_gigs.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        if not item["key"].startswith("pcid"):
            continue
        gigs.append(
            Gig(
                source="projects_co_id",
                external_id=item["key"],
                title=item["title"],
                url=item["url"],
                budget=parse_budget(
                    item["budget"], default_currency="IDR", budget_type=BudgetType.FIXED
                ),
                posted_at=parse_wib(item["published"]),
                language="id",
            )
        )
    return gigs


# The day after the last of them was posted (24 April 2022): all within 30 days.
AFTER_ALL = datetime(2022, 5, 13, tzinfo=UTC)
# 30 days back from here reach only 19 April: four Android gigs, the five before them earlier.
SPLIT_ANDROID = datetime(2022, 5, 19, tzinfo=UTC)
