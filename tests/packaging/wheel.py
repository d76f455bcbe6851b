"""Build the project's wheel from the files git knows, as CI and the Dockerfile install it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
PACKAGES = ("bot", "scrapers", "migrations")


def project_files(root: Path = ROOT) -> list[str]:
    """Tracked files, plus new ones not ignored yet, as paths relative to the checkout."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return sorted(p for p in listed.split("\0") if p and (root / p).is_file())


def build_wheel(out: Path, root: Path = ROOT) -> Path:
    """Copy the project's files to a clean tree (no stale build/), build the wheel there."""
    tree = out / "source"
    for name in project_files(root):
        target = tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*pip_wheel, "-q", "--wheel-dir", str(out), str(tree)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("sambilan-*.whl")
    return wheel


if __name__ == "__main__":
    print(build_wheel(Path(sys.argv[1]).resolve()))
