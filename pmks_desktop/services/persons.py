"""The person register shared by every bidang: register, edit, find, duplicate hints."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from pmks_desktop.domain.identity import mask_nik
from pmks_desktop.domain.names import SIMILAR_NAME_THRESHOLD, name_similarity
from pmks_desktop.domain.roles import EDIT, VIEW
from pmks_desktop.services.errors import Checked, NotFound, ServiceError, StaleRecord
from pmks_desktop.services.link_notices import Notice, notices_of
from pmks_desktop.services.office import KNOWN_KABUPATEN_KEY
from pmks_desktop.services.person_input import PersonInput, check_person
from pmks_desktop.services.record_forms import record_form
from pmks_desktop.services.search import person_matches
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import AppSetting, Desa, Person


@dataclass(frozen=True)
class DuplicateHint:
    person_id: str
    name: str
    nik_masked: str
    birth_date: date | None
    desa_name: str
    reason: str


class DuplicateSuspected(ServiceError):
    def __init__(self, hints: list[DuplicateHint]):
        self.hints = hints
        lines = "\n".join(f"- {h.name} ({h.desa_name}): {h.reason}" for h in hints)
        super().__init__(f"Kemungkinan orang ini sudah terdaftar:\n{lines}")


class PersonService:
    def __init__(self, db: Database, session: UserSession):
        self._db = db
        self._session = session

    def _reference(self) -> tuple[set[str], frozenset[str]]:
        with self._db.read() as s:
            desa = set(s.exec(select(Desa.code).where(Desa.active == True)))  # noqa: E712
            setting = s.get(AppSetting, KNOWN_KABUPATEN_KEY)
        return desa, frozenset(json.loads(setting.value)) if setting else frozenset()

    def check(self, inp: PersonInput) -> Checked:
        """Validate without saving (the form shows errors and warnings as the user types)."""
        desa, kabupaten = self._reference()
        return check_person(inp, desa, date.today(), kabupaten)

    def duplicate_hints(self, inp: PersonInput, exclude_id: str | None = None
                        ) -> list[DuplicateHint]:
        return self._hints(inp, self.check(inp).values.get("nik"), exclude_id)

    def _hints(self, inp: PersonInput, nik: str | None, exclude_id: str | None
               ) -> list[DuplicateHint]:
        """Same NIK (as validated), or a similar name born the same day in the same desa."""
        born = inp.birth_date
        hints: dict[str, DuplicateHint] = {}
        with self._db.read() as s:
            desa_names = dict(s.exec(select(Desa.code, Desa.name)).all())
            for p in self._same_nik(s, nik, exclude_id):
                hints[p.id] = self._hint(p, desa_names, "NIK sama")
            for p in self._same_birth_and_desa(s, born, inp.desa_code, exclude_id):
                if p.id not in hints and name_similarity(p.name, inp.name) >= \
                        SIMILAR_NAME_THRESHOLD:
                    hints[p.id] = self._hint(p, desa_names,
                                             "nama mirip, tanggal lahir dan desa sama")
        return list(hints.values())

    @staticmethod
    def _same_nik(s, nik, exclude_id):
        if not nik:
            return []
        return s.exec(select(Person).where(Person.nik == nik, Person.id != (exclude_id or ""),
                                           Person.deleted_at == None,  # noqa: E711
                                           Person.merged_into_id == None)).all()  # noqa: E711

    @staticmethod
    def _same_birth_and_desa(s, born, desa_code, exclude_id):
        if born is None:
            return []
        return s.exec(select(Person).where(
            Person.birth_date == born, Person.desa_code == desa_code,
            Person.id != (exclude_id or ""), Person.deleted_at == None,  # noqa: E711
            Person.merged_into_id == None)).all()  # noqa: E711

    @staticmethod
    def _hint(p: Person, desa_names: dict, reason: str) -> DuplicateHint:
        return DuplicateHint(p.id, p.name, mask_nik(p.nik) if p.nik else "-", p.birth_date,
                             desa_names.get(p.desa_code, p.desa_code), reason)

    def register(self, inp: PersonInput, *, allow_duplicate: bool = False) -> Person:
        actor = self._session.require(EDIT)
        checked = self.check(inp)
        checked.raise_if_errors()
        if not allow_duplicate and (hints := self._hints(inp, checked.values.get("nik"), None)):
            raise DuplicateSuspected(hints)
        with self._db.write(actor.user_id) as s:
            person = Person(**checked.values, form_version=record_form("person").version)
            s.add(person)
            s.flush()
            append_audit(s, action="create", entity="person", entity_id=person.id,
                         user_id=actor.user_id, username=actor.username)
            return person

    def update(self, person_id: str, inp: PersonInput, *, expected_version: int,
               allow_duplicate: bool = False) -> Person:
        actor = self._session.require(EDIT)
        checked = self.check(inp)
        checked.raise_if_errors()
        if not allow_duplicate and (hints := self._hints(inp, checked.values.get("nik"),
                                                         person_id)):
            raise DuplicateSuspected(hints)
        with self._db.write(actor.user_id) as s:
            person = self._load(s, person_id)
            if person.version_hlc != expected_version:
                raise StaleRecord("Data orang ini baru saja diubah oleh pengguna lain. "
                                  "Tutup formulir dan buka kembali untuk melihat perubahan.")
            changed = sorted(k for k, v in checked.values.items() if getattr(person, k) != v)
            for key in changed:
                setattr(person, key, checked.values[key])
            if changed:
                person.form_version = record_form("person").version
                append_audit(s, action="update", entity="person", entity_id=person.id,
                             detail={"fields": changed},
                             user_id=actor.user_id, username=actor.username)
            return person

    @staticmethod
    def _load(s, person_id: str) -> Person:
        person = s.get(Person, person_id)
        if person is None or person.deleted_at is not None:
            raise NotFound("Data orang tidak ditemukan (mungkin sudah dipindahkan ke sampah).")
        return person

    def get(self, person_id: str) -> Person:
        """Open one person in full (unmasked NIK): recorded in the audit trail."""
        actor = self._session.require(VIEW)
        with self._db.write(actor.user_id) as s:
            person = self._load(s, person_id)
            append_audit(s, action="view", entity="person", entity_id=person.id,
                         user_id=actor.user_id, username=actor.username)
            return person

    def hub_notices(self, person_id: str) -> list[Notice]:
        """What the Dinas Sosial decided about this person and a record at another office
        (or this one), received with its receipts; none at the hub itself."""
        self._session.require(VIEW)
        with self._db.read() as s:
            return notices_of(s, person_id)

    def find(self, text: str, limit: int = 30) -> list[Person]:
        """Persons whose name or NIK contains `text` (for picking a person on a case form)."""
        self._session.require(VIEW)
        text = (text or "").strip()
        with self._db.read() as s:
            query = select(Person).where(Person.deleted_at == None,  # noqa: E711
                                         Person.merged_into_id == None)  # noqa: E711
            if text:
                query = query.where(person_matches(text))
            return list(s.exec(query.order_by(Person.name).limit(limit)))
