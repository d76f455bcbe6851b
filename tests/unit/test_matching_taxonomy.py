"""The taxonomy data file has the expected shape and covers the micro-gig skills."""

from __future__ import annotations

import tomllib

import pytest

from bot.matching.taxonomy import TAXONOMY_PATH, load_taxonomy, parse_taxonomy
from bot.matching.terms import define_skill

REQUIRED = {
    "article_writing", "copywriting", "translation", "transcription", "proofreading",
    "logo_design", "graphic_design", "social_media_admin", "video_editing", "data_entry",
    "virtual_assistant", "web_scraping", "simple_web", "spreadsheet", "voice_over",
}  # fmt: skip


def test_file_shape() -> None:
    data = tomllib.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))
    assert set(data) == {"signals", "skill"}
    for key in ("scope_words", "negators", "not_typos", "stopwords"):
        assert all(isinstance(w, str) and w for w in data["signals"][key])
    for skill in data["skill"]:
        assert {"id", "name_en", "name_id", "terms_en", "terms_id", "related"} <= set(skill)
        assert skill["terms_en"] and skill["terms_id"], skill["id"]
        assert skill["related"], skill["id"]
        strong = {t.casefold() for t in skill["terms_en"] + skill["terms_id"]}
        assert not strong & {t.casefold() for t in skill["related"]}, skill["id"]


def test_required_skills_and_tools_are_weak() -> None:
    tax = load_taxonomy()
    assert {s.id for s in tax.skills} >= REQUIRED
    assert "canva" in tax.by_id("graphic_design").related
    assert "capcut" in tax.by_id("video_editing").related
    assert "excel" in tax.by_id("data_entry").related


def test_malformed_files_are_rejected() -> None:
    with pytest.raises(ValueError):
        parse_taxonomy({"skill": [{"id": "x", "name_en": "", "name_id": "y"}]})
    with pytest.raises(ValueError):
        parse_taxonomy({"skill": [{"id": "x", "name_en": "a", "name_id": "b", "related": "c"}]})


@pytest.mark.parametrize(
    ("typed", "skill_id"),
    [
        ("nulis artikel SEO", "article_writing"),
        ("desain logo", "logo_design"),
        ("admin sosmed", "social_media_admin"),
        ("video editing", "video_editing"),
        ("entri data", "data_entry"),
        ("terjemahan inggris-indonesia", "translation"),
        ("virtual assistant", "virtual_assistant"),
        ("caption instagram", "copywriting"),
    ],
)
def test_typed_skills_resolve_to_the_taxonomy(typed: str, skill_id: str) -> None:
    from bot.matching.text import skill_key

    assert define_skill(skill_key(typed)).taxonomy_ids == (skill_id,)


def test_unknown_skills_match_literally() -> None:
    skill = define_skill("java")
    assert skill.taxonomy_ids == ()
    assert [t.text for t, _ in skill.strong] == ["java"]
