"""Case lists for the table models: filters, keyset pages, counts.

Pages are taken by keyset on (recorded_on, id), newest first, so the hundredth page costs the
same as the first. NIK is masked here: the list never carries a full NIK.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, tuple_
from sqlmodel import select

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.identity import mask_nik
from pmks_desktop.domain.roles import VIEW
from pmks_desktop.services.lookup import find_status, find_type
from pmks_desktop.services.search import person_matches
from pmks_desktop.services.area_filter import in_area
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import Desa, Person, PmksCase


@dataclass(frozen=True)
class CaseQuery:
    bidang: str | None = None
    text: str = ""
    desa_code: str | None = None
    type_code: str | None = None
    status: str | None = None
    trash: bool = False


@dataclass(frozen=True)
class CaseRow:
    id: str
    person_id: str
    person_name: str
    nik_masked: str
    sex: str
    type_code: str
    type_name: str
    desa_name: str
    recorded_on: date
    status: str
    status_label: str
    version: int
    deleted_reason: str | None

    @property
    def cursor(self) -> tuple[date, str]:
        return (self.recorded_on, self.id)


class CaseQueries:
    def __init__(self, db: Database, session: UserSession, catalogue: Catalogue):
        self._db = db
        self._session = session
        self._catalogue = catalogue

    def _conditions(self, q: CaseQuery) -> list:
        actor = self._session.require(VIEW)
        conds = [PmksCase.deleted_at != None if q.trash else PmksCase.deleted_at == None]  # noqa
        if not actor.can_view_sensitive:
            conds.append(PmksCase.sensitive == False)  # noqa: E712
        if q.bidang:
            conds.append(PmksCase.bidang == q.bidang)
        if q.type_code:
            conds.append(PmksCase.type_code == q.type_code)
        if q.status:
            conds.append(PmksCase.status == q.status)
        # Person filters as sub-selects: the matching persons are found first through their own
        # indexes, then their cases through ix_case_person (no join over every case).
        if q.desa_code:
            conds.append(PmksCase.person_id.in_(
                select(Person.id).where(in_area(Person.desa_code, q.desa_code))))
        if q.text.strip():
            conds.append(PmksCase.person_id.in_(
                select(Person.id).where(person_matches(q.text))))
        return conds

    def count(self, q: CaseQuery) -> int:
        stmt = select(func.count()).select_from(PmksCase).where(*self._conditions(q))
        with self._db.read() as s:
            return s.exec(stmt).one()

    def page(self, q: CaseQuery, after: tuple[date, str] | None = None,
             limit: int = 200) -> list[CaseRow]:
        stmt = (select(PmksCase, Person.name, Person.nik, Person.sex, Desa.name)
                .join(Person, Person.id == PmksCase.person_id)
                .join(Desa, Desa.code == Person.desa_code, isouter=True)
                .where(*self._conditions(q)))
        if after is not None:
            stmt = stmt.where(tuple_(PmksCase.recorded_on, PmksCase.id) < tuple_(*after))
        stmt = stmt.order_by(PmksCase.recorded_on.desc(), PmksCase.id.desc()).limit(limit)
        with self._db.read() as s:
            return [self._row(*r) for r in s.exec(stmt).all()]

    def _row(self, case: PmksCase, name: str, nik: str | None, sex: str,
             desa_name: str | None) -> CaseRow:
        pmks_type = find_type(self._catalogue, case.type_code)
        status = find_status(self._catalogue, case.status)
        return CaseRow(
            id=case.id, person_id=case.person_id, person_name=name,
            nik_masked=mask_nik(nik) if nik else "-", sex=sex, type_code=case.type_code,
            type_name=pmks_type.name if pmks_type else case.type_code,
            desa_name=desa_name or "-", recorded_on=case.recorded_on, status=case.status,
            status_label=status.label if status else case.status, version=case.version_hlc,
            deleted_reason=case.deleted_reason)
