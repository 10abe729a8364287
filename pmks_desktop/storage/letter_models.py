"""Letters (buku agenda surat keluar) and this install's keys.

Letters are synced (the Dinas Sosial sees what each office issued); keys are local.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pmks_desktop.storage.records import SyncedRecord, utc_now


class OutgoingLetter(SyncedRecord, table=True):
    """One numbered letter of the buku agenda surat keluar. Never deleted: a voided letter keeps
    its number and the reason. `document` is the filled letter (JSON) so a reprint is identical."""

    __tablename__ = "letter"
    __table_args__ = (
        # One series per install (node) and year: two PCs of one office never share a counter.
        UniqueConstraint("series", "year", "serial", name="uq_letter_serial"),
        Index("ix_letter_list", "deleted_at", "letter_date", "id", "kind", "status"),
        Index("ix_letter_subject", "subject_id"),
    )

    series: str = Field(max_length=36)  # node id of the install that issued it
    office_code: str = Field(default="", max_length=8)
    year: int
    serial: int
    number: str = Field(max_length=80)
    kind: str = Field(max_length=40)  # template id, e.g. "rekomendasi_biaya_rs"
    kind_label: str = Field(default="", max_length=120)
    letter_date: date
    hal: str = Field(default="", max_length=300)
    subject_type: str = Field(default="", max_length=20)  # person | case | entry
    subject_id: Optional[str] = Field(default=None, max_length=36)
    subject_name: str = Field(default="", max_length=200)
    status: str = Field(default="terbit", max_length=10)  # terbit | batal
    status_reason: Optional[str] = None
    print_count: int = 0
    paper: str = Field(default="A4", max_length=4)
    key_id: str = Field(default="", max_length=32)
    qr_payload: str = Field(default="")
    document: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))


class LetterEvent(SyncedRecord, table=True):
    """What happened to a letter after it was numbered: printed, reprinted (reason), voided."""

    __tablename__ = "letter_event"
    __table_args__ = (Index("ix_letter_event", "letter_id"),)

    letter_id: str = Field(foreign_key="letter.id", max_length=36)
    action: str = Field(max_length=20)  # terbit | cetak_ulang | batal
    reason: Optional[str] = None
    copies: int = 1



class NodeKey(SQLModel, table=True):
    """This install's own key pairs. The private half is sealed under the keyring secret, which
    only a signed-in user's password unwraps (KeyringSlot): a copied database file alone cannot
    sign letters or bundles."""

    __tablename__ = "node_key"

    key_id: str = Field(primary_key=True, max_length=32)  # fingerprint of the public key
    purpose: str = Field(max_length=10)  # sign (Ed25519) | box (X25519)
    public_key: str = Field(max_length=64)  # base64
    sealed_private: str  # base64 SecretBox(nonce + ciphertext) under the keyring secret
    created_at: datetime = Field(default_factory=utc_now)
    retired_at: Optional[datetime] = None  # replaced by a newer key; still verifies old letters


class KeyringSlot(SQLModel, table=True):
    """The keyring secret wrapped for one user with an Argon2id key from that user's password."""

    __tablename__ = "keyring_slot"

    user_id: str = Field(primary_key=True, foreign_key="user_account.id", max_length=36)
    salt: str = Field(max_length=40)
    opslimit: int
    memlimit: int
    wrapped: str  # base64 SecretBox(nonce + ciphertext)
    updated_at: datetime = Field(default_factory=utc_now)


class TrustedKey(SQLModel, table=True):
    """Another office's public key, to check its letters (and later its bundles) offline."""

    __tablename__ = "trusted_key"

    key_id: str = Field(primary_key=True, max_length=32)
    office_code: str = Field(max_length=8)
    office_name: str = Field(max_length=120)
    purpose: str = Field(max_length=10)
    public_key: str = Field(max_length=64)
    added_at: datetime = Field(default_factory=utc_now)
    added_by: Optional[str] = Field(default=None, max_length=36)
    revoked_at: Optional[datetime] = None
