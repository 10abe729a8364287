"""Lists of register entries for the table models: filters, keyset pages, counts.

Keyset on (recorded_on, id), newest first, through ix_entry_list; filters on form fields that are
not projected into columns use SQLite's json_extract on `data`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, tuple_
from sqlmodel import select

from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.domain.names import name_key
from pmks_desktop.domain.roles import VIEW
from pmks_desktop.services.registers import decode_values
from pmks_desktop.services.area_filter import in_area
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import Desa, RegisterEntry


@dataclass(frozen=True)
class EntryQuery:
    register: str
    text: str = ""
    desa_code: str | None = None
    status: str | None = None
    parent_id: str | None = None
    fields: dict = field(default_factory=dict)  # other form fields: name -> value
    trash: bool = False


@dataclass(frozen=True)
class EntryRow:
    id: str
    title: str
    desa_name: str
    recorded_on: date
    status: str | None
    values: dict
    version: int
    deleted_reason: str | None

    @property
    def cursor(self) -> tuple[date, str]:
        return (self.recorded_on, self.id)


class RegisterQueries:
    def __init__(self, db: Database, session: UserSession, forms: dict[str, FormSpec]):
        self._db = db
        self._session = session
        self._forms = forms

    def _conditions(self, q: EntryQuery) -> list:
        actor = self._session.require(VIEW)
        form = self._forms[q.register]
        conds = [RegisterEntry.register_code == q.register,
                 RegisterEntry.deleted_at != None if q.trash  # noqa: E711
                 else RegisterEntry.deleted_at == None]  # noqa: E711
        if form.confidential and not actor.can_view_sensitive:
            conds.append(RegisterEntry.id == None)  # noqa: E711  (nothing to show)
        if q.desa_code:
            conds.append(in_area(RegisterEntry.desa_code, q.desa_code))
        if q.status:
            conds.append(RegisterEntry.status == q.status)
        if q.parent_id:
            conds.append(RegisterEntry.parent_id == q.parent_id)
        for name, value in q.fields.items():
            if value not in (None, ""):
                conds.append(func.json_extract(RegisterEntry.data, f"$.{name}") == value)
        text = " ".join(q.text.split())
        if text:
            conds.append(or_(RegisterEntry.title_key.contains(name_key(text), autoescape=True),
                             RegisterEntry.title.contains(text, autoescape=True)))
        return conds

    def count(self, q: EntryQuery) -> int:
        stmt = select(func.count()).select_from(RegisterEntry).where(*self._conditions(q))
        with self._db.read() as s:
            return s.exec(stmt).one()

    def page(self, q: EntryQuery, after: tuple[date, str] | None = None,
             limit: int = 200) -> list[EntryRow]:
        stmt = (select(RegisterEntry, Desa.name)
                .join(Desa, Desa.code == RegisterEntry.desa_code, isouter=True)
                .where(*self._conditions(q)))
        if after is not None:
            stmt = stmt.where(tuple_(RegisterEntry.recorded_on, RegisterEntry.id) < tuple_(*after))
        stmt = stmt.order_by(RegisterEntry.recorded_on.desc(), RegisterEntry.id.desc()).limit(limit)
        form = self._forms[q.register]
        with self._db.read() as s:
            return [EntryRow(e.id, e.title, desa or "-", e.recorded_on, e.status,
                             decode_values(form, e.data), e.version_hlc, e.deleted_reason)
                    for e, desa in s.exec(stmt).all()]

    def all_rows(self, q: EntryQuery, batch: int = 1000):
        """Every row of a query, page by page (exports): never the whole list in one read."""
        after = None
        while True:
            rows = self.page(q, after, batch)
            yield from rows
            if len(rows) < batch:
                return
            after = rows[-1].cursor
