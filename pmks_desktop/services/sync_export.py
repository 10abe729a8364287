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
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from pmks_desktop.domain.roles import EXPORT
from pmks_desktop.services.errors import OperationCancelled, ServiceError
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.models import BundleRecord, ChangeLog, PeerAck, SyncPeer
from pmks_desktop.storage.schema import SCHEMA_HEAD
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

    def _pending_query(self, s, hub_node: str):
        """This install's change-log rows not acknowledged by the hub, per epoch."""
        node = self._db.node_state()[0]
        acks = {(a.epoch): a for a in s.exec(select(PeerAck).where(
            PeerAck.peer_node == hub_node, PeerAck.origin == node))}
        rows = s.exec(select(ChangeLog).where(ChangeLog.origin == node)
                      .order_by(ChangeLog.epoch, ChangeLog.seq))
        for row in rows:
            ack = acks.get(row.epoch)
            if ack is None:
                yield row
                continue
            extra = json.loads(ack.extra_ranges)
            if row.seq > ack.contiguous_seq and not any(a <= row.seq <= b for a, b in extra):
                yield row

    def plan(self) -> ExportPlan:
        self._session.require(EXPORT)
        with self._db.read() as s:
            hub = _hub(s)
            if hub is None:
                return ExportPlan(None, 0)
            counts = Counter(TABLE_LABELS.get(r.table_name, r.table_name)
                             for r in self._pending_query(s, hub.node_id))
        return ExportPlan(hub, sum(counts.values()), counts)

    def export(self, folder: Path, *, progress=None, cancelled=None) -> list[WrittenBundle]:
        """Writes the bundles; nothing is recorded unless every part was written and verified."""
        actor = self._session.require(EXPORT)
        folder = Path(folder)
        if not folder.is_dir():
            raise ServiceError(f"Folder {folder} tidak ditemukan. Pasang flashdisk lalu pilih "
                               "foldernya.")
        with self._db.read() as s:
            hub = _hub(s)
            if hub is None:
                raise ServiceError("Kantor ini belum menerima kiriman pertama Dinas Sosial "
                                   "(kunci Dinas). Lakukan enrolmen, lalu impor kiriman balasan "
                                   "Dinas Sosial terlebih dahulu.")
            ops = [op_from_changelog(r) for r in self._pending_query(s, hub.node_id)]
        if not ops:
            return []
        key_id, seed = self._keyring.signing_key()
        written = self._write_parts(folder, hub, ops, key_id, seed, progress, cancelled)
        with self._db.write(actor.user_id) as s:
            for bundle, (ranges, part_ops) in written:
                s.add(BundleRecord(bundle_id=bundle.bundle_id, direction="out", kind="changes",
                                   peer_node=hub.node_id, ranges=json.dumps(ranges),
                                   op_count=len(part_ops), file_name=bundle.path.name,
                                   status="terkirim"))
            append_audit(s, action="export", entity="bundle",
                         detail={"bundles": [b.path.name for b, _ in written],
                                 "ops": len(ops)}, user_id=actor.user_id,
                         username=actor.username)
        return [bundle for bundle, _ in written]

    def _write_parts(self, folder, hub, ops, key_id, seed, progress, cancelled):
        office = self._office.office()
        code = office.kecamatan_code or office.kabupaten_code
        recipients = [Recipient(hub.box_key_id, keys.unb64(hub.box_key))]
        if hub.escrow_key:
            recipients.append(Recipient(hub.escrow_key_id, keys.unb64(hub.escrow_key)))
        parts = -(-len(ops) // PART_SIZE)
        outbox = self._db.paths.root / OUTBOX
        outbox.mkdir(exist_ok=True)
        public = keys.unb64(next(k.public_key for k in self._keyring.own_keys()
                                 if k.key_id == key_id))
        written = []
        for part in range(1, parts + 1):
            if cancelled is not None and cancelled():
                self._remove(written)
                raise OperationCancelled("Pengiriman dibatalkan; berkas yang sudah ditulis "
                                         "dihapus lagi.")
            chunk = ops[(part - 1) * PART_SIZE: part * PART_SIZE]
            ranges = ranges_of((o["origin"], o["epoch"], o["seq"]) for o in chunk)
            counts = Counter(o["table_name"] for o in chunk)
            header, data = build_bundle(
                kind="changes", schema=SCHEMA_HEAD, sender_node=self._db.node_state()[0],
                sender_office=code, sign_key_id=key_id, sign_seed=seed, recipients=recipients,
                members={"ops.jsonl": b"".join(op_to_line(o) for o in chunk),
                         "ringkasan.json": json.dumps(counts, sort_keys=True).encode()},
                to_node=hub.node_id, ranges=ranges, op_count=len(chunk), part=part,
                parts=parts, extra={"counts": dict(counts)})
            name = bundle_file_name(code, "changes", datetime.now(), header.bundle_id, part,
                                    parts)
            path = write_bundle_file(folder, name, data, sender_public_key=public)
            shutil.copyfile(path, outbox / name)  # kept until the hub acknowledges it
            written.append((WrittenBundle(path, header.bundle_id, len(chunk), part, parts),
                            ([list(r) for r in ranges], chunk)))
            if progress is not None:
                progress(part, parts)
        return written

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


def _covered(ranges: dict[str, list[tuple[int, int]]], epoch: str, seq: int) -> bool:
    return any(a <= seq <= b for a, b in ranges.get(epoch, ()))
