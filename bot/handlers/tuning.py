"""Matching knobs: /minbudget, /maxbids, /maxage and /threshold."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Coroutine
from html import escape
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler

from bot.domain.money import parse_earned, within_limits
from bot.domain.schedule_rules import OFF_WORDS
from bot.handlers.common import Context, Handler, Turn, reply, turn
from bot.matching.profile import DEFAULT_THRESHOLD
from bot.ui.i18n import format_money

STRICT_WORDS = frozenset({"strict", "ketat"})
AGE = re.compile(r"^(\d{1,4})\s*(h|j|jam|d|hari)?$", re.IGNORECASE)


def parse_hours(word: str) -> int | None:
    """'24', '24h', '24jam', '2d', '2hari' as hours (at most 90 days); None when unreadable."""
    match = AGE.match(word.strip())
    if match is None:
        return None
    value = int(match.group(1))
    hours = value * 24 if (match.group(2) or "h").lower() in ("d", "hari") else value
    return hours if 0 < hours <= 24 * 90 else None


async def _set_min_budget(t: Turn, words: list[str]) -> str:
    _ = t._
    if not words:
        return _("Example: /minbudget 100rb, /minbudget 20 USD strict, /minbudget off")
    if words[0].casefold() in OFF_WORDS:
        t.user.min_budget, t.user.strict_budget = None, False
        return _("Minimum budget removed: every budget is welcome.")
    strict = any(w.casefold() in STRICT_WORDS for w in words)
    amount_words = [w for w in words if w.casefold() not in STRICT_WORDS]
    entry = parse_earned(amount_words, t.user.currency)
    converted = None
    if entry is not None and within_limits(entry.amount):
        converted = t.runtime.rates.convert(entry.amount, entry.currency, t.user.currency)
    # Stored in the user's currency, so the converted amount must fit the money column too.
    if converted is None or not within_limits(converted):
        return _("I could not read that budget. Example: /minbudget 100rb or /minbudget 20 USD")
    t.user.min_budget, t.user.strict_budget = converted, strict
    text = _("Minimum budget set to {amount}.").format(
        amount=escape(format_money(converted, t.user.currency, t.user.language))
    )
    if strict:
        return text + " " + _("Gigs without a stated budget are skipped too.")
    return text + " " + _("Gigs without a stated budget still come (add “strict” to skip them).")


async def _set_max_bids(t: Turn, words: list[str]) -> str:
    _ = t._
    word = words[0].casefold() if words else ""
    if word in OFF_WORDS - {"0"}:
        t.user.max_bids = None
        return _("Bid limit removed.")
    if not (word.isascii() and word.isdigit()) or not 0 <= int(word) <= 1000:
        return _(
            "Example: /maxbids 10 (skip gigs that already have more than 10 bids), /maxbids off"
        )
    t.user.max_bids = int(word)
    return _("I will skip gigs with more than {n} bids.").format(n=int(word))


async def _set_max_age(t: Turn, words: list[str]) -> str:
    _ = t._
    word = words[0].casefold() if words else ""
    if word in OFF_WORDS - {"0"}:
        t.user.max_age_hours = None
        return _("Age limit removed.")
    hours = parse_hours(word)
    if hours is None:
        return _("Example: /maxage 24h or /maxage 2d (skip older gigs), /maxage off")
    t.user.max_age_hours = hours
    return _("I will skip gigs posted more than {n} hours ago.").format(n=hours)


async def _set_threshold(t: Turn, words: list[str]) -> str:
    _ = t._
    word = words[0] if words else ""
    if not (word.isascii() and word.isdigit()) or not 0 <= int(word) <= 100:
        current = t.user.threshold if t.user.threshold is not None else DEFAULT_THRESHOLD
        return _(
            "Your threshold is {n} (0–100): higher means fewer, closer matches. "
            "Example: /threshold 60"
        ).format(n=current)
    t.user.threshold = int(word)
    return _("Threshold set to {n}.").format(n=int(word))


def _command(
    setter: Callable[[Turn, list[str]], Awaitable[str]],
) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    async def handle(update: Update, context: Context) -> None:
        async with turn(update, context) as t:
            text = await setter(t, list(context.args or []))
        await reply(update, text)

    handle.__doc__ = setter.__doc__
    return handle


def handlers() -> list[Handler]:
    """The matching knobs."""
    return [
        CommandHandler("minbudget", _command(_set_min_budget)),
        CommandHandler("maxbids", _command(_set_max_bids)),
        CommandHandler("maxage", _command(_set_max_age)),
        CommandHandler("threshold", _command(_set_threshold)),
    ]
