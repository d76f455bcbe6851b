"""/settings, /filters, /lang, /pause, /resume, /limit, /quiet and /digest."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.domain.schedule_rules import (
    PAUSED,
    WEEKDAYS,
    QuietRange,
    RuleInputError,
    next_digest_at,
    parse_clock,
    parse_limit,
    parse_quiet,
)
from bot.domain.settings_input import CURRENCIES, ZONES, zone_label
from bot.handlers.common import Context, Handler, Turn, reply, turn
from bot.handlers.common.cards import edit_quietly
from bot.handlers.common.profile import (
    ASK_BUDGET,
    ASK_CURRENCY,
    ASK_ZONE,
    DONE,
    LANGUAGE_NAMES,
    apply_budget,
    ask,
    budget_buttons,
    budget_label,
    change_currency,
    digest_label,
    language_keyboard,
    local_moment,
    quiet_text,
    zone_buttons,
)
from bot.store.models import User, utcnow
from bot.store.outbox_repo import OutboxRepo
from bot.store.settings_repo import HeldAlertRepo, SettingsRepo
from bot.ui.i18n import Translate, translator

SETTINGS = "se:"
FILTERS = "fi:"
LANGUAGE = "lg:"
RESUME = "rs:"
LIMIT_CHOICES = (0, 1, 2, 3, 5)
DIGEST_CHOICES = ("07:00", "12:00", "19:30", "21:00")
QUIET_CHOICES = {
    "night": [QuietRange(parse_clock("22:00"), parse_clock("06:00"))],
    "work": [QuietRange(parse_clock("08:00"), parse_clock("17:00"), WEEKDAYS)],
}
BUDGET_TYPES = ("fixed", "hourly", "salary", "unknown")
EMPLOYMENT = ("freelance", "part_time", "contract", "full_time", "internship")
WORKPLACE = ("remote", "hybrid", "onsite")
MAX_EXCLUDED = 30
MAX_WORD = 40
EXCLUDE_WORDS = frozenset({"exclude", "kecualikan", "blokir", "block"})
INCLUDE_WORDS = frozenset({"include", "sertakan", "izinkan", "allow"})


# ----------------------------------------------------------------- shared texts


def limit_label(user: User, _: Translate) -> str:
    """'3' or 'no limit'."""
    return str(user.workload_limit) if user.workload_limit else _("no limit")


def settings_rows(user: User) -> list[tuple[str, str]]:
    """Every setting as (name, value) in the user's language."""
    _ = translator(user.language)
    return [
        (_("Language"), LANGUAGE_NAMES.get(user.language, user.language)),
        (_("Time zone"), zone_label(user.timezone)),
        (_("Currency"), user.currency),
        (_("Minimum budget"), budget_label(user, _)),
        (_("Active gig limit"), limit_label(user, _)),
        (_("Quiet hours"), quiet_text(user, _)),
        (_("Digest"), digest_label(user, _)),
        (_("Alerts"), _("paused") if user.paused else _("on")),
    ]


def settings_text(user: User) -> str:
    """Every setting on one screen."""
    _ = translator(user.language)
    lines = ["⚙️ <b>" + escape(_("Your settings")) + "</b>"]
    lines += [f"{escape(name)}: <b>{escape(value)}</b>" for name, value in settings_rows(user)]
    lines.append(
        escape(_("Filters (words, types, sources, languages, remote, risky gigs): /filters"))
    )
    return "\n".join(lines)


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def settings_keyboard(user: User) -> InlineKeyboardMarkup:
    """One button per setting."""
    _ = translator(user.language)
    pause = (
        _b("▶️ " + _("Resume"), SETTINGS + "pause:0")
        if user.paused
        else _b("⏸ " + _("Pause"), SETTINGS + "pause:1")
    )
    return InlineKeyboardMarkup(
        [
            [
                _b("🌐 " + _("Language"), SETTINGS + "lang"),
                _b("🕒 " + _("Time zone"), SETTINGS + "tz"),
            ],
            [
                _b("💱 " + _("Currency"), SETTINGS + "cur"),
                _b("💰 " + _("Minimum budget"), SETTINGS + "bud"),
            ],
            [
                _b("📦 " + _("Limit"), SETTINGS + "lim"),
                _b("🌙 " + _("Quiet hours"), SETTINGS + "quiet"),
            ],
            [_b("📰 " + _("Digest"), SETTINGS + "dig"), pause],
        ]
    )


