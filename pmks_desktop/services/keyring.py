"""This install's keys: created at set-up, opened at sign-in, granted to each user's password.

Each user's sign-in unwraps the keyring secret (KeyringSlot) and keeps it in the UserSession;
the private keys (NodeKey) are sealed under that secret. An administrator who creates a user or
resets a password grants the new password a slot, so every account of the office can sign
letters. A user without a slot (possible only for accounts made before keys existed) gets a
clear message instead of an unsigned letter.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import KeyringSlot, NodeKey, TrustedKey, utc_now
from pmks_desktop.sync import keys

LOCKED_MESSAGE = ("Kunci tanda tangan kantor belum terbuka untuk akun Anda. Minta administrator "
                  "mengatur ulang kata sandi Anda (Akun → Kelola Pengguna), lalu masuk kembali.")


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    purpose: str
    public: bytes
    office_code: str
    office_name: str
    own: bool
    retired_at: datetime | None = None
    revoked_at: datetime | None = None


def _slot_of(row: KeyringSlot) -> keys.WrappedSecret:
    return keys.WrappedSecret(keys.unb64(row.salt), row.opslimit, row.memlimit,
                              keys.unb64(row.wrapped))


def grant_slot(s, user_id: str, password: str, keyring_secret: bytes) -> None:
    """(Re)wraps the keyring secret for this user's password, inside the caller's transaction."""
    wrapped = keys.wrap_secret(keyring_secret, password)
    row = s.get(KeyringSlot, user_id) or KeyringSlot(user_id=user_id, salt="", opslimit=0,
                                                      memlimit=0, wrapped="")
    row.salt, row.wrapped = keys.b64(wrapped.salt), keys.b64(wrapped.wrapped)
    row.opslimit, row.memlimit, row.updated_at = wrapped.opslimit, wrapped.memlimit, utc_now()
    s.add(row)


def create_keyring(s, user_id: str, password: str) -> bytes:
    """New keyring secret, a signing and an encryption key pair, and the first user's slot."""
    keyring_secret = keys.new_secret()
    for purpose in keys.PURPOSES:
        pair = keys.generate(purpose)
        s.add(NodeKey(key_id=pair.key_id, purpose=purpose, public_key=keys.b64(pair.public),
                      sealed_private=keys.b64(keys.seal_private(keyring_secret, pair.private))))
    grant_slot(s, user_id, password, keyring_secret)
    return keyring_secret


def open_keyring(s, user_id: str, password: str) -> bytes | None:
    """At sign-in, after the password was verified. An install without keys (set up before
    keys existed) gets them now; a user without a slot gets None."""
    row = s.get(KeyringSlot, user_id)
    if row is not None:
        try:
            return keys.unwrap_secret(_slot_of(row), password)
        except keys.KeyUnavailable:
            return None  # the password hash was rehashed elsewhere; never block sign-in
    if s.exec(select(NodeKey.key_id).limit(1)).first() is None:
        return create_keyring(s, user_id, password)
    return None


class KeyringService:
    def __init__(self, db: Database, session: UserSession):
        self._db = db
        self._session = session

    def signing_key(self) -> tuple[str, bytes]:
        """(key id, Ed25519 seed) of the current signing key; needs an unlocked session."""
        secret = self._session.keyring_secret
        if secret is None:
            raise ServiceError(LOCKED_MESSAGE)
        with self._db.read() as s:
            row = s.exec(select(NodeKey).where(NodeKey.purpose == "sign",
                                               NodeKey.retired_at == None)  # noqa: E711
                         .order_by(NodeKey.created_at.desc())).first()
        if row is None:
            raise ServiceError(LOCKED_MESSAGE)
        try:
            return row.key_id, keys.open_private(secret, keys.unb64(row.sealed_private))
        except keys.KeyUnavailable as exc:
            raise ServiceError(str(exc)) from exc

    def own_keys(self) -> list[NodeKey]:
        with self._db.read() as s:
            return list(s.exec(select(NodeKey).order_by(NodeKey.created_at)))

    def verification_key(self, key_id: str) -> PublicKey | None:
        """A signing key by id: ours, or another office's that was imported."""
        with self._db.read() as s:
            own = s.get(NodeKey, key_id)
            if own is not None and own.purpose == "sign":
                return PublicKey(own.key_id, own.purpose, keys.unb64(own.public_key), "", "",
                                 True, own.retired_at)
            peer = s.get(TrustedKey, key_id)
        if peer is None or peer.purpose != "sign":
            return None
        return PublicKey(peer.key_id, peer.purpose, keys.unb64(peer.public_key),
                         peer.office_code, peer.office_name, False, None, peer.revoked_at)


