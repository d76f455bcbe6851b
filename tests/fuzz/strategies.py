"""Hypothesis strategies for hostile input: text, numbers, commands and callback data."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.app.application import COMMANDS

# Commands typed with arguments that are not in the menu (pipeline steps, matching knobs).
EXTRA_COMMANDS = (
    "won",
    "paid",
    "replied",
    "delivered",
    "lost",
    "withdraw",
    "minbudget",
    "maxbids",
    "maxage",
    "threshold",
    "lowered",
    "earned",
)
ALL_COMMANDS = tuple(dict.fromkeys([name for name, _ in COMMANDS] + list(EXTRA_COMMANDS)))
# Every callback prefix the bot hands out (grep bot/ for callback_data= and pattern=).
PREFIXES = ("ap:", "sv:", "nr:", "nu:", "pc:", "pa:", "pl:", "tk:", "ob:", "se:", "fi:", "lg:")
PREFIXES += ("rs:", "delme:", "eu:", "ed:", "nw:", "pum:", "puc:", "pua:", "pul:", "dr:", "rt:")
# Data the bot itself puts on buttons: a fuzzed press sometimes is a real one.
REAL_DATA = (
    "se:show",
    "se:lang",
    "se:lang:id",
    "se:lang:en",
    "se:tz",
    "se:tz:wita",
    "se:cur",
    "se:cur:USD",
    "se:bud",
    "se:bud:u10",
    "se:lim",
    "se:lim:3",
    "se:quiet",
    "se:quiet:night",
    "se:dig",
    "se:dig:1930",
    "se:dig:off",
    "se:pause:1",
    "se:pause:0",
    "fi:t:fixed:0",
    "fi:t:fixed:1",
    "fi:l:en:0",
    "fi:s:projects_co_id:0",
    "lg:id",
    "lg:en",
    "rs:send",
    "rs:skip",
    "ob:again",
    "ob:lang:en",
    "ob:sk:0:1",
    "ob:sk:done",
    "ob:bud:none",
    "ob:tz:wib",
    "tk:a",
    "tk:s",
    "tk:n",
)
STEP_CODES = ("ap", "re", "wo", "de", "pa", "lo", "wi", "sv", "xx", "")

LOOKALIKES = (
    "'; DROP TABLE users;--",
    "' OR '1'='1",
    "<b>",
    "</b>",
    "<i>x</b>",
    "<a href='javascript:alert(1)'>x</a>",
    "<script>alert(1)</script>",
    "&",
    "&amp;",
    "&#0;",
    "&lt;b&gt;",
    "{0}",
    "{}",
    "{name}",
    "{skill}",
    "{0.__class__}",
    "%s",
    "%d",
    "%(n)s",
    "%%",
    "\\",
    "`",
    "${x}",
)
UNICODE = (
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u05e9\u05dc\u05d5\u05dd",  # RLM + Hebrew
    "مرحبا بالعالم",
    "👩\u200d💻🏳️\u200d🌈🇮🇩",
    "e\u0301\u0301\u0301\u0301",  # combining marks
    "Z\u0351\u0352\u0353\u0354\u0355",
    "\x01\x02\x1b[31m\x7f\u0085\u2028\u2029",
    "\ufeff\u200b\u2060",
    "𝕏𝔂𝔷",
    "ｆｕｌｌ　ｗｉｄｔｈ",
    "İı",
    "ß",
    "²",  # str.isdigit() says yes, int() says no
    "³³",
    "①②",
    "١٢٣",  # Arabic-Indic digits: int() reads them
    "𝟗𝟗",
)
WORDS = (
    "500rb",
    "1,5jt",
    "20",
    "USD",
    "IDR",
    "Rp",
    "fee",
    "3d",
    "12h",
    "2026-12-05",
    "5/12",
    "17:00",
    "25:99",
    "22:00-06:00",
    "weekdays",
    "off",
    "none",
    "reset",
    "strict",
    "exclude",
    "include",
    "today",
    "all",
    "2026-13",
    "https://example.com/gig",
    "#",
    ",",
    "\n",
)
# The nastiest single values, tried deterministically against every command and button.
TRICKY = (
    "²",
    "①",
    "١٢",
    "𝟗",
    "-1",
    "0",
    "1e309",
    "NaN",
    "9" * 40,
    "99:99",
    "2500",
    "'; DROP TABLE users;--",
    "<b>",
    "{0}",
    "%s",
    "\u202e",
    "e\u0301\u0301",
    "\x1b",
    "x" * 5000,
    "a," * 2000,
)
NUMBERS = st.one_of(
    st.sampled_from(["0", "-0", "-1", "1e309", "NaN", "inf", "9" * 40, "18446744073709551616"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
)
CHARACTERS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
SHORT_TEXT = st.text(CHARACTERS, min_size=1, max_size=40)
# Generated as a short piece repeated: hypothesis cannot draw 10,000 random characters fast.
HUGE_TEXT = st.builds(
    lambda piece, n: (piece * n)[:10_000],
    st.one_of(SHORT_TEXT, st.sampled_from(LOOKALIKES + UNICODE + WORDS)),
    st.integers(min_value=100, max_value=10_000),
)


def word(ids: list[int]) -> st.SearchStrategy[str]:
    """One hostile argument: text, a lookalike, Unicode, a number or a real row id."""
    row_ids = st.sampled_from(ids).map(str)
    return st.one_of(
        SHORT_TEXT,
        st.sampled_from(LOOKALIKES),
        st.sampled_from(UNICODE),
        st.sampled_from(WORDS),
        NUMBERS,
        row_ids,
        row_ids.map(lambda i: "#" + i),
    )


def arguments(ids: list[int]) -> st.SearchStrategy[str]:
    """The rest of a command line: a few hostile words (some huge), joined as users do."""
    words = st.lists(st.one_of(word(ids), word(ids), word(ids), HUGE_TEXT), max_size=6)
    separator = st.sampled_from([" ", " ", ", ", ",", "\n"])
    return st.builds(lambda w, sep: sep.join(w), words, separator)


def message_text(ids: list[int]) -> st.SearchStrategy[str]:
    """A message a user could send: never empty, any content."""
    return st.one_of(arguments(ids), SHORT_TEXT).filter(lambda t: t.strip())


def _fits(data: str) -> bool:
    return 1 <= len(data.encode()) <= 64  # Telegram's limit for callback data


# The first part after a prefix that the handlers look at, per prefix.
KEYS = {
    "se:": ("show", "lang", "tz", "cur", "bud", "lim", "quiet", "dig", "pause"),
    "fi:": ("t", "l", "s"),
    "ob:": ("again", "lang", "sk", "bud", "tz"),
    "rs:": ("send", "skip"),
    "lg:": ("id", "en"),
    "tk:": ("a", "s", "n"),
}


def callback_data(ids: list[int], stamps: list[int]) -> st.SearchStrategy[str]:
    """Forged button data: random, a real prefix with junk, or real shapes with others' ids."""
    row = st.sampled_from(ids)
    number = st.one_of(row, st.integers(min_value=-(2**64), max_value=2**64))
    value = st.one_of(
        st.text(CHARACTERS, max_size=8),
        st.sampled_from(UNICODE + WORDS),
        number.map(str),
        st.sampled_from(["0", "1", "9999", "2500", "skip", "done", "off", "u10", "wib"]),
    )
    keyed = st.sampled_from(sorted(KEYS)).flatmap(
        lambda prefix: st.builds(
            lambda key, rest: ":".join([prefix + key, *rest]),
            st.sampled_from(KEYS[prefix]),
            st.lists(value, max_size=3),
        )
    )
    shaped = st.one_of(
        st.builds(
            lambda p, i: f"{p}{i}",
            st.sampled_from(["ap:", "sv:", "nr:", "nu:", "eu:", "ed:"]),
            number,
        ),
        st.builds(lambda i, r: f"nw:{i}:{r}", number, st.sampled_from("tbcsx")),
        st.builds(
            lambda v, i, a, b: f"pu{v}:{i}:{a}:{b}",
            st.sampled_from("calmx"),
            number,
            st.sampled_from(["sa", "ap", "re", "wo", "de", "pa", "lo", "wi", "zz"]),
            st.sampled_from(["sa", "ap", "re", "wo", "de", "pa", "lo", "wi", "zz"]),
        ),
        st.builds(
            lambda v, i, s: f"p{v}:{i}:{s}",
            st.sampled_from("calx"),
            number,
            st.sampled_from(STEP_CODES),
        ),
        st.builds(
            lambda yn, u, s: f"delme:{yn}:{u}:{s}",
            st.sampled_from("yn"),
            number,
            st.one_of(st.sampled_from(stamps), st.integers(min_value=0, max_value=2**62)),
        ),
    )
    junk = st.text(CHARACTERS, max_size=30)
    return st.one_of(
        st.text(CHARACTERS, min_size=1, max_size=64),
        st.builds(lambda p, j: p + j, st.sampled_from(PREFIXES), junk),
        st.builds(
            lambda p, parts: p + ":".join(parts),
            st.sampled_from(PREFIXES),
            st.lists(st.one_of(junk, number.map(str), st.sampled_from(WORDS)), max_size=4),
        ),
        shaped,
        shaped,
        keyed,
        keyed,
        st.sampled_from(REAL_DATA),
    ).filter(_fits)
