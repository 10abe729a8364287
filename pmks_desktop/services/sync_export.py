"""Export at the kecamatan: every change of this install that the Dinas Sosial has not yet
acknowledged (not "since the last export": a lost stick heals with the next one), in bundles of
at most PART_SIZE operations, each written safely to the chosen drive and read back before it is
called safe to remove; a local copy stays in `kiriman/` until acknowledged.
"""
from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from pmks_desktop.domain.roles import EXPORT
from pmks_desktop.services.errors import OperationCancelled, ServiceError
from pmks_desktop.services.keyring import rotation_certificate
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.models import BundleRecord, ChangeLog, PeerAck, SyncPeer
from pmks_desktop.storage.schema import BUNDLE_SCHEMA
from pmks_desktop.sync import keys
from pmks_desktop.sync.bundle import (Recipient, build_bundle, bundle_file_name,
                                      write_bundle_file)
from pmks_desktop.sync.ops import op_from_changelog, op_to_line
from pmks_desktop.sync.vector import ranges_of

PART_SIZE = 20_000
OUTBOX = "kiriman"
TABLE_LABELS = {"person": "Data orang", "household": "Keluarga (KK)",
                "household_member": "Anggota keluarga", "pmks_case": "Kasus PMKS",
                "register_entry": "Data register", "register_member": "Anggota kelompok",
                "person_merge": "Penggabungan data ganda", "letter": "Surat keluar",
                "letter_event": "Riwayat surat"}
# This install's change-log rows the hub has not acknowledged: per epoch, above the contiguous
# mark and in none of the extra ranges (peer_ack.extra_ranges, JSON [[first, last], ...]).
# Counting, grouping and streaming share this one filter, so plan, header and bundles agree.
_PENDING = (
    "FROM change_log c LEFT JOIN peer_ack a ON a.peer_node = :hub AND a.origin = c.origin "
    "AND a.epoch = c.epoch "
    "WHERE c.origin = :node AND (a.epoch IS NULL OR (c.seq > a.contiguous_seq AND ("
    "a.extra_ranges = '[]' OR NOT EXISTS (SELECT 1 FROM json_each(a.extra_ranges) r "
    "WHERE c.seq BETWEEN json_extract(r.value, '$[0]') AND json_extract(r.value, '$[1]')))))")
_OP_COLUMNS = ("c.origin, c.epoch, c.seq, c.table_name, c.row_id, c.op, c.hlc, c.base_hlc, "
               "c.base_origin, c.schema_version, c.user_id, c.data, c.created_at, "
               "c.also_seen")


