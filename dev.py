#!/usr/bin/env python3
"""Set up .venv and run Sambilan, its tests or its benchmarks: `python3 dev.py run|test|bench`."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


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


def main(argv: list[str]) -> int:
    """Dispatch `run` (the bot), `test` (lint, format check, test suite) or `bench`."""
    if not argv or argv[0] not in {"run", "test", "bench"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        _ensure_env("")
        return _run(str(BIN / "sambilan"), *(rest or ["run"]))
    _ensure_env("dev")
    if command == "bench":
        scripts = rest or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "bench").glob("*.py"))
        codes = [_run(str(BIN / "python"), script) for script in scripts]
        return max(codes, default=0)
    for check in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        if code := _run(str(BIN / check[0]), *check[1:]):
            return code
    return _run(str(BIN / "python"), "-m", "pytest", *rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
