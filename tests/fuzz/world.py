"""Two users for the fuzzer: a victim with real data, and an attacker; and the checks.

The victim's data is made the way a user makes it (onboarding buttons, /subscribe, pressing
Applied on a delivered alert card, /won, tracking a link, Not relevant, /earned); only the
gigs and their matches are put straight into the store, as the scraper would.

``Worlds`` seeds that once per test function and then hands out fresh worlds: each a copy of
the seeded database and chats with a newly built bot, so no example sees what an earlier
example did.
"""

from __future__ import annotations

import copy
import shutil
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from unittest.mock import patch

from sqlalchemy import select

from bot.app.jobs import DELIVERY_KEY
from bot.app.runtime import runtime_of
from bot.handlers.account import creation_stamp
from bot.handlers.start import fallback_handlers, unknown_button
from bot.store.bulk import NewAlert
from bot.store.db import Database
from bot.store.models import Application, Delivery, Earning, Feedback, Skill, User
from bot.store.repos import DeliveryRepo, GigRepo
from tests.support.factories import gig
from tests.support.fake_bot_api import parse_html, utf16_len
from tests.support.memory_bot import NOT_MODIFIED, Call, MemoryBot, memory_bot, memory_settings

VICTIM = 1001
ATTACKER = 2002
# In every piece of the victim's data; the attacker must never be shown it.
MARKER = "Quokka7319"
ANSWERS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText"})
FAILURE_TEXT = "Something went wrong"
MESSAGE_LIMIT = 4096
REASONS = [{"skill": "logo", "term": "logo", "field": "title"}]


@dataclass
class World:
    """The running bot and the ids of both users' rows."""

    bot: MemoryBot
    victim_apps: list[int] = field(default_factory=list)
    victim_gigs: list[int] = field(default_factory=list)
    victim_stamp: int = 0
    attacker_apps: list[int] = field(default_factory=list)
    attacker_gigs: list[int] = field(default_factory=list)
    attacker_stamp: int = 0
    victim_link_message: dict[str, Any] = field(default_factory=dict)
    victim_before: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    @property
    def db(self) -> Database:
        """The bot's database."""
        return runtime_of(self.bot.app.bot_data).db

    def ids(self) -> list[int]:
        """Every row id worth forging: both users' applications and gigs, and the users."""
        return [
            *self.victim_apps,
            *self.victim_gigs,
            *self.attacker_apps,
            *self.attacker_gigs,
            VICTIM,
            ATTACKER,
        ]


def wire_fallback(bot: MemoryBot) -> None:
    """Add the catch-all button handler last in group 0 unless the wiring already does."""
    group = bot.app.handlers.get(0, [])
    if not any(getattr(h, "callback", None) is unknown_button for h in group):
        for handler in fallback_handlers():
            bot.app.add_handler(handler)


def sent_with_button(calls: list[Call], prefix: str) -> Call:
    """The call that sent (or drew) a keyboard with a button whose data starts with prefix."""
    for call in reversed(calls):
        markup = call.params.get("reply_markup")
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        if any(str(b.get("callback_data", "")).startswith(prefix) for row in rows for b in row):
            return call
    raise AssertionError(f"no keyboard with {prefix!r} in {[c.method for c in calls]}")


async def _onboard(bot: MemoryBot, user_id: int, presses: list[str]) -> None:
    await bot.send(user_id, "/start")
    for data in presses:
        await bot.press(user_id, data)


async def _deliver(world: World, user_id: int, titles: list[str]) -> list[int]:
    """Store gigs matched to the user and let the delivery worker send their cards."""
    async with world.db.transaction() as session:
        rows = await GigRepo(session).upsert(
            [gig(f"{user_id}-{i}", title) for i, title in enumerate(titles)]
        )
        await DeliveryRepo(session).enqueue(NewAlert(user_id, r.id, 80, REASONS) for r in rows)
    await world.bot.app.bot_data[DELIVERY_KEY].run_once()
    return [r.id for r in rows]


async def _card(world: World, user_id: int, gig_id: int) -> dict[str, Any]:
    async with world.db.transaction() as session:
        delivery = await DeliveryRepo(session).find(user_id, gig_id)
        assert delivery is not None and delivery.message_id is not None, "card not delivered"
        message_id = delivery.message_id
    return world.bot.request.bot_message(user_id, message_id)


async def _stamp(world: World, user_id: int) -> int:
    async with world.db.transaction() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return creation_stamp(user.created_at)


async def _app_ids(world: World, user_id: int) -> list[int]:
    async with world.db.transaction() as session:
        rows = await session.scalars(
            select(Application.id).where(Application.user_id == user_id).order_by(Application.id)
        )
        return list(rows)


