"""Raw row writing for the merge: record images in, SQLite values out, and back.

Rows are written with plain SQL on the session's DBAPI connection, never through ORM objects:
the change-capture hook watches ORM objects, so a received change does not become a new local
change (it keeps its origin's version), and plain executes are ~15x faster than ORM adds.

Values are stored exactly as the bind processors SQLAlchemy uses for the same columns would
store them (JSON text -> date/datetime/bool -> processor), so a row applied from an after-image
is byte-identical to the row the ORM wrote at the origin (datetimes as 'YYYY-MM-DD
HH:MM:SS.ffffff' UTC, dates as 'YYYY-MM-DD', booleans as 0/1). An import converts millions of
values, so each column gets one precompiled converter (text as is, dates and datetimes straight
to their stored text); each is checked against SQLAlchemy's processor when the table is first
used, and a column whose processor stores anything else goes through the processor itself.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any, Callable

from sqlalchemy import types
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import SQLModel

from pmks_desktop.storage.models import SYNCED_TABLES
from pmks_desktop.storage.records import utc_now
from pmks_desktop.sync.row_plans import RowPlans

_DIALECT = sqlite_dialect.dialect()
_REQUIRED = object()  # no usable default: the image must carry the column
_ABSENT = object()  # the image has no such key
_TEXT = object()  # ColumnInfo.store of a text column: a str is stored as it is
# Stands for NULL among the parameters of a nullable column; upsert_sql turns it back with
# NULLIF. sqlite3 binds a None through an adapter lookup that costs several times an int, and
# rows carry many NULLs. No stored value equals it: integer columns refuse -2**63 (_to_int),
# booleans are 0/1, every other column holds text.
NULL_PARAM = -2**63
_NULLIF = f"NULLIF(?, {NULL_PARAM})"
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


def _store_bool(value):
    """_to_bool, then Boolean's processor (0/1: SQLite has no native boolean)."""
    if value is True:
        return 1
    if value is False:
        return 0
    raise ValueError


def _store_date(value):
    """_to_date, then DATE's processor ('%(year)04d-%(month)02d-%(day)02d' = isoformat)."""
    if value.__class__ is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        _fromisoformat_date(value)  # checks it is a real date
        return value  # YYYY-MM-DD, which fromisoformat reads literally: already the text
    return _to_date(value).isoformat()


def _store_datetime(value):
    """_to_datetime, then UTCDateTime's processors: to UTC, then DATETIME's text, which is
    isoformat with microseconds minus the offset. An out-of-range shift to UTC raises
    OverflowError here as it does in the processor."""
    if value.__class__ is str and len(value) == 32 and value[4:20:3] == "--T::." \
            and value[26:] == "+00:00":
        # As exporters write it (UTC, with microseconds): once fromisoformat accepts it (it
        # reads these digits literally, and the offset makes it aware), the stored text is
        # the same digits; formatting them again would cost four times the parse.
        _fromisoformat(value)
        return value[:10] + " " + value[11:26]
    return _to_datetime(value).astimezone(timezone.utc).isoformat(" ", "microseconds")[:26]


_fromisoformat = datetime.fromisoformat
_fromisoformat_date = date.fromisoformat


# from_json -> (fast converter, values it must store exactly as from_json + processor do)
_FAST = {
    _to_bool: (_store_bool, (True, False)),
    _to_date: (_store_date, ("2024-07-27", "0987-01-02", "2024-W30-6")),
    _to_datetime: (_store_datetime, ("2024-07-27T23:06:07.000008+07:00",
                                     "2024-07-27T05:06:07+00:00",
                                     "0999-12-31T23:59:59.000001+00:00",
                                     "2024-02-29T23:59:59-01:30")),
}


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    nullable: bool
    default: Any  # scalar default, None, or _REQUIRED
    from_json: Callable[[Any], Any]
    expected: str  # the rule, for the rejection reason
    bind: Callable[[Any], Any] | None  # SQLAlchemy's processor for this column, if any
    result: Callable[[Any], Any] | None
    # JSON value (not None) -> stored value, raising ValueError/TypeError when it does not fit;
    # _TEXT for text kept as is; None: to_db (the processor itself, or a version column).
    store: Any = None

    def to_db(self, value):
        if value is None:
            if not self.nullable:
                raise RowDataError(f"kolom {self.name} wajib diisi")
            return None
        try:
            value = self.from_json(value)
            # The processor can still fail: a time near year 1 or 9999 shifted to UTC overflows.
            return self.bind(value) if self.bind else value
        except (ValueError, TypeError, OverflowError):
            raise RowDataError(f"kolom {self.name}: {self.expected}") from None

    def value_from(self, data: dict, hlc: int, origin: str):
        """The stored value of this column for an image, the slow and complete way."""
        if self.name == "version_hlc":
            return hlc
        if self.name == "version_origin":
            return origin
        if self.name in data:
            return self.to_db(data[self.name])
        if self.default is _REQUIRED:
            raise RowDataError(f"kolom {self.name} tidak ada dalam data")
        return self.to_db(self.default)


