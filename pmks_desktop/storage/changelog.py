"""Change capture for synced tables (see shared SYNC.md).

A `before_flush` hook on write sessions turns every insert, update and soft delete of a
`SyncedRecord` into a `change_log` row in the same transaction: origin node and epoch, a gap-free
sequence number, the new version from the persisted hybrid logical clock, the version the user
started from (base), the schema version, the user and the canonical JSON after-image.
Hard deletes of synced rows are refused: records go to the trash (a soft delete that syncs).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session

from pmks_desktop.storage.models import ChangeLog, SyncedRecord, utc_now
from pmks_desktop.storage.schema import BUNDLE_SCHEMA

HLC_COUNTER_BITS = 16
ALSO_SEEN = "also_seen"  # session.info key, see _capture


def hlc_physical_ms(hlc: int) -> int:
    return hlc >> HLC_COUNTER_BITS


def hlc_next(last: int, now_ms: int) -> int:
    """Next clock value: wall-clock milliseconds when they moved on, else last + 1."""
    candidate = now_ms << HLC_COUNTER_BITS
    return candidate if candidate > last else last + 1


def _json_default(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite hands back naive values; they are stored as UTC
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def canonical_json(data: dict) -> str:
    """Sorted keys, no spaces, UTF-8 text: the same record always gives the same bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_json_default)


def row_image(obj: SyncedRecord) -> dict:
    mapper = inspect(obj).mapper
    return {attr.key: getattr(obj, attr.key) for attr in mapper.column_attrs}


@dataclass
class _NodeCursor:
    origin: str
    epoch: str
    seq: int
    hlc: int


def read_node(session: Session) -> _NodeCursor:
    row = session.connection().execute(
        text("SELECT node_id, epoch, last_seq, hlc FROM node_state WHERE id = 1")
    ).one()
    return _NodeCursor(*row)


def write_node(session: Session, node: _NodeCursor) -> None:
    session.connection().execute(
        text("UPDATE node_state SET last_seq = :seq, hlc = :hlc WHERE id = 1"),
        {"seq": node.seq, "hlc": node.hlc},
    )


def _operation(session: Session, obj: SyncedRecord) -> str | None:
    if obj in session.new:
        return "insert"
    if not session.is_modified(obj, include_collections=False):
        return None
    history = inspect(obj).attrs.deleted_at.history
    if history.has_changes():
        return "delete" if obj.deleted_at is not None else "restore"
    return "update"


def _capture(session: Session, _flush_context, _instances) -> None:
    changed = [(obj, op) for obj in list(session.new) + list(session.dirty)
               if isinstance(obj, SyncedRecord) and (op := _operation(session, obj))]
    for obj in session.deleted:
        if isinstance(obj, SyncedRecord):
            raise PermissionError(
                f"Data {type(obj).__tablename__} tidak boleh dihapus permanen; pindahkan ke sampah.")
    if not changed:
        return
    node = read_node(session)
    user_id = session.info.get("user_id")
    # (table, row id) -> [[hlc, origin], ...]: versions a change saw besides its base, set by
    # whoever makes it (resolving a sync conflict: services/conflicts.py).
    also_seen = session.info.get(ALSO_SEEN, {})
    now = utc_now()
    for obj, op in changed:
        node.seq += 1
        node.hlc = hlc_next(node.hlc, int(time.time() * 1000))
        base_hlc, base_origin = (None, None) if op == "insert" else (obj.version_hlc,
                                                                     obj.version_origin)
        obj.version_hlc = node.hlc
        obj.version_origin = node.origin
        if op == "insert":
            obj.created_by = obj.created_by or user_id
            obj.updated_by = obj.updated_by or user_id
        else:
            obj.updated_at = now
            obj.updated_by = user_id
        session.add(ChangeLog(
            origin=node.origin, epoch=node.epoch, seq=node.seq,
            table_name=type(obj).__tablename__, row_id=obj.id, op=op,
            hlc=node.hlc, base_hlc=base_hlc, base_origin=base_origin,
            schema_version=BUNDLE_SCHEMA, user_id=user_id,
            data=canonical_json(row_image(obj)), created_at=now,
            also_seen=_also_seen(also_seen.pop((type(obj).__tablename__, obj.id), None)),
        ))
    write_node(session, node)


def _also_seen(stamps) -> str | None:
    return canonical_json(sorted([int(h), str(o)] for h, o in stamps)) if stamps else None


def install_change_capture(session: Session) -> None:
    event.listen(session, "before_flush", _capture)


def bulk_change_rows(node: _NodeCursor, table_name: str, rows: list[dict], user_id: str | None,
                     now: datetime) -> list[dict]:
    """Change-log rows for a bulk insert (demo data, imports) that bypasses the ORM for speed.

    The caller sets version_hlc/version_origin on `rows` through this function and writes both
    lists with executemany in one transaction, then stores `node` back.
    """
    out = []
    for row in rows:
        node.seq += 1
        node.hlc = hlc_next(node.hlc, int(time.time() * 1000))
        row["version_hlc"], row["version_origin"] = node.hlc, node.origin
        out.append({
            "origin": node.origin, "epoch": node.epoch, "seq": node.seq,
            "table_name": table_name, "row_id": row["id"], "op": "insert",
            "hlc": node.hlc, "base_hlc": None, "base_origin": None,
            "schema_version": BUNDLE_SCHEMA, "user_id": user_id,
            "data": canonical_json(row), "created_at": now,
        })
    return out

