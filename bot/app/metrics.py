"""Prometheus metrics: one registry per process, exposed on /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST


class Metrics:
    """Every counter Sambilan keeps; a fresh registry per instance so tests never share."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.scrapes = Counter(
            "sambilan_scrapes", "Fetches of a source target", ["source"], registry=self.registry
        )
        self.scrape_errors = Counter(
            "sambilan_scrape_errors", "Failed fetches or parses", ["source"], registry=self.registry
        )
        self.new_gigs = Counter(
            "sambilan_new_gigs",
            "Gigs stored for the first time",
            ["source"],
            registry=self.registry,
        )
        self.matches = Counter(
            "sambilan_matches", "Alerts queued for users", registry=self.registry
        )
        self.sent = Counter("sambilan_alerts_sent", "Alerts delivered", registry=self.registry)
        self.send_failures = Counter(
            "sambilan_send_failures", "Sends that failed", ["reason"], registry=self.registry
        )
        self.rate_limited = Counter(
            "sambilan_telegram_429", "429 answers from Telegram", registry=self.registry
        )
        self.outbox_depth = Gauge(
            "sambilan_outbox_depth", "Alerts waiting to be sent", registry=self.registry
        )
        self.send_latency = Histogram(
            "sambilan_send_seconds",
            "Time of one sendMessage call",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
            registry=self.registry,
        )

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
