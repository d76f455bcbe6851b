"""The user's profile steps (language, skills, budget, time zone) shared by onboarding, /start
and /settings: the step views, their buttons, labels, and applying a choice."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from html import escape

from babel.dates import format_datetime
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.dates import zone
from bot.domain.money import Rates, within_limits
from bot.domain.schedule_rules import (
    JAKARTA,
    WEEKDAYS,
    ranges_of,
)
from bot.domain.settings_input import (
    ZONE_LABELS,
    ZONES,
    zone_label,
)
from bot.handlers.common import Turn
from bot.matching.text import skill_key
from bot.store.models import User, utcnow
from bot.store.repos import SkillRepo
from bot.ui.i18n import BABEL_LOCALE, Translate, format_money, translator

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


LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def skill_name(index: int, language: str) -> str:
    """A common skill's name in the user's language."""
    english, indonesian = COMMON_SKILLS[index]
    return indonesian if language == "id" else english


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
    if converted is None or not within_limits(converted):
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


def apply_budget(user: User, code: str, rates: Rates) -> bool:
    """Set the minimum budget from a button code (never the currency); False when unusable."""
    if code not in BUDGETS:
        return False
    _label, amount, currency = BUDGETS[code]
    return set_min_budget(user, amount, currency, rates)


def ask(user: User, step: str) -> None:
    """Wait for one typed value asked from /settings (the question expires after a while)."""
    user.onboarding_step = step
    user.prompt_at = utcnow()


def quiet_text(user: User, _: Translate) -> str:
    """'22:00–06:00 every day' or 'off'."""
    ranges = ranges_of(user.quiet_hours)
    if not ranges:
        return _("off")
    parts = []
    for item in ranges:
        days = _("weekdays") if item.days == WEEKDAYS else _("every day")
        parts.append(f"{item.start:%H:%M}–{item.end:%H:%M} {days}")
    return "; ".join(parts)


def digest_label(user: User, _: Translate) -> str:
    """'daily at 19:30' or 'off (instant alerts)'."""
    if not user.digest_time:
        return _("off (instant alerts)")
    return _("daily at {time}").format(time=user.digest_time)


def local_moment(user: User, moment: datetime) -> str:
    """A UTC moment as the user reads it, e.g. '28 Nov 2026 19:30' (no seconds)."""
    return format_datetime(
        moment,
        format="d MMM y HH:mm",
        tzinfo=zone(user.timezone, JAKARTA),
        locale=BABEL_LOCALE[user.language],
    )
