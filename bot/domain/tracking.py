"""The gig pipeline as a pure state machine, plus parsing of what users type to move it.

saved → applied → replied → won → delivered → paid, with the side exits lost and
withdrawn. Nothing here touches the database or Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from bot.domain.dates import parse_deadline
from bot.domain.money import KNOWN_CURRENCIES, split_money, within_limits

SAVED, APPLIED, REPLIED, WON = "saved", "applied", "replied", "won"
DELIVERED, PAID, LOST, WITHDRAWN = "delivered", "paid", "lost", "withdrawn"
STATUSES = (SAVED, APPLIED, REPLIED, WON, DELIVERED, PAID, LOST, WITHDRAWN)
ACTIVE = (APPLIED, REPLIED, WON, DELIVERED)  # take the user's time: count to workload_limit
CLOSED = (PAID, LOST, WITHDRAWN)
APPLIED_OR_BEYOND = (APPLIED, REPLIED, WON, DELIVERED, PAID, LOST, WITHDRAWN)  # not a bookmark
WON_OR_BEYOND = (WON, DELIVERED, PAID)
UNPAID = (WON, DELIVERED)  # won, money not yet received
DECIDED = (*WON_OR_BEYOND, LOST)  # bids whose outcome is known

# Where each status may go next, in the order buttons are shown.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    SAVED: (APPLIED, WITHDRAWN),
    APPLIED: (REPLIED, WON, LOST, WITHDRAWN),
    REPLIED: (WON, LOST, WITHDRAWN),
    # Some clients pay before delivery is confirmed, so won may go straight to paid.
    WON: (DELIVERED, PAID, LOST, WITHDRAWN),
    DELIVERED: (PAID, LOST),
    PAID: (),
    LOST: (),
    WITHDRAWN: (),
}
# The moment each status is reached is recorded in this column.
STAMPS = {
    APPLIED: "applied_at",
    REPLIED: "replied_at",
    WON: "won_at",
    DELIVERED: "delivered_at",
    PAID: "paid_at",
}
NEEDS_AMOUNT = (WON, PAID)
FEE_WORDS = frozenset({"fee", "biaya", "potongan"})


class Verdict(StrEnum):
    """The outcome of asking whether a status may change."""

    OK = "ok"
    SAME = "same"  # already there: nothing to do (a second press)
    CLOSED = "closed"  # the application is finished
    TOO_EARLY = "too_early"  # a later step before an earlier one, e.g. paid before won
    NOT_ALLOWED = "not_allowed"


def check(current: str, target: str) -> Verdict:
    """May an application in `current` move to `target`?"""
    if current == target:
        return Verdict.SAME
    if target in TRANSITIONS.get(current, ()):
        return Verdict.OK
    if current in CLOSED:
        return Verdict.CLOSED
    if target in (WON, DELIVERED, PAID):
        return Verdict.TOO_EARLY
    return Verdict.NOT_ALLOWED


def changes(current: str, target: str, now: datetime) -> dict[str, object]:
    """Column updates for a valid move: the status, its timestamp, closed_at for endings."""
    if check(current, target) is not Verdict.OK:
        raise ValueError(f"{current} → {target} is not a valid move")
    values: dict[str, object] = {"status": target, "updated_at": now}
    if target in STAMPS:
        values[STAMPS[target]] = now
    if target == PAID and current == WON:
        values["delivered_at"] = now  # paid implies the work was handed over
    if target in CLOSED:
        values["closed_at"] = now
    return values


def undo_changes(current: str, previous: str, now: datetime) -> dict[str, object]:
    """Column updates that take a move previous → current back (the Undo button)."""
    if current not in TRANSITIONS.get(previous, ()):
        raise ValueError(f"{previous} → {current} was not a move")
    values: dict[str, object] = {"status": previous, "updated_at": now}
    if current in STAMPS and current != APPLIED:  # applied_at is also the creation time
        values[STAMPS[current]] = None
    if current in CLOSED:
        values["closed_at"] = None
    if current == WON:
        values.update(agreed_amount=None, deadline_at=None, reminders_sent=None)
    if current == PAID:
        values.update(received_amount=None, fee_amount=None)
        if previous == WON:
            values["delivered_at"] = None  # set by the move: paid implies delivered
    return values


def next_steps(status: str) -> tuple[str, ...]:
    """The statuses a button may move this application to."""
    return TRANSITIONS.get(status, ())


@dataclass(frozen=True)
class Money:
    """An amount in a currency."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class WonInput:
    """A parsed '/won <id> <amount> [currency] [deadline]' (without the id)."""

    money: Money
    deadline_at: datetime | None


@dataclass(frozen=True)
class PaidInput:
    """A parsed '/paid <id> <amount> [currency] [fee <fee>]' (without the id)."""

    money: Money
    fee: Decimal

    @property
    def net(self) -> Decimal:
        """What actually reached the user: the payment minus the platform fee."""
        return self.money.amount - self.fee


class InputError(ValueError):
    """What the user typed cannot be read; `reason` is a stable code for the message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_money(words: list[str], default_currency: str) -> tuple[Money, list[str]]:
    """An amount (150rb, 1,5jt, 20 USD, $20) at the start of `words`, and the words after it."""
    found = split_money(words, default_currency)
    if found is None:
        raise InputError("amount")
    amount, currency, rest = found
    if currency not in KNOWN_CURRENCIES:
        raise InputError("currency")
    if not within_limits(amount):
        raise InputError("amount")
    return Money(amount.quantize(Decimal("0.01")), currency), rest


def parse_won(words: list[str], default_currency: str, timezone: str, now: datetime) -> WonInput:
    """Amount, optional currency and optional deadline, e.g. ['500rb', '3d']."""
    money, rest = parse_money(words, default_currency)
    if not rest:
        return WonInput(money, None)
    deadline = parse_deadline(" ".join(rest), timezone, now)
    if deadline is None:
        raise InputError("deadline")
    if deadline <= now:
        raise InputError("deadline_past")
    return WonInput(money, deadline)


def parse_paid(words: list[str], default_currency: str) -> PaidInput:
    """Amount, optional currency and optional 'fee <amount>', e.g. ['50', 'USD', 'fee', '5']."""
    lowered = [w.casefold() for w in words]
    split = next((i for i, w in enumerate(lowered) if w in FEE_WORDS), len(words))
    money, rest = parse_money(words[:split], default_currency)
    if rest:
        raise InputError("amount")
    fee = Decimal(0)
    if split < len(words):
        fee_money, tail = parse_money(words[split + 1 :], money.currency)
        if tail or fee_money.currency != money.currency:
            raise InputError("fee")
        fee = fee_money.amount
    if fee >= money.amount:
        raise InputError("fee")
    return PaidInput(money, fee)
