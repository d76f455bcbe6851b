"""One scrape of one source: fetch, parse, store new gigs, match them, queue alerts."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.matching.score import GigText, match
from bot.runtime import Runtime
from bot.store.db import Database
from bot.store.models import GigRow, utcnow
from bot.store.repos import DeliveryRepo, GigRepo, NewAlert, SkillRepo, SourceRepo
from scrapers.http import FetchResult
from scrapers.model import Gig
from scrapers.sources import get_source

log = logging.getLogger(__name__)


@dataclass
class ScrapeReport:
    """What one scrape of one source did."""

    source: str
    ok: bool
    items: int = 0
    new: int = 0
    alerts: int = 0
    not_modified: bool = False
    error: str | None = None
    latency_ms: int = 0
    gigs: list[Gig] = field(default_factory=list)

    def summary(self) -> str:
        """One line for logs and the CLI."""
        if not self.ok:
            return f"{self.source}: FAILED ({self.error})"
        if self.not_modified:
            return f"{self.source}: not modified ({self.latency_ms} ms)"
        return (
            f"{self.source}: {self.items} items, {self.new} new, {self.alerts} alerts "
            f"({self.latency_ms} ms)"
        )


async def match_new_gigs(db: Database, gigs: list[GigRow]) -> int:
    """Match freshly stored gigs against every active user's skills; queue the alerts."""
    if not gigs:
        return 0
    async with db.transaction() as session:
        skills_by_user = await SkillRepo(session).of_active_users()
        alerts: list[NewAlert] = []
        for gig in gigs:
            text = GigText.of(gig.title, gig.tags or [], gig.text or "")
            for user_id, skills in skills_by_user.items():
                result = match(text, [(s.name, s.key) for s in skills])
                if result is not None:
                    reasons = [r.as_dict() for r in result.reasons]
                    alerts.append(NewAlert(user_id, gig.id, result.score, reasons))
        return await DeliveryRepo(session).enqueue(alerts)


async def scrape_source(runtime: Runtime, name: str, *, keep_gigs: bool = False) -> ScrapeReport:
    """Run one source once; failures are recorded on the source, never raised."""
    spec = get_source(name)
    source_settings = runtime.settings.sources[name]
    assert runtime.fetcher is not None, "scraping needs a runtime opened with a fetcher"
    async with runtime.lock_for(name):
        async with runtime.db.transaction() as session:
            state = await SourceRepo(session).get(name)
            etag, last_modified = state.etag, state.last_modified
        started = time.perf_counter()
        result = await runtime.fetcher.fetch(
            source_settings.url, etag=etag, last_modified=last_modified
        )
        report = ScrapeReport(source=name, ok=False)
        stored: list[GigRow] = []
        gigs: list[Gig] = []
        if result.not_modified:
            report.ok, report.not_modified = True, True
        elif result.ok and result.body is not None:
            try:
                gigs = spec.parse(result.body)
                report.ok = True
            except Exception as exc:  # a site changed its layout: record it, keep going
                log.exception("parsing %s failed", name)
                report.error = f"parse error: {type(exc).__name__}: {exc}"[:500]
        else:
            report.error = result.error or f"HTTP {result.status}"
        report.latency_ms = int((time.perf_counter() - started) * 1000)
        async with runtime.db.transaction() as session:
            if report.ok and gigs:
                stored = await GigRepo(session).upsert(gigs)
            report.items, report.new = len(gigs), len(stored)
            await _record_health(session, name, report, _validators(result))
        if keep_gigs:
            report.gigs = gigs
    report.alerts = await match_new_gigs(runtime.db, stored)
    log.info("scrape %s", report.summary())
    return report


def _validators(result: FetchResult) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified to send next time, from a successful fetch."""
    if result.ok:
        return result.etag, result.last_modified
    return None, None


async def _record_health(
    session: AsyncSession,
    name: str,
    report: ScrapeReport,
    validators: tuple[str | None, str | None],
) -> None:
    state = await SourceRepo(session).get(name)
    now = utcnow()
    state.last_run_at = now
    state.latency_ms = report.latency_ms
    if report.ok:
        state.last_success_at = now
        state.consecutive_failures = 0
        state.last_error = None
        if not report.not_modified:
            state.items_last_run = report.items
            state.new_last_run = report.new
            state.etag, state.last_modified = validators
    else:
        state.consecutive_failures += 1
        state.last_error = report.error
