"""Unit tests for scrapers.normalize."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from scrapers.budget_text import find_budget
from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType
from scrapers.normalize import (
    element_to_text,
    fix_mojibake,
    from_epoch,
    html_to_text,
    parse_amount,
    parse_budget,
    parse_iso,
    parse_rfc822,
    parse_wib,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("150000", "150000", None),
        ("150rb", "150000", None),
        ("150 ribu", "150000", None),
        ("1,5jt", "1500000", None),
        ("1.5 juta", "1500000", None),
        ("2jt", "2000000", None),
        ("2 JT", "2000000", None),
        ("IDR 2 juta", "2000000", "IDR"),
        ("Rp 150.000", "150000", "IDR"),
        ("Rp. 150.000", "150000", "IDR"),
        ("Rp150.000,50", "150000.50", "IDR"),
        ("Rp 1,500,000", "1500000", "IDR"),
        ("20 USD", "20", "USD"),
        ("$20", "20", "USD"),
        ("20$", "20", "USD"),
        ("€500", "500", "EUR"),
        ("£10", "10", "GBP"),
        ("20.50", "20.50", None),
        ("1.000.000", "1000000", None),
        ("1,500", "1500", None),
        ("80k USD", "80000", "USD"),
        ("$1.5M", "1500000", "USD"),
        ("1,500,000.75", "1500000.75", None),
        ("0.5", "0.5", None),
    ],
)
def test_parse_amount_accepts_common_forms(text: str, amount: str, currency: str | None) -> None:
    result = parse_amount(text)
    assert result is not None
    value, code = result
    assert isinstance(value, Decimal)
    assert value == Decimal(amount)
    assert code == currency


@pytest.mark.parametrize(
    "text",
    ["", "   ", "abc", "0", "Rp 0", "-5", "1.2.3", "2m", "1,5 m", "$", "Rp", "12,34,5", "$10 €"],
)
def test_parse_amount_rejects_garbage_zero_negative_and_ambiguous(text: str) -> None:
    assert parse_amount(text) is None


def test_parse_amount_never_returns_float() -> None:
    result = parse_amount("1,5jt")
    assert result is not None
    assert type(result[0]) is Decimal
    assert str(result[0]) == "1500000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Rp 1,500,000 - 2,000,000",
            Budget(Decimal(1500000), Decimal(2000000), "IDR", BudgetType.FIXED),
        ),
        ("Rp 150.000", Budget(Decimal(150000), Decimal(150000), "IDR", BudgetType.FIXED)),
        ("$30-250", Budget(Decimal(30), Decimal(250), "USD", BudgetType.FIXED)),
        ("£10/hr", Budget(Decimal(10), Decimal(10), "GBP", BudgetType.HOURLY)),
        ("USD 20 per hour", Budget(Decimal(20), Decimal(20), "USD", BudgetType.HOURLY)),
        # A "k" range of yearly-size amounts is a salary even without "a year".
        ("$80k - $120k", Budget(Decimal(80000), Decimal(120000), "USD", BudgetType.SALARY)),
        (
            "$80k - $120k a year",
            Budget(Decimal(80000), Decimal(120000), "USD", BudgetType.SALARY),
        ),
        (
            "Salary: $80k-$120k",
            Budget(Decimal(80000), Decimal(120000), "USD", BudgetType.SALARY),
        ),
        # "jt"/"rb" are Indonesian units, so the amount is rupiah.
        ("2-5jt", Budget(Decimal(2000000), Decimal(5000000), "IDR", BudgetType.FIXED)),
        ("up to $500", Budget(None, Decimal(500), "USD", BudgetType.FIXED)),
        ("$500+", Budget(Decimal(500), None, "USD", BudgetType.FIXED)),
        ("Budget: Rp 500rb", Budget(Decimal(500000), Decimal(500000), "IDR", BudgetType.FIXED)),
        ("Rp 5jt / bulan", Budget(Decimal(5000000), Decimal(5000000), "IDR", BudgetType.SALARY)),
        ("$250 - $30", Budget(Decimal(30), Decimal(250), "USD", BudgetType.FIXED)),
    ],
)
def test_parse_budget(text: str, expected: Budget) -> None:
    assert parse_budget(text) == expected


def test_parse_budget_caller_forces_salary_type() -> None:
    budget = parse_budget("$80k - $120k", budget_type=BudgetType.SALARY)
    assert budget == Budget(Decimal(80000), Decimal(120000), "USD", BudgetType.SALARY)


def test_parse_budget_default_currency_only_when_unstated() -> None:
    assert parse_budget("500rb - 1jt", default_currency="IDR").currency == "IDR"
    assert parse_budget("$20", default_currency="IDR").currency == "USD"


@pytest.mark.parametrize(
    "text", ["", "Negotiable", "nego", "Rp 0", "$10 - €20", "TBD - later", "-"]
)
def test_parse_budget_unknown_text_gives_unknown_budget(text: str) -> None:
    budget = parse_budget(text)
    assert budget is UNKNOWN_BUDGET
    assert not budget.is_known


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01/08/2023 22:22:43 WIB", datetime(2023, 8, 1, 15, 22, 43, tzinfo=UTC)),
        ("01/08/2023 05:56:12 WIB", datetime(2023, 7, 31, 22, 56, 12, tzinfo=UTC)),
        ("31/08/2023 14:32 WIB", datetime(2023, 8, 31, 7, 32, tzinfo=UTC)),
        ("01-08-2023", datetime(2023, 7, 31, 17, 0, tzinfo=UTC)),
        ("1 Agustus 2023 14:32", datetime(2023, 8, 1, 7, 32, tzinfo=UTC)),
        ("Selasa, 1 Agu 2023 07:00 WIB", datetime(2023, 8, 1, 0, 0, tzinfo=UTC)),
    ],
)
def test_parse_wib_converts_to_utc(text: str, expected: datetime) -> None:
    parsed = parse_wib(text)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() is not None
    assert parsed.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["", "kemarin", "32/01/2023 10:00:00 WIB", "01/13/2023"])
def test_parse_wib_rejects_invalid(text: str) -> None:
    assert parse_wib(text) is None


def test_from_epoch() -> None:
    expected = datetime(2026, 3, 16, 0, 0, 3, tzinfo=UTC)
    assert from_epoch(1773619203) == expected
    assert from_epoch("1773619203") == expected
    assert from_epoch(1773619203000) == expected  # milliseconds
    assert from_epoch(1.5) == datetime(1970, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)
    for bad in ("x", "", 0, -5, True, None):
        assert from_epoch(bad) is None  # type: ignore[arg-type]


def test_parse_iso() -> None:
    expected = datetime(2026, 3, 16, 0, 0, 3, tzinfo=UTC)
    assert parse_iso("2026-03-16T00:00:03+00:00") == expected
    assert parse_iso("2026-03-16T00:00:03Z") == expected
    assert parse_iso("2026-03-16T07:00:03+07:00") == expected
    naive = parse_iso("2026-03-16T00:00:03")
    assert naive == expected and naive is not None and naive.tzinfo is not None
    assert parse_iso("yesterday") is None
    assert parse_iso("") is None


def test_html_to_text_keeps_structure_and_drops_noise() -> None:
    html = (
        "<p>Hello&nbsp;  <b>world</b></p><p>Two<br>lines</p>"
        "<script>alert(1)</script><style>p{}</style>"
        "<ul><li>a</li><li></li><li>b <i>c</i></li></ul><img src='x.png' alt='pic'>tail"
    )
    assert html_to_text(html) == "Hello world\n\nTwo\nlines\n\n- a\n- b c\n\ntail"


def test_html_to_text_plain_and_empty() -> None:
    assert html_to_text("") == ""
    assert html_to_text("  just   text &amp; more ") == "just text & more"
    assert html_to_text("<p></p><p></p><p>x</p>") == "x"


def test_fix_mojibake_repairs_double_encoded_utf8() -> None:
    assert fix_mojibake("What You\u00e2\u0080\u0099ll Do") == "What You’ll Do"
    assert fix_mojibake("anywhere \u00e2\u0080\u0093 now") == "anywhere – now"
    assert fix_mojibake("Gda\u00c5\u0084sk") == "Gdańsk"
    assert fix_mojibake("a\u00c2\u00a0b") == "a\u00a0b"
    assert fix_mojibake("We\u00e2\u20ac\u2122re") == "We’re"  # cp1252 flavour


@pytest.mark.parametrize("text", ["", "plain ascii", "Café naïve – ’ “ok” 日本語", "Gdańsk"])
def test_fix_mojibake_leaves_correct_text_untouched(text: str) -> None:
    assert fix_mojibake(text) == text


def test_element_to_text_matches_html_to_text_for_a_parsed_tag() -> None:
    html = "<p> alur bot :\n- buka chrome\n- repeat <b>x</b>&nbsp;</p>"
    tag = BeautifulSoup(html, "lxml").p
    assert tag is not None
    assert element_to_text(tag) == html_to_text(html) == "alur bot :\n- buka chrome\n- repeat x"


# --------------------------------------------------------------------------- budgets (spec list)

IDR, USD = "IDR", "USD"
FIXED, HOURLY, SALARY = BudgetType.FIXED, BudgetType.HOURLY, BudgetType.SALARY


@pytest.mark.parametrize(
    ("text", "low", "high", "currency", "kind"),
    [
        ("Rp 1,500,000 - 2,000,000", 1500000, 2000000, IDR, FIXED),
        ("Rp 150.000", 150000, 150000, IDR, FIXED),
        ("150rb", 150000, 150000, IDR, FIXED),
        ("1,5jt", 1500000, 1500000, IDR, FIXED),
        ("IDR 2 juta", 2000000, 2000000, IDR, FIXED),
        ("$30-250", 30, 250, USD, FIXED),
        ("£10/hr", 10, 10, "GBP", HOURLY),
        ("€500", 500, 500, "EUR", FIXED),
        ("USD 20 per hour", 20, 20, USD, HOURLY),
        ("$80k - $120k", 80000, 120000, USD, SALARY),
        ("$80-120k", 80000, 120000, USD, SALARY),
        ("€60k–€80k", 60000, 80000, "EUR", SALARY),
        ("Rp 5 juta/bulan", 5000000, 5000000, IDR, SALARY),
        ("$15-25/hour", 15, 25, USD, HOURLY),
        ("Rp50.000/jam", 50000, 50000, IDR, HOURLY),
        ("budget 2-3jt", 2000000, 3000000, IDR, FIXED),
        ("500rb - 1jt", 500000, 1000000, IDR, FIXED),
    ],
)
def test_parse_budget_spec_formats(
    text: str, low: int, high: int, currency: str, kind: BudgetType
) -> None:
    assert parse_budget(text) == Budget(Decimal(low), Decimal(high), currency, kind)


@pytest.mark.parametrize("text", ["Negotiable", "Nego", "", "   ", "$0", "Rp 0", "0"])
def test_parse_budget_unstated_is_unknown_never_zero(text: str) -> None:
    budget = parse_budget(text)
    assert budget is UNKNOWN_BUDGET
    assert budget.type is BudgetType.UNKNOWN
    assert budget.min is None and budget.max is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("$5k-$10k", FIXED),  # project-size "k" range stays a fixed budget
        ("$80k - $120k fixed price", FIXED),  # stated type wins
        ("$80k - $120k/hr", HOURLY),
        ("$100k+", FIXED),  # only ranges are read as salaries
    ],
)
def test_parse_budget_k_salary_rule_is_narrow(text: str, kind: BudgetType) -> None:
    assert parse_budget(text).type is kind


def test_parse_budget_k_range_without_currency_is_not_salary() -> None:
    # "80k" in Indonesian chat means 80 ribu; without a currency it is not a salary.
    assert parse_budget("80k-120k") == Budget(Decimal(80000), Decimal(120000), None, FIXED)
    assert parse_budget("80k-120k", default_currency="USD").type is SALARY


def test_parse_budget_stated_or_default_currency_beats_indonesian_units() -> None:
    assert parse_budget("RM 2-3 juta").currency == "MYR"
    assert parse_budget("2-3 juta", default_currency="MYR").currency == "MYR"
    assert parse_amount("150rb") == (Decimal(150000), None)  # parse_amount does not guess


# --------------------------------------------------------------------------- dates (spec list)


def _is_utc(value: datetime | None) -> bool:
    return value is not None and value.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue, 08 Nov 2022 14:07:02 +0000", datetime(2022, 11, 8, 14, 7, 2, tzinfo=UTC)),
        ("Tue, 08 Nov 2022 14:07:02 GMT", datetime(2022, 11, 8, 14, 7, 2, tzinfo=UTC)),
        ("08 Nov 2022 14:07:02 -0000", datetime(2022, 11, 8, 14, 7, 2, tzinfo=UTC)),
        ("Tue, 8 Nov 2022 21:07 +0700", datetime(2022, 11, 8, 14, 7, tzinfo=UTC)),
        ("Tue, 08 Nov 2022 21:07:02 WIB", datetime(2022, 11, 8, 14, 7, 2, tzinfo=UTC)),
        ("  Tue, 08 Nov 2022\n 09:07:02 EST ", datetime(2022, 11, 8, 14, 7, 2, tzinfo=UTC)),
    ],
)
def test_parse_rfc822_to_aware_utc(text: str, expected: datetime) -> None:
    parsed = parse_rfc822(text)
    assert parsed == expected
    assert _is_utc(parsed)


@pytest.mark.parametrize(
    "text", ["", None, "garbage", "2022-11-08", "Tue, 31 Feb 2022 14:07:02 +0000"]
)
def test_parse_rfc822_rejects_invalid(text: str | None) -> None:
    assert parse_rfc822(text) is None


def test_every_date_helper_returns_aware_utc() -> None:
    moment = datetime(2023, 8, 1, 7, 32, tzinfo=UTC)
    results = [
        parse_rfc822("Tue, 01 Aug 2023 07:32:00 +0000"),
        from_epoch(int(moment.timestamp())),
        from_epoch(int(moment.timestamp()) * 1000),
        from_epoch(str(int(moment.timestamp()))),
        parse_iso("2023-08-01T07:32:00"),  # naive ISO is UTC
        parse_iso("2023-08-01T14:32:00+07:00"),
        parse_iso("2023-08-01T07:32:00Z"),
        parse_iso("2023-08-01 02:32:00-05:00"),
        parse_wib("01/08/2023 14:32 WIB"),
        parse_wib("1 Agustus 2023 14:32"),
        parse_wib("1 Agustus 2023 pukul 14.32 WIB"),
    ]
    for result in results:
        assert result == moment
        assert _is_utc(result)
    midnight = parse_wib("1 Agustus 2023")
    assert midnight == datetime(2023, 7, 31, 17, 0, tzinfo=UTC) and _is_utc(midnight)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("5 Januari 2024", 1),
        ("5 Pebruari 2024", 2),
        ("5 Maret 2024", 3),
        ("5 Mei 2024", 5),
        ("5 Juni 2024", 6),
        ("5 Agt 2024", 8),
        ("5 Oktober 2024", 10),
        ("5 Nopember 2024", 11),
        ("5 Des 2024", 12),
    ],
)
def test_parse_wib_indonesian_month_names(text: str, month: int) -> None:
    local = datetime(2024, month, 5, tzinfo=timezone(timedelta(hours=7)))
    assert parse_wib(text) == local


def test_parse_iso_out_of_range_offset_is_none_not_an_error() -> None:
    assert parse_iso("0001-01-01T00:00:00+07:00") is None


# --------------------------------------------------------------------------- HTML


def test_html_to_text_drops_scripts_styles_and_tracking_pixels() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Page title</title>"
        "<style>.x{color:red}</style><script>var t = 1;</script></head><body>"
        "<p>First paragraph.</p>"
        '<img src="https://track.example/px.gif" width="1" height="1" alt="">'
        "<noscript><img src='https://track.example/ns.gif'>no script</noscript>"
        "<iframe src='https://ads.example'>frame</iframe><svg><text>icon</text></svg>"
        "<p>Second <b>paragraph</b> &amp; more &mdash; done.</p>"
        '<script type=\'application/ld+json\'>{"@type": "JobPosting"}</script>'
        "</body></html>"
    )
    assert html_to_text(html) == "First paragraph.\n\nSecond paragraph & more — done."


def test_html_to_text_lists_tables_and_breaks() -> None:
    html = (
        "<h2>Requirements</h2><ol><li>Python</li><li> SQL </li></ol>"
        "<table><tr><th>Rate</th><td>$20/hr</td></tr></table>line<br/>break<br>"
    )
    assert html_to_text(html) == "Requirements\n\n- Python\n- SQL\n\nRate $20/hr\n\nline\nbreak"


def test_html_to_text_survives_very_deep_nesting() -> None:
    for depth in (300, 5000):
        html = "<div>" * depth + "deep" + "</div>" * depth + "<p>after</p>"
        assert html_to_text(html) == "deep\n\nafter"


def test_html_to_text_keeps_content_after_a_stray_closing_html() -> None:
    assert html_to_text("<p>a</p></body></html><p>b</p>") == "a\n\nb"


def test_html_to_text_accepts_an_encoding_declaration() -> None:
    assert html_to_text('<?xml version="1.0" encoding="iso-8859-1"?><p>café</p>') == "café"


def test_element_to_text_accepts_lxml_elements() -> None:
    html = "<div class='msg'>Hi<br>there <b>you</b><!-- c --><script>x</script></div>"
    element = etree.fromstring(html, etree.HTMLParser()).find(".//div")
    assert element_to_text(element) == "Hi\nthere you" == html_to_text(html)


def test_element_to_text_handles_deep_soup_without_recursion_error() -> None:
    soup = BeautifulSoup("<b>" * 3000 + "x" + "</b>" * 3000, "html.parser")
    assert element_to_text(soup) == "x"


def test_html_to_text_matches_element_to_text_on_real_descriptions() -> None:
    jobs = json.loads((FIXTURES / "remoteok_api.json").read_bytes())
    descriptions = [job["description"] for job in jobs if job.get("description")]
    assert descriptions
    for html in descriptions:
        text = html_to_text(html)
        assert text and "<" not in text.replace("< ", "")
        assert text == element_to_text(BeautifulSoup(html, "lxml"))


# --------------------------------------------------------------------------- mojibake

# Characters that a mis-decoded UTF-8 continuation byte turns into (latin-1 or cp1252).
_CONTINUATION_LOOKALIKES = [chr(c) for c in range(0x80, 0xC0)] + [
    bytes([b]).decode("cp1252")
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
]


def _latin1_mojibake(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def _cp1252_mojibake(text: str) -> str:
    """Windows-1252 decoding, undefined bytes passed through as latin-1 (as browsers do)."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


