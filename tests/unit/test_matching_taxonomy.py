"""The taxonomy data file has the expected shape and covers the micro-gig skills."""

from __future__ import annotations

import tomllib

import pytest

from bot.matching.taxonomy import TAXONOMY_PATH, load_taxonomy, parse_taxonomy
from bot.matching.terms import define_skill

REQUIRED = {
    "article_writing", "copywriting", "translation", "transcription", "proofreading",
    "logo_design", "graphic_design", "social_media_admin", "video_editing", "data_entry",
    "virtual_assistant", "web_scraping", "wordpress", "web_development", "spreadsheet",
    "voice_over", "javascript", "react", "nextjs", "vue", "angular", "nodejs", "php", "laravel",
    "codeigniter", "python", "django", "flask", "java", "mobile", "android", "flutter", "dart",
    "kotlin", "react_native", "devops", "database", "data_analysis", "ui_ux", "illustration",
    "design_3d", "motion_graphics", "script_writing", "academic_writing", "seo", "paid_ads",
    "digital_marketing", "customer_service", "marketplace_admin", "live_host", "videography",
    "photography", "tutoring", "research",
}  # fmt: skip
# Narrower skill -> broader skills it must imply (directly or through others).
IMPLIES = {
    "react": {"javascript"}, "vue": {"javascript"}, "angular": {"javascript"},
    "nextjs": {"javascript", "react"}, "nodejs": {"javascript"}, "laravel": {"php"},
    "codeigniter": {"php"}, "django": {"python"}, "flask": {"python"},
    "react_native": {"mobile", "javascript"}, "flutter": {"mobile", "dart"},
    "kotlin": {"mobile", "android"}, "android": {"mobile"}, "wordpress": {"web_development"},
}  # fmt: skip


def test_file_shape() -> None:
    data = tomllib.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))
    assert set(data) == {"signals", "skill"}
    for key in ("scope_words", "negators", "not_typos", "stopwords"):
        assert all(isinstance(w, str) and w for w in data["signals"][key])
    for skill in data["skill"]:
        assert {"id", "name_en", "name_id", "terms_en", "terms_id", "related"} <= set(skill)
        assert skill["terms_en"] or skill["terms_id"], skill["id"]
        assert skill["related"], skill["id"]
        assert skill.get("source"), skill["id"]
        strong = {t.casefold() for t in skill["terms_en"] + skill["terms_id"]}
        assert not strong & {t.casefold() for t in skill["related"]}, skill["id"]


def test_required_skills_and_tools_are_weak() -> None:
    tax = load_taxonomy()
    assert {s.id for s in tax.skills} >= REQUIRED
    assert "canva" in tax.by_id("graphic_design").related
    assert "capcut" in tax.by_id("video_editing").related
    assert "excel" in tax.by_id("data_entry").related


@pytest.mark.parametrize(("narrower", "broader"), sorted(IMPLIES.items()))
def test_frameworks_imply_their_language(narrower: str, broader: set[str]) -> None:
    tax = load_taxonomy()
    for skill_id in broader:
        assert narrower in {s.id for s in tax.implying(skill_id)}


def test_implies_must_name_known_skills() -> None:
    raw = {"id": "x", "name_en": "a", "name_id": "b", "implies": ["nope"]}
    with pytest.raises(ValueError, match="implies"):
        parse_taxonomy({"skill": [raw]})
    with pytest.raises(ValueError, match="roles and domains"):
        parse_taxonomy({"skill": [{"id": "x", "name_en": "a", "name_id": "b", "roles": ["r"]}]})


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
        ("konten writer", "article_writing"),
        ("bikin logo", "logo_design"),
        ("jasa desain grafis", "graphic_design"),
        ("jasa scrapting", "web_scraping"),  # a typo of "scraping"
        ("reactjs", "react"),
        ("Node Js", "nodejs"),
        ("les privat", "tutoring"),
        ("host live tiktok", "live_host"),
        ("desain ui ux", "ui_ux"),
        ("google adwords", "paid_ads"),
        ("java", "java"),
        ("javascript", "javascript"),
    ],
)
def test_typed_skills_resolve_to_the_taxonomy(typed: str, skill_id: str) -> None:
    from bot.matching.text import skill_key

    assert define_skill(skill_key(typed)).taxonomy_ids == (skill_id,)


def test_unknown_skills_match_literally() -> None:
    skill = define_skill("ternak lele")
    assert skill.taxonomy_ids == ()
    assert [t.text for t, _ in skill.strong] == ["ternak lele"]


def test_a_word_inside_a_longer_reading_does_not_add_a_skill() -> None:
    # "artikel seo" is article writing; "seo" inside it is not a second skill.
    assert define_skill("nulis artikel seo").taxonomy_ids == ("article_writing",)
    assert set(define_skill("seo dan desain logo").taxonomy_ids) == {"seo", "logo_design"}
