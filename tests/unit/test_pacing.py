"""The pacer keeps every one-second window under Telegram's limits."""

from __future__ import annotations

from itertools import pairwise

from bot.pacing import Pacer


def times(pacer: Pacer, chats: list[int]) -> list[float]:
    return [pacer.reserve(chat) for chat in chats]


def max_in_window(moments: list[float], window: float = 1.0) -> int:
    moments = sorted(moments)
    best = 0
    start = 0
    for end, t in enumerate(moments):
        while t - moments[start] >= window - 1e-9:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_overall_rate_never_exceeds_the_limit_in_any_second() -> None:
    now = [0.0]
    pacer = Pacer(clock=lambda: now[0])
    moments = times(pacer, list(range(1000)))  # 1000 different chats
    assert max_in_window(moments) <= 29  # one under the limit: room for network jitter
    assert moments[-1] - moments[0] < 1000 / 28 + 0.01  # and at least 28 a second


def test_one_chat_gets_a_short_burst_then_one_per_second() -> None:
    now = [0.0]
    pacer = Pacer(chat_rate=1, chat_burst=3, clock=lambda: now[0])
    moments = times(pacer, [7] * 10)
    assert moments[2] - moments[0] < 0.2  # the burst
    gaps = [b - a for a, b in pairwise(moments[3:])]
    assert all(abs(gap - 1.0) < 1e-6 for gap in gaps)
    assert max_in_window(moments[3:]) <= 1


def test_a_429_pauses_everything_for_its_retry_after() -> None:
    now = [10.0]
    pacer = Pacer(clock=lambda: now[0])
    pacer.reserve(1)
    pacer.pause(30)
    assert pacer.reserve(2) >= 40.0
    assert pacer.reserve(3) > 40.0
