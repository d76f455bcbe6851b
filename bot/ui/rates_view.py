"""/rates as text: the market of one skill per budget type and currency, in the reader's
language and currency (the listing's own currency beside it), and the alert cards' line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.market_stats import (
    ABOVE,
    AROUND,
    BELOW,
    ENOUGH,
    Figures,
    Group,
    change,
    place,
)
from bot.domain.market_tags import market_skill
from bot.domain.money import Rates
from bot.matching.understand import skill_name
from bot.store.models import Skill
from bot.ui.i18n import N_, format_money, translator

TYPE_NAMES = {"fixed": N_("Fixed price"), "hourly": N_("Hourly")}
MAX_SOURCES = 5


def money(
    amount: Decimal, currency: str, language: str, rates: Rates | None, target: str | None
) -> str:
    """An amount in the reader's currency, with the original where it differs."""
    converted = rates.convert(amount, currency, target) if rates and target else None
    if converted is None or (target or currency).upper() == currency.upper():
        return format_money(amount, currency, language)
    shown = format_money(converted, target or currency, language)
    return f"{shown} ({format_money(amount, currency, language)})"


def _span(
    figures: Figures, currency: str, language: str, rates: Rates | None, target: str | None
) -> str:
    low = money(figures.low, currency, language, rates, target)
    high = money(figures.high, currency, language, rates, target)
    return f"{low} – {high}"


def group_lines(
    group: Group,
    language: str,
    *,
    labels: Mapping[str, str],
    rates: Rates | None,
    currency: str | None,
) -> list[str]:
    """The escaped lines of one budget type in one currency."""
    _ = translator(language)
    suffix = _("/hour") if group.budget_type == "hourly" else ""
    head = _("{kind} in {currency}: {n} gigs").format(
        kind=_(TYPE_NAMES[group.budget_type]), currency=group.currency, n=group.count
    )
    lines = ["<b>" + escape(head) + "</b>"]
    if group.now is None:
        lines.append(escape(_("Not enough data yet (fewer than {n} gigs).").format(n=ENOUGH)))
    else:
        median = money(group.now.median, group.currency, language, rates, currency) + suffix
        span = _span(group.now, group.currency, language, rates, currency) + suffix
        lines.append(
            escape(_("Median {median}; middle half {span}").format(median=median, span=span))
        )
        lines.append(escape(_before_line(group, language, rates, currency) + suffix))
    names = [f"{labels.get(s, s)} ({n})" for s, n in group.sources[:MAX_SOURCES]]
    lines.append(escape(_("Sources: {sources}").format(sources=", ".join(names))))
    return lines


def _before_line(group: Group, language: str, rates: Rates | None, currency: str | None) -> str:
    _ = translator(language)
    if group.days != 30:
        return _("No comparison with the period before for a wider period.")
    if group.before is None:
        return _("The 30 days before: not enough data to compare.")
    before = money(group.before.median, group.currency, language, rates, currency)
    delta = change(group) or Decimal(0)
    if delta > 0:
        trend = _("up {pct}%").format(pct=delta)
    elif delta < 0:
        trend = _("down {pct}%").format(pct=-delta)
    else:
        trend = _("unchanged")
    return _("The 30 days before: median {median} ({trend})").format(median=before, trend=trend)


def rates_text(
    skill: str,
    current: Sequence[Group],
    wider: Sequence[Group],
    language: str,
    *,
    labels: Mapping[str, str],
    rates: Rates | None,
    currency: str | None,
) -> str:
    """The whole /rates answer (HTML) for one skill."""
    _ = translator(language)
    enough = [g for g in current if g.now is not None]

    def block(group: Group) -> list[str]:
        return ["", *group_lines(group, language, labels=labels, rates=rates, currency=currency)]

    lines = ["📈 <b>" + escape(_("Market rates: {skill}").format(skill=skill)) + "</b>"]
    if enough:
        lines.append(
            escape(_("Posted budgets of the last 30 days (a range counts as its middle)."))
        )
        for group in current:
            lines += [
                "",
                *group_lines(group, language, labels=labels, rates=rates, currency=currency),
            ]
        return "\n".join(lines)
    lines.append(
        escape(
            _("Not enough data yet: fewer than {n} gigs with a budget in the last 30 days.").format(
                n=ENOUGH
            )
        )
    )
    if wider:
        lines.append(escape(_("The last {days} days have enough:").format(days=wider[0].days)))
        for group in wider:
            lines += [
                "",
                *group_lines(group, language, labels=labels, rates=rates, currency=currency),
            ]
    else:
        lines.append(escape(_("Not even the last 90 days have enough yet. Try again later.")))
    return "\n".join(lines)


def market_line(
    amount: Decimal,
    gig_currency: str,
    figures: Figures,
    skill: str,
    language: str,
    *,
    rates: Rates | None,
    currency: str | None,
) -> str:
    """'Below the usual Rp300.000 – Rp750.000 for logo design' for an alert card (plain)."""
    _ = translator(language)
    span = _span(figures, gig_currency, language, rates, currency)
    where = place(amount, figures)
    text = {
        BELOW: _("Below the usual {span} for {skill}"),
        AROUND: _("Around the usual {span} for {skill}"),
        ABOVE: _("Above the usual {span} for {skill}"),
    }[where]
    return text.format(span=span, skill=skill)


RATES_PREFIX = "rt:"


MAX_BUTTONS = 10


def rates_keyboard(skills: list[Skill], language: str) -> InlineKeyboardMarkup | None:
    """One 📈 button per skill of the user that has a market (at most ten)."""
    seen: dict[str, str] = {}
    for skill in skills:
        found = market_skill(skill.name)
        if found is not None and found.id not in seen:
            seen[found.id] = skill_name(found, language)
    rows = [
        [InlineKeyboardButton("📈 " + name, callback_data=RATES_PREFIX + skill_id)]
        for skill_id, name in list(seen.items())[:MAX_BUTTONS]
    ]
    return InlineKeyboardMarkup(rows) if rows else None
