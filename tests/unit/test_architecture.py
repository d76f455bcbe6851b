"""Layering rules read from the code's imports (ast): which package may import which, no cycles."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def module_name(path: Path) -> str:
    """The dotted module name of a file under ROOT ("scrapers/sources/__init__.py" -> ...)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, absolute, including `from x import name` as x and x.name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            names.add(origin)
            names.update(f"{origin}.{alias.name}" for alias in node.names)
    return names


def import_graph(packages: Iterable[str]) -> dict[str, set[str]]:
    """Module -> the project modules it imports, over every .py file in `packages`."""
    files = [p for package in packages for p in sorted((ROOT / package).rglob("*.py"))]
    modules = {module_name(p): p for p in files}
    return {
        name: {target for target in imported_names(path) if target in modules and target != name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_find_cycle_reports_a_cycle_and_accepts_a_tree() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_import_graph_sees_the_real_imports() -> None:
    graph = import_graph(["scrapers"])
    assert "scrapers.model" in graph["scrapers.normalize"]
    assert "scrapers.budget_text" in graph["scrapers.sources.hn_freelancer"]


@pytest.mark.parametrize("packages", [["scrapers"]])
def test_no_import_cycles(packages: list[str]) -> None:
    assert find_cycle(import_graph(packages)) is None


def test_scrapers_import_nothing_from_bot() -> None:
    offenders = sorted(
        f"{module_name(path)} imports {name}"
        for path in (ROOT / "scrapers").rglob("*.py")
        for name in imported_names(path)
        if name == "bot" or name.startswith("bot.")
    )
    assert offenders == []
