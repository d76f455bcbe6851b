"""Logging: one JSON object per line, and bot tokens never written anywhere."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

# "bot123456:AA..." inside Bot API URLs, and bare tokens anywhere in a message.
TOKEN_PATTERN = re.compile(r"(?<![A-Za-z0-9])(?:bot)?\d{3,}:[A-Za-z0-9_-]{20,}")
REDACTED = "bot<redacted>"


def redact(text: str) -> str:
    """Replace anything that looks like a bot token."""
    return TOKEN_PATTERN.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Scrub tokens from the final message (httpx logs full request URLs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, redacted, and drop the args."""
        message = record.getMessage()
        if TOKEN_PATTERN.search(message):
            record.msg, record.args = redact(message), None
        return True


class JsonFormatter(logging.Formatter):
    """Structured logs: time, level, logger, message and any `extra` fields."""

    _STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        """One JSON line per record."""
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in self._STANDARD and not key.startswith("_"):
                data[key] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info:
            data["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False)


def setup_logging(*, verbose: bool = False, json_lines: bool = True) -> None:
    """Configure the root logger once for the process."""
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(
        JsonFormatter()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
