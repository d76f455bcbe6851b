"""Moving an application a step (applied, replied, won, delivered, paid, lost, withdrawn),
shared by the commands, the buttons, the amount prompts and the dashboard; and the lists."""

from __future__ import annotations

import time
from decimal import Decimal
from html import escape
from typing import NamedTuple

from telegram import InlineKeyboardMarkup, Update

from bot.domain import tracking
from bot.domain.money import looks_like_amount
from bot.handlers.common import Context, Turn, reply, turn
from bot.handlers.common.cards import (
    card_edit,
    redraw,
)
from bot.store.models import Application, utcnow
from bot.store.tracking_repo import TrackingRepo
from bot.ui.i18n import Translate, format_money
from bot.ui.render import (
    ACTIVE_LIST,
    ALL_LIST,
    REPLY_VIEW,
    SAVED_LIST,
    STATUS_NAMES,
    applications_keyboard,
    applications_text,
    with_undo,
)

LIST_SIZE = 20


LIST_STATUSES = {
    ACTIVE_LIST: tracking.ACTIVE,
    ALL_LIST: tracking.APPLIED_OR_BEYOND,
    SAVED_LIST: (tracking.SAVED,),
}


COMMANDS = {
    "replied": tracking.REPLIED,
    "won": tracking.WON,
    "delivered": tracking.DELIVERED,
    "paid": tracking.PAID,
    "lost": tracking.LOST,
    "withdraw": tracking.WITHDRAWN,
}


COMMAND_OF = {status: name for name, status in COMMANDS.items()} | {tracking.APPLIED: "applied"}


# An amount typed soon after an amount prompt answers it even without Telegram's reply.
PROMPT_KEY = "amount_prompt"


PROMPT_WINDOW_SECONDS = 5 * 60


def status_name(status: str, _: Translate) -> str:
    return _(STATUS_NAMES.get(status, ("", status))[1])


def explain(verdict: tracking.Verdict, app: Application, target: str, _: Translate) -> str:
    """A friendly reason why an application cannot move to `target`, with what to do."""
    number = f"#{app.number}"
    if verdict is tracking.Verdict.SAME:
        return _("{number} is already marked “{status}”.").format(
            number=number, status=status_name(target, _)
        )
    if verdict is tracking.Verdict.CLOSED:
        return _("{number} is finished (“{status}”), so it stays as it is.").format(
            number=number, status=status_name(app.status, _)
        )
    if verdict is tracking.Verdict.TOO_EARLY and app.status == tracking.SAVED:
        return _("{number} is only saved. Once you apply, type /applied {id}.").format(
            number=number, id=app.number
        )
    if verdict is tracking.Verdict.TOO_EARLY:
        return _(
            "{number} is not won yet, so it cannot be “{status}”. "
            "When the client accepts, type /won {id} followed by the agreed amount."
        ).format(number=number, status=status_name(target, _), id=app.number)
    return _("{number} is “{current}” and cannot become “{status}”.").format(
        number=number, current=status_name(app.status, _), status=status_name(target, _)
    )


def _done_text(app: Application, target: str, _: Translate, language: str) -> str:
    number = f"#{app.number}"
    if target == tracking.WON:
        amount = format_money(app.agreed_amount or Decimal(0), app.currency or "IDR", language)
        text = _("Congratulations! {number} won for {amount}.").format(number=number, amount=amount)
        if app.deadline_at is not None:
            text += " " + _("I will remind you 24 hours and 2 hours before the deadline.")
        return "🏆 " + text
    if target == tracking.PAID:
        amount = format_money(app.received_amount or Decimal(0), app.currency or "IDR", language)
        return "💰 " + _("{number} paid: {amount} added to /earnings.").format(
            number=number, amount=amount
        )
    messages = {
        tracking.APPLIED: _("{number} marked as applied. Good luck!"),
        tracking.REPLIED: _("{number}: the client replied. Fingers crossed!"),
        tracking.DELIVERED: _("{number} delivered. When the money arrives: /paid {id} <amount>"),
        tracking.LOST: _("{number} marked as lost. On to the next one!"),
        tracking.WITHDRAWN: _("{number} withdrawn."),
    }
    return messages[target].format(number=number, id=app.number)


def usage(target: str, _: Translate) -> str:
    """How to type the command for `target`, with an example."""
    if target == tracking.WON:
        return _(
            "Example: /won 2 500rb 3 days — the number from /active, the agreed amount, "
            "then optionally a currency and a deadline (3 days, tomorrow, Friday, 12/12 "
            "or 12 Dec 17:00)."
        )
    if target == tracking.PAID:
        return _(
            "Example: /paid 12 500rb fee 50rb — the number from /active, the amount paid, "
            "then optionally a currency and the platform fee."
        )
    return _("Example: /{command} 12 — the number is shown in /active.").format(
        command=COMMAND_OF[target]
    )