@pytest.mark.parametrize(
    "text",
    [
        "Dicari desainer logo 🎨 untuk UMKM – gaji Rp 5 juta/bulan",
        "Kami butuh “copywriter” yang ’jago’ — segera!",
        "Zürich · São Paulo · Kraków · 東京 · 🚀🔥",
        "Ã la carte, é” ñ€ ¿qué?",  # accented letters next to punctuation, not mojibake
    ],
)
def test_fix_mojibake_round_trips_real_text(text: str) -> None:
    assert fix_mojibake(text) == text
    assert fix_mojibake(_latin1_mojibake(text)) == text
    assert fix_mojibake(_cp1252_mojibake(text)) == text


def test_fix_mojibake_repairs_remoteok_fixture() -> None:
    jobs = json.loads((FIXTURES / "remoteok_api.json").read_bytes())
    raw = " ".join(job.get("description", "") for job in jobs)
    assert "\u00e2\u0080" in raw  # the fixture really is double-encoded
    fixed = fix_mojibake(raw)
    assert "\u00e2\u0080" not in fixed
    assert "’" in fixed


def test_fix_mojibake_property_repairs_any_double_encoded_text() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.settings(max_examples=400, deadline=None)
    @hypothesis.given(st.text(), st.sampled_from([_latin1_mojibake, _cp1252_mojibake]))
    def check(text: str, garble: object) -> None:
        assert fix_mojibake(garble(text)) == text  # type: ignore[operator]

    check()


