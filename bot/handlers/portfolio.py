"""/portfolio <link> [skill] stores a link to the user's work (never fetched); /portfolio
lists them with buttons to remove one. Drafts insert the links of the gig's skill."""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.handlers.common import Context, Handler, Turn, reply, turn
from bot.store.proposals_repo import MAX_LINKS, PortfolioRepo
from bot.ui.drafts import template_skill
from bot.ui.render import clip

REMOVE_PREFIX = "pf:rm:"
MAX_URL = 2000


def valid_link(text: str) -> str | None:
    """The link when it is an http(s) address with a host, else None (nothing is fetched)."""
    if len(text) > MAX_URL or any(c.isspace() for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return text


async def _listing(t: Turn) -> tuple[str, InlineKeyboardMarkup | None]:
    _ = t._
    rows = await PortfolioRepo(t.session).list_for(t.user.id)
    if not rows:
        return escape(
            _("No portfolio links yet. Add one: /portfolio https://behance.net/you logo design")
        ), None
    lines = ["🗂 <b>" + escape(_("Your portfolio links")) + "</b>"]
    buttons = []
    for number, row in enumerate(rows, start=1):
        where = row.name or _("every skill")
        lines.append(f"{number}. {escape(clip(row.url, 120))} · {escape(where)}")
        buttons.append(
            InlineKeyboardButton(f"🗑 {number}", callback_data=f"{REMOVE_PREFIX}{row.id}")
        )
    lines.append(
        escape(_("Drafts show the links of the gig's skill and the ones for every skill."))
    )
    keyboard = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


async def portfolio(update: Update, context: Context) -> None:
    """Add a link (with an optional skill), or list the links."""
    args = context.args or []
    async with turn(update, context) as t:
        _ = t._
        if not args:
            text, markup = await _listing(t)
            await reply(update, text, markup)
            return
        link = valid_link(args[0])
        if link is None:
            await reply(
                update,
                "⚠️ "
                + escape(
                    _(
                        "That is not a web link. Send one starting with https:// or http://, "
                        "for example: /portfolio https://behance.net/you logo design"
                    )
                ),
            )
            return
        repo = PortfolioRepo(t.session)
        if len(await repo.list_for(t.user.id)) >= MAX_LINKS:
            await reply(
                update,
                "⚠️ "
                + escape(
                    _("You have {n} links, the most allowed. Remove one with /portfolio.").format(
                        n=MAX_LINKS
                    )
                ),
            )
            return
        typed = " ".join(args[1:]).strip()[:60]
        key, _name = template_skill(typed) if typed else (None, None)
        added = await repo.add(t.user.id, link, key, typed or None)
        if added:
            text = (
                _("Saved. Drafts for {skill} will show it.").format(skill=typed)
                if typed
                else _("Saved. Every draft will show it.")
            )
        else:
            text = _("You already have that link.")
    await reply(update, "✅ " + escape(text))


async def remove_button(update: Update, context: Context) -> None:
    """🗑 n: remove a link and redraw the list."""
    query = update.callback_query
    assert query is not None
    value = (query.data or "").removeprefix(REMOVE_PREFIX)
    async with turn(update, context) as t:
        removed = None
        if value.isascii() and value.isdigit() and len(value) < 19:
            removed = await PortfolioRepo(t.session).remove(t.user.id, int(value))
        if removed is None:
            await query.answer(t._("This button is not valid any more."), show_alert=True)
            return
        text, markup = await _listing(t)
        notice = t._("Removed.")
    await query.answer(notice)
    await query.edit_message_text(text, reply_markup=markup)


def handlers() -> list[Handler]:
    """/portfolio and its remove buttons."""
    return [
        CommandHandler("portfolio", portfolio),
        CallbackQueryHandler(remove_button, pattern=f"^{REMOVE_PREFIX}"),
    ]
