"""Hub-owned records about persons: the Dinas Sosial's duplicate-person decisions, and the
office's copy of the decisions about its own persons.

Kept apart from the office-owned `person` rows (SYNC.md: one writer per row). A link never
changes either person record; it only says what the hub decided about the pair.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from pmks_desktop.storage.records import SyncedRecord, utc_now

LINK_SAME = "sama"   # the two records are the same person
LINK_OTHER = "beda"  # the two records are different persons
LINK_STATUSES = (LINK_SAME, LINK_OTHER)


class PersonLink(SyncedRecord, table=True):
    """The hub's decision about two person records, usually from two offices.

    The pair is stored in sorted order (person_a_id < person_b_id) and its id is derived from
    the pair (services/person_links.py), so two hub PCs deciding the same pair write the same
    row and the merge treats it as one record, never as two.
    """

    __tablename__ = "person_link"
    __table_args__ = (Index("ix_person_link_a", "person_a_id"),
                      Index("ix_person_link_b", "person_b_id"))

    person_a_id: str = Field(foreign_key="person.id", max_length=36)
    person_b_id: str = Field(foreign_key="person.id", max_length=36)
    reason: str = Field(default="", max_length=120)  # why the pair was listed (NIK sama ...)
    decided_by: str = Field(default="", max_length=60)  # username: readable at every node
    status: str = Field(max_length=4)  # LINK_SAME or LINK_OTHER
    note: Optional[str] = None


class LinkNotice(SQLModel, table=True):
    """At an office: the hub's decision about a link that involves one of the office's persons
    (services/link_notices.py).

    A link row cannot travel to the office: it points at another office's person, which the
    office never receives. So the receipt carries a notice per own person instead, naming the
    other office but nothing about the other person. Local, not synced: each receipt replaces
    the whole set, so there is no change log and no version here.
    """

    __tablename__ = "link_notice"

    # person_id first: the key's index is what "the notices of this person" reads.
    person_id: str = Field(primary_key=True, foreign_key="person.id", max_length=36)
    link_id: str = Field(primary_key=True, max_length=36)
    # Only when the other record is this office's own too (both registered here).
    other_person_id: str | None = Field(default=None, max_length=36)
    status: str = Field(max_length=4)  # LINK_SAME or LINK_OTHER
    reason: str = Field(default="", max_length=120)
    decided_by: str = Field(default="", max_length=60)
    decided_at: datetime
    other_office: str = Field(default="", max_length=120)  # "Kecamatan Cikeusal"
    received_at: datetime = Field(default_factory=utc_now)