def _back(_: Translate) -> list[InlineKeyboardButton]:
    return [_b("⬅️ " + _("Back"), SETTINGS + "show")]


def _picker(t: Turn, what: str) -> tuple[str, InlineKeyboardMarkup]:
    """The choices for one setting."""
    _ = t._
    if what == "lang":
        rows: Sequence[Sequence[InlineKeyboardButton]] = language_keyboard(
            SETTINGS + "lang:"
        ).inline_keyboard
        return escape(_("Which language do you prefer?")), InlineKeyboardMarkup([*rows, _back(_)])
    if what == "tz":
        ask(t.user, ASK_ZONE)
        text = _("Pick your time zone, or type its name, e.g. Asia/Singapore.")
        return escape(text), InlineKeyboardMarkup([*zone_buttons(SETTINGS + "tz:"), _back(_)])
    if what == "cur":
        ask(t.user, ASK_CURRENCY)
        row = [_b(code, f"{SETTINGS}cur:{code}") for code in CURRENCIES]
        text = _("Pick your currency, or type a three-letter code, e.g. SGD.")
        return escape(text), InlineKeyboardMarkup([row, _back(_)])
    if what == "bud":
        ask(t.user, ASK_BUDGET)
        text = _(
            "Smallest budget worth your time? Tap one, or type an amount, e.g. 75rb or 20 USD."
        )
        buttons = budget_buttons(SETTINGS + "bud:", _, t.user, t.runtime.rates)
        return escape(text), InlineKeyboardMarkup([*buttons, _back(_)])
    if what == "lim":
        row = [_b(_("Off") if n == 0 else str(n), f"{SETTINGS}lim:{n}") for n in LIMIT_CHOICES]
        text = _("The most gigs you want active at once (or send /limit 4).")
        return escape(text), InlineKeyboardMarkup([row, _back(_)])
    if what == "quiet":
        rows = [
            [_b(_("Off"), SETTINGS + "quiet:off")],
            [_b("22:00–06:00 " + _("every day"), SETTINGS + "quiet:night")],
            [_b("08:00–17:00 " + _("weekdays"), SETTINGS + "quiet:work")],
        ]
        text = _(
            "No alerts at these hours; what comes in is sent as one message after. "
            "Or send /quiet 08:00-12:00, 13:00-17:00 weekdays"
        )
        return escape(text), InlineKeyboardMarkup([*rows, _back(_)])
    row = [_b(_("Instant"), SETTINGS + "dig:off")] + [
        _b(at, f"{SETTINGS}dig:{at.replace(':', '')}") for at in DIGEST_CHOICES
    ]
    text = _("One digest a day instead of instant alerts? Or send /digest 20:15")
    return escape(text), InlineKeyboardMarkup([row, _back(_)])


def _apply(t: Turn, what: str, value: str) -> bool:
    """Change one setting from a button; False when the value is not one we offer."""
    user = t.user
    if what == "lang" and value in LANGUAGE_NAMES:
        user.language = value
    elif what == "tz" and value in ZONES:
        user.timezone = ZONES[value]
    elif what == "bud":
        return apply_budget(user, value, t.runtime.rates)
    elif what == "lim" and value in {str(n) for n in LIMIT_CHOICES}:
        user.workload_limit = int(value) or None
    elif what == "quiet" and (value == "off" or value in QUIET_CHOICES):
        ranges = QUIET_CHOICES.get(value, [])
        user.quiet_hours = [r.as_dict() for r in ranges] or None
    elif what == "dig" and (
        value == "off" or value in {at.replace(":", "") for at in DIGEST_CHOICES}
    ):
        _set_digest(user, None if value == "off" else f"{value[:2]}:{value[2:]}")
    elif what == "pause" and value in ("0", "1"):
        user.paused = value == "1"
    else:
        return False
    return True


def _set_digest(user: User, at: str | None) -> None:
    user.digest_time = at
    # The first digest comes at the next occurrence, not right away.
    user.last_digest_at = utcnow() if at else None


