"""Moving applications along the pipeline: commands, card and list buttons, amount replies,
and tracking a gig found elsewhere (a forwarded message or a link)."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape
from typing import NamedTuple

from telegram import Bot, ForceReply, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.domain import tracking
from bot.domain.money import read_amount
from bot.domain.skill_of import skill_in_text
from bot.handlers.common import Context, Turn, reply, turn
from bot.handlers.grouped import group_card
from bot.store.models import Application, Delivery, utcnow
from bot.store.repos import GigRepo, SkillRepo
from bot.store.tracking_repo import TrackingRepo
from bot.ui.i18n import Translate, format_money
from bot.ui.market_cache import MARKET, reason_skill
from bot.ui.render import (
    ACTIVE_LIST,
    ALL_LIST,
    CARD,
    NOT_TRACKED,
    REPLY_VIEW,
    SAVED_LIST,
    STATUS_NAMES,
    TITLE_LIMIT,
    TRACK_PREFIX,
    alert_card,
    alert_keyboard,
    amount_prompt,
    applications_keyboard,
    applications_text,
    clip,
    known_gig_lines,
    parse_step_data,
    parse_undo_step_data,
    plain_text,
    title_from_url,
    track_keyboard,
    track_offer,
    tracked_keyboard,
    tracked_text,
    with_undo,
)

LIST_SIZE = 20
LIST_STATUSES = {
    ACTIVE_LIST: tracking.ACTIVE,
    ALL_LIST: tuple(s for s in tracking.STATUSES if s != tracking.SAVED),
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
# The amount prompt names its command; a reply to it is read as that command's arguments.
PROMPT_COMMAND = re.compile(r"/(won|paid) (\d{1,18})\b")
LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# An amount typed soon after an amount prompt answers it even without Telegram's reply.
PROMPT_KEY = "amount_prompt"
PROMPT_WINDOW_SECONDS = 5 * 60


@dataclass
class CardEdit:
    """A card to redraw after a move: where it is and what it should show."""

    chat_id: int
    message_id: int
    text: str
    keyboard: InlineKeyboardMarkup | None


# --------------------------------------------------------------------------- shared pieces


async def card_for(
    t: Turn, app: Application | None, delivery: Delivery | None
) -> tuple[str, InlineKeyboardMarkup]:
    """The card of a tracked gig: the alert card when it was alerted, else a short one.
    An alert that went out grouped with others redraws its whole grouped message."""
    user = t.user
    if delivery is None:
        assert app is not None, "a card without an alert needs its application"
        return tracked_text(app, user.language, user.timezone), tracked_keyboard(app, user.language)
    if delivery.grouped:
        return await group_card(t, delivery)
    also = (await GigRepo(t.session).also_listed([delivery.gig_id])).get(delivery.gig_id, [])
    await MARKET.prepare(t.session, [reason_skill(delivery.reasons)])
    market = MARKET.card_line(
        delivery.gig,
        delivery.reasons,
        user.language,
        rates=t.runtime.rates,
        currency=user.currency,
    )
    text = alert_card(
        delivery.gig,
        delivery.reasons,
        user.language,
        labels=t.runtime.labels,
        also=also,
        rates=t.runtime.rates,
        currency=user.currency,
        timezone=user.timezone,
        application=app,
        market=market,
    )
    return text, alert_keyboard(delivery.gig, user.language, application=app)


async def edit_quietly(
    target: object, text: str, keyboard: InlineKeyboardMarkup | None, **where: int
) -> None:
    """Edit a message (via a CallbackQuery or a Bot); an identical edit is not an error."""
    try:
        await target.edit_message_text(  # type: ignore[attr-defined]
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
            disable_web_page_preview=True,
            **where,
        )
    except BadRequest as exc:
        # A second press: Telegram refuses an edit that changes nothing.
        if "not modified" not in exc.message.lower():
            raise


async def _on_grouped_message(t: Turn, app: Application) -> bool:
    """Whether the gig's alert went out in a grouped message."""
    delivery = await TrackingRepo(t.session).card_of(t.user.id, app.gig_id)
    return delivery is not None and delivery.grouped


async def card_edit(t: Turn, app: Application) -> CardEdit | None:
    """The alert card to redraw after `app` moved, if its alert was sent."""
    delivery = await TrackingRepo(t.session).card_of(t.user.id, app.gig_id)
    if delivery is None or delivery.message_id is None:
        return None
    text, keyboard = await card_for(t, app, delivery)
    return CardEdit(t.user.chat_id, delivery.message_id, text, keyboard)


async def redraw(bot: Bot, card: CardEdit | None) -> None:
    """Bring the alert card up to date; a deleted or too old card is simply left alone."""
    if card is None:
        return
    with contextlib.suppress(BadRequest, Forbidden):
        await edit_quietly(
            bot, card.text, card.keyboard, chat_id=card.chat_id, message_id=card.message_id
        )


