"""One scrape of one source: fetch each target, parse, store, link duplicates, match, queue.

Failures are recorded per target (ETag, health, back-off) and never raised: one broken
source cannot stop or delay the others. Storing and matching are separate transactions:
gigs are stored, then every gig of the source not yet matched is matched and its alerts
queued in one transaction, so gigs left unmatched by a crash or an error are matched on
the next run.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app.runtime import Runtime
from bot.ingest.duplicates import link_duplicates
from bot.store.locks import advisory_lock
from bot.store.models import SourceState, utcnow
from bot.store.repos import GigRepo, SourceRepo
from scrapers.http import FetchResult
from scrapers.language import detect_language
from scrapers.model import Gig
from scrapers.plan import SourcePlan
from scrapers.risk import risk_signals
from scrapers.targets import FetchTarget

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
PROBATION = timedelta(hours=24)
# A scheduled run may start a moment before the terms' interval has passed since the last
# request ended (the job's clock starts before the fetch does): allow that much, no more.
TERMS_SLACK_SECONDS = 60.0


@dataclass
class TargetReport:
    """What one fetch target gave this time."""

    key: str
    ok: bool
    items: int = 0
    new: int = 0
    alerts: int = 0
    match_error: str | None = None
    not_modified: bool = False
    skipped: str | None = None
    error: str | None = None
    latency_ms: int = 0

    def summary(self) -> str:
        """One line for logs and the CLI."""
        if self.skipped:
            return f"{self.key}: skipped ({self.skipped})"
        if not self.ok:
            return f"{self.key}: FAILED ({self.error})"
        if self.not_modified:
            return f"{self.key}: not modified ({self.latency_ms} ms)"
        line = (
            f"{self.key}: {self.items} items, {self.new} new, {self.alerts} alerts "
            f"({self.latency_ms} ms)"
        )
        if self.match_error:
            line += f"; matching failed, retried next run ({self.match_error})"
        return line


@dataclass
class ScrapeReport:
    """What one scrape of one source did, target by target."""

    source: str
    targets: list[TargetReport] = field(default_factory=list)
    gigs: list[Gig] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no target failed."""
        return all(t.ok for t in self.targets)

    @property
    def alerts(self) -> int:
        """Alerts queued by this scrape."""
        return sum(t.alerts for t in self.targets)

    @property
    def items(self) -> int:
        """Listings parsed by this scrape."""
        return sum(t.items for t in self.targets)

    @property
    def new(self) -> int:
        """Listings never seen before."""
        return sum(t.new for t in self.targets)

    def summary(self) -> str:
        """One line per target."""
        return "\n".join(t.summary() for t in self.targets) or f"{self.source}: no targets"


def _fill_language(gigs: list[Gig]) -> None:
    for gig in gigs:
        if gig.language is None:
            gig.language = detect_language(f"{gig.title}\n{gig.text[:1000]}")
        gig.risk = risk_signals(gig.title, gig.text, gig.source)


def _skip_reason(state: SourceState, min_interval: int | None = None) -> str | None:
    now = utcnow()
    if min_interval and state.last_run_at is not None:
        slack = min(TERMS_SLACK_SECONDS, min_interval * 0.05)
        ready = state.last_run_at + timedelta(seconds=min_interval - slack)
        if now < ready:
            return (
                f"its terms allow one request every {min_interval} s; next after {ready:%H:%M} UTC"
            )
    if state.disabled and state.disabled_at and now < state.disabled_at + PROBATION:
        return "disabled after repeated failures; retried daily"
    if state.next_run_after and now < state.next_run_after:
        return f"backing off until {state.next_run_after:%H:%M:%S} UTC"
    return None


