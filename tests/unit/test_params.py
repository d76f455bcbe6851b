"""Multi-row inserts are cut so that no statement passes the bind-parameter limit."""

from __future__ import annotations

from bot.store.params import MAX_PARAMS, row_chunks


def test_chunks_stay_under_the_limit_and_keep_every_row_in_order() -> None:
    rows = list(range(100_001))
    for columns in (1, 8, 17, 40_000):
        chunks = list(row_chunks(rows, columns))
        assert [r for chunk in chunks for r in chunk] == rows
        assert all(len(chunk) * columns <= MAX_PARAMS or len(chunk) == 1 for chunk in chunks)
    assert MAX_PARAMS < 32_766  # SQLite's limit, just below asyncpg's 32,767
    assert list(row_chunks([], 8)) == []
