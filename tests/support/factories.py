"""Small builders for test data that follow the real shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from bot.domain.money import Rates
from bot.ingest.matcher import Matcher
from bot.matching.text import skill_key
from bot.store.db import Database
from bot.store.models import GigRow
from bot.store.repos import SkillRepo, UserRepo
from scrapers.model import Budget, BudgetType, Gig


def gig(external_id: str, title: str, *, source: str = "projects_co_id", text: str = "") -> Gig:
    """A normalised gig with a stated IDR budget."""
    return Gig(
        source=source,
        external_id=external_id,
        title=title,
        url=f"https://projects.co.id/public/browse_projects/view/{external_id}/x",
        text=text,
        budget=Budget(Decimal("150000"), Decimal("500000"), "IDR", BudgetType.FIXED),
        posted_at=datetime(2026, 11, 28, 3, 0, tzinfo=UTC),
        tags=("Logo Design",) if "logo" in title.casefold() else (),
        language="id",
    )


async def user_with_skills(db: Database, user_id: int, *skills: str, language: str = "en") -> None:
    """Create an active user subscribed to the given skills."""
    async with db.transaction() as session:
        await UserRepo(session).ensure(
            user_id,
            user_id,
            first_name="Ana",
            language=language,
            timezone="Asia/Jakarta",
            currency="IDR",
        )
        for name in skills:
            await SkillRepo(session).add(user_id, name, skill_key(name))


async def match_new_gigs(db: Database, rows: list[GigRow]) -> int:
    """Queue alerts for new gigs as the pipeline does, with a freshly synced matcher."""
    return await Matcher(db, Rates()).queue_alerts(rows)
