"""Declarative registers (KUBE, UEP, KPM, RS-RTLH, disasters, SLRT, LK3, PSKS, KAT...):
validate against the form file, save entry and members in one transaction, trash, restore.

The form decides the fields; this service owns what no file can: who may write, the link to
persons and households, the members, the computed verdicts, and the projection of a few fields
into columns that lists filter on. Lists live in register_queries.
"""
from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import select

from pmks_desktop.domain.form_validation import (EntryCheck, EntryContext, MemberFacts,
                                                 PersonFacts, check_entry)
from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.domain.names import name_key
from pmks_desktop.domain.roles import EDIT, RESTORE, TRASH, VIEW
from pmks_desktop.services.errors import Issue, NotFound, PermissionDenied, StaleRecord, \
    ValidationFailed
from pmks_desktop.services.links import sync_people
from pmks_desktop.services.office import KNOWN_KABUPATEN_KEY
from pmks_desktop.services.session import UserSession
from pmks_desktop.services.settings import SettingsService
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.changelog import canonical_json
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import (AppSetting, Desa, Household, Person, RegisterEntry,
                                         RegisterMember, utc_now)


PHOTO_FOLDER = "foto"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


@dataclass(frozen=True)
class MemberInput:
    person_id: str
    role: str = "anggota"


@dataclass
class EntryView:
    entry: RegisterEntry
    values: dict
    members: list[tuple[RegisterMember, Person]] = field(default_factory=list)


def decode_values(form: FormSpec, data: str) -> dict:
    """Stored JSON back to typed values (dates were stored as ISO text)."""
    values = json.loads(data or "{}")
    for spec in form.fields:
        if spec.type == "date" and isinstance(values.get(spec.name), str):
            values[spec.name] = date.fromisoformat(values[spec.name])
    return values


