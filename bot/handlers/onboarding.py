"""The /start onboarding (language, skills, budget, time zone) and typed answers to its steps."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from html import escape
from zoneinfo import available_timezones

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler, MessageHandler
from telegram.ext import filters as tg_filters

from bot.domain.money import Rates
from bot.domain.schedule_rules import OFF_WORDS
from bot.handlers.common import Context, Turn, turn
from bot.handlers.earnings import KNOWN_CURRENCIES, MAX_AMOUNT, parse_earned
from bot.handlers.skills import MAX_SKILLS, answer_lines, skill_problem, split_skills
from bot.handlers.tracking import answer_recent_prompt
from bot.matching.text import skill_key
from bot.store.models import User, utcnow
from bot.store.repos import SkillRepo
from bot.ui.i18n import Translate, format_money, translator

PREFIX = "ob:"
LANG, SKILLS, BUDGET, ZONE, DONE = "lang", "skills", "budget", "tz", "done"
FLOW = (LANG, SKILLS, BUDGET, ZONE)
# Steps that wait for one typed value asked from /settings.
ASK_ZONE, ASK_BUDGET, ASK_CURRENCY = "set:tz", "set:budget", "set:cur"
PROMPT_LIFETIME = timedelta(minutes=10)

# (English name, Indonesian name): both resolve to the same skill in the matcher.
COMMON_SKILLS = (
    ("SEO article writing", "artikel SEO"),
    ("copywriting caption", "copywriting caption"),
    ("translation", "terjemahan"),
    ("logo design", "desain logo"),
    ("social media admin", "admin sosmed"),
    ("video editing", "edit video"),
    ("data entry", "entri data"),
    ("virtual assistant", "asisten virtual"),
    ("transcription", "transkripsi"),
    ("voice over", "voice over"),
)

# code → (label, amount or None, currency or None). A button never changes the user's
# currency: its amount is converted into the user's currency when pressed.
BUDGETS: dict[str, tuple[str, Decimal | None, str | None]] = {
    "none": ("—", None, None),
    "r50": ("Rp50rb", Decimal(50_000), "IDR"),
    "r100": ("Rp100rb", Decimal(100_000), "IDR"),
    "r500": ("Rp500rb", Decimal(500_000), "IDR"),
    "u5": ("$5", Decimal(5), "USD"),
    "u10": ("$10", Decimal(10), "USD"),
    "u50": ("$50", Decimal(50), "USD"),
}
# The budget buttons shown for each currency family: rupiah users get rupiah amounts.
BUDGET_FAMILIES = {"IDR": ("r50", "r100", "r500"), "USD": ("u5", "u10", "u50")}

ZONES = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
CURRENCIES = ("IDR", "USD")


def skill_name(index: int, language: str) -> str:
    """A common skill's name in the user's language."""
    english, indonesian = COMMON_SKILLS[index]
    return indonesian if language == "id" else english


@cache
def _zones_by_fold() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_zone(text: str) -> str | None:
    """'WITA', 'asia/singapore' or 'Europe/Berlin' as an IANA name; None when unknown."""
    word = text.strip()
    if word.casefold() in ZONES:
        return ZONES[word.casefold()]
    return _zones_by_fold().get(word.replace(" ", "_").casefold())


def zone_label(name: str) -> str:
    """'Asia/Jakarta (WIB)'."""
    short = ZONE_LABELS.get(name)
    return f"{name} ({short})" if short else name


def parse_budget(text: str, default_currency: str) -> tuple[Decimal | None, str | None] | None:
    """'75rb', '20 USD', 'none' → (amount, currency); (None, None) for no minimum; None if bad."""
    words = text.split()
    if not words:
        return None
    if " ".join(words).casefold() in OFF_WORDS | {"no minimum", "tanpa minimum", "tidak ada"}:
        return None, None
    parsed = parse_earned(words, default_currency)
    if parsed is None or parsed.note or parsed.currency not in KNOWN_CURRENCIES:
        return None
    if parsed.amount <= 0 or parsed.amount > MAX_AMOUNT:
        return None
    return parsed.amount, parsed.currency


def parse_currency(text: str) -> str | None:
    """A three-letter currency code, or None."""
    code = text.strip().upper()
    if code in {"RP", "RUPIAH"}:
        return "IDR"
    if code in {"$", "DOLLAR", "DOLAR"}:
        return "USD"
    return code if code in KNOWN_CURRENCIES else None


def budget_label(user: User, _: Translate) -> str:
    """'Rp100.000' or 'no minimum'."""
    if user.min_budget is None:
        return _("no minimum")
    return format_money(user.min_budget, user.currency, user.language)


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=PREFIX + data)


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def language_keyboard(prefix: str) -> InlineKeyboardMarkup:
    """Bahasa Indonesia / English buttons with callback data `prefix` + code."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(name, callback_data=prefix + code)]
            for code, name in LANGUAGE_NAMES.items()
        ]
    )


