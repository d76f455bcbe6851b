"""Text the bot shows: alert cards, lists and totals, HTML-escaped, in the user's language."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from html import escape, unescape
from typing import Any
from urllib.parse import urlsplit

from babel.dates import format_date, format_datetime, format_timedelta
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import tracking
from bot.domain.dates import zone
from bot.domain.money import Rates
from bot.matching.explain import summary
from bot.store.models import Application, GigRow, utcnow
from bot.ui.i18n import (
    BABEL_LOCALE,
    N_,
    Translate,
    format_money,
    format_plain,
    plural_translator,
    translator,
)

MESSAGE_LIMIT = 4096  # Telegram's limit on a message's visible text
TITLE_LIMIT = 200
TERM_LIMIT = 60
REASON_LIMIT = 200
MAX_ALSO = 5
LIST_LIMIT = 10  # applications shown with buttons in one list message
APPLY_PREFIX = "ap:"
SAVE_PREFIX = "sv:"
NOT_RELEVANT_PREFIX = "nr:"
DRAFT_PREFIX = "dr:"
# Pipeline buttons: "p<view>:<application id>:<step>"; the view says what to redraw.
STEP_PREFIX = "p"
CARD, ACTIVE_LIST, ALL_LIST, SAVED_LIST = "c", "a", "l", "s"
TRACK_PREFIX = "tk:"
STEP_CODES = {
    tracking.APPLIED: "ap",
    tracking.REPLIED: "rp",
    tracking.WON: "wn",
    tracking.DELIVERED: "dl",
    tracking.PAID: "pd",
    tracking.LOST: "lo",
    tracking.WITHDRAWN: "wd",
}
STATUS_OF_CODE = {code: status for status, code in STEP_CODES.items()}
STATUS_NAMES = {
    tracking.SAVED: ("⭐", N_("Saved")),
    tracking.APPLIED: ("✅", N_("Applied")),
    tracking.REPLIED: ("💬", N_("Replied")),
    tracking.WON: ("🏆", N_("Won")),
    tracking.DELIVERED: ("📦", N_("Delivered")),
    tracking.PAID: ("💰", N_("Paid")),
    tracking.LOST: ("❌", N_("Lost")),
    tracking.WITHDRAWN: ("↩️", N_("Withdrawn")),
}
# A step's button names the status it moves to; only "Withdraw" reads as a verb.
STEP_LABELS = {s: v for s, v in STATUS_NAMES.items() if s != tracking.SAVED}
STEP_LABELS[tracking.WITHDRAWN] = ("↩️", N_("Withdraw"))
_TAG = re.compile(r"<[^>]+>")
MONTHLY = frozenset({"monthly", "month"})  # `salary_period` values of a monthly salary


def clip(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters with an ellipsis; cut before escaping."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain_text(html_text: str) -> str:
    """What the user sees of an HTML message: the text without tags and entities."""
    return unescape(_TAG.sub("", html_text))


def visible_length(html_text: str) -> int:
    """How long Telegram counts an HTML message."""
    return len(plain_text(html_text))


def _amount_range(
    low: Decimal | None, high: Decimal | None, currency: str | None, language: str = "en"
) -> str:
    """'Rp250.000 – Rp400.000'; without a currency the bare numbers."""

    def one(value: Decimal) -> str:
        return (
            format_money(value, currency, language) if currency else format_plain(value, language)
        )

    if low is not None and high is not None and low != high:
        return f"{one(low)} – {one(high)}"
    return one(low if low is not None else high or Decimal(0))


def budget_text(
    gig: GigRow, language: str, rates: Rates | None = None, user_currency: str | None = None
) -> str:
    """The budget as stated, plus the user's currency when it differs; or 'not stated'."""
    _ = translator(language)
    if gig.budget_min is None and gig.budget_max is None:
        return _("budget not stated")
    # A listing that states no currency is shown as bare numbers: guessing one misleads.
    currency = gig.currency
    low, high = gig.budget_min, gig.budget_max
    suffix = {"hourly": _("/hour"), "salary": _("/year")}.get(gig.budget_type, "")
    if gig.budget_type == "salary" and (gig.extra or {}).get("salary_period") in MONTHLY:
        suffix = _("/month")
    text = _amount_range(low, high, currency, language) + suffix
    if currency is None:
        return text
    target = (user_currency or currency).upper()
    if rates is not None and target != currency.upper():
        converted = [None if v is None else rates.convert(v, currency, target) for v in (low, high)]
        if all(c is not None for c, v in zip(converted, (low, high), strict=True) if v is not None):
            approx = _amount_range(converted[0], converted[1], target, language)
            text += " (≈ " + approx + suffix + ")"
    return text


