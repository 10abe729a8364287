"""Enrolment: an office and the Dinas Sosial learn each other's public keys, in person.

The office exports an enrolment file (its node id, office, public keys, signed with its own
signing key to prove it holds the private half) and prints an enrolment sheet with the
fingerprints and a QR code for the Camat to sign. At the hub an administrator imports the file,
compares the fingerprints on screen with the paper, and enrols the office. The hub's own keys
travel back in the first bundle it writes for that office (see services/sync_receipts.py).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlmodel import select

from pmks_desktop.domain.roles import MANAGE_OFFICE
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.models import NodeKey, SyncPeer, TrustedKey
from pmks_desktop.sync import keys

FORMAT = "pmks-enrolmen/1"


@dataclass(frozen=True)
class Enrolment:
    node_id: str
    role: str  # office | hub
    office_code: str
    office_name: str
    kabupaten_code: str
    sign_key_id: str
    sign_key: str
    box_key_id: str
    box_key: str
    created_at: str

    @property
    def fingerprints(self) -> tuple[str, str]:
        return keys.grouped(self.sign_key_id), keys.grouped(self.box_key_id)


def _canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def office_identity(office) -> tuple[str, str, str]:
    """(role, office code, office name) of this install."""
    if office.mode == "kecamatan":
        return "office", office.kecamatan_code, f"Kecamatan {office.kecamatan_name.title()}"
    return "hub", office.kabupaten_code, f"Dinas Sosial {office.kabupaten_name.title()}"


def parse_enrolment(path: Path) -> Enrolment:
    """The file's content, checked: format, fingerprints, and its self-signature."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        signature = keys.unb64(data.pop("signature"))
        if data.pop("format") != FORMAT:
            raise ValueError("format")
        enrolment = Enrolment(**{k: data[k] for k in Enrolment.__dataclass_fields__})
        sign_key, box_key = keys.unb64(enrolment.sign_key), keys.unb64(enrolment.box_key)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise ServiceError(f"Berkas {Path(path).name} bukan berkas enrolmen PMKS Desktop yang "
                           "utuh.") from None
    if (keys.fingerprint(sign_key), keys.fingerprint(box_key)) != \
            (enrolment.sign_key_id, enrolment.box_key_id):
        raise ServiceError(f"Berkas enrolmen {Path(path).name} rusak: sidik kunci tidak cocok.")
    if not keys.verify(sign_key, _canonical({**data, "format": FORMAT}), signature):
        raise ServiceError(f"Berkas enrolmen {Path(path).name} tidak sah: tanda tangannya tidak "
                           "cocok (berkas diubah).")
    return enrolment


