"""Queries whose number of bind parameters does not grow with the data.

PostgreSQL (asyncpg) refuses a statement with more than 32,767 parameters and SQLite one with
more than 32,766, so a list of ids is never spread over one parameter per id: it goes as ONE
parameter (a PostgreSQL array, or a JSON array that SQLite unpacks with json_each), and
multi-row inserts are cut into chunks that stay under the limit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import BigInteger, ColumnElement, String, any_, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

# Below both databases' limits, with room for the few parameters a statement adds.
MAX_PARAMS = 30_000
Row = TypeVar("Row")


def dialect_of(session: AsyncSession) -> str:
    """'postgresql' or 'sqlite' for the session's connection."""
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def id_in(
    session: AsyncSession, column: QueryableAttribute[Any], ids: Iterable[int]
) -> ColumnElement[bool]:
    """`column` is one of `ids`, as a condition with a single bind parameter."""
    values = sorted({int(i) for i in ids})
    if dialect_of(session) == "postgresql":
        return column == any_(literal(values, ARRAY(BigInteger)))
    unpacked = func.json_each(literal(json.dumps(values), String())).table_valued("value")
    return column.in_(select(unpacked.c.value).scalar_subquery())


def row_chunks(rows: Sequence[Row], columns: int) -> Iterator[Sequence[Row]]:
    """Slices of `rows` small enough for one multi-row INSERT of `columns` columns each."""
    size = max(1, MAX_PARAMS // max(1, columns))
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