def ago_text(moment: datetime | None, language: str, now: datetime | None = None) -> str:
    """'2 hours ago' / '2 jam yang lalu'."""
    if moment is None:
        return translator(language)("time not stated")
    delta = moment - (now or utcnow())
    return format_timedelta(delta, add_direction=True, locale=BABEL_LOCALE[language])


def reasons_text(reasons: Sequence[Mapping[str, Any]], language: str) -> str:
    """Why a gig matched, as ONE short escaped line (each skill once, no raw numbers)."""
    return escape(clip(summary(reasons, language), REASON_LIMIT))


def _when(moment: datetime, language: str, timezone: str) -> str:
    local = moment.astimezone(zone(timezone, None))
    return format_datetime(local, "EEE d MMM HH:mm", locale=BABEL_LOCALE[language])


def _day(moment: datetime, language: str, timezone: str) -> str:
    local = moment.astimezone(zone(timezone, None))
    return format_date(local, format="medium", locale=BABEL_LOCALE[language])


def facts_text(gig: GigRow, language: str, timezone: str, listing_deadline: bool = True) -> str:
    """Bids so far, days to finish and the listing's deadline, where the source says."""
    _ = translator(language)
    parts = []
    if gig.bids is not None:
        parts.append(
            plural_translator(language)("{n} bid", "{n} bids", gig.bids).format(n=gig.bids)
        )
    extra = gig.extra or {}
    days = str(extra.get("finish_days", "")).strip()
    if days.isdigit():
        parts.append(_("finish in {n} days").format(n=days))
    deadline = extra.get("deadline") if listing_deadline else None
    if isinstance(deadline, str) and deadline:
        try:
            moment = datetime.fromisoformat(deadline)
            shown = _day(moment, language, timezone) if moment.tzinfo else deadline[:10]
        except ValueError:
            shown = clip(deadline, 40)
        parts.append(_("deadline {date}").format(date=shown))
    return " · ".join(escape(p) for p in parts)


def status_line(
    app: Application, language: str, timezone: str, rates: Rates | None, currency: str | None
) -> str:
    """Where an application stands, as one escaped HTML line with its key facts."""
    _ = translator(language)
    emoji, label = STATUS_NAMES.get(app.status, ("", app.status))
    line = f"{emoji} <b>{escape(_(label))}</b>"
    facts: list[str] = []
    if app.status == tracking.APPLIED:
        facts.append(_day(app.applied_at, language, timezone))
    if (
        app.agreed_amount is not None
        and app.currency
        and app.status
        in (
            tracking.WON,
            tracking.DELIVERED,
        )
    ):
        facts.append(_money_with(app.agreed_amount, app.currency, rates, currency, language))
    if app.deadline_at is not None and app.status == tracking.WON:
        facts.append(_("deadline {when}").format(when=_when(app.deadline_at, language, timezone)))
    if app.status == tracking.PAID and app.received_amount is not None and app.currency:
        received = _money_with(app.received_amount, app.currency, rates, currency, language)
        facts.append(_("{amount} received").format(amount=received))
        if app.fee_amount:
            fee = format_money(app.fee_amount, app.currency, language)
            facts.append(_("fee {amount}").format(amount=fee))
    if facts:
        line += " · " + " · ".join(escape(f) for f in facts)
    return line


