"""Text matching: tokens, hashtags, word boundaries, phrases, stems, typos, both languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.matching.index import MatchIndex
from bot.matching.profile import Rates, make_profile
from bot.matching.text import forms, one_edit, skill_key, stem_id, tokens
from scrapers.model import Gig

RATES = Rates({"IDR": Decimal("0.000062")}, date(2026, 1, 1), "USD")


def score(
    skill: str, title: str, text: str = "", tags: tuple[str, ...] = (), lang: str | None = None
) -> int | None:
    """The score of a gig for one user with one skill (None: no match)."""
    index = MatchIndex(RATES)
    index.add_user(make_profile(1, [skill]))
    found = index.match(Gig("t", "1", title, "u", text=text, tags=tags, language=lang))
    return found[0].score if found else None


def test_tokens_fold_case_and_split_punctuation() -> None:
    assert tokens("Need #LOGO, ASAP!") == ["need", "logo", "asap"]
    assert tokens("C++ and C# developers") == ["c++", "and", "c#", "developers"]
    assert tokens("ＬＯＧＯ") == ["logo"]  # NFKC


def test_compound_hashtags_split_into_known_words() -> None:
    assert tokens("#desainlogo murah", {"desain", "logo"}) == ["desain", "logo", "murah"]
    assert score("desain logo", "Butuh #desainlogo cepat") is not None
    assert score("logo", "Need a #logo") is not None


def test_skill_key_is_the_canonical_stored_form() -> None:
    assert skill_key("  Desain LOGO! ") == "desain logo"
    assert skill_key("Terjemahan Inggris-Indonesia") == "terjemahan inggris indonesia"


def test_whole_words_only() -> None:
    assert score("java", "Senior JavaScript developer", "react") is None
    assert score("javascript", "Senior JavaScript developer") is not None
    assert score("art", "Write an article") is None
    assert score("art", "Concept art for a game") is not None


def test_phrase_must_appear_as_a_phrase() -> None:
    assert score("data entry", "Data analyst", "Enter the numbers into our entry form") is None
    assert score("data entry", "Data entry clerk") is not None


def test_data_alone_does_not_make_data_entry() -> None:
    assert score("entri data", "Senior Data Engineer", "big data pipelines") is None


def test_stems_in_both_languages() -> None:
    assert score("article writing", "Need 10 articles written") is not None
    assert score("penulisan artikel", "Butuh penulis artikel untuk blog") is not None
    assert score("video editing", "Editing videos for TikTok") is not None
    assert "id:" + stem_id("berita") not in forms("ita", "id")  # over-stemming guard
    assert stem_id("berita") == "berita"


def test_typos_only_on_long_words() -> None:
    assert one_edit("copywriting", "copywritting")
    assert score("copywriting", "Copywritting for a landing page") is not None
    assert score("logo", "Need a lgo") is None  # short words must match exactly
    assert score("caption", "Captain needed") is None  # a real word, not a typo


def test_both_languages() -> None:
    assert score("desain logo", "Logo design for a coffee shop") is not None
    assert score("data entry", "Butuh jasa entri data produk", lang="id") is not None
    assert score("translation", "Terjemahan dokumen", lang="id") is not None
    assert score("artikel", "Write 10 articles") is not None
    assert score("admin sosmed", "Social media manager for a cafe") is not None
    assert score("virtual assistant", "Dicari asisten virtual", lang="id") is not None


def test_negated_skills_do_not_match() -> None:
    assert score("desain logo", "Website for a cafe", "no logo design needed") is None
    assert score("desain logo", "Website kafe", "bukan desain logo", lang="id") is None
    assert score("logo", "Banner promo", "tanpa logo", lang="id") is None
    assert score("logo", "Banner and logo", "tanpa video") is not None


def test_tools_alone_do_not_match() -> None:
    assert score("desain grafis", "Akun Canva dicari", tags=("Canva",)) is None
    assert score("desain grafis", "Poster design", tags=("Canva",)) is not None
