"""The first matcher: whole words, phrases, Indonesian/English synonyms, reasons."""

from __future__ import annotations

from bot.matching.score import GigText, match
from bot.matching.text import skill_key, tokens


def skills(*names: str) -> list[tuple[str, str]]:
    return [(n, skill_key(n)) for n in names]


def test_tokens_fold_case_and_split_punctuation() -> None:
    assert tokens("Need #LOGO, ASAP!") == ["need", "logo", "asap"]
    assert tokens("C++ and C# developers") == ["c++", "and", "c#", "developer"]


def test_whole_words_only() -> None:
    gig = GigText.of("Senior JavaScript developer", [], "Build a react app with art direction")
    assert match(gig, skills("java")) is None
    assert match(GigText.of("Write an article", [], ""), skills("art")) is None
    assert match(gig, skills("javascript")) is not None


def test_phrase_must_appear_as_a_phrase() -> None:
    gig = GigText.of("Data analyst", [], "Enter the numbers into our entry form")
    assert match(gig, skills("data entry")) is None
    assert match(GigText.of("Data entry clerk", [], ""), skills("data entry")) is not None


def test_title_beats_tags_beats_text() -> None:
    in_title = match(GigText.of("Logo for a bakery", [], ""), skills("logo"))
    in_tags = match(GigText.of("Bakery branding", ["Logo"], ""), skills("logo"))
    in_text = match(GigText.of("Bakery branding", [], "we need a logo"), skills("logo"))
    assert in_title and in_tags and in_text
    assert in_title.score > in_tags.score > in_text.score
    assert in_title.reasons[0].field == "title"
    assert in_text.reasons[0].field == "text"


def test_indonesian_skill_matches_english_gig_and_back() -> None:
    english = GigText.of("Logo design for a coffee shop", [], "")
    result = match(english, skills("desain logo"))
    assert result is not None
    assert result.reasons[0].term == "logo design"
    indonesian = GigText.of("Butuh jasa entri data produk", [], "")
    result = match(indonesian, skills("data entry"))
    assert result is not None and result.reasons[0].term == "entri data"
    assert match(GigText.of("Terjemahan dokumen", [], ""), skills("translation")) is not None
    assert match(GigText.of("Write 10 articles", [], ""), skills("artikel")) is not None


def test_several_skills_raise_the_score_and_all_are_reasons() -> None:
    gig = GigText.of("Logo and caption for instagram", [], "")
    one = match(gig, skills("logo"))
    two = match(gig, skills("logo", "caption"))
    assert one and two and two.score > one.score
    assert {r.skill for r in two.reasons} == {"logo", "caption"}