def _status_name(status: str, _: Translate) -> str:
    return _(STATUS_NAMES.get(status, ("", status))[1])


def explain(verdict: tracking.Verdict, app: Application, target: str, _: Translate) -> str:
    """A friendly reason why an application cannot move to `target`, with what to do."""
    number = f"#{app.number}"
    if verdict is tracking.Verdict.SAME:
        return _("{number} is already marked “{status}”.").format(
            number=number, status=_status_name(target, _)
        )
    if verdict is tracking.Verdict.CLOSED:
        return _("{number} is finished (“{status}”), so it stays as it is.").format(
            number=number, status=_status_name(app.status, _)
        )
    if verdict is tracking.Verdict.TOO_EARLY and app.status == tracking.SAVED:
        return _("{number} is only saved. Once you apply, type /applied {id}.").format(
            number=number, id=app.number
        )
    if verdict is tracking.Verdict.TOO_EARLY:
        return _(
            "{number} is not won yet, so it cannot be “{status}”. "
            "When the client accepts, type /won {id} followed by the agreed amount."
        ).format(number=number, status=_status_name(target, _), id=app.number)
    return _("{number} is “{current}” and cannot become “{status}”.").format(
        number=number, current=_status_name(app.status, _), status=_status_name(target, _)
    )


def _done_text(app: Application, target: str, _: Translate, language: str) -> str:
    number = f"#{app.number}"
    if target == tracking.WON:
        amount = format_money(app.agreed_amount or 0, app.currency or "IDR", language)
        text = _("Congratulations! {number} won for {amount}.").format(number=number, amount=amount)
        if app.deadline_at is not None:
            text += " " + _("I will remind you 24 hours and 2 hours before the deadline.")
        return "🏆 " + text
    if target == tracking.PAID:
        amount = format_money(app.received_amount or 0, app.currency or "IDR", language)
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


# --------------------------------------------------------------------------- commands


async def move_command(update: Update, context: Context, target: str) -> None:
    """/replied, /won, /delivered, /paid, /lost, /withdraw (and /applied <id>)."""
    await _move_with_words(update, context, target, list(context.args or []))


async def _move_with_words(update: Update, context: Context, target: str, words: list[str]) -> None:
    async with turn(update, context) as t:
        text, app, moved, previous = await advance(t, target, words)
        card = await card_edit(t, app) if app is not None and moved else None
        undo = None
        if app is not None and moved and previous is not None:
            undo = with_undo(None, REPLY_VIEW, app, previous, t.user.language)
    await reply(update, text, undo)
    await redraw(context.bot, card)


def _command(target: str) -> Callable[[Update, Context], Awaitable[None]]:
    async def handle(update: Update, context: Context) -> None:
        await move_command(update, context, target)

    handle.__doc__ = f"/{COMMAND_OF[target]} <id> …"
    return handle


async def active_list(update: Update, context: Context) -> None:
    """Applications in progress (applied, replied, won, delivered) with buttons to move each."""
    await send_list(update, context, ACTIVE_LIST)


async def saved_list(update: Update, context: Context) -> None:
    """Gigs saved for later, with a button to mark each applied."""
    await send_list(update, context, SAVED_LIST)


# --------------------------------------------------------------------------- buttons


async def step_button(update: Update, context: Context) -> None:
    """A pipeline button on a card or a list: move, or ask for the amount the step needs."""
    query = update.callback_query
    assert query is not None
    parsed = parse_step_data(query.data)
    async with turn(update, context) as t:
        _ = t._
        app = await TrackingRepo(t.session).own(t.user.id, parsed[1]) if parsed else None
        if parsed is None or app is None:
            # Unknown data or someone else's application: nothing is revealed or changed.
            await query.answer(_("This button is not valid any more."), show_alert=True)
            return
        view, target = parsed[0], parsed[2]
        verdict = tracking.check(app.status, target)
        if target in tracking.NEEDS_AMOUNT and verdict is tracking.Verdict.OK:
            prompt = amount_prompt(app, target, t.user.language)
            notice = _("Reply with the amount.")
            edit = card = None
        else:
            text, app, moved, previous = await advance(t, target, [str(app.number)])
            notice = clip(plain_text(text), 190)
            edit = await _view_edit(t, view, app)
            if edit is not None and app is not None and moved and previous is not None:
                grouped = view == CARD and await _on_grouped_message(t, app)
                edit = (
                    edit[0],
                    with_undo(edit[1], view, app, previous, t.user.language, grouped=grouped),
                )
            card = await card_edit(t, app) if moved and app and view != CARD else None
            prompt = None
    await query.answer(notice)
    if prompt is not None:
        assert query.message is not None
        if context.user_data is not None:
            context.user_data[PROMPT_KEY] = (target, str(app.number), time.monotonic())
        await context.bot.send_message(
            query.message.chat.id,
            prompt,
            parse_mode=ParseMode.HTML,
            reply_markup=ForceReply(selective=True, input_field_placeholder="500rb"),
        )
    elif edit is not None:
        await edit_quietly(query, edit[0], edit[1])
        await redraw(context.bot, card)