def test_fix_mojibake_property_leaves_clean_text_alone() -> None:
    # Mojibake needs a continuation look-alike (U+0080-U+00BF or a cp1252 special such as
    # "€" or "™") right after a lead character, so text without any is never touched;
    # accented letters, Indonesian, CJK and emoji are all allowed.
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    clean = st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters=_CONTINUATION_LOOKALIKES)
    )

    @hypothesis.settings(max_examples=400, deadline=None)
    @hypothesis.given(clean)
    def check(text: str) -> None:
        assert fix_mojibake(text) == text

    check()


# --------------------------------------------------------------------------- budget table


def _budget_rows() -> list[dict[str, str]]:
    with (FIXTURES / "budget_texts.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _expected(row: dict[str, str]) -> Budget:
    if not row["currency"]:
        return UNKNOWN_BUDGET
    return Budget(
        Decimal(row["min"]) if row["min"] else None,
        Decimal(row["max"]) if row["max"] else None,
        row["currency"],
        BudgetType(row["type"]),
    )


def test_budget_finder_on_real_texts() -> None:
    """Each real budget text, read as its source reads it (chat posts allow lone amounts)."""
    rows = _budget_rows()
    languages = {row["currency"] == "IDR" for row in rows if row["currency"]}
    assert len(rows) >= 25 and languages == {True, False}  # both languages are in the table
    misses = [
        (row["text"], found)
        for row in rows
        if (
            found := find_budget(
                row["text"], lone_amounts=row["source"].startswith(("reddit", "telegram"))
            )
        )
        != _expected(row)
    ]
    accuracy = 1 - len(misses) / len(rows)
    print(f"budget finder: {len(rows) - len(misses)}/{len(rows)} right ({accuracy:.0%})", misses)
    assert accuracy >= 0.9, misses