async def settings_button(update: Update, context: Context) -> None:
    """Buttons of the settings screen and its pickers."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").removeprefix(SETTINGS).split(":")
    async with turn(update, context) as t:
        what, value = parts[0], parts[1] if len(parts) > 1 else None
        resume_view = None
        note = None
        markup: InlineKeyboardMarkup | None
        if value is None and what != "show":
            text, markup = _picker(t, what)
        else:
            if what == "cur" and value in CURRENCIES:
                note = change_currency(t.user, value, t.runtime.rates, t._)
            elif value is not None:
                _apply(t, what, value)
                if what == "pause" and value == "0":
                    resume_view = await _resume_view(t)
            if t.user.onboarding_step in (ASK_ZONE, ASK_BUDGET, ASK_CURRENCY):
                t.user.onboarding_step = DONE
            text, markup = settings_text(t.user), settings_keyboard(t.user)
            if note is not None:
                text = "✅ " + escape(note) + "\n\n" + text
            if resume_view is not None:
                text, markup = resume_view
    await query.answer()
    await edit_quietly(update.callback_query, text, markup)


async def settings_command(update: Update, context: Context) -> None:
    """/settings: everything, with buttons to change it."""
    async with turn(update, context) as t:
        if t.user.onboarding_step in (ASK_ZONE, ASK_BUDGET, ASK_CURRENCY):
            t.user.onboarding_step = DONE
        text, markup = settings_text(t.user), settings_keyboard(t.user)
    await _send(update, text, markup)


async def _send(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(text, reply_markup=markup)


# ----------------------------------------------------------------- /lang


_LANGUAGE_WORDS = {"en": "en", "english": "en", "inggris": "en", "id": "id", "indonesia": "id"}


async def lang_command(update: Update, context: Context) -> None:
    """/lang: pick Bahasa Indonesia or English (or /lang id, /lang en)."""
    word = " ".join(context.args or []).casefold().replace("bahasa ", "")
    async with turn(update, context) as t:
        if word in _LANGUAGE_WORDS:
            t.user.language = _LANGUAGE_WORDS[word]
            _ = translator(t.user.language)
            text, markup = escape(_("I will talk to you in English now.")), None
        else:
            text = escape(t._("Which language do you prefer?"))
            markup = language_keyboard(LANGUAGE)
    await _send(update, text, markup)


async def lang_button(update: Update, context: Context) -> None:
    """A language button from /lang."""
    query = update.callback_query
    assert query is not None
    code = (query.data or "").removeprefix(LANGUAGE)
    async with turn(update, context) as t:
        if code in LANGUAGE_NAMES:
            t.user.language = code
        _ = translator(t.user.language)
    await query.answer()
    await edit_quietly(update.callback_query, escape(_("I will talk to you in English now.")), None)


# ----------------------------------------------------------------- /pause, /resume


async def pause(update: Update, context: Context) -> None:
    """/pause: keep matching, send nothing until /resume."""
    async with turn(update, context) as t:
        _ = t._
        if t.user.paused:
            text = _("Alerts are already paused. Start them again with /resume.")
        else:
            t.user.paused = True
            text = _(
                "Alerts paused. I keep what matches and ask you at /resume whether to send it."
            )
    await reply(update, escape(text))


async def _resume_view(t: Turn) -> tuple[str, InlineKeyboardMarkup | None]:
    """After resuming: how many alerts waited, with send-or-skip buttons."""
    _ = t._
    held = (await HeldAlertRepo(t.session).count_by_reason(t.user.id)).get(PAUSED, 0)
    text = escape(_("Alerts are on again."))
    if not held:
        return text, None
    text += "\n" + escape(_("While you were paused, {n} alerts were held.").format(n=held))
    markup = InlineKeyboardMarkup(
        [
            [
                _b("📬 " + _("Send them as a digest"), RESUME + "send"),
                _b("🗑 " + _("Skip them"), RESUME + "skip"),
            ]
        ]
    )
    return text, markup


async def resume(update: Update, context: Context) -> None:
    """/resume: alerts on again; held alerts only on request, never as a flood."""
    async with turn(update, context) as t:
        was_paused = t.user.paused
        t.user.paused = False
        text, markup = await _resume_view(t)
        if not was_paused and markup is None:
            text = escape(t._("Alerts are already on."))
    await _send(update, text, markup)


async def resume_button(update: Update, context: Context) -> None:
    """Send the alerts held while paused as one digest, or skip them."""
    query = update.callback_query
    assert query is not None
    choice = (query.data or "").removeprefix(RESUME)
    async with turn(update, context) as t:
        _ = t._
        repo = HeldAlertRepo(t.session)
        if choice == "skip":
            n = await repo.skip(t.user.id, PAUSED)
            text = _("Skipped {n} held alerts.").format(n=n) if n else _("Nothing is held now.")
        else:
            # The outbox sends them, grouped in as few messages as possible.
            n = await OutboxRepo(t.session).release(t.user.id, [PAUSED])
            text = (
                _("Sending {n} held alerts together.").format(n=n)
                if n
                else _("Nothing is held now.")
            )
    await query.answer()
    await edit_quietly(update.callback_query, escape(text), None)


# ----------------------------------------------------------------- /limit, /quiet, /digest


async def limit(update: Update, context: Context) -> None:
    """/limit N: the most gigs active at once; 0 or off removes it."""
    raw = " ".join(context.args or [])
    async with turn(update, context) as t:
        _ = t._
        active = await SettingsRepo(t.session).active_gig_count(t.user.id)
        if not raw:
            text = (
                _("Your limit: {limit}. Active gigs now: {n}.").format(
                    limit=limit_label(t.user, _), n=active
                )
                + "\n"
                + _("Set it like /limit 3, or remove it with /limit off.")
            )
        else:
            try:
                value = parse_limit(raw)
            except (RuleInputError, ValueError):  # ValueError: parse_limit's int("²")
                text = _(
                    "“{text}” is not a number of gigs I can use. Send a whole number from 1 to 50, "
                    "e.g. /limit 3, or /limit off."
                ).format(text=raw[:40])
            else:
                t.user.workload_limit = value
                if value is None:
                    text = _("No limit now: every alert comes right away.")
                else:
                    text = _("Limit set: at most {limit} active gigs. You have {n} now.").format(
                        limit=value, n=active
                    )
                    if active >= value:
                        text += "\n" + _(
                            "You are at your limit: new alerts wait and come together "
                            "when you have room."
                        )
    await reply(update, escape(text))


def quiet_examples(_: Translate) -> str:
    """Three /quiet examples with arguments in the user's language."""
    return _("/quiet 22:00-06:00\n/quiet 08:00-12:00, 13:00-17:00 weekdays\n/quiet off")


