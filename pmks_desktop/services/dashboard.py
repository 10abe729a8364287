"""Counts for the Beranda tab: aggregate only, so sensitive types are counted for everyone."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from pmks_desktop.domain.roles import VIEW
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import Desa, Person, PmksCase


@dataclass(frozen=True)
class Totals:
    persons: int
    cases: int
    by_type: list[tuple[str, int]]  # (type code, count), every type with at least one case
    by_desa: list[tuple[str, str, int]]  # (desa code, desa name, count) for every desa
    by_status: list[tuple[str, int]]
    by_bidang: list[tuple[str, int]]


class DashboardService:
    def __init__(self, db: Database, session: UserSession):
        self._db = db
        self._session = session

    def totals(self) -> Totals:
        self._session.require(VIEW)
        live = PmksCase.deleted_at == None  # noqa: E711
        with self._db.read() as s:
            persons = s.exec(select(func.count()).select_from(Person)
                             .where(Person.deleted_at == None)).one()  # noqa: E711
            cases = s.exec(select(func.count()).select_from(PmksCase).where(live)).one()
            by_type = s.exec(select(PmksCase.type_code, func.count()).where(live)
                             .group_by(PmksCase.type_code).order_by(PmksCase.type_code)).all()
            by_status = s.exec(select(PmksCase.status, func.count()).where(live)
                               .group_by(PmksCase.status)).all()
            by_bidang = s.exec(select(PmksCase.bidang, func.count()).where(live)
                               .group_by(PmksCase.bidang)).all()
            per_desa = dict(s.exec(
                select(Person.desa_code, func.count()).join(
                    PmksCase, PmksCase.person_id == Person.id).where(live)
                .group_by(Person.desa_code)).all())
            desa = s.exec(select(Desa.code, Desa.name).order_by(Desa.name)).all()
        by_desa = [(code, name, per_desa.get(code, 0)) for code, name in desa]
        return Totals(persons, cases, [tuple(r) for r in by_type], by_desa,
                      [tuple(r) for r in by_status], [tuple(r) for r in by_bidang])