class EnrolmentService:
    def __init__(self, db, session, office, keyring):
        self._db, self._session, self._office, self._keyring = db, session, office, keyring

    def own(self) -> Enrolment:
        office = self._office.office()
        role, code, name = office_identity(office)
        current = {k.purpose: k for k in self._keyring.own_keys() if k.retired_at is None}
        return Enrolment(self._db.node_state()[0], role, code, name, office.kabupaten_code,
                         current["sign"].key_id, current["sign"].public_key,
                         current["box"].key_id, current["box"].public_key,
                         datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def export_file(self, target: Path) -> Path:
        """The enrolment file, signed with this install's signing key."""
        actor = self._session.require(MANAGE_OFFICE)
        enrolment = self.own()
        data = {**enrolment.__dict__, "format": FORMAT}
        _key_id, seed = self._keyring.signing_key()
        data["signature"] = keys.b64(keys.sign(seed, _canonical(data)))
        tmp = target.with_name(target.name + ".partial")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
        with self._db.write(actor.user_id) as s:
            append_audit(s, action="export", entity="enrolment", detail={"file": target.name},
                         user_id=actor.user_id, username=actor.username)
        return target

    def enrol(self, path: Path, *, expected_role: str = "office") -> Enrolment:
        """Trust another install (at the hub: an office PC). Refuses a known node whose keys
        changed: a new key must be announced by the old one, or the node revoked first."""
        actor = self._session.require(MANAGE_OFFICE)
        enrolment = parse_enrolment(path)
        me = self.own()
        if enrolment.role != expected_role:
            raise ServiceError("Berkas ini berasal dari Dinas Sosial, bukan dari kantor "
                               "kecamatan." if enrolment.role == "hub" else
                               "Berkas ini berasal dari kantor kecamatan, bukan Dinas Sosial.")
        if enrolment.kabupaten_code != me.kabupaten_code:
            raise ServiceError(f"{enrolment.office_name} bukan bagian dari kabupaten/kota ini "
                               f"(kode {enrolment.kabupaten_code}).")
        if enrolment.node_id == me.node_id:
            raise ServiceError("Berkas ini adalah berkas enrolmen komputer ini sendiri.")
        with self._db.write(actor.user_id) as s:
            self._store(s, enrolment, actor)
        return enrolment

    @staticmethod
    def _store(s, e: Enrolment, actor) -> None:
        peer = s.get(SyncPeer, e.node_id)
        if peer is not None and peer.revoked_at is None and \
                (peer.sign_key_id, peer.box_key_id) != (e.sign_key_id, e.box_key_id):
            raise ServiceError(f"{peer.office_name} sudah terdaftar dengan kunci lain. Kunci "
                               "baru harus diumumkan lewat kiriman yang ditandatangani kunci "
                               "lama, atau cabut pendaftaran lama terlebih dahulu.")
        peer = peer or SyncPeer(node_id=e.node_id, role=e.role, office_code=e.office_code,
                                office_name=e.office_name, sign_key_id="", sign_key="",
                                box_key_id="", box_key="")
        peer.sign_key_id, peer.sign_key = e.sign_key_id, e.sign_key
        peer.box_key_id, peer.box_key = e.box_key_id, e.box_key
        peer.office_name, peer.revoked_at, peer.enrolled_by = e.office_name, None, actor.user_id
        s.add(peer)
        if s.get(TrustedKey, e.sign_key_id) is None:  # its letters verify here from now on
            s.add(TrustedKey(key_id=e.sign_key_id, office_code=e.office_code,
                             office_name=e.office_name, purpose="sign", public_key=e.sign_key,
                             added_by=actor.user_id))
        append_audit(s, action="setup", entity="sync_peer", entity_id=e.node_id,
                     detail={"enrol": e.office_name, "sign": e.sign_key_id, "box": e.box_key_id},
                     user_id=actor.user_id, username=actor.username)

    def peers(self) -> list[SyncPeer]:
        with self._db.read() as s:
            return list(s.exec(select(SyncPeer).order_by(SyncPeer.office_code)))

    def revoke(self, node_id: str, reason: str) -> None:
        actor = self._session.require(MANAGE_OFFICE)
        with self._db.write(actor.user_id) as s:
            peer = s.get(SyncPeer, node_id)
            if peer is None:
                raise ServiceError("Komputer itu tidak terdaftar.")
            peer.revoked_at, peer.revoked_reason = datetime.now(timezone.utc), reason
            trusted = s.get(TrustedKey, peer.sign_key_id)
            if trusted is not None:
                trusted.revoked_at = peer.revoked_at
            append_audit(s, action="setup", entity="sync_peer", entity_id=node_id,
                         detail={"revoke": peer.office_name, "reason": reason},
                         user_id=actor.user_id, username=actor.username)

    def box_private(self) -> dict[str, bytes]:
        """This install's encryption private keys by key id (unlocked by the session)."""
        secret = self._session.keyring_secret
        if secret is None:
            raise ServiceError("Kunci kantor belum terbuka untuk akun Anda; masuk kembali.")
        with self._db.read() as s:
            rows = s.exec(select(NodeKey).where(NodeKey.purpose == "box")).all()
        return {r.key_id: keys.open_private(secret, keys.unb64(r.sealed_private)) for r in rows}