@dataclass
class ExportPlan:
    hub: SyncPeer | None
    op_count: int
    by_table: Counter = field(default_factory=Counter)  # label -> count (no personal data)

    @property
    def parts(self) -> int:
        return -(-self.op_count // PART_SIZE)


@dataclass(frozen=True)
class WrittenBundle:
    path: Path
    bundle_id: str
    op_count: int
    part: int
    parts: int


def _hub(s) -> SyncPeer | None:
    return s.exec(select(SyncPeer).where(SyncPeer.role == "hub",
                                         SyncPeer.revoked_at == None)).first()  # noqa: E711


class SyncExport:
    def __init__(self, db, session, office, keyring):
        self._db, self._session, self._office, self._keyring = db, session, office, keyring

    def _pending(self, s, hub_node: str, sql):
        """Runs `sql` (text over the _PENDING filter) for this install's rows and the hub."""
        sql = text(sql) if isinstance(sql, str) else sql
        return s.connection().execute(sql, {"hub": hub_node, "node": self._db.node_state()[0]})

    def _pending_count(self, s, hub_node: str) -> int:
        return self._pending(s, hub_node, f"SELECT count(*) {_PENDING}").scalar_one()

    def _pending_ops(self, s, hub_node: str):
        """Pending rows as exported ops in (epoch, seq) order, one at a time: the cursor is
        read lazily and builds no ORM objects, so no more than a part is ever held."""
        sql = text(f"SELECT {_OP_COLUMNS} {_PENDING} ORDER BY c.epoch, c.seq").columns(
            created_at=ChangeLog.__table__.c.created_at.type)  # the same datetime as the ORM's
        return (op_from_changelog(row) for row in self._pending(s, hub_node, sql))

    def plan(self) -> ExportPlan:
        self._session.require(EXPORT)
        with self._db.read() as s:
            hub = _hub(s)
            if hub is None:
                return ExportPlan(None, 0)
            counts = Counter()
            for table, n in self._pending(s, hub.node_id, f"SELECT c.table_name, count(*) "
                                                          f"{_PENDING} GROUP BY c.table_name"):
                counts[TABLE_LABELS.get(table, table)] += n
        return ExportPlan(hub, sum(counts.values()), counts)

    def export(self, folder: Path, *, progress=None, cancelled=None) -> list[WrittenBundle]:
        """Writes the bundles; nothing is recorded unless every part was written and verified."""
        actor = self._session.require(EXPORT)
        folder = Path(folder)
        if not folder.is_dir():
            raise ServiceError(f"Folder {folder} tidak ditemukan. Pasang flashdisk lalu pilih "
                               "foldernya.")
        # One read transaction: the count (parts=N in every header) and the rows streamed part
        # by part come from the same snapshot, whatever is saved meanwhile.
        with self._db.read() as s:
            hub = _hub(s)
            if hub is None:
                raise ServiceError("Kantor ini belum menerima kiriman pertama Dinas Sosial "
                                   "(kunci Dinas). Lakukan enrolmen, lalu impor kiriman balasan "
                                   "Dinas Sosial terlebih dahulu.")
            total = self._pending_count(s, hub.node_id)
            if not total:
                return []
            key_id, seed = self._keyring.signing_key()
            written = self._write_parts(folder, hub, self._pending_ops(s, hub.node_id), total,
                                        key_id, seed, progress, cancelled)
        with self._db.write(actor.user_id) as s:
            for bundle, ranges in written:
                s.add(BundleRecord(bundle_id=bundle.bundle_id, direction="out", kind="changes",
                                   peer_node=hub.node_id, ranges=json.dumps(ranges),
                                   op_count=bundle.op_count, file_name=bundle.path.name,
                                   status="terkirim"))
            append_audit(s, action="export", entity="bundle",
                         detail={"bundles": [b.path.name for b, _ in written],
                                 "ops": total}, user_id=actor.user_id,
                         username=actor.username)
        return [bundle for bundle, _ in written]

    def _write_parts(self, folder, hub, ops, total, key_id, seed, progress, cancelled):
        """Parts of at most PART_SIZE ops taken from the `ops` stream: one part in memory."""
        office = self._office.office()
        code = office.kecamatan_code or office.kabupaten_code
        recipients = [Recipient(hub.box_key_id, keys.unb64(hub.box_key))]
        if hub.escrow_key:
            recipients.append(Recipient(hub.escrow_key_id, keys.unb64(hub.escrow_key)))
        parts = -(-total // PART_SIZE)
        outbox = self._db.paths.root / OUTBOX
        outbox.mkdir(exist_ok=True)
        public = keys.unb64(next(k.public_key for k in self._keyring.own_keys()
                                 if k.key_id == key_id))
        sender = self._db.node_state()[0]
        written = []
        for part in range(1, parts + 1):
            if cancelled is not None and cancelled():
                self._remove(written)
                raise OperationCancelled("Pengiriman dibatalkan; berkas yang sudah ditulis "
                                         "dihapus lagi.")
            jsonl, op_keys, counts = _take_part(ops)
            ranges = ranges_of(op_keys)
            header, data = build_bundle(
                kind="changes", schema=BUNDLE_SCHEMA, sender_node=sender,
                sender_office=code, sign_key_id=key_id, sign_seed=seed, recipients=recipients,
                members={"ops.jsonl": jsonl,
                         "ringkasan.json": json.dumps(counts, sort_keys=True).encode()},
                to_node=hub.node_id, ranges=ranges, op_count=len(op_keys), part=part,
                parts=parts, extra=self._extra(counts))
            del jsonl  # the bundle holds it now: at most one part's worth stays alive
            name = bundle_file_name(code, "changes", datetime.now(), header.bundle_id, part,
                                    parts)
            path = write_bundle_file(folder, name, data, sender_public_key=public)
            shutil.copyfile(path, outbox / name)  # kept until the hub acknowledges it
            written.append((WrittenBundle(path, header.bundle_id, len(op_keys), part, parts),
                            [list(r) for r in ranges]))
            if progress is not None:
                progress(part, parts)
        return written

    def _extra(self, counts) -> dict:
        """Counts (no personal data), and the announcement of a new signing key, signed by the
        old one, until the hub has it: the hub only trusts a key it knows or one announced."""
        extra = {"counts": dict(counts)}
        box = next(k for k in self._keyring.own_keys()
                   if k.purpose == "box" and k.retired_at is None)
        # The current encryption key, so the hub follows a replaced one.
        extra["box_key"] = {"key_id": box.key_id, "public_key": box.public_key}
        certificate = rotation_certificate(self._db)
        if certificate is not None:
            extra["rotation"] = certificate
        return extra

    @staticmethod
    def _remove(written) -> None:
        for bundle, _ in written:
            bundle.path.unlink(missing_ok=True)

    def record_states(self, table: str, row_ids: list[str]) -> dict[str, str]:
        """Sync state of records for the lists: belum dikirim / dalam perjalanan / diterima
        Dinas, from the record's last change and what was sent and acknowledged."""
        if not row_ids:
            return {}
        with self._db.read() as s:
            hub = _hub(s)
            last = dict(s.connection().execute(text(
                "SELECT row_id, MAX(seq) || ':' || epoch FROM change_log WHERE table_name = :t "
                "AND origin = :o AND row_id IN (" + ",".join(f":r{i}" for i in
                                                              range(len(row_ids))) + ") "
                "GROUP BY row_id"), {"t": table, "o": self._db.node_state()[0],
                                     **{f"r{i}": r for i, r in enumerate(row_ids)}}).all())
            sent = self._sent(s, hub)
            acked = self._acked(s, hub)
        states = {}
        for row_id, key in last.items():
            seq, epoch = int(key.split(":")[0]), key.split(":")[1]
            states[row_id] = ("diterima Dinas" if _covered(acked, epoch, seq) else
                              "dalam perjalanan" if _covered(sent, epoch, seq) else
                              "belum dikirim")
        return states

    @staticmethod
    def _sent(s, hub) -> dict[str, list[tuple[int, int]]]:
        out: dict[str, list] = {}
        if hub is None:
            return out
        for record in s.exec(select(BundleRecord).where(BundleRecord.direction == "out",
                                                        BundleRecord.peer_node == hub.node_id)):
            for _origin, epoch, first, last in json.loads(record.ranges):
                out.setdefault(epoch, []).append((first, last))
        return out

    @staticmethod
    def _acked(s, hub) -> dict[str, list[tuple[int, int]]]:
        out: dict[str, list] = {}
        if hub is None:
            return out
        for ack in s.exec(select(PeerAck).where(PeerAck.peer_node == hub.node_id)):
            out[ack.epoch] = [(1, ack.contiguous_seq), *map(tuple, json.loads(ack.extra_ranges))]
        return out


def _take_part(ops) -> tuple[bytes, list[tuple[str, str, int]], Counter]:
    """The next PART_SIZE ops of the stream: ops.jsonl bytes, their keys, counts per table."""
    lines, op_keys, counts = [], [], Counter()
    for o in islice(ops, PART_SIZE):
        lines.append(op_to_line(o))
        op_keys.append((o["origin"], o["epoch"], o["seq"]))
        counts[o["table_name"]] += 1
    return b"".join(lines), op_keys, counts


def _covered(ranges: dict[str, list[tuple[int, int]]], epoch: str, seq: int) -> bool:
    return any(a <= seq <= b for a, b in ranges.get(epoch, ()))