class RegisterService:
    def __init__(self, db: Database, session: UserSession, forms: dict[str, FormSpec],
                 settings: SettingsService):
        self._db = db
        self._session = session
        self._forms = forms
        self._settings = settings

    # ------------------------------------------------------------- forms

    def form(self, register: str) -> FormSpec:
        if register not in self._forms:
            raise NotFound(f"Register '{register}' tidak dikenal.")
        return self._forms[register]

    def forms_for_bidang(self, bidang: str) -> list[FormSpec]:
        return sorted((f for f in self._forms.values() if f.bidang == bidang and not f.parent),
                      key=lambda f: (f.order, f.title))

    def settings(self) -> dict:
        """The configurable figures forms take defaults from (aid values, group sizes...)."""
        return self._settings.all()

    def children_of(self, register: str) -> list[FormSpec]:
        return sorted((f for f in self._forms.values() if f.parent == register),
                      key=lambda f: (f.order, f.title))

    # ------------------------------------------------------------- validation

    def _facts(self, s, person_id: str | None) -> PersonFacts | None:
        person = s.get(Person, person_id) if person_id else None
        return PersonFacts(person.name, person.sex, person.birth_date) if person else None

    def _context(self, s, form: FormSpec, values: dict,
                 members: list[MemberInput]) -> EntryContext:
        kabupaten = s.get(AppSetting, KNOWN_KABUPATEN_KEY)
        member_facts = [MemberFacts(self._facts(s, m.person_id), m.role) for m in members
                        if s.get(Person, m.person_id)]
        return EntryContext(
            today=date.today(), settings=self._settings.all(),
            desa_codes=frozenset(s.exec(select(Desa.code)).all()),
            known_kabupaten=frozenset(json.loads(kabupaten.value)) if kabupaten else frozenset(),
            person=self._facts(s, values.get(form.person_field)) if form.person_field else None,
            members=member_facts)

    def check(self, register: str, values: dict, members: list[MemberInput] = (),
              parent_id: str | None = None) -> EntryCheck:
        form = self.form(register)
        members = list(members)
        with self._db.read() as s:
            out = check_entry(form, values, self._context(s, form, values, members))
            self._check_links(s, form, out, members, parent_id)
        if form.verdict:
            out.values["_verdict"] = self._verdict(form, out.values)
        return out

    def _check_links(self, s, form: FormSpec, out: EntryCheck, members, parent_id) -> None:
        for spec in form.fields:
            ref = out.values.get(spec.name)
            if spec.type == "person" and ref and not self._live(s, Person, ref):
                out.errors.append(Issue(spec.name, f"{spec.label}: orang tidak ditemukan."))
            if spec.type == "household" and ref and not self._live(s, Household, ref):
                out.errors.append(Issue(spec.name, f"{spec.label}: keluarga tidak ditemukan."))
        if form.parent and not (parent_id and self._live(s, RegisterEntry, parent_id)):
            parent = self.form(form.parent).title
            out.errors.append(Issue("parent", f"Pilih data {parent} terlebih dahulu."))
        seen = set()
        for member in members:
            if member.person_id in seen:
                out.errors.append(Issue("members", "Satu orang tercantum dua kali."))
            seen.add(member.person_id)
            if not self._live(s, Person, member.person_id):
                out.errors.append(Issue("members", "Ada anggota yang datanya tidak ditemukan."))

    @staticmethod
    def _live(s, model, row_id: str) -> bool:
        row = s.get(model, row_id)
        return row is not None and row.deleted_at is None and \
            getattr(row, "merged_into_id", None) is None

    def _verdict(self, form: FormSpec, values: dict) -> dict:
        if form.verdict == "rtlh":
            from pmks_desktop.domain.rtlh import rtlh_verdict

            result = rtlh_verdict(values, min_area_per_person=float(
                self._settings.get("rtlh.min_area_per_person")))
            return {"eligible": result.eligible, "uninhabitable": result.uninhabitable,
                    "reasons": list(result.reasons)}
        raise ValueError(f"unknown verdict {form.verdict}")

    # ------------------------------------------------------------- writes

    def save(self, register: str, values: dict, *, members: list[MemberInput] = (),
             parent_id: str | None = None, entry_id: str | None = None,
             expected_version: int | None = None) -> RegisterEntry:
        form = self.form(register)
        actor = self._require(form, EDIT)
        checked = self.check(register, values, members, parent_id)
        if checked.errors:
            raise ValidationFailed(checked.errors)
        with self._db.write(actor.user_id) as s:
            entry = self._load_for_change(s, entry_id, expected_version) if entry_id else \
                RegisterEntry(register_code=register, title="")
            self.project(s, form, entry, checked.values, parent_id)
            s.add(entry)
            s.flush()
            self.sync_members(s, entry, list(members))
            append_audit(s, action="update" if entry_id else "create", entity=register,
                         entity_id=entry.id, user_id=actor.user_id, username=actor.username)
            return entry

    def project(self, s, form: FormSpec, entry: RegisterEntry, values: dict,
                 parent_id: str | None) -> None:
        """Copy the fields lists filter on into columns; the rest stays in `data`.

        Also used by the importer, which writes many entries in one transaction."""
        person_id = values.get(form.person_field) if form.person_field else None
        household_id = values.get(form.household_field) if form.household_field else None
        person = s.get(Person, person_id) if person_id else None
        household = s.get(Household, household_id) if household_id else None
        title = values.get(form.title_field)
        if form.field(form.title_field).type == "person" and person:
            title = person.name
        elif form.field(form.title_field).type == "household" and household:
            head = s.get(Person, household.head_person_id) if household.head_person_id else None
            title = f"KK {household.no_kk or '-'}" + (f" ({head.name})" if head else "")
        entry.title = str(title or "-")[:200]
        entry.title_key = name_key(entry.title)
        entry.form_version = form.version
        entry.person_id = person.id if person else None
        entry.household_id = household.id if household else None
        entry.parent_id = parent_id
        entry.desa_code = values.get(form.desa_field) if form.desa_field else \
            (person.desa_code if person else household.desa_code if household else None)
        # Lists sort and page on this date, so it is never empty: the form's date, else the day
        # the entry was first saved.
        entry.recorded_on = (values.get(form.date_field) if form.date_field else None) \
            or entry.recorded_on or date.today()
        entry.status = values.get(form.status_field) if form.status_field else None
        entry.pmks_type = form.pmks_type or (values.get(form.pmks_type_field)
                                             if form.pmks_type_field else None)
        entry.confidential = form.confidential
        entry.data = canonical_json(values)

    def sync_members(self, s, entry: RegisterEntry, members: list[MemberInput]) -> None:
        rows = s.exec(select(RegisterMember).where(
            RegisterMember.entry_id == entry.id, RegisterMember.deleted_at == None))  # noqa
        sync_people(s, rows, {m.person_id: m.role for m in members}, "role",
                    lambda person_id, role: RegisterMember(entry_id=entry.id,
                                                           person_id=person_id, role=role),
                    "dikeluarkan dari daftar")

    def move_to_trash(self, entry_id: str, reason: str, *, expected_version: int) -> None:
        if not (reason or "").strip():
            raise ValidationFailed([Issue("reason", "Tuliskan alasan penghapusan.")])
        with self._db.read() as s:
            entry = s.get(RegisterEntry, entry_id)
        if entry is None:
            raise NotFound("Data tidak ditemukan.")
        actor = self._require(self.form(entry.register_code), TRASH)
        with self._db.write(actor.user_id) as s:
            entry = self._load_for_change(s, entry_id, expected_version)
            entry.deleted_at, entry.deleted_by = utc_now(), actor.user_id
            entry.deleted_reason = reason.strip()
            append_audit(s, action="delete", entity=entry.register_code, entity_id=entry.id,
                         detail={"reason": entry.deleted_reason},
                         user_id=actor.user_id, username=actor.username)

    def restore(self, entry_id: str) -> None:
        actor = self._session.require(RESTORE)
        with self._db.write(actor.user_id) as s:
            entry = s.get(RegisterEntry, entry_id)
            if entry is None or entry.deleted_at is None:
                raise NotFound("Data ini tidak ada di sampah.")
            self._require(self.form(entry.register_code), RESTORE)
            entry.deleted_at = entry.deleted_by = entry.deleted_reason = None
            append_audit(s, action="restore", entity=entry.register_code, entity_id=entry.id,
                         user_id=actor.user_id, username=actor.username)

    def attach_photo(self, source: str) -> str:
        """Copy a photo into the data folder (foto/); the entry stores the returned name."""
        self._session.require(EDIT)
        path = Path(source)
        try:
            head = path.read_bytes()[:8]
        except OSError as exc:
            raise ValidationFailed([Issue("photos", f"Foto {path.name} tidak dapat dibaca: "
                                                    f"{exc.strerror or exc}.")]) from exc
        if not any(head.startswith(magic) for magic in _IMAGE_MAGIC):
            raise ValidationFailed([Issue("photos", f"{path.name} bukan foto JPEG atau PNG.")])
        folder = self._db.paths.root / PHOTO_FOLDER
        folder.mkdir(exist_ok=True)
        name = f"{uuid.uuid4().hex}{path.suffix.lower() or '.jpg'}"
        shutil.copyfile(path, folder / name)
        return name

    def photo_path(self, name: str) -> Path:
        return self._db.paths.root / PHOTO_FOLDER / Path(name).name

    # ------------------------------------------------------------- reads

    def get(self, entry_id: str) -> EntryView:
        """One entry in full with its members: recorded in the audit trail as a view."""
        actor = self._session.require(VIEW)
        with self._db.write(actor.user_id) as s:
            entry = s.get(RegisterEntry, entry_id)
            if entry is None:
                raise NotFound("Data tidak ditemukan.")
            form = self.form(entry.register_code)
            self._require(form, VIEW)
            members = s.exec(select(RegisterMember, Person).join(
                Person, Person.id == RegisterMember.person_id).where(
                RegisterMember.entry_id == entry.id, RegisterMember.deleted_at == None)  # noqa
                .order_by(Person.name)).all()
            append_audit(s, action="view", entity=entry.register_code, entity_id=entry.id,
                         user_id=actor.user_id, username=actor.username)
            return EntryView(entry, decode_values(form, entry.data), [tuple(m) for m in members])

    # ------------------------------------------------------------- helpers

    def _require(self, form: FormSpec, permission: str):
        actor = self._session.require(permission)
        if form.confidential and not actor.can_view_sensitive:
            raise PermissionDenied(f"{form.title} bersifat rahasia. Akun Anda belum diberi izin "
                                   "melihat data sensitif; hubungi administrator.")
        return actor

    @staticmethod
    def _load_for_change(s, entry_id: str, expected_version: int | None) -> RegisterEntry:
        entry = s.get(RegisterEntry, entry_id)
        if entry is None or entry.deleted_at is not None:
            raise NotFound("Data tidak ditemukan (mungkin sudah dipindahkan ke sampah).")
        if expected_version is not None and entry.version_hlc != expected_version:
            raise StaleRecord("Data ini baru saja diubah oleh pengguna lain. Muat ulang daftar "
                              "lalu coba lagi.")
        return entry
