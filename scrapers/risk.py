"""Scam-risk signals of a listing, from its title, text and source: pure, no I/O.

Each signal has a reason code; `tests/fixtures/risk/README.md` defines them and the table the
rules were written against. The rules look for what a careful reader would flag in Indonesian
and English: money asked first, pay out of line for trivial tasks, chat-app-only contact,
requests for ID cards, OTP codes or bank logins, account trading, sign-up or review farms and
crypto "robot trading".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["REASONS", "SIGNAL_ORDER", "risk_signals"]

PAY_FIRST = "pay_first"
PAY_OUT_OF_LINE = "pay_out_of_line"
CHAT_ONLY = "chat_only"
ID_REQUEST = "id_request"
BANK_LOGIN = "bank_login"
ACCOUNT_TRADE = "account_trade"
SIGNUP_FARM = "signup_farm"
CRYPTO_ROBOT = "crypto_robot"
# The order signals are reported in: the first one is the line a card shows.
SIGNAL_ORDER = (
    PAY_FIRST,
    BANK_LOGIN,
    ID_REQUEST,
    CRYPTO_ROBOT,
    ACCOUNT_TRADE,
    SIGNUP_FARM,
    PAY_OUT_OF_LINE,
    CHAT_ONLY,
)
REASONS = frozenset(SIGNAL_ORDER)
# Sources where applying happens on the site itself: a chat number there is not the only way.
PLATFORM_SOURCES = frozenset({"freelancer", "projects_co_id", "fastwork", "dealls"})

_F = re.IGNORECASE
_AMOUNT = r"(?:rp\.?\s?)?\d+(?:[.,]\d+)*\s*(?:rb|ribu|k|jt|juta)?"
_NEGATION = re.compile(
    r"\b(?:no|zero|never|without|not|free|tanpa|bebas|gratis|tidak|tdk|bukan)\b[\w\s-]{0,18}$", _F
)
# Money asked before the work or the payout.
_PAY_FIRST = re.compile(
    "|".join(
        (
            r"\bbiaya\s+(?:pendaftaran|registrasi|admin\w*|daftar|aktivasi|member\w*|jaminan)",
            r"\b(?:registration|processing|application|training|activation|admin\w*)\s+fee",
            r"\bstarter\s+kit\b",
            r"\b(?:upfront|up-front|advance)\s+(?:fee|payment)",
            r"\bpay\s+(?:a\s+|the\s+|your\s+)?(?:small\s+|refundable\s+)?(?:fee|deposit)",
            r"\b(?:deposit|depo)\s+(?:awal|dulu|terlebih|tugas|saldo|pertama)",
            r"\b(?:minimal|wajib|harus)\s+(?:deposit|depo|top\s?up)\b",
            r"\btop\s?up\s+(?:saldo\s+)?(?:dulu|terlebih|awal|untuk\s+(?:misi|tugas))",
            r"\b(?:wajib|harus|cukup|hanya)\s+(?:beli|membeli)\s+paket\b",
            r"\bbeli\s+paket\s+(?:member\w*|kemitraan|join|tugas|misi)",
            r"\b(?:hanya|cukup)\s+dengan\s+" + _AMOUNT + r"[\w\s.,]{0,30}\b(?:jadi|menjadi|gabung|"
            r"bergabung|join|daftar)\b",
            r"\b(?:uang|dana)(?:'?nya)?\s+(?:di\s?kirim|di\s?transfer|kirim)\w*\s+(?:aja\s+|saja\s+)?"
            r"ke\s+rek",
            r"\bdi\s?transfer\s+(?:saja|aja)\s+uang",
            r"\bsms\s+(?:saja\s+|aja\s+)?(?:klo|kalau|kalo|klau)\s+(?:sdh|sudah|udah)\s+"
            r"(?:di\s?kirim|transfer)",
            r"\b(?:kirim|belikan|beliin|bliin|tukokno)\w*\b[\w\s]{0,20}\bpulsa\b",
            r"\bpulsa\s+" + _AMOUNT + r"\s+di\s?kirim",
        )
    ),
    _F,
)
# Pay far beyond trivial, skill-free work.
_PAY_OUT_OF_LINE = (
    re.compile(
        r"\$\s?(\d{3,})(?:\s*(?:to|-)\s*\$?\s?\d{3,})?\s*(?:extra\s+)?(?:per|a|/)\s*day", _F
    ),
    re.compile(r"\bno\s+(?:any\s+)?experience|\b1\s+to\s+2\s+hrs|\bfree\s+time\b", _F),
)
_TRIVIAL_PAY = re.compile(
    "|".join(
        (
            r"\buang\s+jajan\b[\w\s,]{0,30}\btanpa\s+modal",
            r"\btanpa\s+modal\b[\w\s,]{0,40}\b(?:uang\s+jajan|penghasilan\s+harian|cuan)",
            r"\b(?:dibayar|bayar|paid|pay)\s+(?:per|tiap|setiap|for\s+each)\s+"
            r"(?:like|subscribe|follow|klik|click|view)",
            _AMOUNT + r"\s*(?:/|per|tiap|setiap)\s*(?:like|subscribe|follow|klik)\b",
            r"\b(?:like|subscribe|follow)\s+(?:dan|&|and)\s+(?:subscribe|like|follow)\b[^.]{0,60}"
            r"\b(?:rp|dibayar|komisi|gaji|penghasilan|paid|earn)",
        )
    ),
    _F,
)
_CHAT_ONLY = re.compile(
    "|".join(
        (
            r"\b(?:yahoo\s+messenger|whatsapp|telegram)\s+list\b",
            r"\badd\b[\w\s]{0,40}\bon\s+your\s+(?:yahoo\s+messenger|whatsapp|telegram)",
            r"\b(?:hanya|only|cuma)\s+(?:via\s+|lewat\s+|melalui\s+|through\s+)?"
            r"(?:wa|whatsapp|telegram|dm)\b",
            r"\b(?:lamar|daftar|apply|hubungi|contact|chat)\w*\s+(?:langsung\s+)?"
            r"(?:via|lewat|melalui|ke|on|at)\s+(?:wa|whatsapp|telegram)\b",
        )
    ),
    _F,
)
_ID_REQUEST = re.compile(
    "|".join(
        (
            r"\b(?:f\.?\s*)?(?:copy|cpy|fc|fotokopi|foto\s?copy|scan|foto|kirim\w*|upload)\s*"
            r"(?:of\s+)?(?:your\s+)?(?:e-?ktp|ktp|kartu\s+keluarga|passport|paspor)\b",
            r"\bsyarat\s*:?\s*(?:copy\s+)?ktp\b",
            r"\b(?:dg|dgn|dengan)\s+ktp\b",
            r"\bktp\s*(?:&|dan|d)\s*(?:cc|kartu\s+kredit)\b",
            r"\bscanned\s+(?:image|copy)\s+of\s+(?:a\s+|your\s+)?(?:valid\s+)?"
            r"(?:driver|passport|id\b|identity)",
            r"\bsocial\s+security\s+(?:number|#|card)",
            r"\b(?:kode\s+otp|otp\s+code|kirim\w*\s+(?:kode\s+)?otp|send\s+(?:us\s+)?(?:the\s+)?otp)",
        )
    ),
    _F,
)
_BANK_LOGIN = re.compile(
    "|".join(
        (
            r"\bno\.?\s*rek\w*\s+prib",
            r"\b(?:pin|password|kata\s+sandi)\s+(?:atm|m-?banking|internet\s+banking|e-?wallet|"
            r"dana|ovo|gopay)\b",
            r"\b(?:login|username)\s+(?:m-?banking|internet\s+banking|e-?wallet|dana|ovo|gopay)\b",
            r"\b(?:bank|online\s+banking)\s+(?:login|password|credentials)",
            r"\b(?:credit\s+card|bank\s+card)\s+(?:number|information|details)\s+for\b",
        )
    ),
    _F,
)
_ACCOUNT_TRADE = re.compile(
    "|".join(
        (
            r"\b(?:di\s?cari|cari|butuh|beli|jual|sewa|menjual|membeli|menyewakan)\s+akun\b",
            r"\bakun\s+[\w-]+(?:\s+[\w-]+)?\s+(?:dijual|for\s+sale)\b",
            r"\b(?:buy|sell|buying|selling|rent|renting)\s+(?:aged\s+|old\s+|verified\s+)?"
            r"(?:[\w-]+\s+)?accounts?\b(?!\s+(?:manager|executive|payable|receivable|management))",
        )
    ),
    _F,
)
_SIGNUP_FARM = re.compile(
    "|".join(
        (
            r"\bsign\s+up\s+for\s+free\s+trials?",
            r"\bfree\s+trials?\b[^.]{0,40}\bcancel",
            r"\b(?:paid|dibayar|bayar)\s+(?:per|untuk|for)\s+(?:each\s+)?"
            r"(?:install|download|daftar|registrasi|sign\s?up)",
            r"\b(?:fake|paid)\s+reviews?\b",
            r"\bulasan\s+palsu\b",
            r"\b(?:beri|kasih|memberi)\w*\s+(?:rating|ulasan|review)\s+(?:bintang\s+)?5\b",
            r"\btugas\s+(?:pesanan|rating|ulasan)\b",
            r"\binstant\s+rewards\s+network\b",
        )
    ),
    _F,
)
_CRYPTO_ROBOT = re.compile(
    r"\b(?:robot\s+trading|trading\s+robot|crypto\s+(?:trading\s+)?(?:bot|robot)|"
    r"bot\s+trading\s+crypto|(?:profit|keuntungan|untung)\s+(?:pasti|dijamin|tetap\s+harian)|"
    r"guaranteed\s+(?:daily\s+)?(?:profits?|returns?))",
    _F,
)


def _asked(pattern: re.Pattern[str], text: str) -> bool:
    """True when `pattern` occurs and is not negated just before ("no registration fee")."""
    return any(not _NEGATION.search(text[max(0, m.start() - 30) : m.start()]) for m in
               pattern.finditer(text))  # fmt: skip


def _out_of_line(text: str) -> bool:
    """A day's pay of $200 or more for work that needs no experience, or per-like pay."""
    if _TRIVIAL_PAY.search(text):
        return True
    day_pay, no_skill = _PAY_OUT_OF_LINE
    big = any(int(m.group(1)) >= 200 for m in day_pay.finditer(text))
    return big and bool(no_skill.search(text))


def _ordered(found: Iterable[str]) -> tuple[str, ...]:
    """Reason codes once each, in SIGNAL_ORDER."""
    present = set(found)
    return tuple(code for code in SIGNAL_ORDER if code in present)


def risk_signals(title: str, text: str = "", source: str | None = None) -> tuple[str, ...]:
    """The scam-risk reason codes of a listing (empty when none), most serious first."""
    whole = " ".join(f"{title}\n{text}".split())
    found = []
    if _asked(_PAY_FIRST, whole):
        found.append(PAY_FIRST)
    if _out_of_line(whole):
        found.append(PAY_OUT_OF_LINE)
    if source not in PLATFORM_SOURCES and _CHAT_ONLY.search(whole):
        found.append(CHAT_ONLY)
    for code, pattern in (
        (ID_REQUEST, _ID_REQUEST),
        (BANK_LOGIN, _BANK_LOGIN),
        (ACCOUNT_TRADE, _ACCOUNT_TRADE),
        (SIGNUP_FARM, _SIGNUP_FARM),
        (CRYPTO_ROBOT, _CRYPTO_ROBOT),
    ):
        if pattern.search(whole):
            found.append(code)
    return _ordered(found)
