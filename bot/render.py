"""Text the bot shows: alert cards, lists and totals, HTML-escaped, in the user's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_timedelta
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import BABEL_LOCALE, format_money, translator
from bot.store.models import Application, GigRow, utcnow
from bot.store.repos import CurrencyTotal

TITLE_LIMIT = 200
APPLY_PREFIX = "ap:"


def budget_text(gig: GigRow, language: str) -> str:
    """The budget as stated, or a plain 'not stated'."""
    _ = translator(language)
    if gig.budget_min is None and gig.budget_max is None:
        return _("budget not stated")
    currency = gig.currency or "USD"
    low, high = gig.budget_min, gig.budget_max
    if low is not None and high is not None and low != high:
        amount = f"{format_money(low, currency)} – {format_money(high, currency)}"
    else:
        amount = format_money(low if low is not None else high or Decimal(0), currency)
    suffix = {"hourly": _("/hour"), "salary": _("/year")}.get(gig.budget_type, "")
    return amount + suffix


def ago_text(moment: datetime | None, language: str, now: datetime | None = None) -> str:
    """'2 hours ago' / '2 jam yang lalu'."""
    if moment is None:
        return translator(language)("time not stated")
    delta = moment - (now or utcnow())
    return format_timedelta(delta, add_direction=True, locale=BABEL_LOCALE[language])


def reasons_text(reasons: list[dict[str, str]], language: str) -> str:
    """Why a gig matched, e.g. '“logo” in the title'."""
    _ = translator(language)
    where = {"title": _("in the title"), "tags": _("in the tags"), "text": _("in the description")}
    parts = []
    for reason in reasons:
        skill, term = reason.get("skill", ""), reason.get("term", "")
        label = f"“{escape(skill)}”"
        if term and term != skill.casefold():
            label += " (" + _("as “{term}”").format(term=escape(term)) + ")"
        parts.append(f"{label} {where.get(reason.get('field', ''), '')}".strip())
    return "; ".join(parts)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def alert_card(
    gig: GigRow,
    reasons: list[dict[str, str]],
    language: str,
    *,
    labels: Mapping[str, str],
    also: Sequence[tuple[str, str]] = (),
    applied: bool = False,
) -> str:
    """The HTML text of an alert card; `also` lists other (source, url) listings of the gig."""
    _ = translator(language)
    label = labels.get(gig.source, gig.source)
    lines = [
        f"<b>{escape(_clip(gig.title, TITLE_LIMIT))}</b>",
        f"📍 {escape(label)} · 💰 {escape(budget_text(gig, language))}",
        "🕒 " + escape(_("posted {ago}").format(ago=ago_text(gig.posted_at, language))),
    ]
    if reasons:
        lines.append("💡 " + _("Why: {reasons}").format(reasons=reasons_text(reasons, language)))
    links = [
        f'<a href="{escape(url, quote=True)}">{escape(labels.get(source, source))}</a>'
        for source, url in also
        if _is_web_url(url)
    ]
    if links:
        lines.append("🔁 " + _("Also on: {links}").format(links=", ".join(links)))
    if applied:
        lines.append("✅ <b>" + escape(_("Applied")) + "</b>")
    return "\n".join(lines)


def _is_web_url(url: str | None) -> bool:
    return bool(url) and url.startswith(("https://", "http://"))


def alert_keyboard(gig: GigRow, language: str, *, applied: bool = False) -> InlineKeyboardMarkup:
    """The card's buttons: Applied (until pressed) and Open."""
    _ = translator(language)
    row = []
    if not applied:
        row.append(
            InlineKeyboardButton("✅ " + _("Applied"), callback_data=f"{APPLY_PREFIX}{gig.id}")
        )
    if _is_web_url(gig.url):
        row.append(InlineKeyboardButton("🔗 " + _("Open"), url=gig.url))
    return InlineKeyboardMarkup([row])


def applications_text(apps: list[Application], language: str, timezone: str) -> str:
    """A numbered list of applications with their dates."""
    _ = translator(language)
    if not apps:
        return _("You have not marked any gig as applied yet. Press “Applied” on an alert.")
    zone = ZoneInfo(timezone)
    lines = ["📝 <b>" + escape(_("Your applications")) + "</b>"]
    for number, app in enumerate(apps, start=1):
        title = escape(_clip(app.title, 80))
        if _is_web_url(app.url):
            title = f'<a href="{escape(app.url or "", quote=True)}">{title}</a>'
        day = format_date(
            app.applied_at.astimezone(zone), format="medium", locale=BABEL_LOCALE[language]
        )
        lines.append(f"{number}. {title} — {escape(day)}")
    return "\n".join(lines)


def earnings_text(totals: list[CurrencyTotal], period_label: str, language: str) -> str:
    """Totals per currency for a period."""
    _ = translator(language)
    if not totals:
        return _("No earnings recorded {period}. Record one with /earned 150rb").format(
            period=period_label
        )
    heading = _("Earnings {period}").format(period=period_label)
    lines = ["💰 <b>" + escape(heading) + "</b>"]
    for total in totals:
        entries = _("1 entry") if total.entries == 1 else _("{n} entries").format(n=total.entries)
        lines.append(f"{escape(format_money(total.amount, total.currency))} ({entries})")
    return "\n".join(lines)