def budget_codes(user: User, rates: Rates) -> tuple[str, ...]:
    """Budget buttons in amounts the user's language thinks in (rupiah for Indonesian,
    dollars for English), converted into the user's own currency when pressed."""
    preferred = "IDR" if user.language == "id" else "USD"
    if rates.convert(Decimal(1), preferred, user.currency) is not None:
        return BUDGET_FAMILIES[preferred]
    return BUDGET_FAMILIES.get(user.currency, ())


def budget_buttons(
    prefix: str, _: Translate, user: User, rates: Rates
) -> list[list[InlineKeyboardButton]]:
    """No minimum, then three amounts that fit the user's currency."""
    codes = ("none", *budget_codes(user, rates))
    buttons = [
        InlineKeyboardButton(
            _("No minimum") if code == "none" else BUDGETS[code][0], callback_data=prefix + code
        )
        for code in codes
    ]
    return _rows(buttons, 4)


def set_min_budget(user: User, amount: Decimal | None, currency: str | None, rates: Rates) -> bool:
    """Store a minimum budget in the user's own currency (converted); False without a rate."""
    if amount is None or currency is None:
        user.min_budget = None
        return True
    converted = rates.convert(amount, currency, user.currency)
    if converted is None or not 0 < converted <= MAX_AMOUNT:
        return False
    user.min_budget = converted
    return True


def change_currency(user: User, code: str, rates: Rates, _: Translate) -> str:
    """Switch the user's currency, converting the minimum budget; a line saying what changed."""
    before = user.min_budget
    old = user.currency
    user.currency = code
    if before is None or code == old:
        return _("Currency: {currency}").format(currency=code)
    converted = rates.convert(before, old, code)
    if converted is None:
        user.min_budget = None
        return _(
            "Currency: {currency}. I have no rate for it, so your minimum budget was removed; "
            "set it again with /minbudget."
        ).format(currency=code)
    user.min_budget = converted
    return _("Currency: {currency}. Minimum budget converted: {old} → {new}.").format(
        currency=code,
        old=format_money(before, old, user.language),
        new=format_money(converted, code, user.language),
    )


def zone_buttons(prefix: str) -> list[list[InlineKeyboardButton]]:
    """WIB / WITA / WIT."""
    return [
        [
            InlineKeyboardButton(f"{short} ({zone.split('/')[1]})", callback_data=prefix + code)
            for code, zone in ZONES.items()
            for short in [ZONE_LABELS[zone]]
        ]
    ]


def _skip(_: Translate, step: str) -> list[InlineKeyboardButton]:
    return [_button("⏭ " + _("Skip"), f"{step}:skip")]


