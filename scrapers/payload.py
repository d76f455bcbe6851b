"""Decoding raw responses, with one clear error when a site sends something else."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from scrapers.model import Gig


class PayloadError(ValueError):
    """The response is not in the format the source's parser expects (the site changed?)."""


def load_json(payload: bytes, *, parse_float: Callable[[str], Any] | None = None) -> Any:
    """Decode a JSON response; PayloadError says what arrived instead."""
    try:
        return json.loads(payload, parse_float=parse_float)
    except (ValueError, UnicodeDecodeError) as exc:
        start = payload[:60].decode("utf-8", "replace").strip() or "an empty body"
        raise PayloadError(f"expected JSON, got {start!r} ({exc})") from None


def positive_decimal(value: Any) -> Decimal | None:
    """A JSON figure as a positive Decimal; None for null, 0, negatives, bools and junk."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount > 0 else None


def records_under(data: Any, key: str) -> list[dict[str, Any]]:
    """The list of objects at `data[key]`, or [] when the envelope has none."""
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict)]


def unique_gigs(
    records: Iterable[dict[str, Any]], parse_one: Callable[[dict[str, Any]], Gig | None]
) -> list[Gig]:
    """Parse each record, dropping the ones that give no gig and repeated ids."""
    gigs: list[Gig] = []
    seen: set[str] = set()
    for record in records:
        gig = parse_one(record)
        if gig is not None and gig.external_id not in seen:
            seen.add(gig.external_id)
            gigs.append(gig)
    return gigs
