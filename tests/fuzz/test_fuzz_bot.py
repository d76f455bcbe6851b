"""Fuzz every command, typed answer and button of the real bot, as a hostile second user.

The whole application runs in memory (tests/support/memory_bot.py) on SQLite. Both users'
data is seeded once per test function; every hypothesis example then starts from a fresh
copy of it (database, chats and a newly built bot), so examples never depend on each other
and a failure replays alone. Hypothesis throws random and hostile input at the bot as the
attacker. After every update: the bot answered, no handler failed, every text is valid
Telegram HTML of at most 4096 characters, the attacker saw none of the victim's data, and
the victim's rows are exactly as before.

SQLite only: the fuzzer targets the handlers, whose queries run on both databases in the
e2e and integration suites, and a PostgreSQL run would double a two-minute budget.
"""

from __future__ import annotations

import traceback
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import (
    ALL_COMMANDS,
    EXTRA_COMMANDS,
    KEYS,
    TRICKY,
    arguments,
    callback_data,
    message_text,
)
from tests.fuzz.world import (
    ATTACKER,
    MARKER,
    VICTIM,
    World,
    Worlds,
    check_answers,
    check_nothing_leaked,
    shown_text,
    snapshot,
)
from tests.support.memory_bot import BOT_USERNAME, Call

pytestmark = pytest.mark.timeout(180)

FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VIEWS = ("/status", "/settings", "/filters", "/skills", "/applied", "/active", "/earnings all")
REFUSALS = ("not valid any more", "not for you", "can't see that message", "already gone")


@pytest.fixture
async def worlds(tmp_path: Path) -> Worlds:
    """Both users' data, seeded once per test function; examples take fresh copies."""
    seeded = Worlds(tmp_path)
    await seeded.prepare()
    return seeded


@pytest.fixture
async def world(worlds: Worlds) -> AsyncIterator[World]:
    """One fresh world, for the tests that walk through their cases in order."""
    async with worlds.fresh() as fresh:
        yield fresh


def _errors(world: World) -> str:
    return "\n".join("".join(traceback.format_exception(e)) for e in world.bot.errors)


async def check(world: World, calls: list[Call], *, button: bool) -> None:
    """Everything that must hold after one update of the attacker."""
    assert not world.bot.errors, _errors(world)
    check_answers(calls, button=button)
    check_nothing_leaked(calls)
    after = await snapshot(world.db, VICTIM)
    assert after == world.victim_before, "the attacker changed the victim's data"


def _command_line(command: str, args: str, mention: bool) -> str:
    head = f"/{command}@{BOT_USERNAME}" if mention else f"/{command}"
    return f"{head} {args}" if args else head


@settings(FUZZ, max_examples=350)
@given(data=st.data())
async def test_every_command_with_hostile_arguments(worlds: Worlds, data: st.DataObject) -> None:
    async with worlds.fresh() as world:
        command = data.draw(st.sampled_from(ALL_COMMANDS), label="command")
        args = data.draw(arguments(world.ids()), label="args")
        line = _command_line(command, args, data.draw(st.booleans(), label="mention"))
        calls = await world.bot.send(ATTACKER, line, language_code=data.draw(st.sampled_from("ie")))
        await check(world, calls, button=False)


def _prompt(world: World, app_id: int, command: str) -> dict[str, Any]:
    """A bot amount prompt (as the bot words it) naming someone's application."""
    text = f"💰 How much were you paid for “x”?\nOr type: /{command} {app_id} 500rb fee 50rb"
    message = world.bot.request.bot_message(ATTACKER, 1)
    return {**message, "text": text, "entities": []}


@settings(FUZZ, max_examples=250)
@given(data=st.data())
async def test_typed_text_links_forwards_and_prompt_replies(
    worlds: Worlds, data: st.DataObject
) -> None:
    async with worlds.fresh() as world:
        bot = world.bot
        text = data.draw(message_text(world.ids()), label="text")
        kind = data.draw(st.sampled_from(["plain", "link", "forward", "reply"]), label="kind")
        if kind == "link":
            text = f"{text} https://example.com/{data.draw(st.integers(0, 10**6))}?q=<b>&x='"
        message = bot.message(ATTACKER, text)
        if kind == "forward":
            message["forward_origin"] = {
                "type": "hidden_user",
                "sender_user_name": text[:64],
                "date": 1,
            }
        if kind == "reply":
            target = data.draw(st.sampled_from(world.ids()), label="app id")
            command = data.draw(st.sampled_from(["won", "paid"]), label="prompt")
            message["reply_to_message"] = _prompt(world, target, command)
        calls = await bot.process({"message": message})
        await check(world, calls, button=False)


