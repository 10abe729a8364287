"""Append-only, hash-chained audit trail.

Each entry's hash covers the previous entry's hash and its own fields, so removing, reordering
or editing any entry breaks the chain from that point on; `verify_chain` names the first broken
link. Triggers in the schema refuse UPDATE and DELETE on audit_log. Entries are appended inside
the caller's write transaction (BEGIN IMMEDIATE), so two writers cannot fork the chain.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import text
from sqlalchemy.orm import Session

from pmks_desktop.storage.changelog import canonical_json

GENESIS_HASH = "0" * 64

# Actions recorded; the UI and reports translate them.
ACTIONS = ("create", "update", "delete", "restore", "view", "print", "export", "import",
           "login", "login_failed", "logout", "status", "setup", "user", "merge", "void",
           "erase")  # erase: a person removed for good under UU PDP (services/erasure.py)


def _entry_hash(prev_hash: str, fields: dict) -> str:
    payload = prev_hash + "\n" + canonical_json(fields)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _fields(at, user_id, username, action, entity, entity_id, detail_json) -> dict:
    return {"at": at, "user_id": user_id, "username": username, "action": action,
            "entity": entity, "entity_id": entity_id, "detail": detail_json}


def append_audit(session: Session, *, action: str, entity: str, entity_id: str | None = None,
                 detail: dict | None = None, user_id: str | None = None,
                 username: str | None = None) -> str:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    conn = session.connection()
    last = conn.execute(text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")).scalar()
    prev_hash = last or GENESIS_HASH
    at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    fields = _fields(at, user_id, username, action, entity, entity_id,
                     canonical_json(detail or {}))
    entry_hash = _entry_hash(prev_hash, fields)
    conn.execute(
        text("INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, detail,"
             " prev_hash, hash) VALUES (:at, :user_id, :username, :action, :entity, :entity_id,"
             " :detail, :prev_hash, :hash)"),
        {**fields, "prev_hash": prev_hash, "hash": entry_hash},
    )
    return entry_hash


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""

    def message(self) -> str:
        if self.ok:
            return f"Jejak audit utuh ({self.checked} catatan diperiksa)."
        return (f"Jejak audit rusak mulai catatan nomor {self.first_broken_id}: {self.reason}")


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain in id order; report the first entry whose link or hash does not hold."""
    prev_hash, last_id, checked = GENESIS_HASH, 0, 0
    conn = session.connection()
    while True:
        rows = conn.execute(
            text("SELECT id, at, user_id, username, action, entity, entity_id, detail,"
                 " prev_hash, hash FROM audit_log WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last_id, "n": batch},
        ).all()
        if not rows:
            return ChainReport(True, checked)
        for row in rows:
            if row.prev_hash != prev_hash:
                return ChainReport(False, checked, row.id,
                                   "tautan ke catatan sebelumnya tidak cocok "
                                   "(ada catatan yang dihapus atau disisipkan)")
            fields = _fields(row.at, row.user_id, row.username, row.action, row.entity,
                             row.entity_id, row.detail)
            if _entry_hash(prev_hash, fields) != row.hash:
                return ChainReport(False, checked, row.id, "isi catatan telah diubah")
            prev_hash, last_id, checked = row.hash, row.id, checked + 1
