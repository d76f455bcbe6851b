"""Command line: run the bot, scrape once, upgrade the database, check the configuration."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.app.config import ConfigError, Settings, load_settings
from bot.app.logsetup import setup_logging
from bot.app.runtime import Runtime
from bot.ingest.pipeline import ScrapeReport, scrape_source
from bot.store.db import Database
from scrapers.model import Gig
from scrapers.plan import plan_source


def _common_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--config and --verbose, accepted before and after the subcommand.

    After the subcommand they default to SUPPRESS, so they never undo what was given before
    it: `sambilan --config x.toml run` and `sambilan run --config x.toml` are the same.
    """
    default: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
    parser.add_argument(
        "--config", type=Path, help="config file (default: ./config.toml)", **default
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging", **default)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sambilan", description=__doc__)
    _common_options(parser, top=True)
    shared = argparse.ArgumentParser(add_help=False)
    _common_options(shared, top=False)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, parents=[shared])

    run = command("run", help="run the bot, scrapers and delivery (long polling)")
    run.add_argument(
        "--role",
        choices=["all", "bot", "worker"],
        default="all",
        help="all: everything in one process (default, SQLite); bot: Telegram updates and "
        "delivery; worker: scraping and matching (run several on PostgreSQL)",
    )
    scrape = command("scrape", help="run the sources now and print what they found")
    scrape.add_argument("--once", action="store_true", required=True, help="one pass, then exit")
    scrape.add_argument("--source", action="append", help="only this source (repeatable)")
    scrape.add_argument("--json", action="store_true", help="print gigs as JSON lines")
    parse = command("parse", help="parse a saved payload offline and print the gigs")
    parse.add_argument("source", help="a configured source name, e.g. projects_co_id")
    parse.add_argument("file", type=Path, help="the saved page or API response")
    parse.add_argument("--json", action="store_true", help="print gigs as JSON lines")
    db = command("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"], help="apply all migrations")
    command("check-config", help="validate the configuration and exit")
    return parser


def gig_json(gig: Gig) -> str:
    """One normalised gig as a JSON line."""
    data = asdict(gig)
    data["budget"] = {k: (str(v) if v is not None else None) for k, v in data["budget"].items()}
    data["posted_at"] = gig.posted_at.isoformat() if gig.posted_at else None
    data["key"] = gig.key
    return json.dumps(data, ensure_ascii=False, default=str)


def _print_gig(gig: Gig, as_json: bool) -> None:
    print(gig_json(gig) if as_json else f"[{gig.key}] {gig.title} <{gig.url}>")


async def _scrape_once(settings: Settings, names: Sequence[str] | None, as_json: bool) -> int:
    wanted = list(names or settings.enabled_sources())
    unknown = [n for n in wanted if n not in settings.sources]
    if unknown:
        print(f"unknown source(s): {', '.join(unknown)}; known: {', '.join(settings.sources)}")
        return 2
    for name in wanted:
        settings.sources[name].enabled = True  # asked for by name: run it even if off
    runtime = await Runtime.open(settings)
    try:
        reports: list[ScrapeReport] = await asyncio.gather(
            *(scrape_source(runtime, name, keep_gigs=True) for name in wanted)
        )
    finally:
        await runtime.close()
    for report in reports:
        for gig in report.gigs:
            _print_gig(gig, as_json)
    status = sys.stderr if as_json else sys.stdout
    for report in reports:
        print(report.summary(), file=status)
        for event in report.events:
            print(event, file=status)
    return 0 if all(r.ok for r in reports) else 1


def _parse_file(settings: Settings, name: str, path: Path, as_json: bool) -> int:
    if name not in settings.sources:
        print(f"unknown source: {name}; known: {', '.join(settings.sources)}", file=sys.stderr)
        return 2
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    plan = plan_source(name, settings.sources[name])
    payload = path.read_bytes()
    count = 0
    for target in plan.targets[:1]:
        try:
            gigs = target.parse(payload)
        except Exception as exc:
            print(f"{name}: could not parse {path}: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        for gig in gigs:
            _print_gig(gig, as_json)
        count += len(gigs)
    print(f"{name}: {count} gigs from {path}", file=sys.stderr)
    return 0


async def _upgrade(settings: Settings) -> None:
    db = Database(settings.database.url)
    try:
        await db.upgrade()
    finally:
        await db.close()


def _run(settings: Settings, role: str) -> int:
    from bot.app.allocator import keep_freed_memory
    from bot.app.serve import serve

    if role != "all" and settings.database.url.startswith("sqlite"):
        print(
            "sambilan: --role bot/worker share work through PostgreSQL; with SQLite run the "
            "single process (--role all)",
            file=sys.stderr,
        )
        return 2
    keep_freed_memory()
    asyncio.run(serve(settings, role))  # type: ignore[arg-type]
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `sambilan` command."""
    args = _parser().parse_args(argv)
    setup_logging(verbose=args.verbose, json_lines=args.command == "run")
    try:
        settings = load_settings(args.config)
        if args.command in ("run", "check-config"):
            settings.require_token()
    except ConfigError as exc:
        print(f"sambilan: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "check-config":
        enabled = ", ".join(settings.enabled_sources()) or "none"
        print(f"configuration OK (database {settings.database.url}; sources: {enabled})")
        return 0
    if args.command == "db":
        asyncio.run(_upgrade(settings))
        print("database is up to date")
        return 0
    if args.command == "parse":
        return _parse_file(settings, args.source, args.file, args.json)
    if args.command == "scrape":
        return asyncio.run(_scrape_once(settings, args.source, args.json))
    return _run(settings, args.role)


if __name__ == "__main__":
    sys.exit(main())
