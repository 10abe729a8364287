"""Hub-owned records about persons: the Dinas Sosial's duplicate-person decisions.

Kept apart from the office-owned `person` rows (SYNC.md: one writer per row). A link never
changes either person record; it only says what the hub decided about the pair.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import Index
from sqlmodel import Field

from pmks_desktop.storage.records import SyncedRecord

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
