"""Proposal templates: placeholders checked, every placeholder filled, HTML escaped, within
Telegram's limits, in the user's language; built-in starters for the common skills."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain.proposal_starters import GENERIC, STARTERS
from bot.domain.proposals import (
    COPY_LIMIT,
    PLACEHOLDERS,
    Chosen,
    TemplateError,
    builtin,
    fill,
    placeholders_in,
)
from bot.store.models import GigRow, User
from bot.ui.drafts import draft_message, values_for
from bot.ui.render import MESSAGE_LIMIT, plain_text
from tests.support.market import micro_gigs


def _gig(**changes: object) -> GigRow:
    real = micro_gigs()[0]  # "Butuh Writer/Team Writer, Desk Business & Finance 1000++ Words"
    row = GigRow(
        id=1,
        source=real.source,
        external_id=real.external_id,
        title=real.title,
        url=real.url,
        budget_min=real.budget.min,
        budget_max=real.budget.max,
        currency=real.budget.currency,
        budget_type=real.budget.type.value,
        posted_at=real.posted_at,
        company=None,
        extra={"finish_days": "3"},
    )
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def _user(language: str) -> User:
    return User(id=1, chat_id=1, first_name="Ana", language=language, currency="IDR")


def test_unknown_and_broken_placeholders_are_refused() -> None:
    assert placeholders_in("Hi {client}, {title} {client}") == ["client", "title"]
    with pytest.raises(TemplateError) as error:
        placeholders_in("Hi {klien} {harga} {title}")
    assert error.value.unknown == ("{klien}", "{harga}")
    with pytest.raises(TemplateError) as error:
        placeholders_in("Hi {client")
    assert error.value.broken
    with pytest.raises(TemplateError):
        placeholders_in("{title!r} {budget:>10}")  # no conversions or formats


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_starter_uses_only_valid_placeholders_and_fills_them_all(language: str) -> None:
    values = {name: f"<{name}>" for name in PLACEHOLDERS}
    for texts in [*STARTERS.values(), GENERIC]:
        used = placeholders_in(texts[language])
        assert {"title", "client", "budget"} <= set(used)
        filled = fill(texts[language], values)
        assert "{" not in filled and "}" not in filled
        assert texts[language].rstrip().endswith("?")  # a question about the brief


@pytest.mark.parametrize("language", ["en", "id"])
def test_draft_of_a_real_listing_is_filled_escaped_and_in_the_language(language: str) -> None:
    gig = _gig(company="PT <Maju> & Co")
    chosen = builtin("article_writing", language)
    assert chosen.key == "b:article_writing"
    links = ["https://ana.my.id/artikel?a=1&b=2"]
    message = draft_message(gig, _user(language), "nulis artikel", chosen, links, rates=None)
    assert "{" not in message.draft
    assert "Desk Business & Finance" in message.draft and "PT <Maju> & Co" in message.draft
    assert "&amp; Finance" in message.html and "PT &lt;Maju&gt; &amp; Co" in message.html
    assert "https://ana.my.id/artikel?a=1&amp;b=2" in message.html
    assert {"en": "3 days", "id": "3 hari"}[language] in message.draft
    assert "Rp500.000" in message.draft
    assert {"en": "Hi ", "id": "Halo "}[language] in message.draft
    general = draft_message(
        gig, _user(language), "nulis artikel", builtin(None, language), [], rates=None
    )
    assert {"en": "article writing", "id": "penulisan artikel"}[language] in general.draft


def test_draft_stays_within_telegrams_limits() -> None:
    huge = "{title} " + "x" * 1990
    gig = _gig(title="T" * 500)
    message = draft_message(gig, _user("en"), None, Chosen("u:1", huge), [], rates=None)
    assert len(plain_text(message.html)) <= MESSAGE_LIMIT
    [copy] = message.keyboard.inline_keyboard[0]
    assert copy.copy_text is not None and len(copy.copy_text.text) <= COPY_LIMIT
    assert message.draft.startswith(copy.copy_text.text)


def test_unknown_values_get_words_not_blanks() -> None:
    gig = _gig(budget_min=None, budget_max=None, currency=None, extra={})
    values = values_for(gig, _user("id"), "desain logo", [], rates=None)
    assert values["budget"] == "anggaran yang Anda siapkan"
    assert values["days"] == "waktu yang Anda butuhkan"
    assert values["client"] == "Kak" and values["portfolio"] == ""
    assert values_for(gig, _user("en"), "logo", [], rates=None)["client"] == "there"
    assert Decimal(1)  # budgets stay Decimals in rows; nothing converted here