def step_view(
    step: str,
    user: User,
    chosen: Mapping[str, tuple[str, int]] | set[str],
    rates: Rates | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message and buttons of one onboarding step, in the user's language."""
    _ = translator(user.language)
    if step == LANG:
        name = escape(user.first_name or _("there"))
        text = "\n\n".join(
            [
                "👋 "
                + _(
                    "Hi {name}! I find freelance micro-gigs that fit your skills and send "
                    "them to you as soon as they are posted."
                ).format(name=name),
                escape(_("Let's set you up in four quick steps; skip any of them.")),
                "<b>1/4</b> " + escape(_("Which language do you prefer?")),
                escape(_("(Prefer commands? /subscribe logo works any time; all commands: /help)")),
            ]
        )
        rows = [
            [_button(label, f"lang:{code}") for code, label in LANGUAGE_NAMES.items()],
            _skip(_, "lang"),
        ]
        return text, InlineKeyboardMarkup(rows)
    if step == SKILLS:
        text = "<b>2/4</b> " + escape(
            _(
                "What do you do? Tap your skills, or type your own separated by commas "
                "(e.g. excel, canva)."
            )
        )
        buttons = []
        for index in range(len(COMMON_SKILLS)):
            name = skill_name(index, user.language)
            if skill_key(name) in chosen:
                buttons.append(_button("✅ " + name, f"sk:{index}:0"))
            else:
                buttons.append(_button(name, f"sk:{index}:1"))
        # Skills typed here or added with /subscribe show too, so they can be removed.
        common = {skill_key(skill_name(i, user.language)) for i in range(len(COMMON_SKILLS))}
        own = chosen.items() if isinstance(chosen, dict) else []
        for key, (name, skill_id) in own:
            if key not in common:
                buttons.append(_button("✅ " + name, f"sk:u{skill_id}:0"))
        done = _button("➡️ " + _("Done"), "sk:done") if chosen else _skip(_, "sk")[0]
        return text, InlineKeyboardMarkup([*_rows(buttons, 2), [done]])
    if step == BUDGET:
        text = "<b>3/4</b> " + escape(
            _(
                "What is the smallest budget worth your time? Gigs stating less are left out; "
                "gigs without a stated budget still come. Or type an amount, e.g. 75rb or 20 USD."
            )
        )
        rows = [
            [_button(b.text, "bud:" + str(b.callback_data)) for b in row]
            for row in budget_buttons("", _, user, rates or Rates())
        ]
        return text, InlineKeyboardMarkup([*rows, _skip(_, "bud")])
    if step == ZONE:
        text = "<b>4/4</b> " + escape(
            _(
                "Your time zone? Quiet hours and digests follow it. "
                "Or type a time zone name, e.g. Asia/Singapore."
            )
        )
        rows = [[_button(b.text, "tz:" + str(b.callback_data)) for b in zone_buttons("")[0]]]
        return text, InlineKeyboardMarkup([*rows, _skip(_, "tz")])
    return done_text(user, sorted(chosen)), None


def done_text(user: User, skills: list[str]) -> str:
    """The end of onboarding: what was set and what happens next."""
    _ = translator(user.language)
    listing = ", ".join(skills) if skills else _("none yet (add one with /subscribe logo)")
    return "\n".join(
        [
            "🎉 <b>" + escape(_("You're all set!")) + "</b>",
            escape(_("Skills: {skills}").format(skills=listing)),
            escape(_("Minimum budget: {budget}").format(budget=budget_label(user, _))),
            escape(_("Time zone: {zone}").format(zone=zone_label(user.timezone))),
            "",
            "<b>" + escape(_("What happens next")) + "</b>",
            "• "
            + escape(
                _("I send an alert as soon as a matching gig appears, with why it matched.")
                if skills
                else _("Alerts start once you add a skill, e.g. /subscribe logo design.")
            ),
            "• " + escape(_("Press Applied on an alert to track it; record income with /earned.")),
            "• "
            + escape(
                _(
                    "Change anything with /settings, /filters, /quiet, /digest or /limit; "
                    "see what I am doing with /status. All commands: /help"
                )
            ),
        ]
    )


async def _chosen(t: Turn) -> dict[str, tuple[str, int]]:
    """The user's skills: key → (name, id)."""
    return {s.key: (s.name, s.id) for s in await SkillRepo(t.session).list_for(t.user.id)}


async def _skill_names(t: Turn) -> list[str]:
    return [s.name for s in await SkillRepo(t.session).list_for(t.user.id)]


async def begin(t: Turn) -> tuple[str, InlineKeyboardMarkup | None]:
    """Start (or restart) the flow at the language step."""
    t.user.onboarding_step = LANG
    return step_view(LANG, t.user, set())


async def _advance(t: Turn, step: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """Move the user to `step` and return its view."""
    t.user.onboarding_step = step
    if step == DONE:
        return done_text(t.user, await _skill_names(t)), None
    return step_view(step, t.user, await _chosen(t), t.runtime.rates)


async def _toggle_skill(t: Turn, index: int, wanted: bool) -> None:
    name = skill_name(index, t.user.language)
    repo = SkillRepo(t.session)
    if wanted:
        if len(await repo.list_for(t.user.id)) < MAX_SKILLS:
            await repo.add(t.user.id, name, skill_key(name))
    else:
        await repo.remove(t.user.id, skill_key(name))


def apply_budget(user: User, code: str, rates: Rates) -> bool:
    """Set the minimum budget from a button code (never the currency); False when unusable."""
    if code not in BUDGETS:
        return False
    _label, amount, currency = BUDGETS[code]
    return set_min_budget(user, amount, currency, rates)


async def _on_step_button(
    t: Turn, parts: list[str]
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The next view after a button of the current step; None when the button is stale."""
    kind, value = parts[0], parts[1] if len(parts) > 1 else ""
    step = {"lang": LANG, "sk": SKILLS, "bud": BUDGET, "tz": ZONE}.get(kind)
    if step is None or t.user.onboarding_step != step:
        return None
    if kind == "lang":
        if value in LANGUAGE_NAMES:
            t.user.language = value
        return await _advance(t, SKILLS)
    if kind == "sk":
        if value == "done" or value == "skip":
            return await _advance(t, BUDGET)
        if value.startswith("u") and value[1:].isdecimal() and len(value) < 20:
            repo = SkillRepo(t.session)
            own = [sk for sk in await repo.list_for(t.user.id) if sk.id == int(value[1:])]
            if own:
                await repo.remove(t.user.id, own[0].key)
            return step_view(SKILLS, t.user, await _chosen(t))
        if not value.isdecimal() or int(value) >= len(COMMON_SKILLS) or len(parts) < 3:
            return None
        await _toggle_skill(t, int(value), parts[2] == "1")
        return step_view(SKILLS, t.user, await _chosen(t))
    if kind == "bud":
        apply_budget(t.user, value, t.runtime.rates)
        return await _advance(t, ZONE)
    if value in ZONES:
        t.user.timezone = ZONES[value]
    return await _advance(t, DONE)


async def edit_or_ignore(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the pressed message; an edit that changes nothing is fine (pressed twice)."""
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def on_button(update: Update, context: Context) -> None:
    """Any onboarding button: move through the steps, editing the same message."""
    query = update.callback_query
    assert query is not None
    parts = (query.data or "").removeprefix(PREFIX).split(":")
    async with turn(update, context) as t:
        if parts[0] == "again":
            view = await begin(t)
        else:
            view = await _on_step_button(t, parts)
        _ = translator(t.user.language)
    if view is None:
        await query.answer(_("That step is done already. Send /start to see where you are."))
        return
    await query.answer()
    await edit_or_ignore(update, *view)


SKIP_WORDS = frozenset({"skip", "lewati", "lewat", "nanti", "later"})
_LANGUAGE_WORDS = {
    "english": "en",
    "inggris": "en",
    "en": "en",
    "indonesia": "id",
    "bahasa indonesia": "id",
    "bahasa": "id",
    "id": "id",
}


async def _typed_step(t: Turn, step: str, text: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """Answer typed text at an onboarding step: the next step, or the same one with a hint."""
    _ = t._
    word = " ".join(text.casefold().split())
    if word in SKIP_WORDS:
        return await _advance(t, FLOW[FLOW.index(step) + 1] if step != ZONE else DONE)
    if step == LANG:
        if word in _LANGUAGE_WORDS:
            t.user.language = _LANGUAGE_WORDS[word]
            return await _advance(t, SKILLS)
        hint = _("Tap a language below, or type English or Indonesia.")
        view, markup = step_view(LANG, t.user, set())
        return "⚠️ " + escape(hint) + "\n\n" + view, markup
    if step == SKILLS:
        return await _typed_skills(t, text)
    if step == BUDGET:
        parsed = parse_budget(text, t.user.currency)
        if parsed is None:
            hint = _("I could not read that amount. Examples: 75rb, 1,5jt, 20 USD, or none.")
            view, markup = step_view(BUDGET, t.user, set(), t.runtime.rates)
            return "⚠️ " + escape(hint) + "\n\n" + view, markup
        if not set_min_budget(t.user, *parsed, t.runtime.rates):
            hint = _("I have no exchange rate for that currency. Type the amount in {currency}.")
            view, markup = step_view(BUDGET, t.user, set(), t.runtime.rates)
            return "⚠️ " + escape(hint.format(currency=t.user.currency)) + "\n\n" + view, markup
        return await _advance(t, ZONE)
    zone = parse_zone(text)
    if zone is None:
        hint = _("I don't know that time zone. Examples: WIB, WITA, WIT, Asia/Singapore.")
        view, markup = step_view(ZONE, t.user, set())
        return "⚠️ " + escape(hint) + "\n\n" + view, markup
    t.user.timezone = zone
    return await _advance(t, DONE)


async def _typed_skills(t: Turn, text: str) -> tuple[str, InlineKeyboardMarkup | None]:
    _ = t._
    repo = SkillRepo(t.session)
    lines = []
    for skill in split_skills(text):
        problem = skill_problem(skill, _)
        if problem:
            lines.append("⚠️ " + problem)
        elif len(await repo.list_for(t.user.id)) >= MAX_SKILLS:
            lines.append("⚠️ " + escape(_("That is the most skills I can follow.")))
            break
        else:
            await repo.add(t.user.id, skill, skill_key(skill))
            lines.append("✅ " + escape(_("Added “{skill}”.").format(skill=skill)))
    view, markup = step_view(SKILLS, t.user, await _chosen(t))
    return "\n".join([*answer_lines(lines, _), "", view]), markup


async def _typed_setting(t: Turn, step: str, text: str) -> str:
    """Answer a value typed after a settings button asked for it."""
    _ = t._
    if step == ASK_ZONE:
        zone = parse_zone(text)
        if zone is None:
            return "⚠️ " + escape(
                _("I don't know that time zone. Examples: WIB, WITA, WIT, Asia/Singapore.")
            )
        t.user.timezone = zone
        done = _("Time zone: {zone}").format(zone=zone_label(zone))
    elif step == ASK_BUDGET:
        parsed = parse_budget(text, t.user.currency)
        if parsed is None:
            return "⚠️ " + escape(
                _("I could not read that amount. Examples: 75rb, 1,5jt, 20 USD, or none.")
            )
        if not set_min_budget(t.user, *parsed, t.runtime.rates):
            hint = _("I have no exchange rate for that currency. Type the amount in {currency}.")
            return "⚠️ " + escape(hint.format(currency=t.user.currency))
        done = _("Minimum budget: {budget}").format(budget=budget_label(t.user, _))
    else:
        code = parse_currency(text)
        if code is None:
            return "⚠️ " + escape(_("Please type a three-letter currency code, e.g. IDR or USD."))
        done = change_currency(t.user, code, t.runtime.rates, _)
    t.user.onboarding_step, t.user.prompt_at = DONE, None
    return "✅ " + escape(done) + "\n" + escape(_("More settings: /settings"))


def ask(user: User, step: str) -> None:
    """Wait for one typed value asked from /settings (the question expires after a while)."""
    user.onboarding_step = step
    user.prompt_at = utcnow()


def prompt_expired(user: User, now: datetime) -> bool:
    """True when a /settings question was asked too long ago to read text as its answer."""
    return user.prompt_at is None or now - user.prompt_at > PROMPT_LIFETIME


async def text_input(update: Update, context: Context) -> None:
    """Typed answers to the step the user is on; other text falls through to later handlers."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if await answer_recent_prompt(update, context):
        raise ApplicationHandlerStop
    async with turn(update, context) as t:
        step = t.user.onboarding_step
        if step in FLOW:
            text, markup = await _typed_step(t, step, message.text)
        elif step in (ASK_ZONE, ASK_BUDGET, ASK_CURRENCY) and prompt_expired(t.user, utcnow()):
            t.user.onboarding_step, t.user.prompt_at = DONE, None
            expired = t._(
                "That question from /settings has expired (I wait 10 minutes for an answer). "
                "Open /settings again to change it."
            )
            text, markup = "⌛ " + escape(expired), None
        elif step in (ASK_ZONE, ASK_BUDGET, ASK_CURRENCY):
            text, markup = await _typed_setting(t, step, message.text), None
        else:
            return
    await message.reply_text(
        text, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True
    )
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler]:
    """The onboarding buttons (any group)."""
    return [CallbackQueryHandler(on_button, pattern=f"^{PREFIX}")]


def input_handlers() -> list[BaseHandler]:
    """Typed step answers: register in group -1, before the catch-all text handler."""
    return [
        MessageHandler(
            tg_filters.TEXT & ~tg_filters.COMMAND & tg_filters.ChatType.PRIVATE, text_input
        )
    ]
