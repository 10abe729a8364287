"""Duplicate-person links at the Dinas Sosial: "the same person" or "different persons".

At the hub the same NIK can arrive from two kecamatan offices. Both records stay (SYNC.md: never
merge automatically), and merging them here would rewrite office-owned rows. Instead the hub
records its decision in its own table (`person_link`, one writer per row): neither person row
is touched. A decided pair is no longer offered for review (`linked_keys()` feeds
DuplicateReview.pairs(exclude=...)).

One link per pair: its id is derived from the two person ids, so deciding again updates the
same row, and two hub PCs deciding the same pair write one record that the merge reconciles.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import select

from pmks_desktop.domain.roles import VERIFY, VIEW
from pmks_desktop.services.duplicates import REASON_NAME, REASON_NIK, pair_key
from pmks_desktop.services.errors import Issue, NotFound, ServiceError, ValidationFailed
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.link_models import LINK_OTHER, LINK_SAME, LINK_STATUSES, PersonLink
from pmks_desktop.storage.models import Person

# Fixed forever: changing it would give an already decided pair a second row.
_LINK_NAMESPACE = uuid.UUID("5b0d6c2e-8f57-4c1e-9a43-2f4e7c1d9b60")
REASON_MANUAL = "dipilih petugas"
NOTE_MAX = 500
STATUS_LABELS = {LINK_SAME: "Orang yang sama", LINK_OTHER: "Orang berbeda"}


class LinkRefused(ServiceError):
    """A link that makes no sense (a record with itself); the message says why."""


def link_id(id_a: str, id_b: str) -> str:
    """The link's row id, the same whichever record comes first and on every hub PC."""
    return str(uuid.uuid5(_LINK_NAMESPACE, pair_key(id_a, id_b)))


@dataclass(frozen=True)
class LinkInfo:
    id: str
    person_a_id: str
    person_b_id: str
    status: str
    reason: str
    note: str
    decided_by: str
    decided_at: datetime

    @property
    def key(self) -> str:
        return pair_key(self.person_a_id, self.person_b_id)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def other(self, person_id: str) -> str:
        return self.person_b_id if person_id == self.person_a_id else self.person_a_id


def _live():
    return PersonLink.deleted_at == None  # noqa: E711


def _info(link: PersonLink) -> LinkInfo:
    return LinkInfo(id=link.id, person_a_id=link.person_a_id, person_b_id=link.person_b_id,
                    status=link.status, reason=link.reason, note=link.note or "",
                    decided_by=link.decided_by, decided_at=link.updated_at)


def _reason(a: Person, b: Person) -> str:
    """Why the pair was listed, as the duplicate review says it."""
    if a.nik and a.nik == b.nik:
        return REASON_NIK
    if a.birth_date and a.birth_date == b.birth_date and a.desa_code == b.desa_code:
        return REASON_NAME
    return REASON_MANUAL


class PersonLinks:
    def __init__(self, db: Database, session: UserSession):
        self._db = db
        self._session = session

    @property
    def can_decide(self) -> bool:
        return self._session.allows(VERIFY)

    def link(self, a_id: str, b_id: str, status: str, note: str = "") -> LinkInfo:
        """Record that two person records are the same person ("sama") or different persons
        ("beda"). Deciding a pair again updates its one link. Neither person row changes."""
        actor = self._session.require(VERIFY)
        note = (note or "").strip()
        issues = []
        if status not in LINK_STATUSES:
            issues.append(Issue("status", "Keputusan harus 'sama' atau 'beda'."))
        if len(note) > NOTE_MAX:
            issues.append(Issue("note", f"Catatan paling banyak {NOTE_MAX} karakter."))
        if issues:
            raise ValidationFailed(issues)
        if a_id == b_id:
            raise LinkRefused("Data tidak dapat ditautkan dengan dirinya sendiri; "
                              "pilih dua data yang berbeda.")
        first_id, second_id = sorted((a_id, b_id))
        with self._db.write(actor.user_id) as s:
            first, second = s.get(Person, first_id), s.get(Person, second_id)
            if first is None or second is None:
                raise NotFound("Data orang tidak ditemukan.")
            link = s.get(PersonLink, link_id(first_id, second_id))
            if link is not None and link.deleted_at is None and link.status == status \
                    and (link.note or "") == note:
                return _info(link)  # nothing new: no change to send, no audit entry
            new = link is None
            if new:
                link = PersonLink(id=link_id(first_id, second_id), person_a_id=first_id,
                                  person_b_id=second_id, status=status)
            before = None if new else link.status
            link.status, link.note = status, note or None
            link.reason, link.decided_by = _reason(first, second), actor.username
            link.deleted_at = link.deleted_by = link.deleted_reason = None
            s.add(link)
            s.flush()
            append_audit(s, action="merge" if new else "update", entity="person_link",
                         entity_id=link.id,
                         detail={"persons": [first_id, second_id], "status": status,
                                 "before": before, "reason": link.reason, "note": note},
                         user_id=actor.user_id, username=actor.username)
            return _info(link)

    def links_of(self, person_id: str) -> list[LinkInfo]:
        """The live links of one person, newest decision first."""
        self._session.require(VIEW)
        with self._db.read() as s:
            rows = s.exec(select(PersonLink).where(
                or_(PersonLink.person_a_id == person_id, PersonLink.person_b_id == person_id),
                _live()).order_by(PersonLink.updated_at.desc(), PersonLink.id)).all()
        return [_info(link) for link in rows]

    def linked_keys(self) -> set[str]:
        """Pair keys (duplicates.pair_key) the hub has decided, whichever way."""
        self._session.require(VIEW)
        with self._db.read() as s:
            rows = s.exec(select(PersonLink.person_a_id, PersonLink.person_b_id)
                          .where(_live())).all()
        return {pair_key(a, b) for a, b in rows}