def _input_problem(reason: str, _: Translate) -> str:
    return {
        "currency": _("I don't know that currency code."),
        "deadline": _("I could not read the deadline."),
        "deadline_past": _("That deadline has already passed."),
        "fee": _("The fee must be smaller than the amount and in the same currency."),
    }.get(reason, _("I could not read the amount."))


def _app_id(word: str) -> int | None:
    value = word.removeprefix("#")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


class Outcome(NamedTuple):
    """What a move did: the answer (escaped HTML), the application, whether it moved, and
    the status it had before (for Undo)."""

    text: str
    app: Application | None
    moved: bool
    previous: str | None = None


async def advance(t: Turn, target: str, words: list[str]) -> Outcome:
    """Move the user's application named by words[0] (its number) to `target` using the rest."""
    _ = t._
    app_id = _app_id(words[0]) if words else None
    if app_id is None:
        return Outcome("⚠️ " + escape(usage(target, _)), None, False)
    repo = TrackingRepo(t.session)
    app = await repo.by_number(t.user.id, app_id)
    if app is None:
        text = _("I can't find #{id} among your gigs. Your numbers are in /active.").format(
            id=app_id
        )
        return Outcome("⚠️ " + escape(text), None, False)
    verdict = tracking.check(app.status, target)
    if verdict is not tracking.Verdict.OK:
        return Outcome("ℹ️ " + escape(explain(verdict, app, target, _)), app, False)
    now = utcnow()
    previous = app.status
    try:
        if target == tracking.WON:
            won = tracking.parse_won(words[1:], t.user.currency, t.user.timezone, now)
            fields = {
                "agreed_amount": won.money.amount,
                "currency": won.money.currency,
                "deadline_at": won.deadline_at,
                "reminders_sent": [],
            }
            moved = await repo.move(app, target, now, fields)
        elif target == tracking.PAID:
            paid = tracking.parse_paid(words[1:], app.currency or t.user.currency)
            moved = await repo.record_payment(app, paid, now)
        else:
            moved = await repo.move(app, target, now)
    except tracking.InputError as problem:
        text = _input_problem(problem.reason, _) + "\n" + usage(target, _)
        return Outcome("⚠️ " + escape(text), app, False)
    if not moved:  # moved by a simultaneous press
        same = explain(tracking.Verdict.SAME, app, app.status, _)
        return Outcome("ℹ️ " + escape(same), app, False)
    return Outcome(escape(_done_text(app, target, _, t.user.language)), app, True, previous)


async def move_command(update: Update, context: Context, target: str) -> None:
    """/replied, /won, /delivered, /paid, /lost, /withdraw (and /applied <id>)."""
    await move_with_words(update, context, target, list(context.args or []))


async def move_with_words(update: Update, context: Context, target: str, words: list[str]) -> None:
    async with turn(update, context) as t:
        text, app, moved, previous = await advance(t, target, words)
        card = await card_edit(t, app) if app is not None and moved else None
        undo = None
        if app is not None and moved and previous is not None:
            undo = with_undo(None, REPLY_VIEW, app, previous, t.user.language)
    await reply(update, text, undo)
    await redraw(context.bot, card)


async def list_message(t: Turn, view: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """/active, /applied or /saved as text and buttons (the same view a list button redraws)."""
    user = t.user
    active, saved = view == ACTIVE_LIST, view == SAVED_LIST
    apps = await TrackingRepo(t.session).listing(user.id, LIST_STATUSES[view], LIST_SIZE)
    text = applications_text(
        apps,
        user.language,
        user.timezone,
        active_only=active,
        saved_only=saved,
        rates=t.runtime.rates,
        currency=user.currency,
    )
    return text, applications_keyboard(apps, user.language, active_only=active, saved_only=saved)


async def send_list(update: Update, context: Context, view: str) -> None:
    """Answer with one of the lists."""
    async with turn(update, context) as t:
        text, keyboard = await list_message(t, view)
    await reply(update, text, keyboard)


def recent_prompt(context: Context) -> tuple[str, str] | None:
    """(status, number) of an amount prompt sent to this user in the last few minutes."""
    pending = (context.user_data or {}).get(PROMPT_KEY)
    if not pending or time.monotonic() - pending[2] > PROMPT_WINDOW_SECONDS:
        return None
    return pending[0], pending[1]


async def answer_recent_prompt(update: Update, context: Context) -> bool:
    """Take an amount typed without the reply gesture as the answer to a recent prompt."""
    message = update.effective_message
    prompted = recent_prompt(context)
    if message is None or prompted is None or not looks_like_amount(message.text or ""):
        return False
    assert context.user_data is not None
    context.user_data.pop(PROMPT_KEY, None)
    target, number = prompted
    await move_with_words(update, context, target, [number, *(message.text or "").split()])
    return True
