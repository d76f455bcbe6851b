"""The user's own record for a skill under /rates: win rate, average agreed amount against
the market median, the advice the rules support, and how it was worked out (HTML lines)."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from bot.domain.money import Rates
from bot.domain.rate_advice import (
    MAX_RAISE,
    MIN_ABOVE,
    MIN_DECIDED,
    RAISE_STEP,
    RAISE_WINS,
    RECENT,
    Advice,
)
from bot.ui.i18n import translator
from bot.ui.rates_view import money


def advice_lines(
    advice: Advice, skill: str, language: str, *, rates: Rates | None, currency: str | None
) -> list[str]:
    """The escaped lines of the own-record block (starting with a blank line)."""
    _ = translator(language)
    lines = ["", "👤 <b>" + escape(_("Your own record: {skill}").format(skill=skill)) + "</b>"]
    if not advice.decided:
        text = _(
            "No decided bids for this skill yet. Mark your applications won or lost "
            "(/won, /lost): advice starts from {n} of them."
        ).format(n=MIN_DECIDED)
        return [*lines, escape(text)]
    lines.append(
        escape(
            _("Win rate: {won} of {decided} decided bids ({pct}%)").format(
                won=advice.won, decided=advice.decided, pct=advice.win_rate
            )
        )
    )
    ref = advice.reference
    if ref is None or ref.now is None:
        text = _("No advice yet: the market has too few fixed-price gigs to compare with.")
        return [*lines, escape(text)]

    def shown(amount: Decimal) -> str:
        return money(amount, ref.currency, language, rates, currency)

    median = shown(ref.now.median)
    if advice.average is not None and advice.versus is not None:
        if advice.versus < 0:
            where = _("{pct}% below the median {median}").format(pct=-advice.versus, median=median)
        elif advice.versus > 0:
            where = _("{pct}% above the median {median}").format(pct=advice.versus, median=median)
        else:
            where = _("the same as the median {median}").format(median=median)
        text = _("Your average agreed amount: {average} over {n} wins, {where}").format(
            average=shown(advice.average), n=advice.wins_compared, where=where
        )
        lines.append(escape(text))
    if not advice.enough:
        text = _(
            "Advice needs at least {n} decided fixed-price bids with a known amount; you have {k}."
        ).format(n=MIN_DECIDED, k=advice.compared)
        lines.append(escape(text))
    else:
        said = False
        if advice.raise_by is not None:
            text = _(
                "💡 You won {k} of your {n} most recent bids below the median: "
                "consider raising your price by {pct}%."
            ).format(k=advice.recent_won_below, n=advice.recent, pct=advice.raise_by)
            lines.append(escape(text))
            said = True
        if advice.none_above:
            text = _(
                "💡 You won none of your {n} bids above the median; "
                "at or below it you won {k} of {m}."
            ).format(n=advice.above, k=advice.rest_won, m=advice.rest)
            lines.append(escape(text))
            said = True
        if not said:
            lines.append(escape(_("💡 Your record gives no reason to change your price.")))
    how = _(
        "How: your won and lost bids for this skill (withdrawn and open ones do not count); "
        "a win counts at its agreed amount, a loss at the gig's posted budget; fixed price "
        "only, against the median of the last {days} days in {currency}. Advice needs {min} "
        "such bids. Raising is suggested when at least {wins} of your {recent} most recent "
        "were won below the median: by the gap to the median, rounded down to {step}% and at "
        "most {max}%. “None above” needs at least {above} bids above the median."
    ).format(
        days=ref.days,
        currency=ref.currency,
        min=MIN_DECIDED,
        wins=RAISE_WINS,
        recent=RECENT,
        step=RAISE_STEP,
        max=MAX_RAISE,
        above=MIN_ABOVE,
    )
    lines.append("<i>" + escape(how) + "</i>")
    return lines