def _store_for(column: ColumnInfo):
    """The fast converter of a column when it provably stores what to_db stores, else None."""
    if column.name in ("version_hlc", "version_origin"):
        return None
    if column.bind is None:
        return _TEXT if column.from_json is _to_text else column.from_json
    fast, samples = _FAST.get(column.from_json, (None, ()))
    if fast is None or any(fast(v) != column.bind(column.from_json(v)) for v in samples):
        return None
    return fast


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
    info = ColumnInfo(column.name, bool(column.nullable), fallback, *found,
                      impl.bind_processor(_DIALECT), impl.result_processor(_DIALECT, None))
    return replace(info, store=_store_for(info))


@dataclass(frozen=True)
class TableInfo:
    name: str
    columns: tuple[ColumnInfo, ...]
    parents: tuple[tuple[str, str], ...]  # (column, referenced table), referencing its id
    upsert_sql: str
    insert_sql: str  # the same row, only if its id is not here yet
    version_sql: str
    image_sql: str
    hlc_index: int  # positions of version_hlc, version_origin and deleted_at in params
    origin_index: int
    deleted_index: int
    plans: RowPlans = field(compare=False, repr=False)

    def params(self, data: dict, hlc: int, origin: str) -> list:
        """Values to store, in column order (NULL_PARAM for a null), for upsert_sql. Unknown
        keys are ignored (another schema version is converted before the merge); a missing
        column takes its default or is refused."""
        return self.plans.params(data, hlc, origin) or self._params_checked(data, hlc, origin)

    def _params_checked(self, data: dict, hlc: int, origin: str) -> list:
        """params, column by column, raising RowDataError with the column's reason."""
        out = []
        append = out.append
        for col in self.columns:
            value = data.get(col.name, _ABSENT)
            store = col.store
            # Most values are text or null: stored with no call at all.
            if value.__class__ is str and store is _TEXT:
                append(value)
            elif value is None and col.nullable and store is not None:
                append(NULL_PARAM)
            elif store is None or store is _TEXT or value is None or value is _ABSENT:
                value = col.value_from(data, hlc, origin)
                append(NULL_PARAM if value is None and col.nullable else value)
            else:
                try:
                    append(store(value))
                except (ValueError, TypeError, OverflowError):
                    raise RowDataError(f"kolom {col.name}: {col.expected}") from None
        return out

    def missing_parent(self, exists: Callable[[str, Any], bool], data: dict,
                       row_id: str) -> str | None:
        """"table:id" of the first referenced record that is not here yet, else None;
        `exists(table, id)` says whether a row is here (sync/prefetch.py)."""
        for column, parent in self.parents:
            parent_id = data.get(column)
            if parent_id is None or (parent == self.name and parent_id == row_id):
                continue
            if not exists(parent, parent_id):
                return f"{parent}:{parent_id}"
        return None

    def stored_version(self, params: tuple) -> tuple[int, str, bool]:
        """What read_version gives once `params` are written."""
        return (params[self.hlc_index], params[self.origin_index],
                params[self.deleted_index] != NULL_PARAM)

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

    def insert_new(self, cur: sqlite3.Cursor, params: tuple) -> bool:
        """Insert the row if its id is not here; False when it is (nothing written). A missing
        parent raises sqlite3.IntegrityError (FOREIGN KEY), as does a taken unique value."""
        return cur.execute(self.insert_sql, params).rowcount == 1


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
    marks = ", ".join(_NULLIF if c.nullable else "?" for c in table.columns)
    updates = ", ".join(f"{_quote(n)} = excluded.{_quote(n)}" for n in names if n != "id")
    parents = tuple(sorted((fk.parent.name, fk.column.table.name) for fk in table.foreign_keys))
    columns = tuple(_column_info(c) for c in table.columns)
    hlc_index, origin_index = names.index("version_hlc"), names.index("version_origin")
    return TableInfo(
        name=name,
        columns=columns,
        parents=parents,
        upsert_sql=(f"INSERT INTO {_quote(name)} ({cols}) VALUES ({marks}) "
                    f"ON CONFLICT(id) DO UPDATE SET {updates}"),
        insert_sql=(f"INSERT INTO {_quote(name)} ({cols}) VALUES ({marks}) "
                    "ON CONFLICT(id) DO NOTHING"),
        version_sql=f"SELECT version_hlc, version_origin, deleted_at FROM {_quote(name)} "
                    "WHERE id = ?",
        image_sql=f"SELECT {cols} FROM {_quote(name)} WHERE id = ?",
        hlc_index=hlc_index, origin_index=origin_index,
        deleted_index=names.index("deleted_at"),
        plans=RowPlans(columns, _TEXT, NULL_PARAM, hlc_index, origin_index, _REQUIRED),
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
