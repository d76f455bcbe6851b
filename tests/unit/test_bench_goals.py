"""bench/goals.py: a missed or unmeasured goal makes a benchmark exit non-zero."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import goals


@pytest.fixture(autouse=True)
def fresh_outcomes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no goals checked."""
    monkeypatch.setattr(goals, "_outcomes", [])
    monkeypatch.delenv(goals.REPORT_ENV, raising=False)


def test_every_goal_met_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert goals.check("rate", 28.5, 28, ">=", "messages/s") is True
    assert goals.check("lost", 0, 0, "==") is True
    assert goals.check("p99", 0.9, 1.0, "<", "s") is True
    assert goals.finish() == 0
    out = capsys.readouterr().out
    assert "goal rate: 28.5 messages/s (goal >= 28 messages/s) -- met" in out
    assert "goals: all 3 met" in out


@pytest.mark.parametrize(
    ("value", "goal", "op"),
    [
        (27.9, 28, ">="),
        (28, 28, ">"),
        (1.01, 1.0, "<="),
        (1, 1, "<"),
        (1, 0, "=="),
        (float("nan"), 1, "<="),
    ],
)
def test_a_missed_goal_exits_one(value: float, goal: float, op: str) -> None:
    goals.check("fine", 1, 1, "==")
    assert goals.check("figure", value, goal, op) is False
    assert goals.finish() == 1
    assert [o.met for o in goals.outcomes()] == [True, False]


def test_an_unmeasured_goal_counts_as_missed(capsys: pytest.CaptureFixture[str]) -> None:
    goals.check("fine", 1, 1, "==")
    goals.fail("telegram parse rate", "no fixture")
    assert goals.finish() == 1
    out = capsys.readouterr().out
    assert "goal telegram parse rate: not measured (no fixture) -- MISSED" in out
    assert "goals: 1 of 2 MISSED: telegram parse rate" in out


def test_unknown_comparison_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown comparison"):
        goals.check("x", 1, 1, "=>")
    assert goals.outcomes() == []


def test_report_file_for_dev_py(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "goals.json"
    monkeypatch.setenv(goals.REPORT_ENV, str(report))
    goals.check("speed-up", 40, 50, ">=", "x")
    goals.fail("memory", "tracemalloc off")
    assert goals.finish() == 1
    rows = json.loads(report.read_text())
    assert [(r["name"], r["value"], r["met"]) for r in rows] == [
        ("speed-up", 40.0, False),
        ("memory", None, False),
    ]


def test_no_goal_checked_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert goals.finish() == 0
    assert "goals: none checked" in capsys.readouterr().out


def test_dev_py_bench_names_the_failed_benchmarks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import dev

    root = Path(dev.__file__).resolve().parent
    head = f"import sys\nsys.path.insert(0, {str(root)!r})\nfrom bench.goals import check, finish\n"
    scripts = {
        "fast.py": head + "check('speed', 2, 1)\nsys.exit(finish())\n",
        "slow.py": head + "check('speed', 0.5, 1)\ncheck('size', 1, 2, '<=')\nsys.exit(finish())\n",
        "broken.py": "raise SystemExit(3)\n",
    }
    for name, code in scripts.items():
        (tmp_path / name).write_text(code)
    assert dev._bench([str(tmp_path / name) for name in scripts]) == 1
    table = capsys.readouterr().out.split("  result\n", 1)[1]
    assert "fast.py" in table and "passed" in table.split("fast.py", 1)[1].splitlines()[0]
    assert "FAILED: missed speed" in table.split("slow.py", 1)[1].splitlines()[0]
    assert "FAILED: exit code 3" in table.split("broken.py", 1)[1].splitlines()[0]
    assert "2 of 3 benchmarks failed" in table
    assert dev._bench([str(tmp_path / "fast.py")]) == 0


def test_dev_py_bench_runs_every_benchmark_but_not_the_helpers() -> None:
    import dev

    scripts = dev._bench_scripts()
    benches = {"parse", "match", "charts", "delivery", "crash", "time_to_alert"}
    assert {f"bench/{name}.py" for name in benches} <= set(scripts)
    assert "bench/goals.py" not in scripts
