"""Linking a scrape's new gigs that repeat an earlier one (any source, within a week) to it:
the repository reads and writes rows, scrapers/dedup.py decides what counts as the same gig."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.store.models import GigRow, utcnow
from bot.store.repos import GigRepo
from scrapers.dedup import TITLE_SIMILAR, Signature, find_original, jaccard, words

DUPLICATE_WINDOW = timedelta(days=7)


async def link_duplicates(
    repo: GigRepo, rows: Sequence[GigRow], window: timedelta = DUPLICATE_WINDOW
) -> list[GigRow]:
    """Link new gigs that repeat an earlier one (any source, within `window`) to it.

    Returns the new gigs that are originals: only those are matched and alerted.
    """
    if not rows:
        return []
    ordered = sorted(rows, key=lambda r: r.id)
    recent = await repo.recent_originals(utcnow() - window, ordered[0].id)
    titles = {gig_id: frozenset(words(title)) for gig_id, title in recent}
    signatures: dict[int, Signature] = {}
    originals: list[GigRow] = []
    for row in ordered:
        mine = Signature.of(row.title, row.text or "")
        row.fingerprint = mine.fingerprint
        close = [i for i, t in titles.items() if jaccard(t, mine.title_words) >= TITLE_SIMILAR]
        missing = [i for i in close if i not in signatures]
        for gig_id, title, text in await repo.texts_of(missing):
            signatures[gig_id] = Signature.of(title, text)
        original = find_original(mine, ((i, signatures[i]) for i in sorted(close)))
        if original is None:
            originals.append(row)
            titles[row.id] = mine.title_words
            signatures[row.id] = mine
        else:
            # A repeat is never matched: its original was.
            row.duplicate_of, row.matched_at = original, utcnow()
    await repo.session.flush()
    return originals