async def seed(bot: MemoryBot) -> World:
    """Both users, the victim with skills, alerts, applications, feedback and earnings."""
    world = World(bot)
    wire_fallback(bot)
    await _onboard(
        bot, VICTIM, ["ob:lang:en", "ob:sk:3:1", "ob:sk:done", "ob:bud:r50", "ob:tz:wib"]
    )
    await bot.send(VICTIM, f"/subscribe {MARKER} logo")
    world.victim_gigs = await _deliver(
        world, VICTIM, [f"{MARKER} logo design UMKM", f"{MARKER} logo for a cafe"]
    )
    first, second = world.victim_gigs
    await bot.press(VICTIM, f"ap:{first}", message=await _card(world, VICTIM, first))
    [won] = await _app_ids(world, VICTIM)
    await bot.send(VICTIM, f"/won {won} 500rb 3d")
    await bot.press(VICTIM, f"nr:{second}", message=await _card(world, VICTIM, second))
    link = bot.message(VICTIM, f"{MARKER} translation job https://example.com/{MARKER}")
    offer_calls = await bot.process({"message": link})
    offer_id = sent_with_button(offer_calls, "tk:").message_id
    assert offer_id is not None
    offer = bot.request.bot_message(VICTIM, offer_id)
    await bot.press(VICTIM, "tk:a", message={**offer, "reply_to_message": link})
    world.victim_link_message = link
    await bot.send(VICTIM, f"/earned 150rb {MARKER} note")
    await bot.send(VICTIM, "/earned 20 USD")
    world.victim_apps = await _app_ids(world, VICTIM)
    world.victim_stamp = await _stamp(world, VICTIM)

    await _onboard(bot, ATTACKER, ["ob:lang:skip", "ob:sk:skip", "ob:bud:skip", "ob:tz:skip"])
    await bot.send(ATTACKER, "/subscribe logo")
    world.attacker_gigs = await _deliver(world, ATTACKER, ["Logo for a bakery", "Caption batik"])
    own = world.attacker_gigs[0]
    await bot.press(ATTACKER, f"ap:{own}", message=await _card(world, ATTACKER, own))
    await bot.send(ATTACKER, "/earned 50rb")
    world.attacker_apps = await _app_ids(world, ATTACKER)
    world.attacker_stamp = await _stamp(world, ATTACKER)
    world.victim_before = await snapshot(world.db, VICTIM)
    assert not bot.errors, bot.errors
    return world


class Worlds:
    """The seeded world, kept as a database file and chats, and fresh copies of it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.seeded = directory / "seeded.db"
        self._world: World | None = None
        self._chats: Any = None

    async def prepare(self) -> None:
        """Build the bot once, seed both users, and keep what it left behind."""
        built = self.directory / "built.db"
        async with memory_bot(memory_settings(_sqlite_url(built))) as bot:
            world = await seed(bot)
            self._chats = copy.deepcopy(bot.request._chats)
        # One self-contained file (whatever the journal mode), copied as is for each example.
        source, copied = sqlite3.connect(built), sqlite3.connect(self.seeded)
        try:
            source.backup(copied)
        finally:
            source.close()
            copied.close()
        self._world = world

    @property
    def template(self) -> World:
        """The seeded world's ids and snapshots (its bot is closed)."""
        assert self._world is not None, "call prepare() first"
        return self._world

    @asynccontextmanager
    async def fresh(self) -> AsyncIterator[World]:
        """A world as seeding left it: the seeded database copied, a new bot built on it."""
        template = self.template
        target = self.directory / "example.db"
        shutil.copyfile(self.seeded, target)
        try:
            # The copy is at the newest migration already: running Alembic again for each of
            # several hundred examples would double the fuzzer's time and test nothing new.
            with patch.object(Database, "upgrade", _already_upgraded):
                async with memory_bot(memory_settings(_sqlite_url(target))) as bot:
                    wire_fallback(bot)
                    bot.request._chats = copy.deepcopy(self._chats)
                    kept = [f.name for f in fields(World) if f.name != "bot"]
                    copied = {name: copy.deepcopy(getattr(template, name)) for name in kept}
                    yield World(bot, **copied)
        finally:
            target.unlink(missing_ok=True)


async def _already_upgraded(self: Database) -> None:
    """Database.upgrade for a copy of a database that is at the newest migration."""


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def snapshot(db: Database, user_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the store keeps about one user, column by column."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    async with db.transaction() as session:
        for model in (User, Skill, Application, Earning, Feedback, Delivery):
            table = model.__table__
            owner = table.c.id if model is User else table.c.user_id
            rows = await session.execute(select(table).where(owner == user_id).order_by(table.c.id))
            found[table.name] = [tuple(row) for row in rows.all()]
    return found


def check_answers(calls: list[Call], *, button: bool) -> None:
    """The update got an answer; every text is valid Telegram HTML of at most 4096 chars."""
    methods = [c.method for c in calls]
    if button:
        assert "answerCallbackQuery" in methods, f"button press not answered: {methods}"
    else:
        assert ANSWERS & set(methods), f"message not answered: {methods}"
    for call in calls:
        assert call.error in (None, NOT_MODIFIED), f"{call.method} refused: {call.error}"
        text = call.text
        if text is None:
            continue
        plain, _entities = parse_html(text)  # raises on HTML Telegram would refuse
        assert utf16_len(plain.strip()) <= MESSAGE_LIMIT, f"{call.method}: {len(plain)} chars"
        assert FAILURE_TEXT not in plain, plain
    notice = " ".join(str(c.params.get("text", "")) for c in calls)
    assert FAILURE_TEXT not in notice


def shown_text(calls: list[Call]) -> str:
    """What the user reads of these calls' texts (HTML parsed), joined."""
    return " ".join(parse_html(c.text)[0] for c in calls if c.text is not None)


def check_nothing_leaked(calls: list[Call]) -> None:
    """No text or button shown to the attacker carries the victim's data."""
    for call in calls:
        shown = str(call.params.get("text", "")) + str(call.params.get("reply_markup", ""))
        shown += str(call.params.get("caption", ""))
        assert MARKER not in shown, f"{call.method} showed the victim's data: {shown[:300]}"
