"""The pacer keeps every one-second window under Telegram's limits."""

from __future__ import annotations

from itertools import pairwise

from telegram.error import RetryAfter

from bot.outbox.pacing import PacedLimiter, Pacer


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


class FakeTime:
    """A clock that moves only when someone sleeps (or the test says so)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def test_a_stalled_loop_cannot_bunch_sends_past_the_limit() -> None:
    fake = FakeTime()
    pacer = Pacer(clock=fake.clock, sleep=fake.sleep)
    booked = [pacer.reserve(chat) for chat in range(90)]  # three seconds of sends
    fake.now = 2.0  # the event loop was stuck for two seconds: 57 of them are overdue
    released = []
    for moment in booked:
        await pacer.wait_booked(moment)
        released.append(fake.now)
    assert max_in_window(released) <= 30
    assert released == sorted(released)


async def test_a_429_anywhere_pauses_every_send() -> None:
    fake = FakeTime()
    pacer = Pacer(clock=fake.clock, sleep=fake.sleep)
    limiter = PacedLimiter(pacer, max_retries=1)
    calls: list[float] = []

    async def send(**_: object) -> dict:
        calls.append(fake.now)
        if len(calls) == 1:
            raise RetryAfter(7)
        return {"ok": True}

    result = await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 5}, None)
    assert result == {"ok": True}
    assert calls[1] - calls[0] >= 7  # retried after exactly the wait asked for
    # The outbox shares the pacer: its next message waits for the pause too.
    pacer.pause(3)
    before = fake.now
    await pacer.wait(99)
    assert fake.now - before >= 3
    # Calls that are not new messages wait out a pause, but never a chat's turn.
    pacer.pause(2)
    before = fake.now
    await limiter.process_request(send, (), {}, "answerCallbackQuery", {}, None)
    assert fake.now - before >= 2
