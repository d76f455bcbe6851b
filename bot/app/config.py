"""Typed settings: config.toml plus SAMBILAN_* environment overrides, validated at start."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from scrapers.plan import plan_source
from scrapers.sources import SOURCES

DEFAULT_CONFIG_PATH = Path("config.toml")
ENV_PREFIX = "SAMBILAN_"
TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


class ConfigError(Exception):
    """A configuration problem, worded for the person who has to fix it."""


class TelegramSettings(BaseModel):
    """How to reach Telegram and who administers the bot."""

    token: str = ""
    api_base_url: str = "https://api.telegram.org/bot"
    api_file_url: str = "https://api.telegram.org/file/bot"
    admin_ids: list[int] = Field(default_factory=list)
    # Webhook mode (behind a reverse proxy): empty webhook_url means long polling.
    webhook_url: str = ""
    webhook_secret: str = ""

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: str) -> str:
        if value and not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", value):
            raise ValueError("must be 16-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> TelegramSettings:
        if self.webhook_url and not self.webhook_url.startswith("https://"):
            raise ValueError("webhook_url must be an https:// URL Telegram can reach")
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("webhook_url needs webhook_secret (Telegram sends it back to us)")
        return self

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: str) -> str:
        value = value.strip()
        if value and not TOKEN_PATTERN.match(value):
            raise ValueError("does not look like a bot token (expected 123456789:ABC...)")
        return value

    @field_validator("api_base_url", "api_file_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value


class DatabaseSettings(BaseModel):
    """Where the data lives."""

    url: str = "sqlite+aiosqlite:///sambilan.db"

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith("postgresql://"):
            value = "postgresql+asyncpg://" + value.removeprefix("postgresql://")
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must start with sqlite+aiosqlite:/// or postgresql+asyncpg:// "
                "(e.g. sqlite+aiosqlite:///sambilan.db)"
            )
        return value


class BotSettings(BaseModel):
    """Defaults for new users."""

    timezone: str = "Asia/Jakarta"
    currency: str = "IDR"
    # Per-user flood limit: a burst of commands, then this many per second.
    commands_per_second: float = Field(default=1.0, gt=0)
    command_burst: int = Field(default=8, ge=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Jakarta)") from exc
        return value

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{3}", value):
            raise ValueError("must be a 3-letter ISO currency code such as IDR or USD")
        return value.upper()


class ScraperSettings(BaseModel):
    """How politely and how long to fetch."""

    user_agent: str = "SambilanBot/0.1 (+https://github.com/sambilan/sambilan)"
    total_timeout_seconds: float = Field(default=30.0, gt=0)
    connect_timeout_seconds: float = Field(default=10.0, gt=0)
    max_response_bytes: int = Field(default=5_000_000, gt=0)
    min_host_interval_seconds: float = Field(default=1.0, ge=0)
    retries: int = Field(default=2, ge=0, le=10)
    respect_robots: bool = True
    # A source failing this many times in a row is disabled (retried daily) and admins told.
    disable_after_failures: int = Field(default=5, ge=1)


class DeliverySettings(BaseModel):
    """How the outbox is drained."""

    interval_seconds: float = Field(default=5.0, gt=0)
    batch_size: int = Field(default=100, gt=0, le=1000)
    max_attempts: int = Field(default=5, gt=0)
    # Paid broadcasts: alerts are sent with allow_paid_broadcast (Telegram charges Stars per
    # message beyond the free 30 a second) at up to `paid_rate` a second; still about one a
    # second per chat. Off by default.
    paid_broadcast: bool = False
    paid_rate: int = Field(default=1000, ge=30, le=1000)


GENERIC_KINDS = ("rss", "html")
SELECTOR_KEYS = frozenset(
    {"item", "title", "link", "budget", "date", "text", "id_attr", "currency"}
)


class SourceSettings(BaseModel):
    """One source: on or off, where to fetch, how often, and what kind of page it is."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    # A built-in source name, or "rss" / "html" for generic sources; default: the section name.
    kind: str | None = None
    label: str | None = None
    url: str = ""
    interval_seconds: int = Field(default=600, ge=1)
    # Currency assumed where a listing states an amount without one.
    currency: str | None = None
    # Telegram: public channel usernames; the url has {channel} in it.
    channels: list[str] = Field(default_factory=list)
    # Generic HTML: CSS selectors for item, title, link and optionally budget, date, text.
    selectors: dict[str, str] = Field(default_factory=dict)
    # Dealls: employment types asked for (default freelance, part-time, contract) and how
    # many pages (newest first) each run reads.
    employment_types: list[str] | None = None
    pages: int | None = Field(default=None, ge=1, le=10)
    # Freelancer.com: also ask for projects in these languages (ISO codes such as "id") and,
    # separately, projects from these countries (names such as "Indonesia" or ISO codes).
    languages: list[str] | None = None
    countries: list[str] | None = None
    # Reddit: optional OAuth app credentials (client credentials grant).
    client_id: str = ""
    client_secret: str = ""
    oauth_url: str = "https://oauth.reddit.com/r/forhire+slavelabour/new?limit=100"
    token_url: str = "https://www.reddit.com/api/v1/access_token"

    @field_validator("channels")
    @classmethod
    def _channel_names(cls, value: list[str]) -> list[str]:
        names = [v.strip().removeprefix("@") for v in value if v.strip()]
        for name in names:
            if not re.fullmatch(r"[A-Za-z0-9_]{4,64}", name):
                raise ValueError(f"{name!r} is not a public channel username (e.g. lokerfreelance)")
        return names

    @field_validator("countries")
    @classmethod
    def _country_codes(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [country_code(v) for v in value if v.strip()]


@cache
def _country_names() -> dict[str, str]:
    """Country names in English and Indonesian (and the codes themselves) -> ISO code."""
    names: dict[str, str] = {}
    for locale in ("en", "id"):
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                names[name.casefold()] = names[code.casefold()] = code.lower()
    return names


def country_code(value: str) -> str:
    """A country name ("Indonesia") or ISO 3166 code ("ID") as the lower-case code the
    Freelancer.com API takes; ValueError for anything else."""
    code = _country_names().get(value.strip().casefold())
    if code is None:
        raise ValueError(f"{value!r} is not a country name or two-letter code (e.g. Indonesia)")
    return code


def _source_defaults(name: str) -> dict[str, Any]:
    spec = SOURCES.get(name)
    if spec is None:
        return {}
    return {
        "url": spec.default_url,
        "interval_seconds": spec.default_interval,
        "enabled": spec.enabled_by_default,
    }


def _default_sources() -> dict[str, SourceSettings]:
    return {name: SourceSettings(**_source_defaults(name)) for name in SOURCES}


def _check_source(name: str, source: SourceSettings) -> None:
    kind = source.kind or name
    if kind not in SOURCES and kind not in GENERIC_KINDS:
        known = ", ".join(sorted(SOURCES))
        raise ValueError(
            f"unknown source {name!r}: use a built-in name ({known}) or set kind to "
            '"rss" or "html" for a generic source'
        )
    if not source.enabled:
        return
    if not source.url.startswith(("http://", "https://")):
        raise ValueError(f"sources.{name}.url must be an http(s) URL")
    terms = SOURCES[kind].terms if kind in SOURCES else None
    if terms and terms.min_interval and source.interval_seconds < terms.min_interval:
        raise ValueError(
            f"sources.{name}.interval_seconds is {source.interval_seconds}, below the"
            f" {terms.min_interval} seconds {SOURCES[kind].label}'s terms allow ({terms.limit})"
        )
    label = source.label
    if (
        terms
        and terms.attribution
        and label
        and terms.attribution.casefold() not in label.casefold()
    ):
        raise ValueError(
            f"sources.{name}.label must name {terms.attribution!r}: its terms ask to be"
            " credited as the source"
        )
    if kind == "html":
        missing = {"item", "title", "link"} - set(source.selectors)
        unknown = set(source.selectors) - SELECTOR_KEYS
        if missing or unknown:
            raise ValueError(
                f"sources.{name}.selectors needs item, title and link"
                + (f" (missing: {', '.join(sorted(missing))})" if missing else "")
                + (f" (unknown: {', '.join(sorted(unknown))})" if unknown else "")
            )
    if kind == "telegram":
        if not source.channels:
            raise ValueError(
                f'sources.{name}.channels is empty: list public channels, e.g. ["lokerfreelance"]'
            )
        if "{channel}" not in source.url:
            raise ValueError(f"sources.{name}.url must contain {{channel}}")


class ServerSettings(BaseModel):
    """The small HTTP server: /healthz, /readyz, /metrics, the webhook and the Mini App."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    # The public https address that reaches this server (a reverse proxy in front of it);
    # when set, the dashboard Mini App at <public_url>/app/ is the bot's menu button.
    public_url: str = ""
    # Mini App sessions: initData signed longer ago than this is refused.
    init_data_max_age_seconds: int = Field(default=86_400, ge=60)

    @field_validator("public_url")
    @classmethod
    def _https_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not re.fullmatch(r"https://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError(
                "must be the https:// address Telegram opens, e.g. https://sambilan.example.com"
            )
        return value

    @model_validator(mode="after")
    def _served(self) -> ServerSettings:
        if self.public_url and not self.enabled:
            raise ValueError("public_url needs enabled = true: the server serves the dashboard")
        return self

    @property
    def webapp_url(self) -> str | None:
        """Where Telegram opens the dashboard, or None when no public_url is set."""
        return f"{self.public_url}/app/" if self.public_url else None


class RatesSettings(BaseModel):
    """Exchange rates for filters and totals: what one unit of each currency is worth in IDR."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date = dt.date(2026, 11, 1)
    idr_per_unit: dict[str, Decimal] = Field(
        default_factory=lambda: {
            "IDR": Decimal(1),
            "USD": Decimal(16600),
            "EUR": Decimal(19200),
            "GBP": Decimal(21900),
            "SGD": Decimal(12800),
            "AUD": Decimal(10800),
            "MYR": Decimal(3900),
            "THB": Decimal(510),
        }
    )

    @field_validator("idr_per_unit")
    @classmethod
    def _positive(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        cleaned = {code.upper(): rate for code, rate in value.items()}
        for code, rate in cleaned.items():
            if not re.fullmatch(r"[A-Z]{3}", code) or rate <= 0:
                raise ValueError(f"{code}: rates need a 3-letter code and a positive value")
        cleaned.setdefault("IDR", Decimal(1))
        return cleaned


class Settings(BaseSettings):
    """Everything Sambilan can be told; see config.example.toml."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid"
    )

    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    bot: BotSettings = Field(default_factory=BotSettings)
    scraper: ScraperSettings = Field(default_factory=ScraperSettings)
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    rates: RatesSettings = Field(default_factory=RatesSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    sources: dict[str, SourceSettings] = Field(default_factory=_default_sources)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Environment variables override the TOML file, which overrides the defaults."""
        return (env_settings, init_settings)

    @field_validator("sources", mode="before")
    @classmethod
    def _fill_source_defaults(cls, value: Any) -> Any:
        """A built-in source's defaults fill in whatever its section leaves out."""
        if not isinstance(value, dict):
            return value
        merged: dict[str, Any] = {name: _source_defaults(name) for name in SOURCES}
        for name, given in value.items():
            if isinstance(given, SourceSettings):
                given = given.model_dump(exclude_unset=True)
            if not isinstance(given, dict):
                merged[name] = given
                continue
            kind = given.get("kind") or name
            merged[name] = {**_source_defaults(kind), **_source_defaults(name), **given}
        return merged

    @field_validator("sources")
    @classmethod
    def _valid_sources(cls, value: dict[str, SourceSettings]) -> dict[str, SourceSettings]:
        for name, source in value.items():
            _check_source(name, source)
        return value

    def enabled_sources(self) -> dict[str, SourceSettings]:
        """The sources that should be scraped."""
        return {name: s for name, s in self.sources.items() if s.enabled}

    def require_token(self) -> str:
        """The bot token, or a ConfigError saying how to provide one."""
        if not self.telegram.token:
            raise ConfigError(
                "telegram.token is missing: get a token from @BotFather and put it in "
                'config.toml under [telegram] token = "..." or set SAMBILAN_TELEGRAM__TOKEN'
            )
        return self.telegram.token


def _describe(error: ErrorDetails) -> str:
    location = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    env_name = ENV_PREFIX + "__".join(str(p).upper() for p in error["loc"])
    return (
        f"{location}: {message} (got {error.get('input')!r}); "
        f"fix it in the config file or in {env_name}"
    )


def load_settings(path: Path | None = None) -> Settings:
    """Read the TOML file (if any) and the environment; raise ConfigError on any problem."""
    file_values: dict[str, Any] = {}
    explicit = path is not None
    path = path or DEFAULT_CONFIG_PATH
    if path.exists():
        try:
            file_values = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    elif explicit:
        raise ConfigError(f"{path}: no such config file (copy config.example.toml to start)")
    try:
        settings = Settings(**file_values)
    except ValidationError as exc:
        lines = [_describe(err) for err in exc.errors(include_url=False)]
        raise ConfigError("invalid configuration: " + "; ".join(lines)) from exc
    for name, source in settings.enabled_sources().items():
        try:
            plan_source(name, source)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"invalid configuration: sources.{name}: {exc}") from exc
    return settings