@settings(FUZZ, max_examples=300)
@given(data=st.data())
async def test_forged_button_presses(worlds: Worlds, data: st.DataObject) -> None:
    async with worlds.fresh() as world:
        bot = world.bot
        payload = data.draw(
            callback_data(world.ids(), [world.victim_stamp, world.attacker_stamp]), label="data"
        )
        message = None
        if data.draw(st.booleans(), label="quotes the victim"):
            # An offer message quoting the victim's link: tk: buttons must not track it.
            last = max(bot.request.chat(ATTACKER).messages, default=1)
            message = {
                **bot.request.bot_message(ATTACKER, last),
                "reply_to_message": world.victim_link_message,
            }
        calls = await bot.press(ATTACKER, payload, message=message)
        await check(world, calls, button=True)
        # A button may store a setting that only a later screen trips over.
        await check(world, await bot.send(ATTACKER, "/status"), button=False)


def _actions(world: World) -> st.SearchStrategy[tuple[str, str]]:
    ids = world.ids()
    stamps = [world.victim_stamp, world.attacker_stamp]
    command = st.builds(
        lambda c, a: _command_line(c, a, False), st.sampled_from(ALL_COMMANDS), arguments(ids)
    )
    return st.one_of(
        st.tuples(st.just("send"), command),
        st.tuples(st.just("send"), message_text(ids)),
        st.tuples(st.just("press"), callback_data(ids, stamps)),
    )


@settings(FUZZ, max_examples=40)
@given(data=st.data())
async def test_sequences_of_commands_texts_and_presses(worlds: Worlds, data: st.DataObject) -> None:
    """Flows mix: a settings picker left open, then text; onboarding restarted mid-way; …"""
    async with worlds.fresh() as world:
        for action, value in data.draw(st.lists(_actions(world), min_size=2, max_size=6)):
            if action == "send":
                calls = await world.bot.send(ATTACKER, value)
            else:
                calls = await world.bot.press(ATTACKER, value)
            await check(world, calls, button=action == "press")
        for view in VIEWS:  # whatever was stored, every screen still renders
            await check(world, await world.bot.send(ATTACKER, view), button=False)


async def test_every_command_with_each_tricky_argument(world: World) -> None:
    """Not left to chance: each command with each of the nastiest values, alone and first."""
    for command in ALL_COMMANDS:
        for value in TRICKY:
            for line in (f"/{command} {value}", f"/{command} {value} 500rb 3d"):
                await check(world, await world.bot.send(ATTACKER, line), button=False)


async def test_every_button_with_each_tricky_value(world: World) -> None:
    """Each button key of each prefix with each of the nastiest values; then /status."""
    for prefix, keys in KEYS.items():
        for key in keys:
            for value in ("", *TRICKY[:12], "x" * 40):
                for data in (f"{prefix}{key}:{value}", f"{prefix}{key}:{value}:1"):
                    if len(data.encode()) > 64:
                        continue
                    await check(world, await world.bot.press(ATTACKER, data), button=True)
    await check(world, await world.bot.send(ATTACKER, "/status"), button=False)


def _answer_texts(calls: list[Call]) -> str:
    return " ".join(
        str(c.params.get("text", "")) for c in calls if c.method == "answerCallbackQuery"
    )


