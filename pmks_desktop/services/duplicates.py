"""Duplicate review: candidate pairs of person records, explicit merges, and their undo.

Two records are a candidate pair when they share a NIK, or share birth date and desa and their
names are alike (name_similarity, tolerant of Muhammad/Muhamad/Moh. and old spelling). Only live
records take part: not in the trash and not already merged. Nothing is merged automatically
(SYNC.md): a verifikator or administrator picks which record stays and gives a reason.

A merge repoints every row that refers to the merged person to the kept one and records each
moved row as [table, row id] in PersonMerge.moved, so undo moves exactly those rows back. The
kept person's own data is not changed. All writes go through ORM objects, so change capture
logs every moved row for sync, in the same transaction as the audit entry.

"Bukan orang yang sama" decisions are kept in app_setting (local to this install) under
DISMISSED_KEY as a JSON list of pair keys.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import combinations, groupby

from sqlalchemy import and_, func
from sqlmodel import select

from pmks_desktop.domain.identity import mask_nik
from pmks_desktop.domain.names import SIMILAR_NAME_THRESHOLD, name_similarity
from pmks_desktop.domain.roles import VERIFY, VIEW
from pmks_desktop.services.errors import Issue, NotFound, ServiceError, ValidationFailed
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.changelog import canonical_json
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import (AppSetting, Desa, Household, HouseholdMember, Office,
                                         Person, PersonMerge, PmksCase, RegisterEntry,
                                         RegisterMember, User, utc_now)

REASON_NIK = "NIK sama"
REASON_NAME = "nama mirip, tanggal lahir dan desa sama"
DISMISSED_KEY = "duplicates.dismissed"
# Every column that points at a person. A new table with a person reference must be added
# here, or a merge would leave its rows on the merged (hidden) record.
REFERENCES: tuple[tuple[type, str], ...] = (
    (PmksCase, "person_id"), (RegisterEntry, "person_id"), (RegisterMember, "person_id"),
    (HouseholdMember, "person_id"), (Household, "head_person_id"),
)
_BY_TABLE = {model.__tablename__: (model, column) for model, column in REFERENCES}
_CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit


class MergeRefused(ServiceError):
    """A merge or undo that would leave the records in a muddle; the message says why."""


def pair_key(id_a: str, id_b: str) -> str:
    """The same two records give the same key whichever comes first."""
    return "|".join(sorted((id_a, id_b)))


@dataclass(frozen=True)
class PersonFacts:
    """What a reviewer needs to tell two records apart; the NIK and No. KK are masked."""

    id: str
    name: str
    nik_masked: str
    kk_masked: str
    sex: str
    birth_place: str
    birth_date: date | None
    address: str
    rt_rw: str
    desa_name: str
    phone_masked: str
    created_at: datetime | None
    cases: int = 0        # live PMKS cases
    entries: int = 0      # register entries (KUBE, UEP, bantuan ...)
    memberships: int = 0  # member of a group entry
    households: int = 0   # member or head of a family (KK)
    desa_code: str = ""   # the hub tells the offices apart by its kecamatan prefix

    @property
    def related(self) -> int:
        return self.cases + self.entries + self.memberships + self.households


@dataclass(frozen=True)
class DuplicatePair:
    key: str
    a: PersonFacts  # the older record
    b: PersonFacts
    reason: str


@dataclass(frozen=True)
class MergeRecord:
    id: str
    kept_id: str
    kept_name: str
    kept_nik_masked: str
    merged_id: str
    merged_name: str
    merged_nik_masked: str
    reason: str
    moved: int
    merged_at: datetime
    merged_by: str
    undone_at: datetime | None

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


def _live():
    return (Person.deleted_at == None, Person.merged_into_id == None)  # noqa: E711


def _masked(value: str | None) -> str:
    return mask_nik(value) if value else "-"


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


class DuplicateReview:
    def __init__(self, db: Database, session: UserSession):
        self._db = db
        self._session = session

    @property
    def can_decide(self) -> bool:
        """Whether the signed-in user may merge, undo and dismiss (the UI greys the buttons)."""
        return self._session.allows(VERIFY)

    # ------------------------------------------------------------- candidate pairs

    def pairs(self, limit: int = 500, exclude: set[str] = frozenset()) -> list[DuplicatePair]:
        """Up to `limit` candidate pairs: same NIK first, then similar names.

        SQL finds the groups (same NIK; same birth date and desa) through their indexes, so
        names are compared only inside a group, never across 100,000 persons. `exclude` holds
        pair keys already decided elsewhere (the hub's person links), left out before the cap.
        """
        self._session.require(VIEW)
        dismissed = self.dismissed() | set(exclude)
        found: dict[str, tuple[str, str, str]] = {}
        with self._db.read() as s:
            for group in self._groups(s, Person.nik):
                self._add(found, dismissed, group, REASON_NIK, similar=False)
                if len(found) >= limit:
                    break
            if len(found) < limit:
                for group in self._groups(s, Person.birth_date, Person.desa_code):
                    self._add(found, dismissed, group, REASON_NAME, similar=True)
                    if len(found) >= limit:
                        break
            chosen = list(found.items())[:limit]
            facts = self._facts(s, {pid for _k, (a, b, _r) in chosen for pid in (a, b)})
        return [DuplicatePair(key, facts[a], facts[b], reason)
                for key, (a, b, reason) in chosen]

    @staticmethod
    def _groups(s, *columns):
        """Live persons sharing the values of `columns` with another live person, by group."""
        names = [c.key for c in columns]
        shared = (select(*columns).where(*_live(), *(c != None for c in columns))  # noqa: E711
                  .group_by(*columns).having(func.count() > 1).subquery())
        stmt = (select(Person.id, Person.name, *columns)
                .join(shared, and_(*[getattr(shared.c, n) == c for n, c in zip(names, columns)]))
                .where(*_live()).order_by(*columns, Person.created_at, Person.id))
        for _key, rows in groupby(s.exec(stmt), key=lambda r: tuple(r[2:])):
            yield list(rows)

    @staticmethod
    def _add(found: dict, dismissed: set[str], group: list, reason: str, similar: bool) -> None:
        for first, second in combinations(group, 2):
            key = pair_key(first.id, second.id)
            if key in found or key in dismissed:
                continue
            if similar and name_similarity(first.name, second.name) < SIMILAR_NAME_THRESHOLD:
                continue
            found[key] = (first.id, second.id, reason)

    def _facts(self, s, ids: set[str]) -> dict[str, PersonFacts]:
        ids_list = sorted(ids)
        desa_names = dict(s.exec(select(Desa.code, Desa.name)).all())
        counts = self._reference_counts(s, ids_list)
        out = {}
        for start in range(0, len(ids_list), _CHUNK):
            for p in s.exec(select(Person).where(Person.id.in_(ids_list[start:start + _CHUNK]))):
                out[p.id] = _person_facts(p, desa_names, counts)
        return out

    @staticmethod
    def _reference_counts(s, ids: list[str]) -> dict[tuple[str, str], int]:
        """(table, person id) -> live rows referring to the person."""
        counts: dict[tuple[str, str], int] = {}
        for model, column in REFERENCES:
            col = getattr(model, column)
            for start in range(0, len(ids), _CHUNK):
                stmt = (select(col, func.count()).where(col.in_(ids[start:start + _CHUNK]),
                                                        model.deleted_at == None)  # noqa: E711
                        .group_by(col))
                for person_id, n in s.exec(stmt):
                    key = (model.__tablename__, person_id)
                    counts[key] = counts.get(key, 0) + n
        return counts

    # ------------------------------------------------------------- "bukan orang yang sama"

    def dismissed(self) -> set[str]:
        with self._db.read() as s:
            setting = s.get(AppSetting, DISMISSED_KEY)
        return set(json.loads(setting.value)) if setting else set()

    def dismiss(self, key: str) -> None:
        """Record that the two records of a pair are different people; the pair stays away."""
        actor = self._session.require(VERIFY)
        ids = key.split("|")
        if len(ids) != 2 or pair_key(*ids) != key:
            raise NotFound("Pasangan data tidak dikenal.")
        with self._db.write(actor.user_id) as s:
            for person_id in ids:
                if s.get(Person, person_id) is None:
                    raise NotFound("Data orang tidak ditemukan.")
            setting = s.get(AppSetting, DISMISSED_KEY) or AppSetting(key=DISMISSED_KEY,
                                                                     value="[]")
            keys = set(json.loads(setting.value))
            if key in keys:
                return
            setting.value = json.dumps(sorted(keys | {key}))
            s.add(setting)
            append_audit(s, action="update", entity="duplicate_pair", entity_id=ids[0],
                         detail={"persons": ids, "decision": "bukan orang yang sama"},
                         user_id=actor.user_id, username=actor.username)

    # ------------------------------------------------------------- merge and undo

    def merge(self, kept_id: str, merged_id: str, reason: str) -> PersonMerge:
        """Merge `merged_id` into `kept_id`: its references move, the record is hidden."""
        actor = self._session.require(VERIFY)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationFailed([Issue("reason", "Alasan penggabungan wajib diisi.")])
        if kept_id == merged_id:
            raise MergeRefused("Data yang dipertahankan dan yang digabungkan sama; "
                               "pilih dua data yang berbeda.")
        with self._db.write(actor.user_id) as s:
            _refuse_at_the_hub(s)
            kept = _mergeable(s, kept_id)
            merged = _mergeable(s, merged_id)
            moved = []
            for model, column in REFERENCES:
                col = getattr(model, column)
                for row in s.exec(select(model).where(col == merged.id).order_by(model.id)):
                    setattr(row, column, kept.id)
                    moved.append([model.__tablename__, row.id])
            merged.merged_into_id = kept.id
            record = PersonMerge(kept_person_id=kept.id, merged_person_id=merged.id,
                                 moved=canonical_json(moved), reason=reason)
            s.add_all([merged, record])
            s.flush()
            append_audit(s, action="merge", entity="person", entity_id=merged.id,
                         detail={"kept_person_id": kept.id, "merged_person_id": merged.id,
                                 "merge_id": record.id, "moved": len(moved), "reason": reason},
                         user_id=actor.user_id, username=actor.username)
            return record

    def undo(self, merge_id: str) -> PersonMerge:
        """Move exactly the recorded rows back and show the merged record again."""
        actor = self._session.require(VERIFY)
        with self._db.read() as s:
            _refuse_at_the_hub(s)
        with self._db.write(actor.user_id) as s:
            record = s.get(PersonMerge, merge_id)
            if record is None or record.deleted_at is not None:
                raise NotFound("Catatan penggabungan tidak ditemukan.")
            kept, merged = _undoable(s, record)
            restored, skipped = 0, []
            for table, row_id in json.loads(record.moved):
                model, column = _BY_TABLE[table]
                row = s.get(model, row_id)
                # A row someone has since pointed elsewhere keeps that later, deliberate change.
                if row is None or getattr(row, column) != kept.id:
                    skipped.append([table, row_id])
                    continue
                setattr(row, column, merged.id)
                restored += 1
            merged.merged_into_id = None
            record.undone_at = utc_now()
            s.add_all([merged, record])
            append_audit(s, action="merge", entity="person", entity_id=merged.id,
                         detail={"undo": True, "merge_id": record.id,
                                 "kept_person_id": kept.id, "merged_person_id": merged.id,
                                 "moved_back": restored, "skipped": skipped},
                         user_id=actor.user_id, username=actor.username)
            return record

    def history(self, limit: int = 200) -> list[MergeRecord]:
        """The latest merges, newest first, undone ones included."""
        self._session.require(VIEW)
        with self._db.read() as s:
            merges = list(s.exec(select(PersonMerge).where(PersonMerge.deleted_at == None)  # noqa
                                 .order_by(PersonMerge.created_at.desc(), PersonMerge.id)
                                 .limit(limit)))
            ids = sorted({m.kept_person_id for m in merges} | {m.merged_person_id
                                                                for m in merges})
            persons = {}
            for start in range(0, len(ids), _CHUNK):
                persons.update({p.id: p for p in s.exec(
                    select(Person).where(Person.id.in_(ids[start:start + _CHUNK])))})
            users = dict(s.exec(select(User.id, User.username)).all())
        return [_merge_record(m, persons, users) for m in merges]


# ------------------------------------------------------------- helpers


def _person_facts(p: Person, desa_names: dict, counts: dict) -> PersonFacts:
    def n(model) -> int:
        return counts.get((model.__tablename__, p.id), 0)

    rt_rw = f"{p.rt or '-'}/{p.rw or '-'}" if (p.rt or p.rw) else "-"
    return PersonFacts(
        id=p.id, name=p.name, nik_masked=_masked(p.nik), kk_masked=_masked(p.no_kk), sex=p.sex,
        birth_place=p.birth_place or "-", birth_date=p.birth_date, address=p.address or "-",
        rt_rw=rt_rw, desa_name=desa_names.get(p.desa_code, p.desa_code), desa_code=p.desa_code,
        phone_masked=_masked(p.phone), created_at=_aware(p.created_at),
        cases=n(PmksCase), entries=n(RegisterEntry), memberships=n(RegisterMember),
        households=n(HouseholdMember) + n(Household))


def _mergeable(s, person_id: str) -> Person:
    person = s.get(Person, person_id)
    if person is None:
        raise NotFound("Data orang tidak ditemukan.")
    if person.deleted_at is not None:
        raise MergeRefused(f"Data {person.name} ada di sampah. Pulihkan dahulu bila memang "
                           "perlu digabungkan.")
    if person.merged_into_id is not None:
        raise MergeRefused(f"Data {person.name} sudah digabungkan ke data lain dan tidak dapat "
                           "digabungkan lagi.")
    return person


def _undoable(s, record: PersonMerge) -> tuple[Person, Person]:
    if record.undone_at is not None:
        raise MergeRefused("Penggabungan ini sudah dibatalkan sebelumnya.")
    kept = s.get(Person, record.kept_person_id)
    merged = s.get(Person, record.merged_person_id)
    if kept is None or merged is None or merged.merged_into_id != kept.id:
        raise MergeRefused("Data kedua orang ini sudah berubah sejak digabungkan; "
                           "penggabungan tidak dapat dibatalkan otomatis.")
    if kept.merged_into_id is not None:
        # Its rows were moved on by the later merge; undo that one first, or they stay behind.
        raise MergeRefused(f"Data {kept.name} sudah digabungkan lagi ke data lain. Batalkan "
                           "penggabungan yang lebih baru itu terlebih dahulu.")
    return kept, merged


def _merge_record(m: PersonMerge, persons: dict, users: dict) -> MergeRecord:
    kept, merged = persons.get(m.kept_person_id), persons.get(m.merged_person_id)
    return MergeRecord(
        id=m.id, kept_id=m.kept_person_id, kept_name=kept.name if kept else "-",
        kept_nik_masked=_masked(kept.nik if kept else None), merged_id=m.merged_person_id,
        merged_name=merged.name if merged else "-",
        merged_nik_masked=_masked(merged.nik if merged else None), reason=m.reason or "",
        moved=len(json.loads(m.moved or "[]")), merged_at=_aware(m.created_at),
        merged_by=users.get(m.created_by or "", "-"), undone_at=_aware(m.undone_at))


def _refuse_at_the_hub(s) -> None:
    """Merging rewrites records the offices own; at the Dinas Sosial persons are linked
    (services/person_links.py), so the refusal holds for the CLI too, not only the dialog."""
    office = s.get(Office, 1)
    if office is not None and office.mode != "kecamatan":
        raise MergeRefused("Di Dinas Sosial data ganda antarkantor ditautkan (Tandai Orang yang "
                           "Sama), tidak digabungkan: data itu milik kantor kecamatan.")
