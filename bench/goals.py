"""Stated goals of the benchmarks: check each figure, print the verdict, exit non-zero on a miss.

A benchmark script calls ``check`` for every figure that has a goal and ends with
``sys.exit(finish())``::

    from bench.goals import check, finish

    check("sustained rate", rate, 28, ">=", "messages/s")
    check("429 answers", refused, 0, "==")
    sys.exit(finish())

``finish`` prints a summary and returns 1 when any goal was missed (or could not be
measured, see ``fail``), else 0. When the environment variable named by ``REPORT_ENV`` holds
a path, the outcomes are also written there as JSON, for ``dev.py bench``.
"""

from __future__ import annotations

import json
import math
import operator
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

REPORT_ENV = "SAMBILAN_BENCH_REPORT"
OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}


@dataclass(frozen=True)
class Outcome:
    """One goal and what the benchmark measured against it (value None: not measured)."""

    name: str
    value: float | None
    goal: float | None
    op: str
    unit: str
    met: bool
    note: str = ""

    def line(self) -> str:
        """The goal as one printed line."""
        if self.value is None or self.goal is None:
            return f"goal {self.name}: not measured ({self.note}) -- MISSED"
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"goal {self.name}: {_number(self.value)}{unit} "
            f"(goal {self.op} {_number(self.goal)}{unit}) -- {'met' if self.met else 'MISSED'}"
        )


_outcomes: list[Outcome] = []


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def check(name: str, value: float, goal: float, op: str = ">=", unit: str = "") -> bool:
    """Record whether `value op goal` holds, print it, and return whether it was met."""
    if op not in OPS:
        raise ValueError(f"unknown comparison {op!r}; use one of {', '.join(OPS)}")
    met = not math.isnan(value) and OPS[op](value, goal)
    outcome = Outcome(name, float(value), float(goal), op, unit, met)
    _outcomes.append(outcome)
    print(outcome.line(), flush=True)
    return met


def fail(name: str, reason: str) -> None:
    """Record a goal that could not be measured at all (which counts as missed)."""
    outcome = Outcome(name, None, None, "", "", False, reason)
    _outcomes.append(outcome)
    print(outcome.line(), flush=True)


def record(name: str, met: bool, note: str) -> None:
    """Record a goal judged by the benchmark itself (already printed there), e.g. a set check."""
    _outcomes.append(Outcome(name, None, None, "", "", met, note))


def outcomes() -> list[Outcome]:
    """Every goal checked so far in this process."""
    return list(_outcomes)


def finish() -> int:
    """Print the summary of every goal checked; the exit code: 1 if any was missed, else 0."""
    missed = [o.name for o in _outcomes if not o.met]
    if not _outcomes:
        print("goals: none checked")
    elif missed:
        print(f"goals: {len(missed)} of {len(_outcomes)} MISSED: {', '.join(missed)}")
    else:
        print(f"goals: all {len(_outcomes)} met")
    report = os.environ.get(REPORT_ENV)
    if report:
        Path(report).write_text(json.dumps([asdict(o) for o in _outcomes]), encoding="utf-8")
    return 1 if missed else 0
