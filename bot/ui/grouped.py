"""Grouped alerts: one message listing several gigs (a burst or a digest), each gig with its
link and its own numbered buttons, redrawn in place when one of them is pressed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import tracking
from bot.domain.money import Rates
from bot.domain.schedule_rules import BATCH, DIGEST, LIMIT, PAUSED, QUIET
from bot.store.models import Application, GigRow
from bot.ui.i18n import translator
from bot.ui.render import (
    APPLY_PREFIX,
    CARD,
    DRAFT_PREFIX,
    MESSAGE_LIMIT,
    NOT_RELEVANT_PREFIX,
    SAVE_PREFIX,
    budget_text,
    clip,
    origin_line,
    risk_line,
    status_line,
    step_button,
    visible_length,
)

GROUP_MAX = 10  # gigs in one message: ten numbered rows of buttons stay easy to use
TITLE_LIMIT = 100
MARKET_LIMIT = 100  # one short line per gig; the card's own line may be longer
UNDO_PREFIX = "nu:"
# A mixed group is introduced by the most telling reason.
_HEADING_ORDER = (DIGEST, PAUSED, QUIET, LIMIT, BATCH)


@dataclass(frozen=True)
class GroupItem:
    """One gig of a grouped message and what the user did with it so far."""

    gig: GigRow
    application: Application | None = None
    lowered: bool = False
    market: str | None = None  # plain text placing the budget in the market, when known


def heading(reasons: Iterable[str | None], count: int, language: str) -> str:
    """The first line: why these gigs come together."""
    _ = translator(language)
    present = {r or BATCH for r in reasons}
    reason = next((r for r in _HEADING_ORDER if r in present), BATCH)
    text = {
        DIGEST: _("Your digest, new gigs: {n}"),
        PAUSED: _("Gigs that came in while you were paused: {n}"),
        QUIET: _("Quiet time is over. Gigs that came in meanwhile: {n}"),
        LIMIT: _("You have room for a new gig. Gigs held while you were at your limit: {n}"),
        BATCH: _("New gigs just came in: {n}"),
    }[reason]
    return text.format(n=count)


def _is_web_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("https://", "http://"))


def group_text(
    items: Sequence[GroupItem],
    reasons: Iterable[str | None],
    language: str,
    *,
    labels: Mapping[str, str],
    rates: Rates | None = None,
    currency: str | None = None,
    timezone: str = "Asia/Jakarta",
) -> str:
    """The HTML of a grouped message: numbered gigs with link, source and budget, where each
    budget sits in the market, and where each gig stands once the user acted on it. The
    market lines go first when the whole would pass Telegram's limit."""
    text = _group_text(items, reasons, language, labels, rates, currency, timezone, True)
    if visible_length(text) > MESSAGE_LIMIT:
        text = _group_text(items, reasons, language, labels, rates, currency, timezone, False)
    return text


def _group_text(
    items: Sequence[GroupItem],
    reasons: Iterable[str | None],
    language: str,
    labels: Mapping[str, str],
    rates: Rates | None,
    currency: str | None,
    timezone: str,
    with_market: bool,
) -> str:
    _ = translator(language)
    lines = ["📬 <b>" + escape(heading(reasons, len(items), language)) + "</b>"]
    for number, item in enumerate(items, start=1):
        gig = item.gig
        title = escape(clip(gig.title, TITLE_LIMIT))
        if _is_web_url(gig.url):
            title = f'<a href="{escape(gig.url, quote=True)}">{title}</a>'
        label = escape(clip(labels.get(gig.source, gig.source), 60))
        budget = escape(budget_text(gig, language, rates, currency))
        lines.append(f"<b>{number}.</b> {title}\n    📍 {label} · 💰 {budget}")
        if origin := origin_line(gig, language):
            lines.append("    " + origin)
        if warning := risk_line(gig, language):
            lines.append("    " + warning)
        if with_market and item.market:
            lines.append("    📈 " + escape(clip(item.market, MARKET_LIMIT)))
        if item.application is not None:
            status = status_line(item.application, language, timezone, rates, currency)
            lines.append("    " + status)
        elif item.lowered:
            lines.append("    🚫 " + escape(_("Not relevant")))
    lines.append(escape(_("Buttons by number: ✅ applied · ⭐ save · 🚫 not relevant · ✍️ draft")))
    return "\n".join(lines)


def _row(number: int, item: GroupItem, language: str) -> list[InlineKeyboardButton]:
    _ = translator(language)
    gig_id, app = item.gig.id, item.application

    def button(label: str, prefix: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(f"{number} {label}", callback_data=f"{prefix}{gig_id}")

    if app is None and item.lowered:
        return [button("↩️ " + _("Undo"), UNDO_PREFIX)]
    if app is None or app.status == tracking.SAVED:
        row = [button("✅", APPLY_PREFIX)]
        if app is None:
            row.append(button("⭐", SAVE_PREFIX))
        row.append(button("🚫", NOT_RELEVANT_PREFIX))
        row.append(button("✍️", DRAFT_PREFIX))
        return row
    steps = [s for s in tracking.next_steps(app.status) if s != tracking.WITHDRAWN][:3]
    return [step_button(CARD, app, s, _, f"{number} ") for s in steps]


def group_keyboard(items: Sequence[GroupItem], language: str) -> InlineKeyboardMarkup:
    """One row of buttons per gig, labelled with its number in the message."""
    rows = [_row(n, item, language) for n, item in enumerate(items, start=1)]
    return InlineKeyboardMarkup([row for row in rows if row])
