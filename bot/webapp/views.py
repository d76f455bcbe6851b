"""What the dashboard's API answers: a user's money, pipeline and profile as JSON-ready dicts.

Every figure comes from the code behind the chat commands (money_view and build_report for
/earnings, TrackingRepo for /applied), formatted the way the chat writes it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_percent

from bot.domain import tracking
from bot.domain.dates import zone
from bot.domain.market_tags import market_skill
from bot.domain.money import Rates
from bot.domain.reports import Period, build_report, month_starts, period_bounds
from bot.handlers.common import Turn
from bot.handlers.earnings import CHART_MONTHS, money_view
from bot.handlers.rates import answer_for
from bot.handlers.settings import filter_lines, settings_rows
from bot.store.models import Application, GigRow, User
from bot.store.money_repo import MoneyRepo
from bot.store.repos import SkillRepo
from bot.store.tracking_repo import TrackingRepo
from bot.ui.i18n import BABEL_LOCALE, format_money
from bot.ui.render import STATUS_NAMES, budget_text, plain_text

# The columns of the pipeline page, in order; lost and withdrawn stay in the chat.
COLUMNS = (
    tracking.SAVED,
    tracking.APPLIED,
    tracking.REPLIED,
    tracking.WON,
    tracking.DELIVERED,
    tracking.PAID,
)
# The step each column's button moves a gig to.
FORWARD = {
    tracking.SAVED: tracking.APPLIED,
    tracking.APPLIED: tracking.REPLIED,
    tracking.REPLIED: tracking.WON,
    tracking.WON: tracking.DELIVERED,
    tracking.DELIVERED: tracking.PAID,
}
COLUMN_SIZE = 30
PERIODS = {"month": Period("month"), "year": Period("year"), "all": Period("all")}
JSON = dict[str, Any]


def money(amount: Decimal, currency: str, language: str) -> JSON:
    """An amount as a plain number string and as the user reads it."""
    return {
        "currency": currency,
        "amount": str(amount),
        "text": format_money(amount, currency, language),
    }


def _amounts(totals: dict[str, Decimal], language: str) -> list[JSON]:
    return [money(amount, code, language) for code, amount in sorted(totals.items())]


async def summary(t: Turn, period_key: str, now: dt.datetime) -> JSON:
    """Earnings for a period as /earnings computes them, and received per month."""
    user, rates = t.user, t.runtime.rates
    language, locale = user.language, BABEL_LOCALE[user.language]
    report, _series = await money_view(t.session, user, rates, PERIODS[period_key], now)
    win_rate = None
    if report.win_rate is not None:
        win_rate = {
            "rate": report.win_rate,
            "text": format_percent(report.win_rate, locale=locale),
            "won": report.won,
            "applied": report.applied,
        }
    best = None
    if report.best_skill is not None:
        best = {
            "skill": report.best_skill[0],
            **money(report.best_skill[1], report.currency, language),
        }
    return {
        "period": period_key,
        "currency": report.currency,
        "rates_date": report.rates_date.isoformat(),
        "rates_date_text": format_date(report.rates_date, "d MMM y", locale=locale),
        "received": [
            {**item, "entries": report.entries.get(item["currency"], 0)}
            for item in _amounts(report.received, language)
        ],
        "total": money(report.total, report.currency, language),
        "converted": report.converted,
        "unconverted": report.unconverted,
        "unpaid": _amounts(report.unpaid, language),
        "unpaid_without_amount": report.unpaid_without_amount,
        "gigs_paid": report.gigs_paid,
        "average": (
            None
            if report.average_per_gig is None
            else money(report.average_per_gig, report.currency, language)
        ),
        "win_rate": win_rate,
        "best_skill": best,
        "months": await months(t, rates, now),
    }


async def months(t: Turn, rates: Rates, now: dt.datetime, count: int = CHART_MONTHS) -> list[JSON]:
    """Received in each of the last `count` months: per currency and converted, newest last."""
    user = t.user
    starts = month_starts(user.timezone, now, count)
    window, _end = period_bounds(Period("month_of", starts[0]), user.timezone, now)
    rows = await MoneyRepo(t.session).earnings_between(user.id, window, None)
    result = []
    for first in starts:
        start, end = period_bounds(Period("month_of", first), user.timezone, now)
        report = build_report(rows, (), rates, user.currency, start, end)
        result.append(
            {
                "month": f"{first:%Y-%m}",
                "label": format_date(first, "LLL y", locale=BABEL_LOCALE[user.language]),
                "received": _amounts(report.received, user.language),
                "total": money(report.total, report.currency, user.language),
                "unconverted": report.unconverted,
            }
        )
    return result


def _deadline(app: Application, gig: GigRow | None, user: User) -> str | None:
    """The agreed deadline, else the listing's own, as the user reads it."""
    locale = BABEL_LOCALE[user.language]
    if app.deadline_at is not None:
        return format_datetime(
            app.deadline_at, "EEE d MMM HH:mm", tzinfo=zone(user.timezone, "UTC"), locale=locale
        )
    stated = (gig.extra or {}).get("deadline") if gig is not None else None
    if not isinstance(stated, str) or not stated:
        return None
    try:
        moment = dt.datetime.fromisoformat(stated)
    except ValueError:
        return stated[:40]
    if moment.tzinfo is None:
        return format_date(moment.date(), "d MMM y", locale=locale)
    return format_date(moment.astimezone(zone(user.timezone, "UTC")), "d MMM y", locale=locale)