async def quiet(update: Update, context: Context) -> None:
    """/quiet 22:00-06:00 [weekdays|every day] (several ranges allowed), or /quiet off."""
    raw = " ".join(context.args or [])
    async with turn(update, context) as t:
        _ = t._
        if not raw:
            text = _("Quiet hours: {quiet} ({zone}).").format(
                quiet=quiet_text(t.user, _), zone=t.user.timezone
            )
            text += "\n" + _("Examples:") + "\n" + quiet_examples(_)
        elif raw.strip().casefold() in ("off", "mati", "none"):
            t.user.quiet_hours = None
            text = _("Quiet hours off: alerts come at any time.")
        else:
            try:
                ranges = parse_quiet(raw)
            except RuleInputError:
                text = _(
                    "I could not read “{text}” as hours. Use HH:MM-HH:MM, for example:"
                ).format(text=raw[:60])
                text += "\n" + quiet_examples(_)
            else:
                before = quiet_text(t.user, _) if t.user.quiet_hours else None
                t.user.quiet_hours = [r.as_dict() for r in ranges]
                text = _("Quiet hours: {quiet} ({zone}).").format(
                    quiet=quiet_text(t.user, _), zone=t.user.timezone
                )
                if before is not None and before != quiet_text(t.user, _):
                    text += "\n" + _("This replaces your earlier quiet hours ({before}).").format(
                        before=before
                    )
                text += "\n" + _(
                    "Alerts in that time are held and come as one message when it ends."
                )
    await reply(update, escape(text))


async def digest(update: Update, context: Context) -> None:
    """/digest 19:30: one daily digest instead of instant alerts; /digest off."""
    raw = " ".join(context.args or []).strip()
    async with turn(update, context) as t:
        _ = t._
        examples = _("For example: /digest 19:30, or /digest off for instant alerts.")
        if not raw:
            text = _("Digest: {digest}.").format(digest=digest_label(t.user, _)) + "\n" + examples
        elif raw.casefold() in ("off", "mati", "none"):
            _set_digest(t.user, None)
            text = _("Digest off: alerts come right away again.")
        else:
            try:
                at = parse_clock(raw)
            except RuleInputError:
                text = _("I could not read “{text}” as a time of day (24-hour HH:MM).").format(
                    text=raw[:40]
                )
                text += "\n" + examples
            else:
                _set_digest(t.user, f"{at:%H:%M}")
                upcoming = next_digest_at(t.user.digest_time or "", t.user.timezone, utcnow())
                text = _(
                    "Daily digest at {time} ({zone}): alerts are collected and sent together "
                    "once a day. Next one: {when}."
                ).format(
                    time=t.user.digest_time,
                    zone=t.user.timezone,
                    when=local_moment(t.user, upcoming),
                )
    await reply(update, escape(text))


