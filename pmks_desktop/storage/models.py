"""The tables.

Two kinds:
- synced tables (`SyncedRecord` subclasses, registered in SYNCED_TABLES): office-owned records
  that travel to the Dinas Sosial, and hub-owned ones in their own tables (link_models). Every
  change to them is written to `change_log` in the same transaction by storage.changelog;
- local tables (LOCAL_TABLES): this install's own state (users, office set-up, clocks, audit).

A test checks that every table is in exactly one of the two lists.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pmks_desktop.storage.letter_models import (KeyringSlot, LetterEvent, NodeKey, OutgoingLetter,
                                                TrustedKey)
from pmks_desktop.storage.link_models import LinkNotice, PersonLink
from pmks_desktop.storage.records import SyncedRecord, new_id, utc_now
from pmks_desktop.storage.sync_models import (BundleRecord, ParkedOp, PeerAck, PurgeRecord,
                                              ReceivedOp, SyncConflict, SyncPeer)


# ---------------------------------------------------------------- synced (office-owned) records


class Person(SyncedRecord, table=True):
    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_nik", "nik"),
        # Covering index for search as you type: LIKE '%text%' scans this small index instead
        # of the table (about 10 ms at 100,000 persons). A trigram FTS5 index was 1.6x faster
        # to query but made bulk writes 9x slower and the file larger.
        Index("ix_person_search", "name_key", "nik", "id"),
        Index("ix_person_desa", "desa_code"),
        Index("ix_person_dup", "birth_date", "desa_code"),
    )

    nik: Optional[str] = Field(default=None, max_length=16)
    no_kk: Optional[str] = Field(default=None, max_length=16)
    name: str = Field(max_length=120)
    name_key: str = Field(default="", max_length=120)  # normalised for search and duplicates
    birth_place: Optional[str] = Field(default=None, max_length=80)
    birth_date: Optional[date] = None
    sex: str = Field(max_length=1)  # "L" or "P"
    address: Optional[str] = Field(default=None, max_length=200)
    rt: Optional[str] = Field(default=None, max_length=3)
    rw: Optional[str] = Field(default=None, max_length=3)
    desa_code: str = Field(max_length=13)
    phone: Optional[str] = Field(default=None, max_length=20)
    notes: Optional[str] = None
    # Set when a person merges this record into another (duplicate review); undoing clears it.
    merged_into_id: Optional[str] = Field(default=None, max_length=36)
    form_version: int = 1  # version of forms/person.yaml the record was entered with


class Household(SyncedRecord, table=True):
    """A family by its Kartu Keluarga; members point at persons with their relation (SHDK)."""

    __tablename__ = "household"
    __table_args__ = (Index("ix_household_kk", "no_kk"), Index("ix_household_desa", "desa_code"))

    no_kk: Optional[str] = Field(default=None, max_length=16)
    head_person_id: Optional[str] = Field(default=None, foreign_key="person.id", max_length=36)
    address: Optional[str] = Field(default=None, max_length=200)
    rt: Optional[str] = Field(default=None, max_length=3)
    rw: Optional[str] = Field(default=None, max_length=3)
    desa_code: str = Field(max_length=13)
    notes: Optional[str] = None
    form_version: int = 1  # version of forms/household.yaml the record was entered with


class HouseholdMember(SyncedRecord, table=True):
    __tablename__ = "household_member"
    __table_args__ = (Index("ix_household_member", "household_id", "person_id"),
                      Index("ix_household_member_person", "person_id"))

    household_id: str = Field(foreign_key="household.id", max_length=36)
    person_id: str = Field(foreign_key="person.id", max_length=36)
    relation: str = Field(max_length=20)  # SHDK code, e.g. "kepala", "istri", "anak"


class RegisterEntry(SyncedRecord, table=True):
    """One record of a declarative register (KUBE, UEP, KPM, RS-RTLH, disasters, SLRT...).

    The form's fields live in `data` (canonical JSON); the few that lists filter and sort on are
    projected into columns when the entry is saved.
    """

    __tablename__ = "register_entry"
    __table_args__ = (
        Index("ix_entry_list", "register_code", "deleted_at", "recorded_on", "id", "desa_code",
              "status", "title_key"),
        Index("ix_entry_person", "person_id"),
        Index("ix_entry_household", "household_id"),
        Index("ix_entry_parent", "parent_id"),
    )

    register_code: str = Field(max_length=40)  # the form id, e.g. "kube"
    form_version: int = 1
    title: str = Field(max_length=200)
    title_key: str = Field(default="", max_length=200)  # normalised, for search
    person_id: Optional[str] = Field(default=None, foreign_key="person.id", max_length=36)
    household_id: Optional[str] = Field(default=None, foreign_key="household.id", max_length=36)
    parent_id: Optional[str] = Field(default=None, foreign_key="register_entry.id",
                                     max_length=36)
    desa_code: Optional[str] = Field(default=None, max_length=13)
    recorded_on: Optional[date] = None
    status: Optional[str] = Field(default=None, max_length=30)
    pmks_type: Optional[str] = Field(default=None, max_length=4)
    confidential: bool = False
    data: str = Field(default="{}")


class RegisterMember(SyncedRecord, table=True):
    """A person in a group or activity entry (KUBE and UEP members, participants)."""

    __tablename__ = "register_member"
    __table_args__ = (Index("ix_register_member", "entry_id", "person_id"),
                      Index("ix_register_member_person", "person_id"))

    entry_id: str = Field(foreign_key="register_entry.id", max_length=36)
    person_id: str = Field(foreign_key="person.id", max_length=36)
    role: str = Field(default="anggota", max_length=30)


class PersonMerge(SyncedRecord, table=True):
    """An explicit merge of two person records, with what was moved so it can be undone."""

    __tablename__ = "person_merge"

    kept_person_id: str = Field(foreign_key="person.id", max_length=36)
    merged_person_id: str = Field(foreign_key="person.id", max_length=36)
    moved: str = Field(default="[]")  # JSON list of [table, row id] repointed to the kept person
    reason: Optional[str] = None
    undone_at: Optional[datetime] = None


class PmksCase(SyncedRecord, table=True):
    __tablename__ = "pmks_case"
    __table_args__ = (
        Index("ix_case_person", "person_id"),
        # Lists: filter by bidang and trash, newest first, keyset on (recorded_on, id); the other
        # filter columns ride along so counts and pages never read the table rows themselves.
        Index("ix_case_list", "bidang", "deleted_at", "recorded_on", "id", "person_id",
              "type_code", "status", "sensitive"),
        # Beranda counts per type, status and bidang read this index alone.
        Index("ix_case_stats", "deleted_at", "type_code", "status", "bidang", "sensitive"),
    )

    person_id: str = Field(foreign_key="person.id", max_length=36)
    # For household-level types (24, 25) the family; person_id is then its head.
    household_id: Optional[str] = Field(default=None, foreign_key="household.id", max_length=36)
    type_code: str = Field(max_length=4)
    bidang: str = Field(max_length=20)
    recorded_on: date
    status: str = Field(default="baru", max_length=20)
    status_note: Optional[str] = None
    criteria: str = Field(default="[]")  # JSON list of ticked criterion ids
    disability_kind: Optional[str] = Field(default=None, max_length=30)
    notes: Optional[str] = None
    form_version: int = 1
    sensitive: bool = False  # copied from the catalogue so lists can mask without a lookup


SYNCED_TABLES: tuple[type[SyncedRecord], ...] = (
    Person, Household, HouseholdMember, PmksCase, RegisterEntry, RegisterMember, PersonMerge,
    OutgoingLetter, LetterEvent, PersonLink,
)


# ---------------------------------------------------------------- local state


class Office(SQLModel, table=True):
    """The office set-up (one row). Local: each node keeps its own."""

    __tablename__ = "office"

    id: int = Field(default=1, primary_key=True)
    mode: str = Field(max_length=10)  # "kecamatan" or "kabupaten"
    province_code: str = Field(max_length=2)
    province_name: str
    kabupaten_code: str = Field(max_length=5)
    kabupaten_name: str
    kecamatan_code: Optional[str] = Field(default=None, max_length=8)
    kecamatan_name: Optional[str] = None
    address: str = ""
    phone: str = ""
    postcode: str = ""
    email: str = ""
    place_name: str = ""  # printed before the date on letters, e.g. "Kramatwatu"
    signer_name: str = ""
    signer_nip: str = ""
    signer_rank: str = ""
    signer_title: str = ""
    emblem_file: Optional[str] = None
    created_at: datetime = Field(default_factory=utc_now)


class Desa(SQLModel, table=True):
    """The desa/kelurahan the office serves (from the Kepmendagri region master or typed)."""

    __tablename__ = "desa"

    code: str = Field(primary_key=True, max_length=13)
    name: str = Field(max_length=80)
    kecamatan_code: str = Field(max_length=8, index=True)
    active: bool = True


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    username: str = Field(max_length=40, unique=True)
    full_name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    can_view_sensitive: bool = False
    password_hash: str
    active: bool = True
    created_at: datetime = Field(default_factory=utc_now)
    last_login_at: Optional[datetime] = None
    failed_logins: int = 0


class NodeState(SQLModel, table=True):
    """This install's identity and clocks; updated in the same transaction as each change."""

    __tablename__ = "node_state"

    id: int = Field(default=1, primary_key=True)
    node_id: str = Field(max_length=36)
    epoch: str = Field(max_length=16)
    last_seq: int = 0
    hlc: int = 0  # persisted hybrid logical clock: (milliseconds << 16) | counter


