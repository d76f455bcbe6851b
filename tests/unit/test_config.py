"""Configuration: defaults, the TOML file, environment overrides and clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.app.config import ConfigError, load_settings

ROOT = Path(__file__).parents[2]
GOOD_TOKEN = "123456789:AAHk-test-token-abcdefghijklmnop"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("SAMBILAN_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_is_valid_and_has_the_documented_keys() -> None:
    settings = load_settings(ROOT / "config.example.toml")
    assert settings.telegram.api_base_url == "https://api.telegram.org/bot"
    assert settings.telegram.admin_ids == []
    assert settings.database.url == "sqlite+aiosqlite:///sambilan.db"
    assert settings.sources["remoteok"].url == "https://remoteok.com/api"
    assert settings.sources["projects_co_id"].interval_seconds == 300
    assert settings.sources["projects_co_id"].enabled is True


def test_defaults_without_a_file() -> None:
    settings = load_settings()
    assert settings.telegram.token == ""
    assert settings.bot.timezone == "Asia/Jakarta"
    assert set(settings.enabled_sources()) >= {"projects_co_id", "remoteok"}


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[telegram]\ntoken = "1:short"\n[sources.remoteok]\nenabled = true\n')
    monkeypatch.setenv("SAMBILAN_TELEGRAM__TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("SAMBILAN_SOURCES__REMOTEOK__ENABLED", "false")
    monkeypatch.setenv("SAMBILAN_SOURCES__REMOTEOK__URL", "http://127.0.0.1:9/api")
    settings = load_settings(path)
    assert settings.telegram.token == GOOD_TOKEN
    assert settings.sources["remoteok"].enabled is False
    assert settings.sources["remoteok"].url == "http://127.0.0.1:9/api"
    assert "remoteok" not in settings.enabled_sources()


def test_missing_token_names_the_key_and_the_fix() -> None:
    settings = load_settings()
    with pytest.raises(ConfigError) as error:
        settings.require_token()
    message = str(error.value)
    assert "telegram.token" in message
    assert "@BotFather" in message and "SAMBILAN_TELEGRAM__TOKEN" in message


@pytest.mark.parametrize(
    ("toml", "key", "problem"),
    [
        ('[telegram]\ntoken = "not-a-token"\n', "telegram.token", "does not look like"),
        ('[telegram]\nadmin_ids = ["bob"]\n', "telegram.admin_ids", "integer"),
        ('[database]\nurl = "mysql://x"\n', "database.url", "sqlite+aiosqlite"),
        ('[bot]\ntimezone = "Mars/Base"\n', "bot.timezone", "unknown time zone"),
        ("[sources.nosuch]\nenabled = true\n", "sources", "unknown source 'nosuch'"),
        ("[sources.remoteok]\ninterval_seconds = 0\n", "sources.remoteok.interval_seconds", ""),
        ("[telegrm]\ntoken = 1\n", "telegrm", "Extra inputs"),
        ('[server]\npublic_url = "http://x.example"\n', "server.public_url", "https://"),
        ('[server]\nenabled = false\npublic_url = "https://x.example"\n', "server", "enabled"),
        ("[server]\ninit_data_max_age_seconds = 0\n", "server.init_data_max_age_seconds", ""),
    ],
)
def test_invalid_values_are_named(tmp_path: Path, toml: str, key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(write(tmp_path, toml))
    assert key in str(error.value)
    assert problem in str(error.value)


def test_the_dashboard_address_comes_from_public_url(tmp_path: Path) -> None:
    assert load_settings().server.webapp_url is None
    assert load_settings().server.init_data_max_age_seconds == 86_400
    settings = load_settings(write(tmp_path, '[server]\npublic_url = "https://b.example/s/"\n'))
    assert settings.server.webapp_url == "https://b.example/s/app/"


def test_broken_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[telegram\n"))
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "absent.toml")


def test_check_config_prints_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-config"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "telegram.token is missing" in err[0]
    path = write(tmp_path, f'[telegram]\ntoken = "{GOOD_TOKEN}"\n')
    assert main(["--config", str(path), "check-config"]) == 0
    assert "configuration OK" in capsys.readouterr().out
