"""Decoding raw responses, with one clear error when a site sends something else."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


class PayloadError(ValueError):
    """The response is not in the format the source's parser expects (the site changed?)."""


def load_json(payload: bytes, *, parse_float: Callable[[str], Any] | None = None) -> Any:
    """Decode a JSON response; PayloadError says what arrived instead."""
    try:
        return json.loads(payload, parse_float=parse_float)
    except (ValueError, UnicodeDecodeError) as exc:
        start = payload[:60].decode("utf-8", "replace").strip() or "an empty body"
        raise PayloadError(f"expected JSON, got {start!r} ({exc})") from None