def _money_with(
    amount: Decimal, currency: str, rates: Rates | None, target: str | None, language: str
) -> str:
    text = format_money(amount, currency, language)
    if rates is not None and target and target.upper() != currency.upper():
        converted = rates.convert(amount, currency, target)
        if converted is not None:
            text += " (≈ " + format_money(converted, target, language) + ")"
    return text


RISK_TEXTS = {
    "pay_first": N_("asks for money up front"),
    "bank_login": N_("asks for a bank or e-wallet login"),
    "id_request": N_("asks for an ID card or OTP code"),
    "crypto_robot": N_("promotes crypto robot trading"),
    "account_trade": N_("buys or sells accounts"),
    "signup_farm": N_("paid sign-ups or fake reviews"),
    "pay_out_of_line": N_("pay far too high for a trivial task"),
    "chat_only": N_("contact only through a chat app"),
}


def risk_line(gig: GigRow, language: str) -> str | None:
    """One escaped warning line for a gig with a scam-risk signal (its first), else None."""
    codes = [c for c in gig.risk or () if c in RISK_TEXTS]
    if not codes:
        return None
    _ = translator(language)
    return "⚠️ " + escape(_("Careful: {reason}").format(reason=_(RISK_TEXTS[codes[0]])))


INDONESIA = "id"  # ISO code of both the country and the language


def origin_line(gig: GigRow, language: str) -> str | None:
    """'🇮🇩 Indonesian client · posted in Indonesian' from what the platform says of the
    client's country and the listing's language (escaped); None when it says neither."""
    extra = gig.extra or {}
    _ = translator(language)
    parts = []
    if extra.get("client_country_code") == INDONESIA:
        parts.append(_("Indonesian client"))
    if extra.get("listing_language") == INDONESIA:
        parts.append(_("posted in Indonesian"))
    return "🇮🇩 " + escape(" · ".join(parts)) if parts else None


def alert_card(
    gig: GigRow,
    reasons: Sequence[Mapping[str, Any]],
    language: str,
    *,
    labels: Mapping[str, str],
    also: Sequence[tuple[str, str]] = (),
    rates: Rates | None = None,
    currency: str | None = None,
    timezone: str = "Asia/Jakarta",
    application: Application | None = None,
    now: datetime | None = None,
    market: str | None = None,
) -> str:
    """The HTML text of an alert card, with the application's status once there is one.

    `also` lists other (source, url) listings of the gig; `rates` and `currency` add the
    budget in the user's currency; `market` (plain text) places the budget in the market.
    """
    _ = translator(language)
    label = labels.get(gig.source, gig.source)
    source = escape(clip(label, TERM_LIMIT))
    if _is_web_url(gig.url):
        source = f'<a href="{escape(gig.url, quote=True)}">{source}</a>'
    head = [
        f"<b>{escape(clip(gig.title, TITLE_LIMIT))}</b>",
        f"📍 {source} · 💰 {escape(budget_text(gig, language, rates, currency))}",
        "🕒 " + escape(_("posted {ago}").format(ago=ago_text(gig.posted_at, language, now))),
    ]
    # Once a deadline is agreed, the listing's own one would only confuse.
    agreed = application is not None and application.deadline_at is not None
    if facts := facts_text(gig, language, timezone, listing_deadline=not agreed):
        head.append("📊 " + facts)
    if origin := origin_line(gig, language):
        head.append(origin)
    if warning := risk_line(gig, language):
        head.append(warning)
    optional = []
    if market:
        head.append("📈 " + escape(clip(market, REASON_LIMIT)))
    if reasons and (why := reasons_text(reasons, language)):
        optional.append("💡 " + _("Fits: {reasons}").format(reasons=why))
    links = [
        f'<a href="{escape(url, quote=True)}">{escape(clip(labels.get(s, s), TERM_LIMIT))}</a>'
        for s, url in list(also)[:MAX_ALSO]
        if _is_web_url(url)
    ]
    if links:
        optional.append("🔁 " + _("Also on: {links}").format(links=", ".join(links)))
    tail = []
    if application is not None:
        number = f"<b>#{application.number}</b> " if application.number else ""
        tail.append(number + status_line(application, language, timezone, rates, currency))
    lines = head + optional + tail
    while visible_length("\n".join(lines)) > MESSAGE_LIMIT and optional:
        optional.pop()  # never reached with today's clipping; a guard for new lines
        lines = head + optional + tail
    return "\n".join(lines)


