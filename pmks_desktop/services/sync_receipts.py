"""Hub → office bundles: a signed receipt per office (what arrived, up to which sequence, what
was refused and why) that also carries the hub's public keys.

The office's very first bundle from the hub is how it learns those keys: it is opened with the
office's own encryption key, the hub's signing key inside must match the key id in the signed
header, and a person confirms the fingerprint against the paper from the Dinas Sosial before
the hub is trusted (trust on first use, checked by eye, as SYNC.md's enrolment says).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from pmks_desktop.domain.roles import MANAGE_OFFICE
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.sync_export import OUTBOX
from pmks_desktop.services.escrow import current_escrow
from pmks_desktop.services.keyring import announced_box_key
from pmks_desktop.services.form_overrides import save_reference_files
from pmks_desktop.services.sync_hub_ops import hub_ops_for
from pmks_desktop.services.sync_import import SyncImport
from pmks_desktop.services.sync_reference import apply_reference, reference_for, write_templates
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.models import BundleRecord, PeerAck, SyncPeer
from pmks_desktop.storage.schema import BUNDLE_SCHEMA
from pmks_desktop.sync import keys
from pmks_desktop.sync.bundle import (BundleError, Recipient, addressed_to_us, build_bundle,
                                      bundle_file_name, check_signature, open_bundle,
                                      read_header, write_bundle_file)
from pmks_desktop.services.erasure_marks import after_erasures
from pmks_desktop.sync.merge import apply_lines
from pmks_desktop.sync.vector import received_vector


class SyncReceipts:
    def __init__(self, db, session, office, keyring, enrolment):
        self._db, self._session, self._office = db, session, office
        self._keyring, self._enrolment = keyring, enrolment

    # ------------------------------------------------------------- at the hub

    def _receipt(self, s, peer: SyncPeer) -> dict:
        me = self._enrolment.own()
        acks = [{"epoch": epoch, "contiguous": contiguous, "extra": [list(r) for r in extra]}
                for (origin, epoch), (contiguous, extra) in received_vector(s).items()
                if origin == peer.node_id]
        rejected = [{"epoch": e, "seq": q, "reason": r} for e, q, r in s.connection().execute(
            text("SELECT epoch, seq, reason FROM received_op WHERE origin = :o AND "
                 "outcome = 'rejected' ORDER BY epoch, seq"), {"o": peer.node_id})]
        escrow = current_escrow(self._db)
        hub = {**me.__dict__, "escrow_key_id": escrow.key_id if escrow else None,
               "escrow_key": escrow.public_key if escrow else None}
        return {"hub": hub, "office_node": peer.node_id, "acks": acks,
                "rejected": rejected, "reference": reference_for(self._db, s, peer),
                "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}

    def write_receipts(self, folder: Path, node_ids: list[str] | None = None) -> list[Path]:
        """One receipt for each enrolled office PC (or the ones given)."""
        actor = self._session.require(MANAGE_OFFICE)
        key_id, seed = self._keyring.signing_key()
        public = keys.unb64(next(k.public_key for k in self._keyring.own_keys()
                                 if k.key_id == key_id))
        me = self._enrolment.own()
        written = []
        with self._db.read() as s:
            peers = s.exec(select(SyncPeer).where(SyncPeer.role == "office",
                                                  SyncPeer.revoked_at == None)).all()  # noqa
            receipts = [(p, self._receipt(s, p), hub_ops_for(s, me.node_id, p.node_id))
                        for p in peers if node_ids is None or p.node_id in node_ids]
        for peer, receipt, ops in receipts:
            header, data = build_bundle(
                kind="receipt", schema=BUNDLE_SCHEMA, sender_node=me.node_id,
                sender_office=me.office_code, sign_key_id=key_id, sign_seed=seed,
                recipients=[Recipient(peer.box_key_id, keys.unb64(peer.box_key))],
                members={"receipt.json": json.dumps(receipt, ensure_ascii=False).encode(),
                         "ops.jsonl": ops},
                to_node=peer.node_id, extra={"office": peer.office_code})
            name = bundle_file_name(peer.office_code, "receipt", datetime.now(),
                                    header.bundle_id, 1, 1)
            written.append(write_bundle_file(Path(folder), name, data, sender_public_key=public))
        with self._db.write(actor.user_id) as s:
            append_audit(s, action="export", entity="bundle",
                         detail={"receipts": [p.name for p in written]},
                         user_id=actor.user_id, username=actor.username)
        return written

    # ------------------------------------------------------------- at the office

    def read_receipt(self, path: Path) -> tuple[dict, str]:
        """Opens and checks a receipt; returns (content, grouped fingerprint of the hub's
        signing key) so the first one can be compared with the paper before trusting it."""
        path = Path(path)
        importer = SyncImport(self._db, self._session, self._enrolment)
        try:
            data = path.read_bytes()
            header, header_raw, signature = read_header(data)
            if header.kind != "receipt":
                raise ServiceError("Berkas ini bukan tanda terima dari Dinas Sosial.")
            mine = self._enrolment.box_private()
            addressed_to_us(header, mine)
            contents = open_bundle(data, header, mine)
            receipt = json.loads(contents.read("receipt.json"))
            # The hub's changes to this office's records (absent in receipts from older
            # versions), applied with the receipt.
            receipt["_ops"] = contents.read("ops.jsonl") if "ops.jsonl" in contents.names() \
                else b""
            receipt["_bundle_id"] = header.bundle_id
            hub_key = keys.unb64(receipt["hub"]["sign_key"])
            if keys.fingerprint(hub_key) != header.sender_key_id:
                raise BundleError("signature", "Kunci Dinas Sosial di dalam tanda terima tidak "
                                               "cocok dengan tanda tangannya.")
            check_signature(header_raw, signature, self._known_hub_key(header) or hub_key)
        except BundleError as exc:
            raise importer._reject(path, exc.message, exc.code) from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise importer._reject(path, f"Tanda terima {path.name} rusak ({exc}).",
                                   "receipt") from None
        return receipt, keys.grouped(header.sender_key_id)

    def _known_hub_key(self, header) -> bytes | None:
        with self._db.read() as s:
            hub = s.exec(select(SyncPeer).where(SyncPeer.role == "hub")).first()
        if hub is None:
            return None
        if hub.revoked_at is not None or hub.sign_key_id != header.sender_key_id:
            raise BundleError("unknown_sender", "Tanda terima ini ditandatangani kunci yang "
                                                "bukan kunci Dinas Sosial yang dikenal.")
        return keys.unb64(hub.sign_key)

    def import_receipt(self, path: Path, *, confirmed_fingerprint: str | None = None) -> dict:
        """Marks what the hub received; the first receipt also enrols the hub, but only with
        the fingerprint the person read off the Dinas Sosial's paper."""
        actor = self._session.require(MANAGE_OFFICE)
        receipt, fingerprint = self.read_receipt(path)
        node = self._db.node_state()[0]  # read before the write transaction takes the lock
        if receipt.get("office_node") != node:
            raise ServiceError("Tanda terima ini untuk komputer lain.")
        with self._db.write(actor.user_id) as s:
            hub = s.exec(select(SyncPeer).where(SyncPeer.role == "hub")).first()
            if hub is None:
                if (confirmed_fingerprint or "").replace(" ", "").upper() != \
                        fingerprint.replace(" ", ""):
                    raise ServiceError(f"Cocokkan dulu sidik kunci Dinas Sosial {fingerprint} "
                                       "dengan lembar enrolmen dari Dinas Sosial.")
                hub = self._enrol_hub(s, receipt["hub"], actor)
            box = announced_box_key({"key_id": receipt["hub"].get("box_key_id"),
                                     "public_key": receipt["hub"].get("box_key")})
            if box is not None:  # the hub may have replaced its encryption key
                hub.box_key_id, hub.box_key = box
            # The escrow key may be created or replaced later: every receipt carries it.
            escrow_id = receipt["hub"].get("escrow_key_id")
            escrow = receipt["hub"].get("escrow_key")
            if escrow_id and escrow and keys.fingerprint(keys.unb64(escrow)) == escrow_id:
                hub.escrow_key_id, hub.escrow_key = escrow_id, escrow
            acknowledged = self._apply_acks(s, hub, node, receipt)
            applied = apply_reference(s, self._office.office(), receipt.get("reference") or {})
            merged = apply_lines(s, receipt.pop("_ops").splitlines(keepends=True),
                                 bundle_id=receipt.pop("_bundle_id"))
            applied["hub_changes"] = merged.total("diperbarui") + merged.total("konflik")
            applied["erased"] = len(merged.erasures)
            append_audit(s, action="import", entity="bundle", detail={
                "receipt_from": hub.office_name, "acknowledged": acknowledged, **applied},
                user_id=actor.user_id, username=actor.username)
        after_erasures(self._db, merged.erasures)
        reference = receipt.get("reference") or {}
        applied["templates"] = write_templates(self._db.paths.root, reference)
        applied["forms"] = save_reference_files(self._db.paths.root, reference.get("forms") or {})
        receipt["applied"] = {**applied, "acknowledged": acknowledged}
        return receipt

    @staticmethod
    def _enrol_hub(s, data: dict, actor) -> SyncPeer:
        hub = SyncPeer(node_id=data["node_id"], role="hub", office_code=data["office_code"],
                       office_name=data["office_name"], sign_key_id=data["sign_key_id"],
                       sign_key=data["sign_key"], box_key_id=data["box_key_id"],
                       box_key=data["box_key"], enrolled_by=actor.user_id)
        s.add(hub)
        s.flush()
        return hub

    def _apply_acks(self, s, hub: SyncPeer, node: str, receipt: dict) -> list[str]:
        for ack in receipt.get("acks", []):
            row = s.get(PeerAck, (hub.node_id, node, ack["epoch"])) or PeerAck(
                peer_node=hub.node_id, origin=node, epoch=ack["epoch"])
            row.contiguous_seq = max(row.contiguous_seq, int(ack["contiguous"]))
            row.extra_ranges = json.dumps(ack.get("extra", []))
            row.rejected = json.dumps([r for r in receipt.get("rejected", [])
                                       if r["epoch"] == ack["epoch"]])
            row.updated_at = datetime.now(timezone.utc)
            s.add(row)
        s.flush()
        return self._settle_outbox(s, hub, receipt)

    def _settle_outbox(self, s, hub, receipt) -> list[str]:
        """Bundles whose every range is acknowledged: marked, and their local copy removed."""
        covered = {a["epoch"]: [(1, a["contiguous"]), *map(tuple, a.get("extra", []))]
                   for a in receipt.get("acks", [])}
        done = []
        for record in s.exec(select(BundleRecord).where(BundleRecord.direction == "out",
                                                        BundleRecord.status == "terkirim")):
            ranges = json.loads(record.ranges)
            if all(any(a <= first and last <= b for a, b in covered.get(epoch, ()))
                   for _o, epoch, first, last in ranges):
                record.status = "diakui"
                (self._db.paths.root / OUTBOX / record.file_name).unlink(missing_ok=True)
                done.append(record.file_name)
        return done
