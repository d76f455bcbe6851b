"""Benchmark each source parser on its fixture: `python bench/parse.py [seconds]`.

Exits non-zero when a source misses its goal (README, Performance: JSON >= 2,000 items/s,
HTML and RSS >= 500 items/s, one core) or cannot be measured.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.goals import check, fail, finish  # noqa: E402
from scrapers.sources import SOURCES  # noqa: E402
from tests.support.fixtures import FIXTURE_FOR, FIXTURES  # noqa: E402

# Items per second each kind of source must reach on one core.
GOALS: dict[str, int] = {"JSON": 2000, "HTML": 500, "RSS": 500}
KIND_BY_SUFFIX: dict[str, str] = {".json": "JSON", ".html": "HTML", ".rss": "RSS", ".xml": "RSS"}


def reddit_hiring_payload(payload: bytes) -> bytes:
    """The real listing with every post made a live "[Hiring] " post (stickied/pinned off)."""
    data = json.loads(payload)
    for child in data.get("data", {}).get("children", []):
        post = child.get("data") if isinstance(child, dict) else None
        if isinstance(post, dict):
            post["title"] = "[Hiring] " + str(post.get("title") or "")
            post["stickied"] = False
            post["pinned"] = False
    return json.dumps(data).encode("utf-8")


# Sources whose real fixture has nothing to parse: name -> (payload transform, note).
DERIVED: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "reddit": (
        reddit_hiring_payload,
        'derived payload: titles prefixed "[Hiring] ", stickied/pinned set false',
    ),
}


def bench(parse: Callable[[bytes], list], payload: bytes, seconds: float) -> tuple[int, int, float]:
    """Run one parser for about `seconds`; return (runs, items, elapsed)."""
    parse(payload)  # warm-up (imports, regex compilation, caches)
    runs = items = 0
    started = time.perf_counter()
    deadline = started + seconds
    while True:
        items += len(parse(payload))
        runs += 1
        now = time.perf_counter()
        if now >= deadline:
            return runs, items, now - started


def main() -> int:
    """Print kind, items/s and ms per parse for every source; check each against its goal."""
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.5
    goals = ", ".join(f"{kind} >= {goal}/s" for kind, goal in GOALS.items())
    print(f"one core, ~{seconds:g}s per source; goals: {goals}")
    header = f"{'source':<16}{'kind':<6}{'items':>6}{'runs':>7}{'items/s':>10}{'ms/parse':>10}"
    print(header)
    print("-" * len(header))
    measured: list[tuple[str, str, float]] = []
    for name in sorted(set(SOURCES) | set(FIXTURE_FOR)):
        fixture = FIXTURE_FOR.get(name)
        if name not in SOURCES:
            fail(f"{name} parse rate", "fixture mapped but not registered in SOURCES")
            continue
        if fixture is None or not (FIXTURES / fixture).is_file():
            fail(f"{name} parse rate", f"no fixture ({fixture or 'none mapped'})")
            continue
        kind = KIND_BY_SUFFIX.get(Path(fixture).suffix, "JSON")
        payload = (FIXTURES / fixture).read_bytes()
        transform, note = DERIVED.get(name, (None, ""))
        if transform is not None:
            payload = transform(payload)
        runs, items, elapsed = bench(SOURCES[name].parse, payload, seconds)
        if items == 0:
            fail(f"{name} parse rate", "the parser found no items in its fixture")
            continue
        rate = items / elapsed
        line = (
            f"{name:<16}{kind:<6}{items / runs:>6.0f}{runs:>7}{rate:>10.0f}"
            f"{1000 * elapsed / runs:>10.2f}"
        )
        print(line + (f"  [{note}]" if note else ""))
        measured.append((name, kind, rate))
    for name, kind, rate in measured:
        check(f"{name} ({kind}) parse rate", rate, GOALS[kind], ">=", "items/s")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
