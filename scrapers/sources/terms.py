"""Terms of use of a source as the site states them: request limits, attribution, robots.txt.

Each source module declares its `TERMS`; the registry (scrapers.sources) carries them, the
configuration refuses intervals below `min_interval`, the pipeline never fetches a target
again sooner than that, and cards name and link the source where `attribution` is set.
Only what a site states (in its API responses, feed header or robots.txt) goes here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NOT_STATED", "SourceTerms", "interval_text"]


@dataclass(frozen=True, slots=True)
class SourceTerms:
    """One site's stated terms; empty fields mean the site states nothing we know of."""

    # The site's own words (quoted; cut only between sentences), and where it says them.
    stated: str = ""
    where: str = ""
    # The request limit in a few words, e.g. "advises at most 4 calls a day".
    limit: str = ""
    # At least this many seconds between two requests for one fetch target, from `limit`.
    min_interval: int | None = None
    # The name the site asks to be credited as; cards then link back to the listing.
    attribution: str | None = None
    # What the site's robots.txt is known to say.
    robots: str = ""

    @property
    def known(self) -> bool:
        """True when the site states any terms we can point to."""
        return bool(self.stated or self.robots)


NOT_STATED = SourceTerms()


def interval_text(seconds: int) -> str:
    """A request interval in words: '5 min', '1 h', '6 h' (English; used by README and docs)."""
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"