def _is_web_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("https://", "http://"))


def step_data(view: str, app_id: int, status: str) -> str:
    """Callback data of a pipeline button (well under Telegram's 64 bytes)."""
    return f"{STEP_PREFIX}{view}:{app_id}:{STEP_CODES[status]}"


def parse_step_data(data: str | None) -> tuple[str, int, str] | None:
    """(view, application id, target status) from pipeline callback data, or None."""
    match = re.fullmatch(r"p([cals]):(\d{1,18}):([a-z]{2})", data or "")
    if match is None or match.group(3) not in STATUS_OF_CODE:
        return None
    return match.group(1), int(match.group(2)), STATUS_OF_CODE[match.group(3)]


UNDO_STEP_PREFIX = "pu"
REPLY_VIEW = "m"  # the answer to a typed command
NOT_TRACKED = "none"  # the gig was not tracked before the move (Undo forgets it again)
UNDO_CODES = {status: status[:2] for status in tracking.STATUSES} | {NOT_TRACKED: "no"}
STATUS_OF_UNDO = {code: status for status, code in UNDO_CODES.items()}


def undo_step_data(view: str, app_id: int, previous: str, current: str) -> str:
    """Callback data of the Undo button after a move previous → current."""
    return f"{UNDO_STEP_PREFIX}{view}:{app_id}:{UNDO_CODES[previous]}:{UNDO_CODES[current]}"


def parse_undo_step_data(data: str | None) -> tuple[str, int, str, str] | None:
    """(view, application id, previous status, current status) of an Undo button, or None."""
    match = re.fullmatch(r"pu([calsm]):(\d{1,18}):([a-z]{2}):([a-z]{2})", data or "")
    if match is None or not {match.group(3), match.group(4)} <= set(STATUS_OF_UNDO):
        return None
    previous, current = STATUS_OF_UNDO[match.group(3)], STATUS_OF_UNDO[match.group(4)]
    return match.group(1), int(match.group(2)), previous, current


def with_undo(
    keyboard: InlineKeyboardMarkup | None,
    view: str,
    app: Application,
    previous: str,
    language: str,
    grouped: bool = False,
) -> InlineKeyboardMarkup:
    """`keyboard` with an Undo button for the move that just happened added on top; on a
    grouped message it goes below the gigs' rows and names its gig."""
    _ = translator(language)
    label = "↩️ " + _("Undo")
    if grouped:
        label += ": " + clip(app.title, 28)
    undo = InlineKeyboardButton(
        label, callback_data=undo_step_data(view, app.id, previous, app.status)
    )
    rows = [list(row) for row in keyboard.inline_keyboard] if keyboard else []
    return InlineKeyboardMarkup([*rows, [undo]] if grouped else [[undo], *rows])


def step_button(view: str, app: Application, status: str, _: Translate, prefix: str = "") -> Any:
    """One button moving an application to `status`."""
    emoji, label = STEP_LABELS[status]
    return InlineKeyboardButton(
        f"{prefix}{emoji} {_(label)}", callback_data=step_data(view, app.id, status)
    )


