"""Import of bundles (changes at the hub; receipts at an office).

Every check of SYNC.md runs before anything is written, in this order: size, magic and header,
sender enrolled and not revoked, addressed to us, signature, length and hash, decryption,
manifest and member hashes, size caps, bundle not seen before, schema supported. A failed
bundle is copied to `karantina/` with a text file giving the reason, and nothing else happens.
A good one is applied in one transaction (all of it, or none: a killed import leaves the
database as it was, and importing the file again then works) and a report is saved.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path


from pmks_desktop.domain.roles import MANAGE_OFFICE
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.services.keyring import announced_box_key, check_rotation
from pmks_desktop.storage.models import BundleRecord, SyncPeer, TrustedKey
from pmks_desktop.storage.schema import SCHEMA_REVISIONS
from pmks_desktop.sync import keys
from pmks_desktop.sync.bundle import (MAX_FILE, BundleError, addressed_to_us, check_signature,
                                      open_bundle, read_header, unknown_sender)
from pmks_desktop.services.erasure_marks import after_erasures
from pmks_desktop.sync.merge import OUTCOMES, MergeResult, apply_lines
from pmks_desktop.sync.upgrade import upgraded_lines
from pmks_desktop.sync.vector import bundle_gaps

QUARANTINE = "karantina"
REPORTS = "laporan-sinkron"


class BundleRejected(ServiceError):
    """A bundle that failed a check: nothing was written; the file is in quarantine."""

    def __init__(self, message: str, code: str, quarantined: Path | None = None):
        super().__init__(message)
        self.code, self.quarantined = code, quarantined


@dataclass
class Preview:
    """What importing a bundle would do, computed in a transaction that is rolled back."""

    path: Path
    bundle_id: str
    kind: str
    office: str
    op_count: int
    result: MergeResult
    gaps: list[str] = field(default_factory=list)
    already_imported: bool = False

    def table_rows(self) -> list[tuple[str, dict[str, int]]]:
        tables = sorted({t for t, _o in self.result.counts})
        return [(t, {o: self.result.counts.get((t, o), 0) for o in OUTCOMES}) for t in tables]


class _Opened:
    def __init__(self, header, contents, peer):
        self.header, self.contents, self.peer = header, contents, peer


class SyncImport:
    def __init__(self, db, session, enrolment):
        self._db, self._session, self._enrolment = db, session, enrolment

    # ------------------------------------------------------------- checks

    def _open(self, path: Path) -> _Opened:
        path = Path(path)
        try:
            if path.stat().st_size > MAX_FILE:
                raise BundleError("too_large", f"Berkas {path.name} terlalu besar untuk sebuah "
                                               "kiriman.")
            data = path.read_bytes()
            header, header_raw, signature = read_header(data)
            peer = self._sender(header)
            mine = self._enrolment.box_private()
            addressed_to_us(header, mine)
            check_signature(header_raw, signature, keys.unb64(peer.sign_key))
            contents = open_bundle(data, header, mine)
        except BundleError as exc:
            raise self._reject(path, exc.message, exc.code) from None
        except OSError as exc:
            raise ServiceError(f"Berkas {path.name} tidak dapat dibaca: {exc.strerror}.") \
                from None
        self._check_schema(path, header)
        return _Opened(header, contents, peer)

    def _sender(self, header) -> SyncPeer:
        with self._db.read() as s:
            peer = s.get(SyncPeer, header.sender_node)
        if peer is not None and peer.sign_key_id != header.sender_key_id:
            peer = self._rotated(peer, header)
        if peer is None:
            raise unknown_sender(header)
        if peer.revoked_at is not None:
            raise BundleError("revoked", f"Pendaftaran {peer.office_name} sudah dicabut "
                                         f"({peer.revoked_reason or 'tanpa alasan'}); kirimannya "
                                         "tidak diterima.")
        return peer

    @staticmethod
    def _rotated(peer: SyncPeer, header) -> SyncPeer | None:
        """A sender that replaced its signing key: the header must carry the announcement
        signed by the key we know. The peer returned holds the new key (saved on apply)."""
        cert = (header.extra or {}).get("rotation")
        if not isinstance(cert, dict):
            return None
        try:
            new_key = check_rotation(cert, keys.unb64(peer.sign_key), peer.sign_key_id,
                                     header.sender_key_id)
        except ServiceError:
            return None
        rotated = SyncPeer(**peer.model_dump())
        rotated.sign_key_id, rotated.sign_key = header.sender_key_id, keys.b64(new_key)
        return rotated

    def _check_schema(self, path: Path, header) -> None:
        if header.schema not in SCHEMA_REVISIONS:
            raise self._reject(path, f"Kiriman ini dibuat oleh versi aplikasi yang lebih baru "
                                     f"(skema {header.schema}). Perbarui aplikasi PMKS Desktop "
                                     "ke versi terbaru, lalu impor berkas ini lagi.", "schema")

    def _reject(self, path: Path, message: str, code: str) -> BundleRejected:
        folder = self._db.paths.root / QUARANTINE
        folder.mkdir(exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"{stamp}-{path.name}"
        try:
            shutil.copyfile(path, target)
            target.with_name(target.name + ".alasan.txt").write_text(
                f"{path}\n{message}\n", encoding="utf-8")
        except OSError:
            target = None
        return BundleRejected(message, code, target)

    def _seen(self, bundle_id: str) -> bool:
        with self._db.read() as s:
            record = s.get(BundleRecord, bundle_id)
        return record is not None and record.direction == "in" and record.status == "diterima"

    # ------------------------------------------------------------- preview and apply

    def preview(self, path: Path) -> Preview:
        self._session.require(MANAGE_OFFICE)
        opened = self._open(path)
        header = opened.header
        preview = Preview(Path(path), header.bundle_id, header.kind, opened.peer.office_name,
                          header.op_count, MergeResult(),
                          already_imported=self._seen(header.bundle_id))
        if header.kind != "changes":
            return preview
        with self._db.write() as s:
            preview.gaps = self._gaps(s, header, opened.peer)
            preview.result = apply_lines(s, _ops(opened), bundle_id=header.bundle_id)
            s.rollback()  # a preview writes nothing
        return preview

    @staticmethod
    def _gaps(s, header, peer) -> list[str]:
        messages = []
        for gap in bundle_gaps(s, header.ranges):
            missing = ", ".join(f"{a}–{b}" for a, b in gap.missing)
            messages.append(f"Kiriman berisi perubahan {gap.bundle_first}–{gap.bundle_last} dari "
                            f"{peer.office_name}; {missing} belum diterima.")
        return messages

    def apply(self, path: Path) -> Preview:
        """Imports one changes bundle; the same bundle again changes nothing and says so."""
        actor = self._session.require(MANAGE_OFFICE)
        opened = self._open(path)
        header, peer = opened.header, opened.peer
        if header.kind != "changes":
            raise ServiceError("Berkas ini adalah tanda terima, bukan kiriman perubahan.")
        done = Preview(Path(path), header.bundle_id, header.kind, peer.office_name,
                       header.op_count, MergeResult(),
                       already_imported=self._seen(header.bundle_id))
        if done.already_imported:
            return done
        with self._db.write(actor.user_id) as s:
            done.gaps = self._gaps(s, header, peer)
            done.result = apply_lines(s, _ops(opened), bundle_id=header.bundle_id)
            report = _report(done)
            s.merge(BundleRecord(bundle_id=header.bundle_id, direction="in", kind=header.kind,
                                 peer_node=peer.node_id, ranges=json.dumps(header.ranges),
                                 op_count=header.op_count, file_name=Path(path).name,
                                 sha256=header.payload_sha256, status="diterima",
                                 report=json.dumps(report, ensure_ascii=False)))
            live = s.get(SyncPeer, peer.node_id)
            live.last_bundle_at = datetime.now(timezone.utc)
            box = announced_box_key((header.extra or {}).get("box_key"))
            if box is not None and box[0] != live.box_key_id:  # a new encryption key
                live.box_key_id, live.box_key = box
            if live.sign_key_id != peer.sign_key_id:  # an announced new signing key
                live.sign_key_id, live.sign_key = peer.sign_key_id, peer.sign_key
                s.merge(TrustedKey(key_id=peer.sign_key_id, office_code=peer.office_code,
                                   office_name=peer.office_name, purpose="sign",
                                   public_key=peer.sign_key, added_by=actor.user_id))
            append_audit(s, action="import", entity="bundle", entity_id=header.bundle_id,
                         detail={"from": peer.office_name, "ops": header.op_count,
                                 "file": Path(path).name}, user_id=actor.user_id,
                         username=actor.username)
        after_erasures(self._db, done.result.erasures)
        self._save_report(header.bundle_id, report)
        return done

    def _save_report(self, bundle_id: str, report: dict) -> Path:
        folder = self._db.paths.root / REPORTS
        folder.mkdir(exist_ok=True)
        path = folder / f"impor-{datetime.now():%Y%m%d-%H%M%S}-{bundle_id[:8]}.json"
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        return path


def _ops(opened: _Opened):
    """The bundle's operations, upgraded from the sender's schema to ours."""
    return upgraded_lines(opened.contents.lines("ops.jsonl"), opened.header.schema)


def _report(done: Preview) -> dict:
    return {"bundle": done.bundle_id, "from": done.office, "ops": done.op_count,
            "imported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "per_table": {t: c for t, c in done.table_rows()}, "gaps": done.gaps,
            "rejected": [{"origin": o, "epoch": e, "seq": q, "reason": r}
                         for o, e, q, r in done.result.rejected]}