# ----------------------------------------------------------------- /filters


def _type_label(kind: str, _: Translate) -> str:
    return {
        "fixed": _("fixed price"),
        "hourly": _("hourly"),
        "salary": _("salary"),
        "unknown": _("budget not stated"),
    }[kind]


def _employment_label(kind: str, _: Translate) -> str:
    return {
        "freelance": _("freelance"),
        "part_time": _("part-time"),
        "contract": _("contract"),
        "full_time": _("full-time"),
        "internship": _("internship"),
    }[kind]


def _workplace_label(kind: str, _: Translate) -> str:
    return {"remote": _("remote"), "hybrid": _("hybrid"), "onsite": _("on-site")}[kind]


def _language_label(code: str, _: Translate) -> str:
    return {"id": _("Indonesian"), "en": _("English")}[code]


def _allowed(chosen: list[str] | None, every: list[str]) -> list[str]:
    return [x for x in every if chosen is None or x in chosen]


def source_names(t: Turn) -> list[str]:
    """The sources this bot runs, by configured name."""
    return sorted(t.runtime.plans) or sorted(t.runtime.labels)


def filter_lines(t: Turn) -> list[str]:
    """The user's filters as plain lines: excluded words, budget types, languages, sources."""
    _, user = t._, t.user
    labels = t.runtime.labels
    excluded = ", ".join(user.exclude_words or []) or _("none")
    types = [_type_label(k, _) for k in _allowed(user.budget_types, list(BUDGET_TYPES))]
    languages = [_language_label(c, _) for c in _allowed(user.languages, ["id", "en"])]
    sources = [labels.get(s, s) for s in _allowed(user.sources, source_names(t))]
    employment = [_employment_label(k, _) for k in _allowed(user.employment_types, [*EMPLOYMENT])]
    workplace = [_workplace_label(k, _) for k in _allowed(user.workplace_types, [*WORKPLACE])]
    risky = _("hidden") if user.hide_risky else _("shown with a warning")
    return [
        _("Excluded words: {words}").format(words=excluded),
        _("Budget types: {types}").format(types=", ".join(types) or _("none")),
        _("Languages: {languages}").format(languages=", ".join(languages) or _("none")),
        _("Sources: {sources}").format(sources=", ".join(sources) or _("none")),
        _("Work types: {types}").format(types=", ".join(employment)),
        _("Workplaces: {places}").format(places=", ".join(workplace)),
        _("Gigs with a scam warning: {state}").format(state=risky),
    ]


def filters_text(t: Turn) -> str:
    """The user's filters, with how to change the exclusions."""
    _ = t._
    lines = [
        "🔎 <b>" + escape(_("Your filters")) + "</b>",
        *(escape(line) for line in filter_lines(t)),
        "",
        escape(_("Exclude words: /filters exclude crypto, nsfw")),
        escape(_("Allow one again: /filters include crypto")),
        escape(_("Tap below to switch types, languages and sources on or off.")),
    ]
    return "\n".join(lines)


def filters_keyboard(t: Turn) -> InlineKeyboardMarkup:
    """Toggles for budget types, languages, work types, workplaces, risky gigs and sources
    (✅ = on)."""
    _, user = t._, t.user
    labels = t.runtime.labels

    def toggle(kind: str, value: str, label: str, chosen: list[str] | None) -> InlineKeyboardButton:
        on = chosen is None or value in chosen
        return _b(("✅ " if on else "▫️ ") + label, f"{FILTERS}{kind}:{value}:{0 if on else 1}")

    types = [toggle("t", k, _type_label(k, _), user.budget_types) for k in BUDGET_TYPES]
    languages = [toggle("l", c, _language_label(c, _), user.languages) for c in ("id", "en")]
    sources = [toggle("s", s, labels.get(s, s), user.sources) for s in source_names(t)]
    kinds = [toggle("e", k, _employment_label(k, _), user.employment_types) for k in EMPLOYMENT]
    places = [toggle("w", k, _workplace_label(k, _), user.workplace_types) for k in WORKPLACE]
    risky = _b(
        ("▫️ " if user.hide_risky else "✅ ") + _("Gigs with a scam warning"),
        f"{FILTERS}r:risky:{1 if user.hide_risky else 0}",
    )
    rows = [types[:2], types[2:], languages, kinds[:3], kinds[3:], places, [risky]]
    rows += [sources[i : i + 2] for i in range(0, len(sources), 2)]
    return InlineKeyboardMarkup(rows)


