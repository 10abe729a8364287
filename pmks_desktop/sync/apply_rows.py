"""Raw row writing for the merge: record images in, SQLite values out, and back.

Rows are written with plain SQL on the session's DBAPI connection, never through ORM objects:
the change-capture hook watches ORM objects, so a received change does not become a new local
change (it keeps its origin's version), and plain executes are ~15x faster than ORM adds.

Values are converted with the very bind processors SQLAlchemy uses for the same columns (JSON
text -> date/datetime/bool -> processor), so a row applied from an after-image is byte-identical
to the row the ORM wrote at the origin (datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff' UTC, dates as
'YYYY-MM-DD', booleans as 0/1).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Callable

from sqlalchemy import types
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import SQLModel

from pmks_desktop.storage.models import SYNCED_TABLES
from pmks_desktop.storage.records import utc_now

_DIALECT = sqlite_dialect.dialect()
_REQUIRED = object()  # no usable default: the image must carry the column
SYNCED_NAMES = frozenset(m.__tablename__ for m in SYNCED_TABLES)


class RowDataError(ValueError):
    """The image cannot be stored in this table; the message names the column (Indonesian)."""


def _to_text(value):
    if not isinstance(value, str):
        raise ValueError
    return value


def _to_int(value):
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) >= 2**63:
        raise ValueError
    return value


def _to_bool(value):
    if not isinstance(value, bool):
        raise ValueError
    return value


def _to_date(value):
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError
    return date.fromisoformat(value)


def _to_datetime(value):
    parsed = datetime.fromisoformat(value)  # TypeError for a non-string
    if parsed.utcoffset() is None:  # a naive time would be read as UTC elsewhere: refuse it
        raise ValueError
    return parsed


# (storage type, JSON -> Python, what the column needs), checked in this order.
_FROM_JSON = (
    (types.Boolean, _to_bool, "harus berupa ya/tidak (true/false)"),
    (types.Integer, _to_int, "harus berupa bilangan bulat"),
    (types.DateTime, _to_datetime, "harus berupa waktu ISO 8601 dengan zona waktu"),
    (types.Date, _to_date, "harus berupa tanggal YYYY-MM-DD"),
    (types.String, _to_text, "harus berupa teks"),
)


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    nullable: bool
    default: Any  # scalar default, None, or _REQUIRED
    from_json: Callable[[Any], Any]
    expected: str  # the rule, for the rejection reason
    bind: Callable[[Any], Any] | None  # SQLAlchemy's processor for this column, if any
    result: Callable[[Any], Any] | None

    def to_db(self, value):
        if value is None:
            if not self.nullable:
                raise RowDataError(f"kolom {self.name} wajib diisi")
            return None
        try:
            value = self.from_json(value)
        except (ValueError, TypeError):
            raise RowDataError(f"kolom {self.name}: {self.expected}") from None
        return self.bind(value) if self.bind else value


def _column_info(column) -> ColumnInfo:
    storage = column.type.impl if isinstance(column.type, types.TypeDecorator) else column.type
    found = next(((f, e) for t, f, e in _FROM_JSON if isinstance(storage, t)), None)
    if found is None:  # a new column type: decide its JSON form before syncing it
        raise TypeError(f"{column.table.name}.{column.name}: unsupported type {column.type!r}")
    impl = column.type.dialect_impl(_DIALECT)
    default = column.default
    if default is not None and default.is_scalar:
        fallback = default.arg
    else:  # callable defaults (ids, timestamps) are never invented for another install's row
        fallback = None if column.nullable else _REQUIRED
    return ColumnInfo(column.name, bool(column.nullable), fallback, *found,
                      impl.bind_processor(_DIALECT), impl.result_processor(_DIALECT, None))


@dataclass(frozen=True)
class TableInfo:
    name: str
    columns: tuple[ColumnInfo, ...]
    parents: tuple[tuple[str, str], ...]  # (column, referenced table), referencing its id
    upsert_sql: str
    version_sql: str
    image_sql: str

    def params(self, data: dict, hlc: int, origin: str) -> tuple:
        """Values to store, in column order. Unknown keys are ignored (another schema version
        is converted before the merge); a missing column takes its default or is refused."""
        out = []
        for col in self.columns:
            if col.name == "version_hlc":
                out.append(hlc)
            elif col.name == "version_origin":
                out.append(origin)
            elif col.name in data:
                out.append(col.to_db(data[col.name]))
            elif col.default is _REQUIRED:
                raise RowDataError(f"kolom {col.name} tidak ada dalam data")
            else:
                out.append(col.to_db(col.default))
        return tuple(out)

    def missing_parent(self, cur: sqlite3.Cursor, data: dict, row_id: str) -> str | None:
        """"table:id" of the first referenced record that is not here yet, else None."""
        for column, parent in self.parents:
            parent_id = data.get(column)
            if parent_id is None or (parent == self.name and parent_id == row_id):
                continue
            if cur.execute(f'SELECT 1 FROM "{parent}" WHERE id = ?', (parent_id,)).fetchone() \
                    is None:
                return f"{parent}:{parent_id}"
        return None

    def read_version(self, cur: sqlite3.Cursor, row_id: str) -> tuple[int, str, bool] | None:
        row = cur.execute(self.version_sql, (row_id,)).fetchone()
        return None if row is None else (row[0], row[1], row[2] is not None)

    def read_image(self, cur: sqlite3.Cursor, row_id: str) -> dict | None:
        """The stored row as change capture would have imaged it (Python values)."""
        row = cur.execute(self.image_sql, (row_id,)).fetchone()
        if row is None:
            return None
        return {c.name: (c.result(v) if c.result and v is not None else v)
                for c, v in zip(self.columns, row)}

    def write(self, cur: sqlite3.Cursor, params: tuple) -> None:
        cur.execute(self.upsert_sql, params)


def _quote(name: str) -> str:
    return f'"{name}"'


@lru_cache(maxsize=None)
def table_info(name: str) -> TableInfo | None:
    """What the merge needs to know about a synced table; None for any other name."""
    if name not in SYNCED_NAMES:
        return None
    table = SQLModel.metadata.tables[name]
    names = [c.name for c in table.columns]
    cols = ", ".join(map(_quote, names))
    marks = ", ".join("?" for _ in names)
    updates = ", ".join(f"{_quote(n)} = excluded.{_quote(n)}" for n in names if n != "id")
    parents = tuple(sorted((fk.parent.name, fk.column.table.name) for fk in table.foreign_keys))
    return TableInfo(
        name=name,
        columns=tuple(_column_info(c) for c in table.columns),
        parents=parents,
        upsert_sql=(f"INSERT INTO {_quote(name)} ({cols}) VALUES ({marks}) "
                    f"ON CONFLICT(id) DO UPDATE SET {updates}"),
        version_sql=f"SELECT version_hlc, version_origin, deleted_at FROM {_quote(name)} "
                    "WHERE id = ?",
        image_sql=f"SELECT {cols} FROM {_quote(name)} WHERE id = ?",
    )


def row_exists(cur: sqlite3.Cursor, ref: str) -> bool:
    """Whether "table:id" (a parked operation's parent) is here now."""
    table, _, row_id = ref.partition(":")
    if table not in SYNCED_NAMES:
        return False
    return cur.execute(f'SELECT 1 FROM "{table}" WHERE id = ?', (row_id,)).fetchone() is not None


def db_now() -> str:
    """utc_now() as SQLAlchemy stores a UTCDateTime, for the bookkeeping rows written raw."""
    return _NOW_BIND(utc_now())


_NOW_BIND = SQLModel.metadata.tables["received_op"].c.received_at.type.dialect_impl(
    _DIALECT).bind_processor(_DIALECT)
