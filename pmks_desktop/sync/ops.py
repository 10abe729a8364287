"""One operation = one change_log row as it travels in a bundle (a JSON line).

    {"origin", "epoch", "seq", "table_name", "row_id", "op", "hlc", "base_hlc", "base_origin",
     "schema_version", "user_id", "data": {after-image}, "created_at"}

plus "also_seen": [[hlc, origin], ...] on the rare version that resolves sync conflicts (the
losers it saw besides its base: sync/history.py). The key is left out when empty, so every
other line is byte for byte what it was before the key existed.

Lines are canonical JSON (sorted keys, no spaces, UTF-8), so the same operation always gives
the same bytes: bundle hashes and signatures are reproducible. A line that is not a well-formed
operation raises OpFormatError with an Indonesian reason; the merge turns that into a "ditolak"
outcome instead of stopping the import.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Iterator

import orjson

from pmks_desktop.storage.changelog import canonical_json
from pmks_desktop.storage.models import ChangeLog

# "purge" erases a person; "purged" is a change whose image an erasure emptied (sync/purge.py).
OP_KINDS = frozenset({"insert", "update", "delete", "restore", "purge", "purged"})
MAX_INT64 = 2**63 - 1  # SQLite INTEGER; a larger clock value could not be stored
MAX_LINE_BYTES = 4 * 1024 * 1024  # one record's image; larger lines are refused unread
MAX_ALSO_SEEN = 64  # conflicts one version resolves; a record never has that many open

Key = tuple[str, str, int]  # (origin, epoch, seq)


class OpFormatError(ValueError):
    """A line or dict that is not a well-formed operation. `key` is what could be read of
    (origin, epoch, seq), or None, so the rejection can still be acknowledged to the sender."""

    def __init__(self, reason: str, key: Key | None = None):
        super().__init__(reason)
        self.reason = reason
        self.key = key


def _iso_utc(value: datetime) -> str:
    if value.tzinfo is None:  # SQLite hands back naive values; they are stored as UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat()


def op_from_changelog(row: ChangeLog) -> dict:
    """The exported form of one change_log row (data parsed back into a dict)."""
    op = {
        "origin": row.origin, "epoch": row.epoch, "seq": row.seq,
        "table_name": row.table_name, "row_id": row.row_id, "op": row.op,
        "hlc": row.hlc, "base_hlc": row.base_hlc, "base_origin": row.base_origin,
        "schema_version": row.schema_version, "user_id": row.user_id,
        "data": orjson.loads(row.data), "created_at": _iso_utc(row.created_at),
    }
    if row.also_seen:
        op["also_seen"] = orjson.loads(row.also_seen)
    return op


def op_to_line(op: dict) -> bytes:
    """Canonical JSON plus a newline terminator."""
    return canonical_json(op).encode("utf-8") + b"\n"


def op_from_line(line: bytes | str) -> dict:
    """Parse and check one line; raises OpFormatError (never anything else) when malformed."""
    if len(line) > MAX_LINE_BYTES:
        raise OpFormatError("baris perubahan terlalu besar")
    try:
        # orjson reads the bytes as they are (and checks them as UTF-8) about 3x faster than
        # json.loads: this parse is a large share of an import.
        op = orjson.loads(line)
    except orjson.JSONDecodeError:  # also nesting deeper than 1024 and integers over 64 bits
        if isinstance(line, bytes):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                raise OpFormatError("baris perubahan bukan teks UTF-8") from None
        raise OpFormatError("baris perubahan bukan JSON yang sah") from None
    if not isinstance(op, dict):
        raise OpFormatError("baris perubahan bukan objek JSON")
    problem = op_problem(op)
    if problem:
        raise OpFormatError(problem, op_key(op))
    return op


def read_lines(lines: Iterable[bytes]) -> Iterator[dict | OpFormatError]:
    """Each non-blank line as an operation, or the OpFormatError saying why it is not one (the
    merge rejects those in their place and goes on)."""
    for line in lines:
        if not line or line.isspace():  # (isspace, unlike strip, copies nothing)
            continue
        try:
            yield op_from_line(line)
        except OpFormatError as exc:
            yield exc


def op_key(op: dict) -> Key | None:
    """(origin, epoch, seq) when those three are readable, else None."""
    origin, epoch, seq = op.get("origin"), op.get("epoch"), op.get("seq")
    if (isinstance(origin, str) and 0 < len(origin) <= 64 and isinstance(epoch, str)
            and 0 < len(epoch) <= 16 and _is_int(seq) and 0 < seq <= MAX_INT64):
        return origin, epoch, seq
    return None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value, max_len: int, optional: bool = False) -> bool:
    if value is None:
        return optional
    return isinstance(value, str) and 0 < len(value) <= max_len


_FIELD_CHECKS = (
    # (field, check, reason when it fails) - reasons name the field for the import report
    ("table_name", lambda v: _text(v, 40), "nama tabel tidak ada"),
    ("row_id", lambda v: _text(v, 36), "id rekaman tidak ada atau terlalu panjang"),
    ("op", lambda v: isinstance(v, str) and v in OP_KINDS, "jenis perubahan tidak dikenal"),
    ("hlc", lambda v: _is_int(v) and 0 < v <= MAX_INT64, "versi (hlc) tidak sah"),
    ("base_hlc", lambda v: v is None or (_is_int(v) and 0 <= v <= MAX_INT64),
     "versi dasar (base_hlc) tidak sah"),
    ("base_origin", lambda v: _text(v, 64, optional=True), "asal versi dasar tidak sah"),
    ("schema_version", lambda v: _text(v, 20), "versi skema tidak ada"),
    ("user_id", lambda v: _text(v, 36, optional=True), "id pengguna tidak sah"),
    ("data", lambda v: isinstance(v, dict), "isi rekaman (data) bukan objek"),
    ("created_at", lambda v: _text(v, 40), "waktu perubahan tidak ada"),
)


def op_problem(op: dict) -> str | None:
    """The first thing wrong with the shape of `op` (Indonesian), or None when well formed.

    Only the envelope is checked here; the record image is checked column by column against
    the table when it is applied (storage differs per table)."""
    # This runs for every operation of an import, and the table of checks below cost as much
    # as the JSON parse. An operation as exporters write it (exact str and int values, a
    # consistent base) passes one inline test that implies every check of _first_problem;
    # anything else goes through those checks in order, so the reason reported is always the
    # first failing one.
    get, kind_of, text, integer = op.get, type, str, int
    origin, epoch, seq, hlc = get("origin"), get("epoch"), get("seq"), get("hlc")
    table, row_id, schema, created = (get("table_name"), get("row_id"),
                                      get("schema_version"), get("created_at"))
    kind, user_id, data = get("op"), get("user_id"), get("data")
    base_hlc, base_origin = get("base_hlc"), get("base_origin")
    if (kind_of(origin) is text and 0 < len(origin) <= 64 and kind_of(epoch) is text
            and 0 < len(epoch) <= 16 and kind_of(seq) is integer and 0 < seq <= MAX_INT64
            and kind_of(table) is text and 0 < len(table) <= 40
            and kind_of(row_id) is text and 0 < len(row_id) <= 36
            and kind_of(kind) is text and kind in OP_KINDS
            and kind_of(hlc) is integer and 0 < hlc <= MAX_INT64
            and kind_of(schema) is text and 0 < len(schema) <= 20
            and (user_id is None or (kind_of(user_id) is text and 0 < len(user_id) <= 36))
            and kind_of(data) is dict and kind_of(created) is text and 0 < len(created) <= 40
            and ((base_hlc is None and base_origin is None and "base_hlc" in op
                  and "base_origin" in op)
                 or (kind_of(base_hlc) is integer and 0 <= base_hlc <= MAX_INT64
                     and kind_of(base_origin) is text and 0 < len(base_origin) <= 64))
            and data.get("id") == row_id and data.get("version_hlc", hlc) == hlc
            and data.get("version_origin", origin) == origin and "also_seen" not in op):
        return None
    return _first_problem(op)


def _first_problem(op: dict) -> str | None:
    """op_problem, check by check in order."""
    if op_key(op) is None:
        return "asal, epoch atau nomor urut perubahan tidak sah"
    for name, check, reason in _FIELD_CHECKS:
        if not check(op.get(name)):
            return reason
    # Both keys are always written (null for a first version); a line without them was not
    # written by an exporter, and the merge reads them.
    if "base_hlc" not in op or "base_origin" not in op or \
            (op["base_hlc"] is None) != (op["base_origin"] is None):
        return "versi dasar tidak lengkap"
    data = op["data"]
    if data.get("id") != op["row_id"]:
        return "id dalam data tidak sama dengan id rekaman"
    # The image carries its own version; a mismatch means the line was put together by hand.
    if data.get("version_hlc", op["hlc"]) != op["hlc"] or \
            data.get("version_origin", op["origin"]) != op["origin"]:
        return "versi dalam data tidak sama dengan versi perubahan"
    if "also_seen" in op and not _stamps(op["also_seen"]):
        return "daftar versi yang diselesaikan (also_seen) tidak sah"
    return None


def _stamps(value) -> bool:
    """A non-empty list of at most MAX_ALSO_SEEN [hlc, origin] pairs."""
    return isinstance(value, list) and 0 < len(value) <= MAX_ALSO_SEEN and all(
        isinstance(pair, list) and len(pair) == 2 and _is_int(pair[0])
        and 0 < pair[0] <= MAX_INT64 and _text(pair[1], 64) for pair in value)
