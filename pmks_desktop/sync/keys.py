"""Key material, with standard constructions only (libsodium through PyNaCl):

- signing: Ed25519 (letters' QR codes, later sync bundles);
- encryption: X25519 sealed boxes (later sync bundles);
- at rest: one random 32-byte keyring secret seals every private key (XSalsa20-Poly1305
  SecretBox); the secret itself is wrapped once per user with a key derived from that user's
  password by Argon2id. So private keys never sit on disk in the clear, and any user of the
  office can sign without sharing one key password.

No database and no Qt here: bytes in, bytes out.
"""
from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from nacl import pwhash, secret
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey
from nacl.signing import SigningKey, VerifyKey

SECRET_SIZE = secret.SecretBox.KEY_SIZE  # 32
# Interactive limits (~0.1-0.3 s, 64 MiB): run once per sign-in, next to the password check.
OPSLIMIT = pwhash.argon2id.OPSLIMIT_INTERACTIVE
MEMLIMIT = pwhash.argon2id.MEMLIMIT_INTERACTIVE
PURPOSES = ("sign", "box")


class KeyUnavailable(Exception):
    """A key could not be unwrapped or used (wrong password, damaged or foreign data)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def fingerprint(public_key: bytes) -> str:
    """Key id shown to people and printed on paper: 16 hex digits of SHA-256, in groups of 4."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def grouped(key_id: str) -> str:
    return " ".join(key_id[i:i + 4] for i in range(0, len(key_id), 4)).upper()


def new_secret() -> bytes:
    return os.urandom(SECRET_SIZE)


@dataclass(frozen=True)
class WrappedSecret:
    salt: bytes
    opslimit: int
    memlimit: int
    wrapped: bytes


def _password_key(password: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return pwhash.argon2id.kdf(SECRET_SIZE, password.encode("utf-8"), salt,
                               opslimit=opslimit, memlimit=memlimit)


def wrap_secret(keyring_secret: bytes, password: str, *, opslimit: int = OPSLIMIT,
                memlimit: int = MEMLIMIT) -> WrappedSecret:
    salt = os.urandom(pwhash.argon2id.SALTBYTES)
    box = secret.SecretBox(_password_key(password, salt, opslimit, memlimit))
    return WrappedSecret(salt, opslimit, memlimit, bytes(box.encrypt(keyring_secret)))


def unwrap_secret(slot: WrappedSecret, password: str) -> bytes:
    box = secret.SecretBox(_password_key(password, slot.salt, slot.opslimit, slot.memlimit))
    try:
        return bytes(box.decrypt(slot.wrapped))
    except CryptoError as exc:
        raise KeyUnavailable("Kunci kantor tidak dapat dibuka dengan kata sandi ini.") from exc


def seal_private(keyring_secret: bytes, private: bytes) -> bytes:
    return bytes(secret.SecretBox(keyring_secret).encrypt(private))


def open_private(keyring_secret: bytes, sealed: bytes) -> bytes:
    try:
        return bytes(secret.SecretBox(keyring_secret).decrypt(sealed))
    except CryptoError as exc:
        raise KeyUnavailable("Kunci privat kantor rusak atau bukan milik basis data ini.") from exc


@dataclass(frozen=True)
class NewKeyPair:
    purpose: str
    public: bytes
    private: bytes

    @property
    def key_id(self) -> str:
        return fingerprint(self.public)


def generate(purpose: str) -> NewKeyPair:
    if purpose == "sign":
        key = SigningKey.generate()
        return NewKeyPair(purpose, bytes(key.verify_key), bytes(key))
    if purpose == "box":
        key = PrivateKey.generate()
        return NewKeyPair(purpose, bytes(key.public_key), bytes(key))
    raise ValueError(f"unknown key purpose {purpose!r}")


def sign(private_seed: bytes, message: bytes) -> bytes:
    return bytes(SigningKey(private_seed).sign(message).signature)


def verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(public_key).verify(message, signature)
        return True
    except (BadSignatureError, ValueError, TypeError):
        return False
