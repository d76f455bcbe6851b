"""The one normalised gig model every source produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class BudgetType(StrEnum):
    """How a stated budget is paid."""

    FIXED = "fixed"
    HOURLY = "hourly"
    SALARY = "salary"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Budget:
    """An amount range in one ISO 4217 currency; both ends `None` means no stated budget."""

    min: Decimal | None = None
    max: Decimal | None = None
    currency: str | None = None
    type: BudgetType = BudgetType.UNKNOWN

    @property
    def is_known(self) -> bool:
        """True when the listing states at least one amount."""
        return self.min is not None or self.max is not None


UNKNOWN_BUDGET = Budget()


@dataclass(slots=True)
class Gig:
    """A gig listing from one source, normalised; `posted_at` is timezone-aware UTC."""

    source: str
    external_id: str
    title: str
    url: str
    text: str = ""
    budget: Budget = UNKNOWN_BUDGET
    posted_at: datetime | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    company: str | None = None
    bids: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # Scam-risk reason codes (scrapers/risk.py), filled in before the gig is stored.
    risk: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The `source:external_id` key that identifies this listing everywhere."""
        return f"{self.source}:{self.external_id}"