def alert_keyboard(
    gig: GigRow, language: str, *, application: Application | None = None
) -> InlineKeyboardMarkup:
    """The card's buttons: Applied/Save/Not relevant, then the next pipeline steps; Open."""
    _ = translator(language)
    rows: list[list[InlineKeyboardButton]] = []
    if application is None or application.status == tracking.SAVED:
        first = [
            InlineKeyboardButton("✅ " + _("Applied"), callback_data=f"{APPLY_PREFIX}{gig.id}")
        ]
        if application is None:
            first.append(
                InlineKeyboardButton("⭐ " + _("Save"), callback_data=f"{SAVE_PREFIX}{gig.id}")
            )
        first.append(
            InlineKeyboardButton(
                "🚫 " + _("Not relevant"), callback_data=f"{NOT_RELEVANT_PREFIX}{gig.id}"
            )
        )
        rows.append(first)
        rows.append(
            [InlineKeyboardButton("✍️ " + _("Draft"), callback_data=f"{DRAFT_PREFIX}{gig.id}")]
        )
    else:
        steps = [
            step_button(CARD, application, s, _) for s in tracking.next_steps(application.status)
        ]
        rows.extend(steps[i : i + 2] for i in range(0, len(steps), 2))
    if _is_web_url(gig.url):
        rows.append([InlineKeyboardButton("🔗 " + _("Open"), url=gig.url)])
    return InlineKeyboardMarkup(rows)


def tracked_keyboard(app: Application, language: str) -> InlineKeyboardMarkup:
    """Pipeline buttons for a gig tracked by hand (there is no alert card behind it)."""
    _ = translator(language)
    steps = [step_button(CARD, app, s, _) for s in tracking.next_steps(app.status)]
    return InlineKeyboardMarkup([steps[i : i + 2] for i in range(0, len(steps), 2)])


def list_view(active_only: bool = False, saved_only: bool = False) -> str:
    """The list a button sits on: in progress, saved, or all applications."""
    return SAVED_LIST if saved_only else ACTIVE_LIST if active_only else ALL_LIST


def _movable(app: Application) -> list[str]:
    return [s for s in tracking.next_steps(app.status) if s != tracking.WITHDRAWN]


def applications_text(
    apps: Sequence[Application],
    language: str,
    timezone: str,
    *,
    active_only: bool = False,
    saved_only: bool = False,
    rates: Rates | None = None,
    currency: str | None = None,
) -> str:
    """A list of applications (or saved gigs): '#n title', then its status; newest first."""
    _ = translator(language)
    if not apps:
        if saved_only:
            return _("Nothing saved. Press “Save” on an alert to keep it for later.")
        if active_only:
            return _("Nothing in progress right now. Press “Applied” on an alert to track one.")
        return _("You have not marked any gig as applied yet. Press “Applied” on an alert.")
    heading = (
        _("Saved gigs")
        if saved_only
        else _("In progress")
        if active_only
        else _("Your applications")
    )
    lines = [("⭐ " if saved_only else "📝 ") + "<b>" + escape(heading) + "</b>"]
    for app in apps[:LIST_LIMIT]:
        title = escape(clip(app.title, 80))
        if _is_web_url(app.url):
            title = f'<a href="{escape(app.url or "", quote=True)}">{title}</a>'
        status = status_line(app, language, timezone, rates, currency)
        lines.append(f"<b>#{app.number}</b> {title}\n    {status}")
    if len(apps) > LIST_LIMIT:
        more = len(apps) - LIST_LIMIT
        lines.append(escape(_("…and {n} more.").format(n=more)))
    movable = [app for app in apps[:LIST_LIMIT] if _movable(app)]
    if saved_only and movable:
        hint = _("Applied for one? Tap its button or type /applied {number}")
        lines.append(escape(hint.format(number=movable[0].number)))
    elif movable:
        hint = _("Move one with the buttons or type e.g. /won {number} 500rb 3 days")
        lines.append(escape(hint.format(number=movable[0].number)))
    return "\n".join(lines)


def applications_keyboard(
    apps: Sequence[Application], language: str, *, active_only: bool, saved_only: bool = False
) -> InlineKeyboardMarkup | None:
    """One row per application with its next steps, labelled with its #number."""
    _ = translator(language)
    view = list_view(active_only, saved_only)
    rows = []
    for app in apps[:LIST_LIMIT]:
        if steps := _movable(app):
            rows.append([step_button(view, app, s, _, f"#{app.number} ") for s in steps[:3]])
    return InlineKeyboardMarkup(rows) if rows else None


