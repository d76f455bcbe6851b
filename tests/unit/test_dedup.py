"""Near-duplicate gigs: same listing on two sources, or reposted with small edits."""

from __future__ import annotations

from scrapers.dedup import Signature, find_original, fingerprint, same_gig

TEXT = (
    "Kami membutuhkan desainer untuk membuat logo usaha kopi kekinian. Logo harus simpel, "
    "modern, dan bisa dipakai di kemasan serta media sosial. Deadline 3 hari."
)


def test_fingerprint_ignores_case_order_punctuation_and_noise() -> None:
    assert fingerprint("[Hiring] Logo design for coffee shop") == fingerprint(
        "logo design - coffee shop (URGENT)"
    )
    assert fingerprint("Logo design for coffee shop") != fingerprint("Logo design for tea shop")


def test_reposted_with_small_edits_is_the_same_gig() -> None:
    first = Signature.of("Desain Logo Usaha Kopi", TEXT)
    edited = Signature.of("Desain logo usaha kopi!!", TEXT.replace("3 hari", "4 hari"))
    assert same_gig(first, edited)


def test_similar_title_but_different_text_is_another_gig() -> None:
    first = Signature.of("Desain logo usaha kopi kekinian", TEXT)
    other = Signature.of(
        "Desain logo usaha kopi susu",
        "Butuh logo untuk warung kopi susu di Bandung, gaya vintage, bayar setelah revisi.",
    )
    assert not same_gig(first, other)


def test_same_title_without_text_counts_as_same() -> None:
    assert same_gig(
        Signature.of("Entri data 500 produk", ""), Signature.of("Entri Data 500 Produk", "")
    )


def test_generic_titles_never_match_on_noise_alone() -> None:
    assert not same_gig(Signature.of("[Hiring]", ""), Signature.of("Urgent!", ""))


def test_find_original_returns_the_earliest_match() -> None:
    earlier = [
        (1, Signature.of("Translate 10 pages EN-ID", "")),
        (2, Signature.of("Desain logo usaha kopi", TEXT)),
        (3, Signature.of("Desain logo usaha kopi", TEXT)),
    ]
    assert find_original(Signature.of("desain LOGO usaha kopi", TEXT), earlier) == 2
    assert find_original(Signature.of("Video editing reels", "Potong video"), earlier) is None
