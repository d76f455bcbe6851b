#!/usr/bin/env python3
"""Set up .venv and run Sambilan, its tests or its benchmarks: `python3 dev.py run|test|bench`."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
# bench/ files that are not benchmarks: the shared goal checker and the benches' fake server.
PARALLEL = ("-n", "4", "--dist", "loadfile")
BENCH_HELPERS = {"goals.py", "__init__.py"}
REPORT_ENV = "SAMBILAN_BENCH_REPORT"  # bench/goals.py writes each script's goals here


def _ensure_env(extra: str) -> None:
    """Create .venv and (re)install the project when pyproject.toml changed."""
    if not (BIN / "python").exists():
        print("creating .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / f".installed-{extra or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    target = f".[{extra}]" if extra else "."
    print(f"installing {target} into .venv …", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True, cwd=ROOT)
    subprocess.run([*pip, "-e", target], check=True, cwd=ROOT)
    stamp.write_text(digest)


def _run(*command: str) -> int:
    return subprocess.run(command, cwd=ROOT).returncode


def _bench_scripts() -> list[str]:
    """Every benchmark script in bench/ (helpers left out), sorted."""
    found = (ROOT / "bench").glob("*.py")
    return sorted(str(p.relative_to(ROOT)) for p in found if p.name not in BENCH_HELPERS)


def _bench_one(script: str) -> tuple[int, float, list[str]]:
    """Run one benchmark; its exit code, wall time and the goals it missed."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "goals.json"
        env = {**os.environ, REPORT_ENV: str(report)}
        started = time.monotonic()
        code = subprocess.run([str(BIN / "python"), script], cwd=ROOT, env=env).returncode
        elapsed = time.monotonic() - started
        outcomes = json.loads(report.read_text()) if report.exists() else []
    return code, elapsed, [o["name"] for o in outcomes if not o["met"]]


def _bench(scripts: list[str]) -> int:
    """Run the benchmarks, then a table of which passed and which failed; 1 if any failed."""
    rows = []
    for script in scripts:
        print(f"\n=== {script}", flush=True)
        code, elapsed, missed = _bench_one(script)
        if code == 0:
            verdict = "passed"
        elif missed:
            verdict = "FAILED: missed " + "; ".join(missed)
        else:
            verdict = f"FAILED: exit code {code} (no goal missed: the script itself failed)"
        rows.append((script, f"{elapsed:.0f} s", verdict))
    width = max((len(r[0]) for r in rows), default=10)
    print(f"\n{'benchmark':<{width}}  {'time':>6}  result")
    for script, elapsed, verdict in rows:
        print(f"{script:<{width}}  {elapsed:>6}  {verdict}")
    failed = [r[0] for r in rows if r[2] != "passed"]
    print(f"{len(failed)} of {len(rows)} benchmarks failed" if failed else "all benchmarks passed")
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    """Dispatch `run` (the bot), `test` (lint, format and type checks, test suite) or `bench`."""
    if not argv or argv[0] not in {"run", "test", "bench"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        _ensure_env("")
        return _run(str(BIN / "sambilan"), *(rest or ["run"]))
    _ensure_env("dev")
    if command == "bench":
        return _bench(rest or _bench_scripts())
    checks = (
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy", "bot", "scrapers"],
    )
    for check in checks:
        if code := _run(str(BIN / check[0]), *check[1:]):
            return code
    # Four workers, one test file each at a time: the end-to-end tests mostly wait on
    # Telegram's per-chat pacing, so they overlap well even on two cores.
    return _run(str(BIN / "python"), "-m", "pytest", *PARALLEL, *rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