def amount_prompt(app: Application, target: str, language: str) -> str:
    """Ask for the amount a step needs, naming the command that does the same."""
    _ = translator(language)
    title = escape(clip(app.title, 80))
    if target == tracking.WON:
        ask = "🏆 " + _(
            "How much did you agree on for “{title}”? "
            "Send the amount and, if you like, the deadline: 500rb 3 days"
        )
        days = _("3 days")
        command = f"/won {app.number} 500rb {days}"
    else:
        ask = "💰 " + _(
            "How much were you paid for “{title}”? "
            "Reply with the amount and the platform fee, if any: 500rb fee 50rb"
        )
        command = f"/paid {app.number} " + _("500rb fee 50rb")
    hint = _("Or type: {command}").format(command=f"<code>{escape(command)}</code>")
    return escape(ask).format(title=title) + "\n" + hint


def known_gig_lines(
    gig: GigRow,
    language: str,
    labels: Mapping[str, str],
    rates: Rates | None = None,
    currency: str | None = None,
) -> list[str]:
    """A stored gig in two lines: its title, then its source and budget (escaped HTML)."""
    source = escape(clip(labels.get(gig.source, gig.source), TERM_LIMIT))
    budget = escape(budget_text(gig, language, rates, currency))
    return [f"<b>{escape(clip(gig.title, TITLE_LIMIT))}</b>", f"📍 {source} · 💰 {budget}"]


def track_offer(title: str, url: str | None, language: str, *, known: Sequence[str] = ()) -> str:
    """'Track this gig?' with what would be stored: a known gig's lines, or title and link."""
    _ = translator(language)
    lines = ["📌 <b>" + escape(_("Track this gig?")) + "</b>"]
    if known:
        lines += known
    elif url and title == title_from_url(url):
        lines.append(escape(clip(url, 300)))  # the title would only repeat the link
    else:
        lines.append(escape(clip(title, TITLE_LIMIT)))
        if url:
            lines.append(escape(clip(url, 300)))
    return "\n".join(lines)


def title_from_url(url: str) -> str:
    """What stands in for a title when only a link was sent: host and path."""
    parts = urlsplit(url)
    return clip((parts.netloc + parts.path).rstrip("/"), TITLE_LIMIT)


def track_keyboard(language: str) -> InlineKeyboardMarkup:
    """Track as applied / Save / No."""
    _ = translator(language)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "✅ " + _("Track as applied"), callback_data=f"{TRACK_PREFIX}a"
                ),
                InlineKeyboardButton("⭐ " + _("Save"), callback_data=f"{TRACK_PREFIX}s"),
                InlineKeyboardButton("✖️ " + _("No"), callback_data=f"{TRACK_PREFIX}n"),
            ]
        ]
    )


def tracked_text(app: Application, language: str, timezone: str, known: Sequence[str] = ()) -> str:
    """The offer after a choice: what is tracked now and how to move it."""
    _ = translator(language)
    title = escape(clip(app.title, TITLE_LIMIT))
    if _is_web_url(app.url):
        title = f'<a href="{escape(app.url or "", quote=True)}">{title}</a>'
    lines = [f"<b>#{app.number}</b> {title}", *known[1:]]
    lines.append(status_line(app, language, timezone, None, None))
    lines.append(escape(_("See it with /active or /applied.")))
    return "\n".join(lines)


def reminder_text(app: Application, language: str, timezone: str, now: datetime) -> str:
    """A deadline reminder for a won gig."""
    _ = translator(language)
    assert app.deadline_at is not None
    left = format_timedelta(
        app.deadline_at - now, add_direction=True, threshold=1.1, locale=BABEL_LOCALE[language]
    )
    heading = "⏰ " + _("Deadline {left}: {when}").format(
        left=left, when=_when(app.deadline_at, language, timezone)
    )
    title = escape(clip(app.title, TITLE_LIMIT))
    if _is_web_url(app.url):
        title = f'<a href="{escape(app.url or "", quote=True)}">{title}</a>'
    done = _("Done? /delivered {id}").format(id=app.number)
    return f"<b>{escape(heading)}</b>\n#{app.number} {title}\n{escape(done)}"
