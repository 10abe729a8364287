"""The verification code printed as a QR on every letter.

    PMKS1|<office code>|<letter number>|<letter date>|<subject hash>|<key id>|<signature>

The signature (Ed25519, base64url) covers everything before the last "|". The subject hash is
SHA-256 over the letter number, the subject's NIK and the name in capitals, cut to 16 bytes:
it proves which person the letter was for without printing more personal data in the code,
and differs between letters, so two letters of one person cannot be linked by their codes.
A USB QR scanner types this text into the verification dialog, or `pmks verify-letter` reads it.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date

PREFIX = "PMKS1"
SEPARATOR = "|"


class PayloadError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def subject_hash(number: str, nik: str, name: str) -> str:
    canonical = SEPARATOR.join((number, (nik or "").strip(), " ".join(name.upper().split())))
    return _b64(hashlib.sha256(canonical.encode("utf-8")).digest()[:16])


@dataclass(frozen=True)
class LetterClaim:
    office_code: str
    number: str
    letter_date: date
    subject: str  # subject hash
    key_id: str

    def message(self) -> bytes:
        return SEPARATOR.join((PREFIX, self.office_code, self.number, self.letter_date.isoformat(),
                               self.subject, self.key_id)).encode("utf-8")

    def payload(self, signature: bytes) -> str:
        return self.message().decode("utf-8") + SEPARATOR + _b64(signature)

    def matches(self, nik: str, name: str) -> bool:
        return subject_hash(self.number, nik, name) == self.subject


def parse_payload(text: str) -> tuple[LetterClaim, bytes]:
    parts = (text or "").strip().split(SEPARATOR)
    if len(parts) != 7 or parts[0] != PREFIX:
        raise PayloadError("Kode ini bukan kode verifikasi surat PMKS Desktop (bentuknya tidak "
                           "dikenal). Pindai ulang atau periksa teks yang ditempel.")
    _prefix, office, number, day, subject, key_id, signature = parts
    try:
        letter_date = date.fromisoformat(day)
        raw_signature = _unb64(signature)
    except ValueError:
        raise PayloadError("Kode verifikasi rusak: tanggal atau tanda tangannya tidak terbaca.") \
            from None
    if len(raw_signature) != 64:
        raise PayloadError("Kode verifikasi rusak: panjang tanda tangan tidak sah.")
    return LetterClaim(office, number, letter_date, subject, key_id), raw_signature
