"""Moving applications along the pipeline: commands, card and list buttons, amount replies,
and tracking a gig found elsewhere (a forwarded message or a link)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Coroutine
from html import escape
from typing import Any

from telegram import ForceReply, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.domain import tracking
from bot.domain.skill_of import skill_in_text
from bot.handlers.common import Context, Handler, Turn, turn
from bot.handlers.common.cards import (
    card_edit,
    card_for,
    edit_quietly,
    on_grouped_message,
    redraw,
)
from bot.handlers.common.steps import (
    COMMAND_OF,
    COMMANDS,
    PROMPT_KEY,
    advance,
    list_message,
    move_command,
    move_with_words,
    send_list,
    status_name,
)
from bot.store.models import Application, utcnow
from bot.store.repos import SkillRepo
from bot.store.tracking_repo import TrackingRepo
from bot.ui.render import (
    ACTIVE_LIST,
    CARD,
    NOT_TRACKED,
    REPLY_VIEW,
    SAVED_LIST,
    TITLE_LIMIT,
    TRACK_PREFIX,
    amount_prompt,
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

# The amount prompt names its command; a reply to it is read as that command's arguments.
PROMPT_COMMAND = re.compile(r"/(won|paid) (\d{1,18})\b")
LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


# --------------------------------------------------------------------------- shared pieces


# --------------------------------------------------------------------------- commands


def _command(target: str) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
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
                grouped = view == CARD and await on_grouped_message(t, app)
                edit = (
                    edit[0],
                    with_undo(edit[1], view, app, previous, t.user.language, grouped=grouped),
                )
            card = await card_edit(t, app) if moved and app and view != CARD else None
            prompt = None
    await query.answer(notice)
    if prompt is not None:
        assert query.message is not None and app is not None  # a prompt is only set for an app
        if context.user_data is not None:
            context.user_data[PROMPT_KEY] = (target, str(app.number), time.monotonic())
        await context.bot.send_message(
            query.message.chat.id,
            prompt,
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
            edit: tuple[str, InlineKeyboardMarkup | None] | None = (
                await card_for(t, None, delivery) if delivery is not None else None
            )
            card = None
        elif app.status != current or not await repo.undo(app, previous, utcnow()):
            await query.answer(_("It has moved on since; nothing was undone."), show_alert=True)
            return
        else:
            notice = _("Undone: #{number} is “{status}” again.").format(
                number=app.number, status=status_name(previous, _)
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
    await move_with_words(update, context, target, [app_id, *(message.text or "").split()])
    raise ApplicationHandlerStop


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
        reply_markup=keyboard,
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


def handlers() -> list[Handler]:
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


def message_handlers() -> list[Handler]:
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
