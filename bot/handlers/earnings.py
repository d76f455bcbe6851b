"""/earned to record income and /earnings to see totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from html import escape
from zoneinfo import ZoneInfo

from babel.numbers import list_currencies
from telegram import Update

from bot.handlers.common import Context, reply, turn
from bot.i18n import Translate, format_money
from bot.render import earnings_text
from bot.store.models import utcnow
from bot.store.repos import EarningRepo
from scrapers.normalize import parse_amount

MAX_AMOUNT = Decimal("9999999999999")
KNOWN_CURRENCIES = frozenset(list_currencies())
PERIOD_WORDS = {
    "week": "week",
    "minggu": "week",
    "month": "month",
    "bulan": "month",
    "all": "all",
    "semua": "all",
}


@dataclass(frozen=True)
class EarnedInput:
    """A parsed /earned command."""

    amount: Decimal
    currency: str
    note: str


def parse_earned(args: list[str], default_currency: str) -> EarnedInput | None:
    """Amount (with units like rb/jt and an optional currency) then a free note."""
    if not args:
        return None
    # Try the longest prefix first so "150 rb" and "20 USD" are read as one amount.
    for width in (2, 1):
        if len(args) < width:
            continue
        head = " ".join(args[:width])
        parsed = parse_amount(head)
        if parsed is None:
            continue
        if width == 2 and parsed == parse_amount(args[0]):
            continue  # the second word added nothing to the amount: it is the note
        amount, currency = parsed
        rest = args[width:]
        if currency is None and rest and rest[0].upper() in KNOWN_CURRENCIES:
            currency, rest = rest[0].upper(), rest[1:]
        return EarnedInput(amount, (currency or default_currency).upper(), " ".join(rest))
    return None


def period_start(period: str, timezone: str, now: datetime | None = None) -> datetime | None:
    """Start of this week (Monday) or month in the user's time zone, as UTC; None for all."""
    if period == "all":
        return None
    local = (now or utcnow()).astimezone(ZoneInfo(timezone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "week":
        start = midnight - timedelta(days=local.weekday())
    else:
        start = midnight.replace(day=1)
    return start.astimezone(ZoneInfo("UTC"))


def period_label(period: str, _: Translate) -> str:
    """'this week', 'this month' or 'in total'."""
    return {"week": _("this week"), "month": _("this month")}.get(period, _("in total"))


async def earned(update: Update, context: Context) -> None:
    """Record income: /earned 150rb, /earned 1,5jt, /earned 20 USD logo for Budi."""
    args = context.args or []
    async with turn(update, context) as t:
        _ = t._
        entry = parse_earned(args, t.user.currency)
        problem = None
        if entry is None:
            problem = _("I could not read an amount.")
        elif entry.currency not in KNOWN_CURRENCIES:
            problem = _("“{code}” is not a currency code I know.").format(
                code=escape(entry.currency)
            )
        elif entry.amount <= 0 or entry.amount > MAX_AMOUNT:
            problem = _("The amount must be more than zero and realistic.")
        if problem or entry is None:
            example = _(
                "Examples: /earned 150000, /earned 150rb, /earned 1,5jt, "
                "/earned 20 USD logo for Budi"
            )
            await reply(update, f"⚠️ {problem}\n{escape(example)}")
            return
        amount = entry.amount.quantize(Decimal("0.01"))
        await EarningRepo(t.session).add(t.user.id, amount, entry.currency, entry.note)
        text = "✅ " + _("Recorded {amount}.").format(
            amount=escape(format_money(amount, entry.currency))
        )
        if entry.note:
            text += f" <i>{escape(entry.note[:200])}</i>"
        text += "\n" + _("See your totals with /earnings")
    await reply(update, text)


async def earnings(update: Update, context: Context) -> None:
    """Totals per currency for this week, this month (default) or all time."""
    word = (context.args or ["month"])[0].casefold()
    async with turn(update, context) as t:
        _ = t._
        period = PERIOD_WORDS.get(word)
        if period is None:
            await reply(
                update, _("Choose a period: /earnings week, /earnings month or /earnings all")
            )
            return
        since = period_start(period, t.user.timezone)
        totals = await EarningRepo(t.session).totals_since(t.user.id, since)
        text = earnings_text(totals, period_label(period, _), t.user.language)
    await reply(update, text)
