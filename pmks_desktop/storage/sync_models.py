"""Sync bookkeeping (all local to this install): enrolled peers, bundles sent and received,
operations already applied, conflicts kept for a person to resolve, operations parked until
their parent arrives, and what the hub has acknowledged."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from pmks_desktop.storage.records import utc_now


class SyncPeer(SQLModel, table=True):
    """An enrolled install: at the hub, each office PC; at an office, the hub."""

    __tablename__ = "sync_peer"

    node_id: str = Field(primary_key=True, max_length=36)
    role: str = Field(max_length=10)  # office | hub
    office_code: str = Field(max_length=8)
    office_name: str = Field(max_length=120)
    sign_key_id: str = Field(max_length=32)
    sign_key: str = Field(max_length=64)  # base64 Ed25519 public key
    box_key_id: str = Field(max_length=32)
    box_key: str = Field(max_length=64)  # base64 X25519 public key
    escrow_key_id: Optional[str] = Field(default=None, max_length=32)  # hub only
    escrow_key: Optional[str] = Field(default=None, max_length=64)
    enrolled_at: datetime = Field(default_factory=utc_now)
    enrolled_by: Optional[str] = Field(default=None, max_length=36)
    revoked_at: Optional[datetime] = None
    revoked_reason: Optional[str] = None
    last_bundle_at: Optional[datetime] = None
    last_hlc: int = 0  # highest clock seen from this peer (clock warnings)


class BundleRecord(SQLModel, table=True):
    """Every bundle written or read; bundles out are kept until acknowledged."""

    __tablename__ = "bundle_record"
    __table_args__ = (Index("ix_bundle_peer", "peer_node", "direction", "created_at"),)

    bundle_id: str = Field(primary_key=True, max_length=36)
    direction: str = Field(max_length=3)  # out | in
    kind: str = Field(max_length=12)  # changes | receipt
    peer_node: str = Field(max_length=36)
    created_at: datetime = Field(default_factory=utc_now)
    ranges: str = Field(default="[]")  # JSON [[origin, epoch, first, last], ...]
    op_count: int = 0
    file_name: str = Field(default="", max_length=200)
    sha256: str = Field(default="", max_length=64)
    status: str = Field(max_length=16)  # terkirim | diakui | diterima | ditolak
    reason: Optional[str] = None
    report: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))


class ReceivedOp(SQLModel, table=True):
    """An operation from another install that was already handled: importing it again is a
    no-op, and the set of these is the version vector this install acknowledges."""

    __tablename__ = "received_op"
    # Merge reads the versions of one record it has received (bases, and which ones a later
    # version has seen) by the record.
    __table_args__ = (Index("ix_received_row", "table_name", "row_id"),)

    origin: str = Field(primary_key=True, max_length=36)
    epoch: str = Field(primary_key=True, max_length=16)
    seq: int = Field(primary_key=True)
    bundle_id: str = Field(max_length=36)
    outcome: str = Field(max_length=10)  # new | updated | unchanged | conflict | rejected
    received_at: datetime = Field(default_factory=utc_now)
    # The record, the version the operation carried and the version it was made from: whether
    # a later operation saw this one or was concurrent with it (and whether a delete may win)
    # depends on the bases of the record's versions, which the record itself does not hold.
    table_name: str = Field(default="", max_length=40)
    row_id: str = Field(default="", max_length=36)
    hlc: int = 0
    base_hlc: Optional[int] = None
    base_origin: Optional[str] = Field(default=None, max_length=64)
    also_seen: Optional[str] = None  # as ChangeLog.also_seen
    reason: Optional[str] = None  # why it was rejected ("ditolak"), for the receipt


class SyncConflict(SQLModel, table=True):
    """Two versions of one record made without seeing each other: the winner was applied,
    the loser is kept here until a person chooses."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_conflict_row", "table_name", "row_id", "resolved_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    table_name: str = Field(max_length=40)
    row_id: str = Field(max_length=36)
    office_code: str = Field(default="", max_length=8)
    winner_hlc: int
    winner_origin: str = Field(max_length=64)
    loser_hlc: int
    loser_origin: str = Field(max_length=64)
    loser_data: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(default="edit", max_length=12)  # edit | delete_edit
    detected_at: datetime = Field(default_factory=utc_now)
    resolved_at: Optional[datetime] = None
    resolved_by: Optional[str] = Field(default=None, max_length=36)
    resolution: Optional[str] = Field(default=None, max_length=20)


class ParkedOp(SQLModel, table=True):
    """An operation whose parent record has not arrived yet (bundles out of order)."""

    __tablename__ = "parked_op"

    origin: str = Field(primary_key=True, max_length=36)
    epoch: str = Field(primary_key=True, max_length=16)
    seq: int = Field(primary_key=True)
    bundle_id: str = Field(max_length=36)
    op: str = Field(sa_column=Column(Text, nullable=False))  # the operation as received (JSON)
    waiting_for: str = Field(max_length=80)  # "person:<id>"
    parked_at: datetime = Field(default_factory=utc_now)


class PeerAck(SQLModel, table=True):
    """At an office: what the hub acknowledged of this install's changes, per epoch."""

    __tablename__ = "peer_ack"

    peer_node: str = Field(primary_key=True, max_length=36)
    origin: str = Field(primary_key=True, max_length=36)
    epoch: str = Field(primary_key=True, max_length=16)
    contiguous_seq: int = 0
    extra_ranges: str = Field(default="[]")  # JSON [[first, last], ...] beyond a gap
    rejected: str = Field(default="[]")  # JSON [{seq, reason}]
    updated_at: datetime = Field(default_factory=utc_now)


class PurgeRecord(SQLModel, table=True):
    """A row erased under UU PDP (sync/purge.py): its id, never its data. Operations for it
    are obsolete wherever they come from, so a late bundle cannot bring it back."""

    __tablename__ = "purge_record"
    __table_args__ = (Index("ix_purge_person", "person_id"),)

    table_name: str = Field(primary_key=True, max_length=40)
    row_id: str = Field(primary_key=True, max_length=36)
    person_id: str = Field(max_length=36)  # the person whose erasure removed it
    purged_at: str = Field(max_length=40)  # ISO time at the install that erased
    origin: str = Field(max_length=36)  # that install's node id
    purged_by: str = Field(default="", max_length=60)  # username there
    reason: str = Field(default="")