async def scrape_target(
    runtime: Runtime, plan: SourcePlan, target: FetchTarget, *, keep: list[Gig] | None = None
) -> tuple[TargetReport, list[str]]:
    """Fetch and store one target; returns its report and messages for the admins."""
    report = TargetReport(key=target.key, ok=False)
    async with runtime.db.transaction() as session:
        state = await SourceRepo(session).get(target.key)
        report.skipped = _skip_reason(state, plan.min_interval)
        etag, last_modified = state.etag, state.last_modified
    if report.skipped:
        report.ok = True
        return report, []
    headers = await runtime.auth_headers(plan)
    started = time.perf_counter()
    assert runtime.fetcher is not None, "scraping needs a runtime opened with a fetcher"
    result = await runtime.fetcher.fetch(
        target.url, etag=etag, last_modified=last_modified, headers=headers
    )
    gigs: list[Gig] = []
    if result.not_modified:
        report.ok = report.not_modified = True
    elif result.ok and result.body is not None:
        try:
            gigs = target.parse(result.body)
            _fill_language(gigs)
            report.ok = True
        except Exception as exc:  # a site changed its layout: record it, keep going
            log.exception("parsing %s failed", target.key)
            report.error = f"parse error: {type(exc).__name__}: {exc}"[:500]
    else:
        report.error = result.error or f"HTTP {result.status}"
    report.latency_ms = int((time.perf_counter() - started) * 1000)
    async with runtime.db.transaction() as session:
        if report.ok and gigs:
            repo = GigRepo(session)
            stored = await repo.upsert(gigs)
            await link_duplicates(repo, stored)
            report.new = len(stored)
        report.items = len(gigs)
        threshold = runtime.settings.scraper.disable_after_failures
        events = await _record_health(session, plan, target, report, result, threshold)
    if keep is not None:
        keep.extend(gigs)
    return report, events


async def scrape_source(runtime: Runtime, name: str, *, keep_gigs: bool = False) -> ScrapeReport:
    """Run every target of one source once, then match and queue what is new."""
    plan = runtime.plans[name]
    report = ScrapeReport(source=name)
    async with runtime.lock_for(name), advisory_lock(runtime.db, f"scrape:{name}") as mine:
        if not mine:
            # Another worker is scraping this source right now: nothing to do here.
            report.targets.append(
                TargetReport(key=name, ok=True, skipped="another worker is scraping it")
            )
            return report
        for target in plan.targets:
            target_report, events = await scrape_target(
                runtime, plan, target, keep=report.gigs if keep_gigs else None
            )
            await _match(runtime, name, target_report)
            _count(runtime, target_report)
            report.targets.append(target_report)
            report.events.extend(events)
            log.info("scrape %s", target_report.summary())
    return report


async def _match(runtime: Runtime, source: str, report: TargetReport) -> None:
    """Queue alerts for every gig of the source stored but not matched yet (this run's new
    gigs and any a failed run left); a failure leaves them for the next run."""
    try:
        report.alerts = await runtime.matcher.match_pending(source)
    except Exception as exc:
        log.exception("matching %s failed; its gigs are matched on the next run", source)
        report.match_error = f"{type(exc).__name__}: {exc}"[:500]


def _count(runtime: Runtime, report: TargetReport) -> None:
    """Feed the Prometheus counters."""
    if report.skipped:
        return
    metrics = runtime.metrics
    metrics.scrapes.labels(report.key).inc()
    if not report.ok:
        metrics.scrape_errors.labels(report.key).inc()
    metrics.new_gigs.labels(report.key).inc(report.new)
    metrics.matches.inc(report.alerts)


def _backoff(plan: SourcePlan, failures: int, retry_after: float | None) -> timedelta:
    """Exponential back-off from the source's own interval, capped; Retry-After wins."""
    wait = timedelta(seconds=plan.interval_seconds * 2 ** max(0, failures - 1))
    if retry_after:
        wait = max(wait, timedelta(seconds=retry_after))
    return min(wait, MAX_BACKOFF)


async def _record_health(
    session: AsyncSession,
    plan: SourcePlan,
    target: FetchTarget,
    report: TargetReport,
    result: FetchResult,
    threshold: int,
) -> list[str]:
    """Store the outcome on the target's state; return messages for the admins."""
    state = await SourceRepo(session).get(target.key)
    now = utcnow()
    events: list[str] = []
    state.last_run_at = now
    state.latency_ms = report.latency_ms
    if report.ok:
        if state.disabled:
            events.append(f"✅ Source {target.key} works again and is re-enabled.")
        state.disabled, state.disabled_at, state.next_run_after = False, None, None
        state.last_success_at = now
        state.consecutive_failures = 0
        state.last_error = None
        if not report.not_modified:
            state.items_last_run = report.items
            state.new_last_run = report.new
            state.etag, state.last_modified = result.etag, result.last_modified
        return events
    state.consecutive_failures += 1
    state.last_error = report.error
    state.next_run_after = now + _backoff(plan, state.consecutive_failures, result.retry_after)
    if state.consecutive_failures >= threshold and not state.disabled:
        state.disabled, state.disabled_at = True, now
        events.append(
            f"⚠️ Source {target.key} disabled after {state.consecutive_failures} failures in a "
            f"row. Last error: {report.error}. It is retried once a day and re-enabled when it "
            "works."
        )
    elif state.disabled:
        state.disabled_at = now
    return events
