"""The `sambilan` command as a person runs it: db upgrade, scrape --once and parse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[1] / "fixtures"
TOKEN = "123456789:TEST-sambilan-token-0123456789"


@pytest.fixture
def remoteok_server() -> Iterator[str]:
    body = (FIXTURES / "remoteok_api.json").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api"
    finally:
        server.shutdown()


def sambilan(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SAMBILAN_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, **env, "PYTHONPATH": str(Path(__file__).parents[2])},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_db_upgrade_creates_the_database(tmp_path: Path) -> None:
    env = {"SAMBILAN_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    result = sambilan("db", "upgrade", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "x.db").stat().st_size > 0


def test_scrape_once_prints_normalised_gigs_as_json(tmp_path: Path, remoteok_server: str) -> None:
    env = {
        "SAMBILAN_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        "SAMBILAN_SOURCES__REMOTEOK__URL": remoteok_server,
    }
    result = sambilan("scrape", "--once", "--source", "remoteok", "--json", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    gigs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(gigs) == 11
    assert gigs[0]["key"].startswith("remoteok:")
    assert all(g["source"] == "remoteok" and g["url"] for g in gigs)
    assert "remoteok: 11 items, 11 new" in result.stderr


def test_scrape_unknown_source_is_explained(tmp_path: Path) -> None:
    env = {"SAMBILAN_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    result = sambilan("scrape", "--once", "--source", "nosuch", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown source(s): nosuch" in result.stdout


def test_parse_a_saved_payload_offline(tmp_path: Path) -> None:
    env = {"SAMBILAN_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    fixture = str(FIXTURES / "projects_co_id_listing.html")
    result = sambilan("parse", "projects_co_id", fixture, "--json", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    gigs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [g["external_id"] for g in gigs][:2] == ["54e71a", "bee61a"]
    assert gigs[0]["budget"]["currency"] == "IDR"
    assert "projects_co_id: 12 gigs" in result.stderr
    assert not (tmp_path / "x.db").exists()  # offline and without touching the database


def test_parse_explains_bad_input(tmp_path: Path) -> None:
    env = {"SAMBILAN_DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    missing = sambilan("parse", "remoteok", str(tmp_path / "nope.json"), env=env, cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    junk = tmp_path / "junk.json"
    junk.write_text("<html>maintenance</html>")
    broken = sambilan("parse", "remoteok", str(junk), env=env, cwd=tmp_path)
    assert broken.returncode == 1 and "expected JSON" in broken.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_config_is_read_before_or_after_the_subcommand(tmp_path: Path, where: str) -> None:
    database = tmp_path / "named-in-config.db"
    config = tmp_path / "elsewhere" / "bot.toml"
    config.parent.mkdir()
    config.write_text(
        f'[telegram]\ntoken = "{TOKEN}"\n[database]\nurl = "sqlite+aiosqlite:///{database}"\n'
    )

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        given = ("--config", str(config))
        args = (*given, *command) if where == "before" else (*command, *given)
        return sambilan(*args, env={}, cwd=tmp_path)

    checked = run("check-config")
    assert checked.returncode == 0, checked.stderr
    assert f"database sqlite+aiosqlite:///{database}" in checked.stdout
    upgraded = run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert database.stat().st_size > 0
    # Without the config there is no token; with it, `run` gets as far as the role check.
    refused = run("run", "--role", "bot")
    assert refused.returncode == 2
    assert "share work through PostgreSQL" in refused.stderr