ROTATION_KEY = "keys.rotation.sign"


def rotation_message(old_key_id: str, new_key_id: str, new_key: str) -> bytes:
    return "|".join(("PMKS-ROTASI1", "sign", old_key_id, new_key_id, new_key)).encode()


def rotate_signing_key(db, session) -> str:
    """A new signing key; the old one is retired (old letters still verify) and signs an
    announcement of the new one, which every later bundle carries until the hub has it."""
    from pmks_desktop.domain.roles import MANAGE_OFFICE
    from pmks_desktop.storage.audit import append_audit
    from pmks_desktop.storage.models import AppSetting

    actor = session.require(MANAGE_OFFICE)
    secret = session.keyring_secret
    if secret is None:
        raise ServiceError(LOCKED_MESSAGE)
    with db.write(actor.user_id) as s:
        old = s.exec(select(NodeKey).where(NodeKey.purpose == "sign",
                                           NodeKey.retired_at == None)  # noqa: E711
                     .order_by(NodeKey.created_at.desc())).first()
        old_seed = keys.open_private(secret, keys.unb64(old.sealed_private))
        pair = keys.generate("sign")
        s.add(NodeKey(key_id=pair.key_id, purpose="sign", public_key=keys.b64(pair.public),
                      sealed_private=keys.b64(keys.seal_private(secret, pair.private))))
        old.retired_at = utc_now()
        cert = {"old_key_id": old.key_id, "new_key_id": pair.key_id,
                "new_key": keys.b64(pair.public)}
        cert["signature"] = keys.b64(keys.sign(old_seed, rotation_message(**cert)))
        row = s.get(AppSetting, ROTATION_KEY) or AppSetting(key=ROTATION_KEY, value="")
        row.value = json.dumps(cert)
        s.add(row)
        append_audit(s, action="setup", entity="node_key", entity_id=pair.key_id,
                     detail={"rotate": old.key_id}, user_id=actor.user_id,
                     username=actor.username)
    return pair.key_id


def rotation_certificate(db) -> dict | None:
    from pmks_desktop.storage.models import AppSetting

    with db.read() as s:
        row = s.get(AppSetting, ROTATION_KEY)
    return json.loads(row.value) if row else None


def check_rotation(cert: dict, known_key: bytes, known_key_id: str, new_key_id: str) -> bytes:
    """The new public key, when `cert` is a valid announcement by the key we know."""
    try:
        new_key = keys.unb64(cert["new_key"])
        valid = (cert["old_key_id"] == known_key_id and cert["new_key_id"] == new_key_id
                 and keys.fingerprint(new_key) == new_key_id
                 and keys.verify(known_key, rotation_message(
                     cert["old_key_id"], cert["new_key_id"], cert["new_key"]),
                     keys.unb64(cert["signature"])))
    except (KeyError, TypeError, ValueError):
        valid = False
    if not valid:
        raise ServiceError("Pengumuman kunci baru tidak sah.")
    return new_key


def rotate_box_key(db, session) -> str:
    """A new encryption key. The old one is kept (retired) to open bundles already on their
    way; the new public key travels in the signed header of every later bundle or receipt."""
    from pmks_desktop.domain.roles import MANAGE_OFFICE
    from pmks_desktop.storage.audit import append_audit

    actor = session.require(MANAGE_OFFICE)
    if session.keyring_secret is None:
        raise ServiceError(LOCKED_MESSAGE)
    pair = keys.generate("box")
    with db.write(actor.user_id) as s:
        for old in s.exec(select(NodeKey).where(NodeKey.purpose == "box",
                                                NodeKey.retired_at == None)):  # noqa: E711
            old.retired_at = utc_now()
        s.add(NodeKey(key_id=pair.key_id, purpose="box", public_key=keys.b64(pair.public),
                      sealed_private=keys.b64(keys.seal_private(session.keyring_secret,
                                                                pair.private))))
        append_audit(s, action="setup", entity="node_key", entity_id=pair.key_id,
                     detail={"rotate": "box"}, user_id=actor.user_id, username=actor.username)
    return pair.key_id


def announced_box_key(announcement: dict | None) -> tuple[str, str] | None:
    """(key id, public key) from a signed header's or receipt's box-key announcement, when the
    id really is the key's fingerprint."""
    try:
        key_id, public = announcement["key_id"], announcement["public_key"]
        if keys.fingerprint(keys.unb64(public)) == key_id:
            return key_id, public
    except (KeyError, TypeError, ValueError):
        pass
    return None
