"""Unit tests for scrapers.normalize."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from scrapers.model import UNKNOWN_BUDGET, Budget, BudgetType
from scrapers.normalize import (
    fix_mojibake,
    from_epoch,
    html_to_text,
    parse_amount,
    parse_budget,
    parse_iso,
    parse_wib,
)


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
        ("$80k - $120k", Budget(Decimal(80000), Decimal(120000), "USD", BudgetType.FIXED)),
        (
            "$80k - $120k a year",
            Budget(Decimal(80000), Decimal(120000), "USD", BudgetType.SALARY),
        ),
        (
            "Salary: $80k-$120k",
            Budget(Decimal(80000), Decimal(120000), "USD", BudgetType.SALARY),
        ),
        ("2-5jt", Budget(Decimal(2000000), Decimal(5000000), None, BudgetType.FIXED)),
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
    from bs4 import BeautifulSoup

    from scrapers.normalize import element_to_text

    html = "<p> alur bot :\n- buka chrome\n- repeat <b>x</b>&nbsp;</p>"
    tag = BeautifulSoup(html, "lxml").p
    assert tag is not None
    assert element_to_text(tag) == html_to_text(html) == "alur bot :\n- buka chrome\n- repeat x"
