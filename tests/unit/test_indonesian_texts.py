"""Indonesian texts are Indonesian: no English words left in them (product names, commands,
currency codes and loanwords Indonesians use are allowed)."""

from __future__ import annotations

import re

from bot.matching.explain import TEXTS
from bot.ui.i18n import _catalogue

# Common English words that are not Indonesian: any of them in an Indonesian text means a
# phrase was left untranslated. (Loanwords Indonesians write every day are not here.)
_ENGLISH_WORDS = """
    a about after again ago all already also always an and any are as at back be because
    been before being both but by can cannot could day days did do does done each either
    else every exclude excluded fee fees few fewer first for from get gets gig gigs give go
    got had has have help here hour hours how i if in include into is it its just last
    later least less let like list lost make many may me month months more most my
    need never new next no none not nothing now of off old on once one only or other our
    out over paid please posted press pressed received record recorded reply replied
    right same saved see send sent set should show since skill skills so some soon still
    such tap than that the their them then there these they this those through to today
    tomorrow too try type under until up us use very was we week weekday weekdays weeks
    well were what when where which while who why will with without won would yes yet you
    your yours yesterday earned earnings income amount amounts applied apply deadline
    deadlines description title tags bids bid client clients withdraw withdrawn delivered
    quiet hours digest limit filters language currency rate rates totals
    alert alerts match matched matches relevant fits small job jobs salary hourly fixed
    yearly unknown stated budget-type strict reset every-day weekly daily cancel undo
    """
ENGLISH = frozenset(_ENGLISH_WORDS.split())
# Names, codes and words Indonesian users write as they are.
_ALLOWED_WORDS = """
    sambilan telegram botfather projects.co.id fastwork freelancer reddit remoteok canva
    excel seo csv usd idr eur sgd rp us wib wita wit asia jakarta singapore makassar
    jayapura utc pdf hn admin online link budget data video logo copywriting caption
    voice over email template desain ok oke spreadsheet crypto nsfw umkm
    """
ALLOWED = frozenset(_ALLOWED_WORDS.split())
COMMAND = re.compile(r"/[a-z_]+")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
URL = re.compile(r"https?://\S+")
WORD = re.compile(r"[A-Za-z][A-Za-z'.-]*[A-Za-z]|[A-Za-z]")


def english_words(text: str) -> list[str]:
    """The English words in a text, once commands, placeholders and links are taken out."""
    text = COMMAND.sub(" ", PLACEHOLDER.sub(" ", URL.sub(" ", text)))
    words = [w.casefold().strip(".'-") for w in WORD.findall(text)]
    return [w for w in words if w in ENGLISH and w not in ALLOWED]


def test_the_checker_finds_english_and_spares_commands() -> None:
    assert english_words("Contoh: /filters exclude crypto, tiap weekdays") == [
        "exclude",
        "weekdays",
    ]
    assert english_words("Catat dengan /earned 150rb di {when} via https://t.me/x") == []


def test_no_english_left_in_the_indonesian_catalogue() -> None:
    found = {
        message: words
        for message, translated in _catalogue("id").items()
        if (words := english_words(translated))
    }
    assert found == {}


def test_no_english_left_in_indonesian_reasons() -> None:
    found = {key: w for key, text in TEXTS["id"].items() if (w := english_words(text))}
    assert found == {}
