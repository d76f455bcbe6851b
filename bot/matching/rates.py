"""Currency rates: the one `Rates`, for the matcher (to_base) and for filters and totals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Rates:
    """What one unit of each currency is worth in `base` (IDR unless told), as of `as_of`."""

    values: Mapping[str, Decimal] = field(default_factory=lambda: {"IDR": Decimal(1)})
    as_of: date = date(2026, 11, 1)
    base: str = "IDR"

    def to_base(self, amount: Decimal | None, currency: str | None) -> Decimal | None:
        """`amount` in the base currency, or None when the amount or its rate is unknown."""
        if amount is None or currency is None:
            return None
        code = currency.upper()
        if code == self.base:
            return amount
        rate = self.values.get(code)
        return None if rate is None else amount * rate

    def knows(self, currency: str) -> bool:
        """True when a rate is configured for this currency."""
        return currency.upper() in self.values

    def convert(self, amount: Decimal, source: str, target: str) -> Decimal | None:
        """`amount` in `source` expressed in `target`, rounded to cents; None without a rate."""
        source, target = source.upper(), target.upper()
        if source == target:
            return amount
        if source not in self.values or target not in self.values:
            return None
        return (amount * self.values[source] / self.values[target]).quantize(CENT)