async def _view_edit(
    t: Turn, view: str, app: Application | None
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The redrawn message a button sat on: the card, or the list it came from."""
    if app is None:
        return None
    if view == CARD:
        delivery = await TrackingRepo(t.session).card_of(t.user.id, app.gig_id)
        return await card_for(t, app, delivery)
    return await list_message(t, view)


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


async def undo_button(update: Update, context: Context) -> None:
    """Take back the move an Undo button belongs to, if nothing moved the gig since."""
    query = update.callback_query
    assert query is not None
    parsed = parse_undo_step_data(query.data)
    async with turn(update, context) as t:
        _ = t._
        repo = TrackingRepo(t.session)
        app = await repo.own(t.user.id, parsed[1]) if parsed else None
        if parsed is None or app is None:
            await query.answer(_("This button is not valid any more."), show_alert=True)
            return
        view, previous, current = parsed[0], parsed[2], parsed[3]
        undoable = previous == NOT_TRACKED or current in tracking.next_steps(previous)
        if not undoable:
            await query.answer(_("This button is not valid any more."), show_alert=True)
            return
        if previous == NOT_TRACKED:
            forgotten = app.status == current and await repo.forget(app, current)
            if not forgotten:
                await query.answer(_("It has moved on since; nothing was undone."), show_alert=True)
                return
            delivery = await repo.card_of(t.user.id, app.gig_id)
            notice = _("Undone: #{number} is no longer tracked.").format(number=app.number)
            edit = await card_for(t, None, delivery) if delivery is not None else None
            card = None
        elif app.status != current or not await repo.undo(app, previous, utcnow()):
            await query.answer(_("It has moved on since; nothing was undone."), show_alert=True)
            return
        else:
            notice = _("Undone: #{number} is “{status}” again.").format(
                number=app.number, status=_status_name(previous, _)
            )
            edit = None if view == REPLY_VIEW else await _view_edit(t, view, app)
            card = await card_edit(t, app) if view != CARD else None
    await query.answer(notice)
    if edit is None:
        await edit_quietly(query, "↩️ " + escape(notice), None)
    else:
        await edit_quietly(query, edit[0], edit[1])
    await redraw(context.bot, card)


def prompted_command(message: Message) -> tuple[str, str] | None:
    """(status, application id) when `message` replies to one of the bot's amount prompts."""
    prompt = message.reply_to_message
    if prompt is None or prompt.from_user is None or not prompt.from_user.is_bot:
        return None
    # The command hint closes the prompt, so the last match is ours, not one in a title.
    found = PROMPT_COMMAND.findall(prompt.text or "")
    return (COMMANDS[found[-1][0]], found[-1][1]) if found else None


class _AmountReply(filters.MessageFilter):
    """Matches replies to an amount prompt."""

    def filter(self, message: Message) -> bool:
        """True for a reply to an amount prompt."""
        return prompted_command(message) is not None


async def amount_reply(update: Update, context: Context) -> None:
    """A reply to an amount prompt is read as '/won <id> …' or '/paid <id> …'."""
    message = update.effective_message
    prompted = prompted_command(message) if message else None
    if message is None or prompted is None:
        return
    target, app_id = prompted
    if context.user_data is not None:
        context.user_data.pop(PROMPT_KEY, None)
    await _move_with_words(update, context, target, [app_id, *(message.text or "").split()])
    raise ApplicationHandlerStop


def recent_prompt(context: Context) -> tuple[str, str] | None:
    """(status, number) of an amount prompt sent to this user in the last few minutes."""
    pending = (context.user_data or {}).get(PROMPT_KEY)
    if not pending or time.monotonic() - pending[2] > PROMPT_WINDOW_SECONDS:
        return None
    return pending[0], pending[1]


def looks_like_amount(text: str) -> bool:
    """True when the text starts with an amount (350rb, 1,5jt, 20 USD)."""
    words = text.split()
    return bool(words) and any(read_amount(" ".join(words[:n])) for n in (2, 1))


async def answer_recent_prompt(update: Update, context: Context) -> bool:
    """Take an amount typed without the reply gesture as the answer to a recent prompt."""
    message = update.effective_message
    prompted = recent_prompt(context)
    if message is None or prompted is None or not looks_like_amount(message.text or ""):
        return False
    assert context.user_data is not None
    context.user_data.pop(PROMPT_KEY, None)
    target, number = prompted
    await _move_with_words(update, context, target, [number, *(message.text or "").split()])
    return True


# --------------------------------------------------------------------------- tracking by hand


def found_gig(message: Message, *, offered: bool = False) -> tuple[str, str | None] | None:
    """(title, link) of a gig in a forwarded message or one with a link; None if neither.

    `offered`: the message was already judged a gig (its offer's button was pressed).
    """
    text = message.text or message.caption or ""
    links = [e.url for e in (message.entities or message.caption_entities or ()) if e.url]
    links += LINK.findall(text)
    url = links[0].rstrip(").,;!?") if links else None
    if url is None and message.forward_origin is None and not offered:
        return None
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not first or LINK.fullmatch(first):
        if url is None:
            return None
        return title_from_url(url), url
    return clip(first, TITLE_LIMIT), url


async def _known_lines(t: Turn, url: str | None) -> list[str]:
    """Title, source and budget of a stored gig with this link; empty for an unknown link."""
    gig = await TrackingRepo(t.session).gig_by_url(url) if url else None
    if gig is None:
        return []
    user = t.user
    return known_gig_lines(gig, user.language, t.runtime.labels, t.runtime.rates, user.currency)


async def offer_tracking(update: Update, context: Context) -> None:
    """A forwarded message or a link: offer to track it (the link is never fetched)."""
    message = update.effective_message
    found = found_gig(message) if message else None
    if message is None or found is None:
        return
    async with turn(update, context) as t:
        known = await _known_lines(t, found[1])
        text = track_offer(found[0], found[1], t.user.language, known=known)
        keyboard = track_keyboard(t.user.language)
    await message.reply_text(
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        disable_web_page_preview=True,
        do_quote=True,  # the buttons read the gig back from the quoted message
    )
    raise ApplicationHandlerStop


async def track_button(update: Update, context: Context) -> None:
    """Track as applied / Save / No, for the message the offer quotes."""
    query = update.callback_query
    assert query is not None
    choice = (query.data or "").removeprefix(TRACK_PREFIX)
    offer = query.message if isinstance(query.message, Message) else None
    original = offer.reply_to_message if offer else None
    async with turn(update, context) as t:
        _ = t._
        mine = original is not None and original.from_user and original.from_user.id == t.user.id
        found = found_gig(original, offered=True) if original is not None and mine else None
        if choice not in ("a", "s", "n") or found is None:
            await query.answer(
                _("I can't see that message any more. Send it again."), show_alert=True
            )
            return
        if choice == "n":
            edit: tuple[str, InlineKeyboardMarkup | None] = (
                escape(_("OK, not tracked.")),
                None,
            )
            notice = _("OK, not tracked.")
        else:
            status = tracking.APPLIED if choice == "a" else tracking.SAVED
            repo = TrackingRepo(t.session)
            gig = await repo.gig_by_url(found[1]) if found[1] else None
            skills = await SkillRepo(t.session).list_for(t.user.id)
            if gig is not None:
                skill = skill_in_text(f"{gig.title} {gig.text[:2000]}", skills)
                app, _changed = await repo.start_for_gig(t.user.id, gig, status, skill)
            else:
                skill = skill_in_text(found[0], skills)
                app = await repo.track_link(t.user.id, found[0], found[1], status, skill)
            known = await _known_lines(t, found[1])
            text = tracked_text(app, t.user.language, t.user.timezone, known)
            edit = (text, tracked_keyboard(app, t.user.language))
            notice = _("Tracked as #{id}.").format(id=app.number)
    await query.answer(notice)
    await edit_quietly(query, edit[0], edit[1])


# --------------------------------------------------------------------------- wiring


def handlers() -> list[BaseHandler]:
    """Pipeline commands and buttons (register in group 0, before the catch-alls)."""
    found = [CommandHandler(name, _command(status)) for name, status in COMMANDS.items()]
    return [
        *found,
        CommandHandler("active", active_list),
        CommandHandler("saved", saved_list),
        CallbackQueryHandler(step_button, pattern=r"^p[cals]:"),
        CallbackQueryHandler(undo_button, pattern=r"^pu[calsm]:"),
        CallbackQueryHandler(track_button, pattern=f"^{TRACK_PREFIX}"),
    ]


def message_handlers() -> list[BaseHandler]:
    """Amount replies and forwarded messages or links; register in group -1.

    They stop further handling (ApplicationHandlerStop) only when they used the message,
    so every other message still reaches the handlers in group 0.
    """
    return [
        MessageHandler(_AmountReply() & filters.TEXT & ~filters.COMMAND, amount_reply),
        MessageHandler(
            (filters.FORWARDED & (filters.TEXT | filters.CAPTION))
            | (filters.TEXT & ~filters.COMMAND & filters.Regex(LINK)),
            offer_tracking,
        ),
    ]
