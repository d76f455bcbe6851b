"""Bitsets of user slots: slots in and out, sparse and dense, small and a million wide."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching.bitsets import from_slots, to_slots


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5_000), max_size=300))
def test_slots_round_trip(slots: list[int]) -> None:
    bits = from_slots(slots)
    assert to_slots(bits) == sorted(set(slots))
    assert bits == sum(1 << s for s in set(slots))


def test_sparse_and_dense_sets_a_million_wide() -> None:
    sparse = [0, 63, 64, 65, 127, 128, 999_999, *range(500_000, 500_200, 7)]
    assert to_slots(from_slots(sparse)) == sorted(sparse)
    dense = list(range(0, 1_000_000, 3))
    assert to_slots(from_slots(dense)) == dense
    full = list(range(130))  # every bit of whole 64-bit words, and a part word
    assert to_slots(from_slots(full)) == full
    assert to_slots(0) == []
