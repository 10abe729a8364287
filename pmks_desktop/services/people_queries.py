"""Lists of persons and households (the register shared by every bidang): keyset pages.

Persons page by (name_key, id); households by (no_kk, id). NIK is masked here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, tuple_
from sqlmodel import select

from pmks_desktop.domain.identity import mask_nik
from pmks_desktop.domain.names import name_key
from pmks_desktop.domain.roles import VIEW
from pmks_desktop.services.search import person_matches
from pmks_desktop.services.area_filter import in_area
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import Desa, Household, HouseholdMember, Person


@dataclass(frozen=True)
class PersonRow:
    id: str
    name: str
    nik_masked: str
    sex: str
    birth_date: date | None
    desa_name: str
    address: str
    version: int
    sort_key: str

    @property
    def cursor(self) -> tuple[str, str]:
        return (self.sort_key, self.id)


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    no_kk: str
    head_name: str
    desa_name: str
    address: str
    members: int
    version: int

    @property
    def cursor(self) -> tuple[str, str]:
        return (self.no_kk, self.id)


class PeopleQueries:
    def __init__(self, db: Database, session: UserSession):
        self._db = db
        self._session = session

    def _person_conditions(self, text: str, desa_code: str | None) -> list:
        self._session.require(VIEW)
        conds = [Person.deleted_at == None, Person.merged_into_id == None]  # noqa: E711
        if desa_code:
            conds.append(in_area(Person.desa_code, desa_code))
        if text.strip():
            conds.append(person_matches(text))
        return conds

    def count_persons(self, text: str = "", desa_code: str | None = None) -> int:
        with self._db.read() as s:
            return s.exec(select(func.count()).select_from(Person)
                          .where(*self._person_conditions(text, desa_code))).one()

    def persons(self, text: str = "", desa_code: str | None = None, after=None,
                limit: int = 200) -> list[PersonRow]:
        stmt = select(Person, Desa.name).join(Desa, Desa.code == Person.desa_code,
                                              isouter=True).where(
            *self._person_conditions(text, desa_code))
        if after is not None:
            stmt = stmt.where(tuple_(Person.name_key, Person.id) > tuple_(*after))
        stmt = stmt.order_by(Person.name_key, Person.id).limit(limit)
        with self._db.read() as s:
            return [PersonRow(p.id, p.name, mask_nik(p.nik) if p.nik else "-", p.sex,
                              p.birth_date, desa or "-", p.address or "", p.version_hlc,
                              p.name_key) for p, desa in s.exec(stmt).all()]

    def _household_conditions(self, text: str, desa_code: str | None) -> list:
        self._session.require(VIEW)
        conds = [Household.deleted_at == None]  # noqa: E711
        if desa_code:
            conds.append(in_area(Household.desa_code, desa_code))
        text = " ".join(text.split())
        if text:
            conds.append(or_(Household.no_kk.contains(text.replace(" ", "")),
                             Household.head_person_id.in_(select(Person.id).where(
                                 Person.name_key.contains(name_key(text))))))
        return conds

    def count_households(self, text: str = "", desa_code: str | None = None) -> int:
        with self._db.read() as s:
            return s.exec(select(func.count()).select_from(Household)
                          .where(*self._household_conditions(text, desa_code))).one()

    def households(self, text: str = "", desa_code: str | None = None, after=None,
                   limit: int = 200) -> list[HouseholdRow]:
        members = (select(func.count()).where(HouseholdMember.household_id == Household.id,
                                              HouseholdMember.deleted_at == None)  # noqa: E711
                   .scalar_subquery())
        sort_kk = func.coalesce(Household.no_kk, "")
        stmt = (select(Household, Person.name, Desa.name, members)
                .join(Person, Person.id == Household.head_person_id, isouter=True)
                .join(Desa, Desa.code == Household.desa_code, isouter=True)
                .where(*self._household_conditions(text, desa_code)))
        if after is not None:
            stmt = stmt.where(tuple_(sort_kk, Household.id) > tuple_(*after))
        stmt = stmt.order_by(sort_kk, Household.id).limit(limit)
        with self._db.read() as s:
            return [HouseholdRow(h.id, h.no_kk or "", head or "-", desa or "-", h.address or "",
                                 n, h.version_hlc) for h, head, desa, n in s.exec(stmt).all()]
