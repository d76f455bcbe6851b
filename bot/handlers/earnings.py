"""/earned to record income and /earnings to see totals, unpaid work and a six-month chart."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from decimal import Decimal
from html import escape

from babel.dates import format_date
from babel.numbers import format_percent
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain import tracking
from bot.domain.dates import zone
from bot.domain.money import (
    KNOWN_CURRENCIES,
    Rates,
    parse_earned,
    within_limits,
)
from bot.domain.reports import (
    Period,
    Report,
    build_report,
    month_starts,
    monthly_received,
    parse_period,
    period_bounds,
)
from bot.handlers.common import Context, Handler, reply, turn
from bot.handlers.common.cards import edit_quietly
from bot.store.models import Earning, User, utcnow
from bot.store.money_repo import EarningEntries, MoneyRepo
from bot.store.repos import EarningRepo
from bot.ui.charts import has_money, monthly_chart_png
from bot.ui.i18n import BABEL_LOCALE, Translate, format_money, plural_translator

CHART_MONTHS = 6
CAPTION_LIMIT = 1024
# The totals go as their own message after the chart, not as its caption: callers (and
# tests/e2e/test_alert_to_earnings.py) read /earnings from a text message. Set True to put
# short totals into the photo's caption instead.
TOTALS_IN_CAPTION = False
# Undo of a fresh /earned ("eu:<id>") and delete from /earnings list ("ed:<id>").
UNDO_EARNED, DELETE_EARNED = "eu:", "ed:"
LIST_WORDS = frozenset({"list", "daftar", "hapus", "delete", "koreksi", "fix"})
LIST_SIZE = 10


def period_label(period: Period, _: Translate, language: str) -> str:
    """'today', 'this week', 'this month', 'this year', 'in total' or 'in November 2026'."""
    if period.kind == "month_of" and period.month is not None:
        month = format_date(period.month, "LLLL y", locale=BABEL_LOCALE[language])
        return _("in {month}").format(month=month)
    labels = {
        "today": _("today"),
        "week": _("this week"),
        "month": _("this month"),
        "year": _("this year"),
    }
    return labels.get(period.kind, _("in total"))


def report_text(report: Report, period: str, _: Translate, language: str) -> str:
    """The /earnings message: received, converted total, unpaid, gigs paid, win rate, skill."""
    locale = BABEL_LOCALE[language]
    lines = ["💰 <b>" + escape(_("Earnings {period}").format(period=period)) + "</b>"]
    if not report.received:
        lines.append(
            escape(_("No earnings recorded {period}. Record one with /earned 150rb")).format(
                period=escape(period)
            )
        )
    else:
        lines.append(escape(_("Received:")))
        for code, amount in sorted(report.received.items()):
            n = report.entries.get(code, 0)
            entries = plural_translator(language)("{n} entry", "{n} entries", n).format(n=n)
            lines.append(f"• {escape(format_money(amount, code, language))} ({escape(entries)})")
        total = "<b>" + escape(format_money(report.total, report.currency, language)) + "</b>"
        if report.converted:
            date = format_date(report.rates_date, "d MMM y", locale=locale)
            lines.append(
                escape(_("Total: {amount} at rates of {date}")).format(
                    amount=total, date=escape(date)
                )
            )
        else:
            lines.append(escape(_("Total: {amount}")).format(amount=total))
        if report.unconverted:
            lines.append(
                "⚠️ "
                + escape(
                    _("No rate for {currencies}, so it is left out of the total.").format(
                        currencies=", ".join(report.unconverted)
                    )
                )
            )
    unpaid = [
        format_money(amount, code, language) for code, amount in sorted(report.unpaid.items())
    ]
    if report.unpaid_without_amount:
        unpaid.append(_("{n} without an agreed amount").format(n=report.unpaid_without_amount))
    lines.append(
        "⏳ " + escape(_("Still unpaid: {amounts}").format(amounts=" · ".join(unpaid) or "—"))
    )
    if report.average_per_gig is not None:
        paid = _("Gigs paid: {n} · average {amount} per gig").format(
            n=report.gigs_paid,
            amount=format_money(report.average_per_gig, report.currency, language),
        )
    else:
        paid = _("Gigs paid: {n}").format(n=report.gigs_paid)
    lines.append("✅ " + escape(paid))
    if report.win_rate is None:
        win = _("Win rate: —")
    else:
        win = _("Win rate: {rate} ({won} of {applied})").format(
            rate=format_percent(report.win_rate, locale=locale),
            won=report.won,
            applied=report.applied,
        )
    lines.append("🎯 " + escape(win))
    if report.best_skill is not None:
        skill, amount = report.best_skill
        best = _("Best skill: {skill} ({amount})").format(
            skill=skill, amount=format_money(amount, report.currency, language)
        )
        lines.append("⭐ " + escape(best))
    return "\n".join(lines)


def bad_period_text(_: Translate) -> str:
    """A friendly refusal of an unreadable period, with examples."""
    return escape(
        _(
            "Choose a period, for example: /earnings today, /earnings week, /earnings month, "
            "/earnings year, /earnings all or /earnings 2026-11"
        )
    )


async def money_view(
    session: AsyncSession, user: User, rates: Rates, period: Period, now: datetime
) -> tuple[Report, list[tuple[date, Decimal]]]:
    """Load a user's rows and compute the report for `period` and the six-month series."""
    repo = MoneyRepo(session)
    start, end = period_bounds(period, user.timezone, now)
    received = await repo.earnings_between(user.id, start, end)
    applications = await repo.application_rows(user.id)
    paid_ids = [a.id for a in applications if a.status == tracking.PAID]
    linked = await repo.earnings_of_applications(user.id, paid_ids)
    report = build_report(received, applications, rates, user.currency, start, end, linked)
    first = month_starts(user.timezone, now, CHART_MONTHS)[0]
    chart_start, _end = period_bounds(Period("month_of", first), user.timezone, now)
    recent = await repo.earnings_between(user.id, chart_start, None)
    series = monthly_received(recent, rates, user.currency, user.timezone, now, CHART_MONTHS)
    return report, series


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
        elif not within_limits(entry.amount):
            problem = _("The amount must be more than zero and realistic.")
        if problem or entry is None:
            example = _(
                "Examples: /earned 150000, /earned 150rb, /earned 1,5jt, "
                "/earned 20 USD logo for Budi"
            )
            await reply(update, f"⚠️ {problem}\n{escape(example)}")
            return
        amount = entry.amount.quantize(Decimal("0.01"))
        row = await EarningRepo(t.session).add(t.user.id, amount, entry.currency, entry.note)
        text = "✅ " + _("Recorded {amount}.").format(
            amount=escape(format_money(amount, entry.currency, t.user.language))
        )
        if entry.note:
            text += f" <i>{escape(entry.note[:200])}</i>"
        text += "\n" + escape(
            _("See your totals with /earnings; correct entries with /earnings list")
        )
        undo = InlineKeyboardMarkup(
            [[InlineKeyboardButton("↩️ " + _("Undo"), callback_data=f"{UNDO_EARNED}{row.id}")]]
        )
    await reply(update, text, undo)


