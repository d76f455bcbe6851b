"""The `sambilan` console script, as installed, starts and answers /start over the Bot API.

CI runs this file (with the end-to-end tests) a second time in a fresh virtualenv that has
only the built wheel installed, from a directory outside the checkout, with
SAMBILAN_TEST_CHECKOUT naming the checkout: there `bot` must come from site-packages.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

import bot
from scrapers.sources import SOURCES
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import TOKEN

pytestmark = pytest.mark.timeout(90)
CHECKOUT_ENV = "SAMBILAN_TEST_CHECKOUT"
USER = 6101


def test_bot_comes_from_the_installed_package_when_asked() -> None:
    checkout = os.environ.get(CHECKOUT_ENV)
    if not checkout:
        pytest.skip(f"{CHECKOUT_ENV} is set by CI's installed-wheel run only")
    location = Path(bot.__file__).resolve()
    assert not location.is_relative_to(Path(checkout).resolve()), location
    assert location.is_relative_to(Path(sys.prefix).resolve()), (location, sys.prefix)


def write_config(path: Path, api: FakeBotApi, database: Path) -> Path:
    """A config.toml for the fake Bot API: no sources, no HTTP server."""
    lines = [
        "[telegram]",
        f'token = "{TOKEN}"',
        f'api_base_url = "{api.base_url}"',
        f'api_file_url = "{api.base_file_url}"',
        "[database]",
        f'url = "sqlite+aiosqlite:///{database}"',
        "[server]",
        "enabled = false",
    ]
    for name in SOURCES:
        lines += [f"[sources.{name}]", "enabled = false"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_the_sambilan_command_answers_start(api: FakeBotApi, tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "sambilan"
    assert command.exists(), f"no console script next to {sys.executable}"
    config = write_config(tmp_path / "config.toml", api, tmp_path / "sambilan.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMBILAN_")}
    env.pop("PYTHONPATH", None)
    log = (tmp_path / "run.log").open("w")
    process = await asyncio.create_subprocess_exec(
        str(command),
        *("run", "--config", str(config)),
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=log,
    )
    try:
        api.user_sends(USER, "/start")
        try:
            await api.wait_for("sendMessage", chat_id=USER, timeout=60)
        except TimeoutError:
            pytest.fail((tmp_path / "run.log").read_text()[-3000:])
        assert "/subscribe" in api.messages(USER)[-1]["text"]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 30)
        log.close()
    assert code == 0, (tmp_path / "run.log").read_text()[-3000:]