def _switch(chosen: list[str] | None, every: list[str], value: str, on: bool) -> list[str] | None:
    """Turn one value on or off; None means everything is on."""
    current = set(_allowed(chosen, every))
    current = current | {value} if on else current - {value}
    if current >= set(every):
        return None
    return [x for x in every if x in current]


def clean_words(raw: str) -> list[str]:
    """Comma-separated words, folded and trimmed."""
    return [" ".join(w.split()).casefold()[:MAX_WORD] for w in raw.split(",") if w.strip()]


async def filters_command(update: Update, context: Context) -> None:
    """/filters, /filters exclude a, b, /filters include a."""
    args = context.args or []
    async with turn(update, context) as t:
        _ = t._
        notes: list[str] = []
        action = args[0].casefold() if args else ""
        # No more words than can be kept: the answer echoes them and must fit one message.
        words = list(dict.fromkeys(clean_words(" ".join(args[1:]))))[:MAX_EXCLUDED]
        current = list(t.user.exclude_words or [])
        if action in EXCLUDE_WORDS and words:
            added = [w for w in words if w not in current][: MAX_EXCLUDED - len(current)]
            t.user.exclude_words = current + added or None
            notes.append("🚫 " + escape(_("Excluding: {words}").format(words=", ".join(words))))
        elif action in INCLUDE_WORDS and words:
            t.user.exclude_words = [w for w in current if w not in words] or None
            notes.append("✅ " + escape(_("Allowed again: {words}").format(words=", ".join(words))))
        elif action:
            notes.append(
                "⚠️ "
                + escape(
                    _(
                        "I did not understand that. Examples: /filters exclude crypto, nsfw "
                        "or /filters include crypto"
                    )
                )
            )
        text = "\n".join([*notes, filters_text(t)])
        markup = filters_keyboard(t)
    await _send(update, text, markup)


async def filters_button(update: Update, context: Context) -> None:
    """A type, language or source toggle."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").removeprefix(FILTERS).split(":")
    async with turn(update, context) as t:
        _ = t._
        problem = None
        if parts[:2] == ["r", "risky"] and len(parts) == 3 and parts[2] in ("0", "1"):
            t.user.hide_risky = parts[2] == "0"
        elif len(parts) == 3 and parts[2] in ("0", "1"):
            kind, value, on = parts[0], parts[1], parts[2] == "1"
            every = {
                "t": list(BUDGET_TYPES),
                "l": ["id", "en"],
                "s": source_names(t),
                "e": list(EMPLOYMENT),
                "w": list(WORKPLACE),
            }.get(kind, [])
            field = {
                "t": "budget_types",
                "l": "languages",
                "s": "sources",
                "e": "employment_types",
                "w": "workplace_types",
            }.get(kind)
            if field and value in every:
                changed = _switch(getattr(t.user, field), every, value, on)
                if changed == []:
                    problem = _("Keep at least one switched on.")
                else:
                    setattr(t.user, field, changed)
            else:
                problem = _("This button is not valid any more.")
        else:
            problem = _("This button is not valid any more.")
        text, markup = filters_text(t), filters_keyboard(t)
    await query.answer(problem or None)
    await edit_quietly(update.callback_query, text, markup)


def handlers() -> list[Handler]:
    """Every settings command and button."""
    return [
        CommandHandler("settings", settings_command),
        CommandHandler("filters", filters_command),
        CommandHandler("lang", lang_command),
        CommandHandler("pause", pause),
        CommandHandler("resume", resume),
        CommandHandler("limit", limit),
        CommandHandler("quiet", quiet),
        CommandHandler("digest", digest),
        CallbackQueryHandler(settings_button, pattern=f"^{SETTINGS}"),
        CallbackQueryHandler(filters_button, pattern=f"^{FILTERS}"),
        CallbackQueryHandler(lang_button, pattern=f"^{LANGUAGE}"),
        CallbackQueryHandler(resume_button, pattern=f"^{RESUME}"),
    ]