def entries_view(
    rows: list[Earning], _: Translate, language: str, timezone: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The latest earnings entries, numbered, each with a delete button."""
    if not rows:
        return escape(_("No earnings recorded yet. Record one with /earned 150rb")), None
    lines = ["🧾 <b>" + escape(_("Your latest earnings entries")) + "</b>"]
    buttons = []
    for index, row in enumerate(rows, 1):
        day = format_date(
            row.earned_at.astimezone(zone(timezone, "UTC")),
            "d MMM y",
            locale=BABEL_LOCALE[language],
        )
        money = format_money(row.amount, row.currency, language)
        note = f" — {row.note[:60]}" if row.note else ""
        lines.append(escape(f"{index}. {day} · {money}{note}"))
        buttons.append(
            InlineKeyboardButton(f"🗑 {index}. {money}", callback_data=f"{DELETE_EARNED}{row.id}")
        )
    lines.append(escape(_("Tap an entry to delete it.")))
    return "\n".join(lines), InlineKeyboardMarkup(
        [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    )


async def _list_entries(update: Update, context: Context) -> None:
    async with turn(update, context) as t:
        rows = await EarningEntries(t.session).recent(t.user.id, LIST_SIZE)
        text, markup = entries_view(rows, t._, t.user.language, t.user.timezone)
    await reply(update, text, markup)


async def delete_entry(update: Update, context: Context) -> None:
    """Undo a fresh /earned, or delete an entry from /earnings list."""
    query = update.callback_query
    assert query is not None
    data = query.data or ""
    from_list = data.startswith(DELETE_EARNED)
    raw = data.removeprefix(DELETE_EARNED if from_list else UNDO_EARNED)
    async with turn(update, context) as t:
        _ = t._
        entries = EarningEntries(t.session)
        valid = raw.isascii() and raw.isdigit() and len(raw) < 19
        gone = await entries.delete_own(t.user.id, int(raw)) if valid else None
        if gone is None:
            await query.answer(_("That entry is already gone."), show_alert=True)
            return
        money = format_money(gone.amount, gone.currency, t.user.language)
        notice = _("Deleted {amount} from your earnings.").format(amount=money)
        if from_list:
            rows = await entries.recent(t.user.id, LIST_SIZE)
            text, markup = entries_view(rows, _, t.user.language, t.user.timezone)
            text = "↩️ " + escape(notice) + "\n\n" + text
        else:
            text, markup = "↩️ " + escape(notice), None
    await query.answer(notice)
    await edit_quietly(query, text, markup)


async def earnings(update: Update, context: Context) -> None:
    """Totals for a period (this month by default) and a chart of the last six months."""
    if context.args and context.args[0].casefold() in LIST_WORDS:
        await _list_entries(update, context)
        return
    async with turn(update, context) as t:
        _ = t._
        period = parse_period(context.args or [])
        series: list[tuple[date, Decimal]]
        if period is None:
            text, series = bad_period_text(_), []
        else:
            report, series = await money_view(t.session, t.user, t.runtime.rates, period, utcnow())
            label = period_label(period, _, t.user.language)
            text = report_text(report, label, _, t.user.language)
        currency = t.user.currency
        locale = BABEL_LOCALE[t.user.language]
        chart_title = _("Received per month ({currency})").format(currency=currency)
    message = update.effective_message
    assert message is not None
    if not has_money(series):
        await reply(update, text)
        return
    png = await asyncio.to_thread(monthly_chart_png, series, currency, chart_title, locale)
    if TOTALS_IN_CAPTION and len(text) <= CAPTION_LIMIT:
        await message.reply_photo(png, caption=text)
        return
    await message.reply_photo(png, caption="📊 " + escape(chart_title))
    await reply(update, text)


def handlers() -> list[Handler]:
    """/earned and /earnings."""
    return [
        CommandHandler("earned", earned),
        CommandHandler("earnings", earnings),
        CallbackQueryHandler(delete_entry, pattern=f"^({UNDO_EARNED}|{DELETE_EARNED})"),
    ]
