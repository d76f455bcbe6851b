"""Currency conversion with configured rates, for filters and totals only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from bot.matching.profile import Rates as MatchingRates
from scrapers.normalize import parse_amount

CENT = Decimal("0.01")
# Words only rupiah amounts are written with: "150rb", "1,5jt", "2 juta" are rupiah whatever
# the user's own currency ("k" is rupiah only next to "Rp", which names the currency anyway).
RUPIAH_UNIT = re.compile(r"\d\s*(?:rb|rbu|ribu|jt|jta|juta|miliar|milyar)\.?\s*$", re.IGNORECASE)


def read_amount(text: str) -> tuple[Decimal, str | None] | None:
    """(amount, stated currency) from what a user typed: '150rb' is IDR for every user."""
    parsed = parse_amount(text)
    if parsed is None:
        return None
    amount, currency = parsed
    if currency is None and RUPIAH_UNIT.search(text):
        currency = "IDR"
    return amount, currency


@dataclass(frozen=True)
class Rates:
    """What one unit of each currency is worth in IDR, as of `date`."""

    idr_per_unit: Mapping[str, Decimal] = field(default_factory=lambda: {"IDR": Decimal(1)})
    date: dt.date = dt.date(2026, 11, 1)

    def knows(self, currency: str) -> bool:
        """True when a rate is configured for this currency."""
        return currency.upper() in self.idr_per_unit

    def convert(self, amount: Decimal, source: str, target: str) -> Decimal | None:
        """`amount` in `source` expressed in `target`, rounded to cents; None without a rate."""
        source, target = source.upper(), target.upper()
        if source == target:
            return amount
        if source not in self.idr_per_unit or target not in self.idr_per_unit:
            return None
        return (amount * self.idr_per_unit[source] / self.idr_per_unit[target]).quantize(CENT)

    def for_matching(self) -> MatchingRates:
        """The same rates in the matcher's form (values in IDR)."""
        return MatchingRates("IDR", dict(self.idr_per_unit), self.date)