def _budget(app: Application, gig: GigRow | None, user: User, rates: Rates) -> str | None:
    """What was received, else what was agreed, else the listing's budget."""
    if app.status == tracking.PAID and app.received_amount is not None and app.currency:
        return format_money(app.received_amount, app.currency, user.language)
    if app.agreed_amount is not None and app.currency:
        return format_money(app.agreed_amount, app.currency, user.language)
    if gig is not None:
        return budget_text(gig, user.language, rates, user.currency)
    return None


def application_item(app: Application, gig: GigRow | None, t: Turn) -> JSON:
    """One gig on the pipeline page, with the step its button moves it to."""
    target = FORWARD.get(app.status)
    step = None
    if target is not None:
        step = {
            "status": target,
            "label": t._(STATUS_NAMES[target][1]),
            "emoji": STATUS_NAMES[target][0],
            "needs_amount": target in tracking.NEEDS_AMOUNT,
        }
    return {
        "id": app.id,
        "number": app.number,
        "status": app.status,
        "title": app.title,
        "url": app.url if app.url and app.url.startswith(("https://", "http://")) else None,
        "budget": _budget(app, gig, t.user, t.runtime.rates),
        "deadline": _deadline(app, gig, t.user),
        "next": step,
    }


async def pipeline(t: Turn) -> JSON:
    """The user's gigs in columns saved → paid, most recently moved first in each."""
    repo = TrackingRepo(t.session)
    counts = await repo.counts_by_status(t.user.id)
    columns = []
    for status in COLUMNS:
        apps = await repo.listing(t.user.id, (status,), COLUMN_SIZE)
        gigs = await repo.gigs_of(apps)
        emoji, name = STATUS_NAMES[status]
        columns.append(
            {
                "status": status,
                "label": t._(name),
                "emoji": emoji,
                "items": [application_item(a, gigs.get(a.gig_id or 0), t) for a in apps],
                "more": max(0, counts.get(status, 0) - len(apps)),
            }
        )
    return {"columns": columns}


async def profile(t: Turn) -> JSON:
    """The user's language, skills, settings and filters at a glance."""
    user = t.user
    skills = await SkillRepo(t.session).list_for(user.id)
    return {
        "id": user.id,
        "first_name": user.first_name,
        "language": user.language,
        "currency": user.currency,
        "timezone": user.timezone,
        "skills": [skill.name for skill in skills],
        "settings": [[name, value] for name, value in settings_rows(user)],
        "filters": filter_lines(t),
    }


def _plain_lines(html_text: str) -> list[JSON]:
    """An HTML chat answer as lines for the page: text, and whether the line is a heading."""
    lines = []
    for line in html_text.split("\n"):
        text = plain_text(line).strip()
        if text:
            lines.append({"text": text, "strong": line.lstrip().startswith(("<b>", "📈 <b>"))})
    return lines


async def rates(t: Turn) -> JSON:
    """The market of each of the user's skills, exactly as /rates answers it in the chat."""
    skills = await SkillRepo(t.session).list_for(t.user.id)
    seen: set[str] = set()
    out: list[JSON] = []
    for skill in skills:
        found = market_skill(skill.name[:100])
        if found is None:
            out.append({"skill": skill.name, "known": False, "lines": []})
            continue
        if found.id in seen:
            continue
        seen.add(found.id)
        answer = await answer_for(t, found.id)
        out.append({"skill": skill.name, "known": True, "lines": _plain_lines(answer)})
    return {"skills": out}
