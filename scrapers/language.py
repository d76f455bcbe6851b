"""Tell Indonesian from English gig text with compact stopword lists (no dependencies)."""

from __future__ import annotations

import re

__all__ = ["detect_language"]


def _wordset(words: str) -> frozenset[str]:
    """A frozenset of the whitespace-separated words in `words`."""
    return frozenset(words.split())


# Function words and the commonest words of Indonesian gig posts, including chat spellings.
_INDONESIAN = _wordset(
    """
    yang dan untuk dengan di ke dari ini itu tidak bisa butuh dicari jasa
    yg dgn utk tdk gak nggak ga tak bukan belum sudah udah sdh telah masih akan sedang
    ada adalah ialah atau juga lagi saja aja hanya cuma sangat lebih paling sama seperti
    oleh pada dalam kepada bagi tentang antara tanpa secara agar supaya jika kalau bila
    karena krn tapi tetapi namun serta maupun sehingga setelah sebelum saat ketika
    saya sy aku kami kita anda kamu dia mereka kak gan bang mas mbak pak bu
    mau ingin perlu harus wajib dapat boleh tolong mohon silakan terima kasih
    mencari cari membuat buat bikin pembuatan dibutuhkan membutuhkan butuhkan
    lowongan pekerjaan kerja proyek pengalaman diutamakan mampu memiliki menguasai
    gaji harga biaya murah cepat segera baru hari minggu bulan tahun jam
    desain aplikasi toko penulis artikel tugas sebagai setiap semua banyak beberapa
    """
)
# Function words and the commonest words of English job posts.
_ENGLISH = _wordset(
    """
    the and for with to of you we is are a an in on at be will our your this that
    have has from as or by not can who what which when where how if do does any all
    also more about must should would could been was were they their them us my me
    looking need needed needs experience work team job role strong help years skills
    able into than there here only other some such each just like new within across
    """
)
# Common words of other languages seen on gig sites (German, Dutch, Spanish, French,
# Portuguese); when they win the text is neither Indonesian nor English.
_OTHER = _wordset(
    """
    der die das und mit für ist wir sie nicht ein eine zu von auf den dem des im
    het een van voor zijn niet ook
    el la los las del que por para con una es en y
    le les du et pour avec dans sur une est vous nous
    não com uma você
    """
)
_WORD_RE = re.compile(r"[^\W\d_]+")
# Indonesian suffixes ("dibutuhkan", "websitenya") on words long enough to carry one.
_ID_SUFFIX_RE = re.compile(r"^[a-z]{3,}(?:kan|nya)$")
# Fewer stopword hits than this is too little text to judge.
_MIN_HITS = 2
# The winning language's hits must be at least this share of all words.
_MIN_SHARE = 0.08


def _scores(text: str) -> tuple[int, int, int, int]:
    """Count (words, Indonesian hits, English hits, other-language hits) in `text`."""
    words = _WORD_RE.findall(text.lower())
    indonesian = english = other = 0
    for word in words:
        if word in _INDONESIAN or _ID_SUFFIX_RE.match(word):
            indonesian += 1
        elif word in _ENGLISH:
            english += 1
        elif word in _OTHER:
            other += 1
    return len(words), indonesian, english, other


def detect_language(text: str) -> str | None:
    """Return "id" or "en" for the majority language of `text`; None if too short, tied or other."""
    if not text:
        return None
    words, indonesian, english, other = _scores(text)
    best = max(indonesian, english, other)
    if best < _MIN_HITS or best < _MIN_SHARE * words:
        return None
    if [indonesian, english, other].count(best) > 1 or other == best:
        return None
    return "id" if indonesian == best else "en"