class ChangeLog(SQLModel, table=True):
    """One row per change to a synced table: what sync exports, keyed (origin, epoch, seq)."""

    __tablename__ = "change_log"
    __table_args__ = (
        UniqueConstraint("origin", "epoch", "seq", name="uq_change_log_origin_seq"),
        Index("ix_change_log_row", "table_name", "row_id"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    origin: str = Field(max_length=36)
    epoch: str = Field(max_length=16)
    seq: int
    table_name: str = Field(max_length=40)
    row_id: str = Field(max_length=36)
    op: str = Field(max_length=8)  # insert | update | delete
    hlc: int
    base_hlc: Optional[int] = None
    base_origin: Optional[str] = Field(default=None, max_length=64)
    # Other versions this one was made with knowledge of, besides its base: the losers of the
    # sync conflicts it resolves, as canonical JSON [[hlc, origin], ...] (sync/history.py).
    also_seen: Optional[str] = None
    schema_version: str = Field(max_length=20)
    user_id: Optional[str] = Field(default=None, max_length=36)
    data: str = Field(sa_column=Column(Text, nullable=False))  # canonical JSON after-image
    created_at: datetime = Field(default_factory=utc_now)


class AuditEntry(SQLModel, table=True):
    """Append-only, hash-chained trail of who did what (triggers refuse update and delete)."""

    __tablename__ = "audit_log"

    id: Optional[int] = Field(default=None, primary_key=True)
    at: str = Field(max_length=40)  # ISO 8601 UTC, kept as text so the hash input is exact
    user_id: Optional[str] = Field(default=None, max_length=36)
    username: Optional[str] = Field(default=None, max_length=40)
    action: str = Field(max_length=20)
    entity: str = Field(max_length=40)
    entity_id: Optional[str] = Field(default=None, max_length=36)
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AppSetting(SQLModel, table=True):
    """Small key/value settings (JSON values) that are not part of the office set-up."""

    __tablename__ = "app_setting"

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(sa_column=Column(Text, nullable=False))


LOCAL_TABLES: tuple[type[SQLModel], ...] = (
    Office, Desa, User, NodeState, ChangeLog, AuditEntry, AppSetting, NodeKey, KeyringSlot,
    TrustedKey, SyncPeer, BundleRecord, ReceivedOp, SyncConflict, ParkedOp, PeerAck, LinkNotice,
    PurgeRecord,
)
# Tables that are not SQLModel classes: Alembic's own bookkeeping.
OTHER_TABLES = ("alembic_version",)
