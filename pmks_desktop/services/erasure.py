"""Permanent erasure of a person under UU PDP (Undang-Undang Pelindungan Data Pribadi).

What is removed and what is kept is decided in sync/purge.py. Here: who may erase (an
administrator, ERASE), the plan shown before anyone confirms, the confirmation itself, and the
"purge" operation in the change log that carries the erasure to the Dinas Sosial (from an
office) or to the office that owns the person (from the hub). Once committed, the write-ahead
log is checkpointed and truncated, so the old pages do not linger beside the database.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import text

from pmks_desktop.domain.roles import ERASE
from pmks_desktop.services.conflict_fields import TABLE_LABELS
from pmks_desktop.services.errors import NotFound, ServiceError
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.changelog import canonical_json, hlc_next, read_node, write_node
from pmks_desktop.storage.database import Database, raw_cursor
from pmks_desktop.storage.models import ChangeLog, Person
from pmks_desktop.storage.schema import BUNDLE_SCHEMA
from pmks_desktop.services.erasure_marks import after_erasures, recorded, to_reapply
from pmks_desktop.sync.purge import PURGE, Erasure, erase, erased_keys, rows_of

CONFIRMATION = "HAPUS PERMANEN"  # typed by the administrator, so it is never a slip
MIN_REASON = 10


@dataclass(frozen=True)
class ErasurePlan:
    person_id: str
    name: str
    nik: str | None
    rows: tuple[tuple[str, int], ...]  # (what, how many) removed besides the person itself
    merged: int  # other records of the same human merged into this one, erased with it
    letters: int  # issued letters about the person: kept in the register (archive)
    families_headed: tuple[str, ...]  # KK numbers left without a head
    backups: int = 0  # database copies in backup/ (made before upgrades): out of reach


class ErasureService:
    def __init__(self, db: Database, session: UserSession):
        self._db, self._session = db, session

    def plan(self, person_id: str) -> ErasurePlan:
        self._session.require(ERASE)
        with self._db.read() as s:
            person = s.get(Person, person_id)
            if person is None or person.merged_into_id:
                raise NotFound("Data orang tidak ditemukan (mungkin sudah dihapus atau "
                               "digabungkan ke data lain).")
            found = rows_of(raw_cursor(s), person_id)
            letters = s.connection().execute(text(
                "SELECT COUNT(*) FROM letter WHERE subject_id IN (SELECT value FROM "
                "json_each(:ids))"), {"ids": canonical_json(
                    found["person"] + found["pmks_case"] + found["register_entry"])}).scalar()
            heads = s.connection().execute(text(
                "SELECT COALESCE(no_kk, '-') FROM household WHERE head_person_id IN (SELECT "
                "value FROM json_each(:ids)) ORDER BY no_kk"),
                {"ids": canonical_json(found["person"])}).scalars().all()
        rows = tuple((TABLE_LABELS.get(t, t), len(ids)) for t, ids in found.items()
                     if t != "person" and ids)
        backups = sum(1 for _ in self._db.paths.backups.glob("*")) \
            if self._db.paths.backups.is_dir() else 0
        return ErasurePlan(person_id, person.name, person.nik, rows,
                           len(found["person"]) - 1, letters, tuple(heads), backups)

    def erase(self, person_id: str, *, reason: str, confirmation: str) -> dict[str, int]:
        """Erase the person now and for good; returns the rows removed per table."""
        actor = self._session.require(ERASE)
        reason = " ".join(reason.split())
        if len(reason) < MIN_REASON:
            raise ServiceError("Tuliskan dasar penghapusan (misalnya permintaan tertulis subjek "
                               f"data tanggal ...), sekurang-kurangnya {MIN_REASON} huruf.")
        if confirmation.strip() != CONFIRMATION:
            raise ServiceError(f"Ketik {CONFIRMATION} (huruf besar) untuk mengonfirmasi "
                               "penghapusan permanen.")
        with self._db.write(actor.user_id) as s:
            person = s.get(Person, person_id)
            if person is None or person.merged_into_id:
                raise NotFound("Data orang tidak ditemukan (mungkin sudah dihapus).")
            erasure, removed = _erase_and_log(s, person_id, actor.user_id, actor.username,
                                              reason)
        after_erasures(self._db, [erasure])
        return removed

    def reapply_recorded(self) -> int:
        """At start-up: erase again whoever `penghapusan.json` lists and the database does not
        (a backup from before the erasure was restored). Returns how many."""
        root = self._db.paths.root
        if not recorded(root):
            return 0
        own = self._db.node_state()[0]
        with self._db.write() as s:
            pending = to_reapply(root, {p for t, p in erased_keys(raw_cursor(s)) if t == "person"})
            for e in pending:
                if e.origin == own:  # ours: the original operation may not have been sent
                    _erase_and_log(s, e.person_id, None, e.by, e.reason)
                else:
                    erase(raw_cursor(s), e)
                    append_audit(s, action="erase", entity="person", entity_id=e.person_id,
                                 detail={"reason": e.reason}, username=e.by)
        after_erasures(self._db, pending)  # (already remembered: the file is where they came from)
        return len(pending)


def _erase_and_log(s, person_id: str, user_id: str | None, username: str,
                   reason: str) -> tuple[Erasure, dict[str, int]]:
    """Erase here and write the purge operation that carries the erasure on, in `s`."""
    s.flush()
    node = read_node(s)
    node.seq += 1
    node.hlc = hlc_next(node.hlc, int(time.time() * 1000))
    now = datetime.now(timezone.utc)
    erasure = Erasure(person_id, now.isoformat(), node.origin, username, reason)
    s.expunge_all()  # rows are removed below the ORM's back: forget the loaded ones
    removed = erase(raw_cursor(s), erasure)
    s.add(ChangeLog(origin=node.origin, epoch=node.epoch, seq=node.seq, table_name="person",
                    row_id=person_id, op=PURGE, hlc=node.hlc, schema_version=BUNDLE_SCHEMA,
                    user_id=user_id, data=canonical_json(erasure.data()), created_at=now))
    write_node(s, node)
    append_audit(s, action="erase", entity="person", entity_id=person_id,
                 detail={"reason": reason, "rows": removed}, user_id=user_id,
                 username=username)
    return erasure, removed

