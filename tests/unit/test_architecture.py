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


# Where a handler module may import from (besides the standard library and third parties):
# the ui, the domain, the store, the pure matcher, the shared handler pieces, and the runtime and
# configuration it is given. Never another handler module.
HANDLER_MAY_IMPORT = (
    "bot.ui",
    "bot.domain",
    "bot.store",
    "bot.matching",
    "bot.handlers.common",
    "bot.app.runtime",
    "bot.app.config",
)
MAX_TOP_LEVEL_MODULES = 6


def _within(name: str, prefixes: Iterable[str]) -> bool:
    """Whether `name` is one of `prefixes` or inside one of them."""
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def handler_offenders(graph: dict[str, set[str]]) -> list[str]:
    """Imports of a handler module (outside handlers.common) that reach beyond its layers."""
    return sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if _within(module, ["bot.handlers"])
        and not _within(module, ["bot.handlers.common"])
        and module != "bot.handlers"
        for target in targets
        if _within(target, ["bot"]) and target != "bot" and not _within(target, HANDLER_MAY_IMPORT)
    )


def forbidden_imports(
    imports: dict[str, set[str]], package: str, banned: Iterable[str]
) -> list[str]:
    """Imports (project or third-party) from modules of `package` into any of `banned`."""
    banned = list(banned)
    return sorted(
        f"{module} imports {target}"
        for module, targets in imports.items()
        if _within(module, [package])
        for target in targets
        if _within(target, banned)
    )


def all_imports(packages: Iterable[str]) -> dict[str, set[str]]:
    """Module -> every module it imports (project and third-party), over `packages`."""
    files = [p for package in packages for p in sorted((ROOT / package).rglob("*.py"))]
    return {module_name(path): imported_names(path) for path in files}


def top_level_modules(folder: Path) -> list[str]:
    """The plain .py modules directly inside `folder` (packages not counted)."""
    return sorted(p.name for p in folder.glob("*.py"))


@pytest.mark.parametrize("packages", [["scrapers"], ["bot", "scrapers"]])
def test_no_import_cycles(packages: list[str]) -> None:
    assert find_cycle(import_graph(packages)) is None


def test_scrapers_import_nothing_from_bot() -> None:
    assert forbidden_imports(all_imports(["scrapers"]), "scrapers", ["bot"]) == []


def test_handlers_import_ui_domain_and_store_never_each_other() -> None:
    assert handler_offenders(import_graph(["bot"])) == []


def test_matching_imports_neither_store_handlers_nor_telegram() -> None:
    banned = ["bot.store", "bot.handlers", "telegram"]
    assert forbidden_imports(all_imports(["bot/matching"]), "bot.matching", banned) == []


def test_store_imports_neither_handlers_telegram_nor_duplicate_finding() -> None:
    banned = ["bot.handlers", "telegram", "scrapers.dedup", "bot.ingest.duplicates"]
    assert forbidden_imports(all_imports(["bot/store"]), "bot.store", banned) == []


def test_bot_keeps_few_plain_modules_at_its_top_level() -> None:
    assert len(top_level_modules(ROOT / "bot")) <= MAX_TOP_LEVEL_MODULES


# Each rule fails on a small graph that breaks it.


def test_handler_rule_catches_a_handler_importing_another() -> None:
    graph = {
        "bot.handlers.a": {"bot.handlers.b", "bot.handlers.common", "bot.ui.render"},
        "bot.handlers.b": {"bot.outbox.delivery", "bot.store.repos"},
        "bot.handlers.common.cards": {"bot.handlers.common"},
    }
    assert handler_offenders(graph) == [
        "bot.handlers.a imports bot.handlers.b",
        "bot.handlers.b imports bot.outbox.delivery",
    ]


def test_forbidden_imports_catch_the_store_reaching_telegram_or_dedup() -> None:
    imports = {
        "bot.store.repos": {"scrapers.dedup", "scrapers.dedup.Signature", "sqlalchemy"},
        "bot.store.models": {"telegram.constants"},
        "bot.matching.index": {"bot.store.models"},
        "scrapers.http": {"bot.app.config"},
    }
    banned = ["bot.handlers", "telegram", "scrapers.dedup"]
    assert forbidden_imports(imports, "bot.store", banned) == [
        "bot.store.models imports telegram.constants",
        "bot.store.repos imports scrapers.dedup",
        "bot.store.repos imports scrapers.dedup.Signature",
    ]
    assert forbidden_imports(imports, "bot.matching", ["bot.store"]) == [
        "bot.matching.index imports bot.store.models"
    ]
    assert forbidden_imports(imports, "scrapers", ["bot"]) == [
        "scrapers.http imports bot.app.config"
    ]


def test_top_level_count_sees_modules_not_packages(tmp_path: Path) -> None:
    for name in ("__init__.py", "__main__.py", "a.py"):
        (tmp_path / name).write_text("")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "b.py").write_text("")
    assert top_level_modules(tmp_path) == ["__init__.py", "__main__.py", "a.py"]