async def test_every_button_with_the_victims_ids_is_refused(world: World) -> None:
    """Not left to chance: each button shape with each of the victim's row ids."""
    bot = world.bot
    forged = [f"{p}{g}" for p in ("ap:", "sv:", "nr:", "nu:", "dr:") for g in world.victim_gigs]
    forged += [f"nw:{g}:{r}" for g in world.victim_gigs for r in "tbcs"]
    forged += [f"pu{v}:{app}:ap:wo" for v in "calm" for app in world.victim_apps]
    # The victim recorded the first earnings entries (ids 1 and 2).
    forged += [f"{p}{e}" for p in ("eu:", "ed:") for e in (1, 2)]
    forged += [
        f"p{view}:{app}:{code}"
        for view in "cal"
        for app in world.victim_apps
        for code in ("ap", "re", "wo", "de", "pa", "lo", "wi")
    ]
    forged += [f"delme:{yn}:{VICTIM}:{world.victim_stamp}" for yn in "yn"]
    for payload in forged:
        calls = await bot.press(ATTACKER, payload)
        await check(world, calls, button=True)
        answer = _answer_texts(calls)
        assert any(r in answer for r in REFUSALS), f"{payload}: {answer!r}"
    offer = {**bot.request.bot_message(ATTACKER, 1), "reply_to_message": world.victim_link_message}
    for choice in "asn":
        calls = await bot.press(ATTACKER, f"tk:{choice}", message=offer)
        await check(world, calls, button=True)
        assert any(r in _answer_texts(calls) for r in REFUSALS)


async def test_every_command_with_the_victims_ids_is_refused(world: World) -> None:
    """/won 7 500rb, /paid 7 …, /lost 7 … with the victim's ids never touch the victim.

    Numbers are per user: a number the attacker also has names the attacker's own gig
    (check() proves the victim's rows stay as they were); any other one is not found.
    """
    own = range(1, len(world.attacker_apps) + 1)
    for command in ("applied", *EXTRA_COMMANDS[:6]):
        for app in world.victim_apps:
            for args in (f"{app}", f"#{app} 500rb 3d", f"{app} 20 USD fee 1"):
                calls = await world.bot.send(ATTACKER, f"/{command} {args}")
                await check(world, calls, button=False)
                sent = shown_text(calls)
                assert app in own or "I can't find" in sent, f"/{command} {args}: {sent!r}"
    for command in ("won", "paid"):
        for app in world.victim_apps:
            message = world.bot.message(ATTACKER, "500rb fee 1")
            message["reply_to_message"] = _prompt(world, app, command)
            calls = await world.bot.process({"message": message})
            await check(world, calls, button=False)
            assert app in own or "I can't find" in shown_text(calls)


async def test_the_victim_sees_their_own_data(world: World) -> None:
    """The checks above mean something: the same data is there for its owner."""
    assert await snapshot(world.db, VICTIM) == world.victim_before  # the copy is the seed
    calls = await world.bot.send(VICTIM, "/applied")
    check_answers(calls, button=False)
    assert MARKER in shown_text(calls)
    assert len(world.victim_apps) == 2
    before = world.victim_before
    assert len(before["skills"]) == 2 and len(before["earnings"]) == 2
    assert len(before["feedback"]) == 1 and len(before["deliveries"]) == 2


async def test_each_example_starts_from_the_seeded_world(worlds: Worlds) -> None:
    """What one example does is gone in the next: a fresh database, chats and bot."""
    async with worlds.fresh() as first:
        seeded = await snapshot(first.db, ATTACKER)
        calls = await first.bot.send(ATTACKER, "/earned 999rb")
        check_answers(calls, button=False)
        changed = await snapshot(first.db, ATTACKER)
        assert len(changed["earnings"]) == len(seeded["earnings"]) + 1
        chats = max(first.bot.request.chat(ATTACKER).messages)
    async with worlds.fresh() as second:
        assert await snapshot(second.db, ATTACKER) == seeded
        assert max(second.bot.request.chat(ATTACKER).messages) < chats
        assert second.bot is not first.bot
        assert [c for c in second.bot.calls if c.params.get("chat_id") == ATTACKER] == []


def test_every_callback_prefix_is_fuzzed() -> None:
    """A new button prefix in bot/ must be added to the fuzzer's list."""
    import re

    from tests.fuzz.strategies import PREFIXES

    bot_dir = Path(__file__).parents[2] / "bot"
    source = "\n".join(p.read_text(encoding="utf-8") for p in bot_dir.rglob("*.py"))
    constants = set(re.findall(r'^[A-Z_]+ = "([a-z]+:)"$', source, re.M))
    assert constants <= set(PREFIXES), constants - set(PREFIXES)
    assert {"pc:", "pa:", "pl:"} <= set(PREFIXES)
