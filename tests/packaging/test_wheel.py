"""The wheel carries every file the packages need at run time, and nothing stale."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.packaging.wheel import PACKAGES, build_wheel, project_files


def test_wheel_carries_every_file_of_the_packages(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        inside = set(archive.namelist())
        entry_points = archive.read("sambilan-0.1.0.dist-info/entry_points.txt").decode()
    wanted = {p for p in project_files() if p.split("/", 1)[0] in PACKAGES}
    data = {p for p in wanted if not p.endswith(".py")}
    assert "bot/matching/taxonomy.toml" in data and "migrations/script.py.mako" in data
    assert any(p.endswith(".po") for p in data)
    dashboard = {f"bot/webapp/static/{name}" for name in ("index.html", "app.js", "app.css")}
    assert dashboard <= data  # the Mini App is served from the installed package
    assert sorted(wanted - inside) == []
    packaged = {p for p in inside if p.split("/", 1)[0] in PACKAGES}
    assert sorted(packaged - wanted) == []  # no caches, no leftovers of older builds
    assert "sambilan = bot.__main__:main" in entry_points
