"""The `sambilan` console script, as installed, starts and answers /start over the Bot API.

CI runs this file (with the end-to-end tests) a second time in a fresh virtualenv that has
only the built wheel installed, from a directory outside the checkout, with
SAMBILAN_TEST_CHECKOUT naming the checkout: there `bot` must come from site-packages. Where
a container engine runs, CI also builds the Docker image and names it in SAMBILAN_TEST_IMAGE.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

import bot
from scrapers.sources import SOURCES
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import TOKEN

pytestmark = pytest.mark.timeout(90)
CHECKOUT_ENV = "SAMBILAN_TEST_CHECKOUT"
IMAGE_ENV = "SAMBILAN_TEST_IMAGE"
USER = 6101


def test_bot_comes_from_the_installed_package_when_asked() -> None:
    checkout = os.environ.get(CHECKOUT_ENV)
    if not checkout:
        pytest.skip(f"{CHECKOUT_ENV} is set by CI's installed-wheel run only")
    location = Path(bot.__file__).resolve()
    assert not location.is_relative_to(Path(checkout).resolve()), location
    assert location.is_relative_to(Path(sys.prefix).resolve()), (location, sys.prefix)


def write_config(path: Path, api: FakeBotApi, database: str, port: int | None = None) -> Path:
    """A config.toml for the fake Bot API: no sources; the HTTP server only on `port`."""
    lines = [
        "[telegram]",
        f'token = "{TOKEN}"',
        f'api_base_url = "{api.base_url}"',
        f'api_file_url = "{api.base_file_url}"',
        "[database]",
        f'url = "{database}"',
        "[server]",
        f"enabled = {'true' if port else 'false'}",
        'host = "127.0.0.1"',
        f"port = {port or 0}",
    ]
    for name in SOURCES:
        lines += [f"[sources.{name}]", "enabled = false"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def answers_start(api: FakeBotApi, process: asyncio.subprocess.Process, log: Path) -> None:
    """The started bot answers /start with its welcome, then stops cleanly on SIGTERM."""
    try:
        api.user_sends(USER, "/start")
        try:
            await api.wait_for("sendMessage", chat_id=USER, timeout=60)
        except TimeoutError:
            pytest.fail(tail(log))
        assert "/subscribe" in api.messages(USER)[-1]["text"]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 30)
    assert code == 0, tail(log)


def tail(log: Path) -> str:
    """The end of a process's log, for a failure message."""
    return log.read_text()[-3000:]


def clean_env() -> dict[str, str]:
    """The environment without the tests' own settings or import paths."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMBILAN_")}
    env.pop("PYTHONPATH", None)
    return env


async def test_the_sambilan_command_answers_start(api: FakeBotApi, tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "sambilan"
    assert command.exists(), f"no console script next to {sys.executable}"
    database = f"sqlite+aiosqlite:///{tmp_path / 'sambilan.db'}"
    config = write_config(tmp_path / "config.toml", api, database)
    log = tmp_path / "run.log"
    with log.open("w") as stderr:
        process = await asyncio.create_subprocess_exec(
            str(command),
            *("run", "--config", str(config)),
            env=clean_env(),
            cwd=tmp_path,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
        await answers_start(api, process, log)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def config_for_container(tmp_path: Path, api: FakeBotApi, port: int) -> Path:
    """A folder with config.toml that the image's unprivileged user can read."""
    mounted = tmp_path / "config"
    mounted.mkdir()
    for folder in (tmp_path, mounted):
        folder.chmod(0o755)
    write_config(mounted / "config.toml", api, "sqlite+aiosqlite:////data/s.db", port)
    (mounted / "config.toml").chmod(0o644)
    return mounted


async def test_the_docker_image_answers_start_and_is_ready(api: FakeBotApi, tmp_path: Path) -> None:
    image = os.environ.get(IMAGE_ENV)
    if not image:
        pytest.skip(f"{IMAGE_ENV} names an image CI built; unset where no engine runs")
    port = free_port()
    mounted = config_for_container(tmp_path, api, port)
    name = f"sambilan-test-{port}"
    log = tmp_path / "docker.log"
    with log.open("w") as stderr:
        process = await asyncio.create_subprocess_exec(
            *("docker", "run", "--rm", "--init", "--name", name, "--network", "host"),
            *("-v", f"{mounted}:/config:ro", "-e", f"SAMBILAN_SERVER__PORT={port}"),
            *(image, "sambilan", "run"),
            *("--config", "/config/config.toml"),
            env=clean_env(),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            await answers_start_in(api, process, log, name, port)
        finally:
            stop = await asyncio.create_subprocess_exec(
                "docker", "rm", "-f", name, stdout=asyncio.subprocess.DEVNULL, stderr=stderr
            )
            await stop.wait()


async def answers_start_in(
    api: FakeBotApi, process: asyncio.subprocess.Process, log: Path, name: str, port: int
) -> None:
    """The container answers /start and reports ready, then stops cleanly."""
    api.user_sends(USER, "/start")
    try:
        await api.wait_for("sendMessage", chat_id=USER, timeout=90)
    except TimeoutError:
        pytest.fail(tail(log))
    assert "/subscribe" in api.messages(USER)[-1]["text"]
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/readyz") as r:
        assert r.status == 200
    stop = await asyncio.create_subprocess_exec(
        "docker", "stop", name, stdout=asyncio.subprocess.DEVNULL
    )
    await stop.wait()
    assert await asyncio.wait_for(process.wait(), 60) == 0, tail(log)
