"""Each source's terms of use in words: for /sources (in the admin's language) and the README."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from html import escape

from babel.dates import format_timedelta

from bot.ui.i18n import BABEL_LOCALE, N_, translator
from scrapers.plan import SourcePlan
from scrapers.sources import SOURCES, SourceSpec, SourceTerms
from scrapers.sources.terms import interval_text

# What robots.txt is known to say, in words the catalogue translates.
ROBOTS_TEXTS = {"allows all": N_("allows all")}
_CODE = re.compile(r"`([^`]+)`")


def _html(text: str) -> str:
    """Plain text with `field` names as escaped HTML, the names in <code>."""
    return _CODE.sub(r"<code>\1</code>", escape(text))


def _interval(seconds: int, language: str) -> str:
    """'6 hours' / '6 jam'."""
    return format_timedelta(
        timedelta(seconds=seconds), threshold=1, locale=BABEL_LOCALE.get(language, "en_US")
    )


def terms_lines(terms: SourceTerms, default_interval: int, language: str) -> list[str]:
    """The terms of one source as short escaped HTML lines, in `language`; the site's own
    words are quoted as it states them (in English)."""
    _ = translator(language)
    lines = []
    if terms.min_interval:
        lines.append(
            _("at most one request every {interval} ({limit})").format(
                interval=_interval(terms.min_interval, language), limit=_html(terms.limit)
            )
        )
    else:
        lines.append(
            _("request limit not stated; polite default interval {interval}").format(
                interval=_interval(default_interval, language)
            )
            + (f" ({_html(terms.limit)})" if terms.limit else "")
        )
    if terms.attribution:
        lines.append(
            _("credited as “{name}”, linked to each listing").format(name=escape(terms.attribution))
        )
    if terms.robots:
        lines.append("robots.txt: " + escape(_(ROBOTS_TEXTS.get(terms.robots, terms.robots))))
    if terms.where:
        lines.append(_("stated in: {where}").format(where=_html(terms.where)))
    return lines


def sources_terms_text(plans: Iterable[SourcePlan], language: str) -> str:
    """The terms of every configured source, one block each, as escaped HTML."""
    _ = translator(language)
    blocks = []
    for plan in plans:
        spec = SOURCES.get(plan.name)
        if spec is None:
            continue  # generic RSS/HTML sources: their terms are whatever the owner agreed
        lines = terms_lines(spec.terms, spec.default_interval, language)
        current = _("our interval {interval}").format(
            interval=_interval(plan.interval_seconds, language)
        )
        blocks.append(
            f"<b>{escape(plan.label)}</b> · {escape(current)}\n"
            + "\n".join("    " + line for line in lines)
        )
    heading = "📜 <b>" + escape(_("Terms of use")) + "</b>"
    if not blocks:
        return heading + "\n" + escape(_("No built-in source is enabled."))
    return heading + "\n" + "\n".join(blocks)


def readme_row(spec: SourceSpec) -> str:
    """The source's row in the README's table of terms (English Markdown)."""
    terms = spec.terms
    if terms.min_interval:
        limit = f"{terms.limit}: at least {interval_text(terms.min_interval)} apart (enforced)"
    else:
        limit = f"not stated; polite default interval {interval_text(spec.default_interval)}"
        if terms.limit:
            limit += f" ({terms.limit})"
    credit = f"name “{terms.attribution}” and link each listing" if terms.attribution else "—"
    robots = terms.robots or "not known; read before fetching"
    where = terms.where or "—"
    return f"| `{spec.name}` | {limit} | {credit} | {robots} | {where} |"
