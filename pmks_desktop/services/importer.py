"""Import persons or register entries from Excel/CSV: template, mapping, dry run, commit.

    template(target, path)          the expected columns, NIK/KK formatted as text, a guide sheet
    read(path) -> Sheet             .xlsx or .csv, with clear errors for broken files
    suggest_mapping(target, headers) file column -> import column, by header names
    plan(target, sheet, mapping)    the dry run: one verdict per row, nothing written
    commit(plan)                    all or nothing: one transaction for the whole plan

Persons and entries are written through the ORM, so change capture (sync) sees every row; the
audit trail gets one "import" entry with the file name and the counts.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.domain.roles import EDIT
from pmks_desktop.services.errors import NotFound, PermissionDenied, ServiceError, StaleRecord
from pmks_desktop.services.errors import OperationCancelled
from pmks_desktop.services.exports import check_cancel
from pmks_desktop.services.import_columns import (PERSONS, PERSONS_TITLE, ImportColumn,
                                                  columns_for, mapping_problems,
                                                  suggest_mapping, write_template)
from pmks_desktop.services.import_entries import EntryPlanner
from pmks_desktop.services.import_plan import (STATUSES, EntryWrite,
                                               ImportPlan, PersonPlanner, PersonWrite, RowPlan,
                                               load_reference, nik_key)
from pmks_desktop.services.import_reading import ImportFileError, Sheet, read_sheet
from pmks_desktop.services.office import KNOWN_KABUPATEN_KEY
from pmks_desktop.services.persons import PersonService
from pmks_desktop.services.registers import RegisterService
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import AppSetting, Person, RegisterEntry

__all__ = ["ImportService", "ImportPlan", "ImportResult", "RowPlan", "Sheet", "ImportColumn",
           "ImportFileError", "OperationCancelled", "PERSONS", "STATUSES"]

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class ImportResult:
    counts: dict[str, int]  # per status; "ditolak" counts rows skipped with skip_rejected
    file_name: str

    @property
    def written(self) -> int:
        return self.counts.get("baru", 0) + self.counts.get("diperbarui", 0)


class ImportService:
    def __init__(self, db: Database, session: UserSession, persons: PersonService,
                 registers: RegisterService, forms: dict[str, FormSpec],
                 settings=None):
        self._db = db
        self._session = session
        self._persons = persons
        self._registers = registers
        self._forms = forms
        self._settings = settings  # SettingsService: defaults such as the KUBE aid value

    # ------------------------------------------------------------- targets and columns

    def targets(self) -> list[tuple[str, str]]:
        """(target, title) of everything that can be imported."""
        return [(PERSONS, PERSONS_TITLE)] + [(f.id, f.title) for f in self._forms.values()]

    def title(self, target: str) -> str:
        return PERSONS_TITLE if target == PERSONS else self._form(target).title

    def columns(self, target: str) -> list[ImportColumn]:
        if target != PERSONS:
            self._form(target)
        return columns_for(target, self._forms)

    def _form(self, target: str) -> FormSpec:
        if target not in self._forms:
            raise NotFound(f"Tujuan impor '{target}' tidak dikenal. Pilih 'persons' atau salah "
                           f"satu register: {', '.join(sorted(self._forms))}.")
        return self._forms[target]

    def template(self, target: str, path: Path | str) -> Path:
        path = Path(path)
        try:
            write_template(path, self.title(target), self.columns(target))
        except OSError as exc:
            raise ServiceError(f"Templat tidak dapat disimpan ke {path.name}: "
                               f"{exc.strerror or exc}.") from exc
        return path

    # ------------------------------------------------------------- reading and mapping

    def read(self, path: Path | str) -> Sheet:
        return read_sheet(path)

    def suggest_mapping(self, target: str, headers: list[str]) -> dict[int, str]:
        return suggest_mapping(self.columns(target), headers)

    def mapping_problems(self, target: str, mapping: dict[int, str]) -> list[str]:
        form = None if target == PERSONS else self._form(target)
        return mapping_problems(target, form, self.columns(target), mapping)

    # ------------------------------------------------------------- dry run

    def plan(self, target: str, sheet: Sheet, mapping: dict[int, str],
             progress: Progress | None = None, cancelled: Cancelled | None = None, *,
             parent_id: str | None = None) -> ImportPlan:
        """Check every row as the forms would; write nothing."""
        form = None if target == PERSONS else self._form(target)
        self._actor(form)
        mapping = {i: k for i, k in mapping.items() if k}
        problems = self.mapping_problems(target, mapping)
        if form is not None and form.parent and not parent_id:
            parent = self._forms[form.parent].title if form.parent in self._forms else form.parent
            problems.append(f"Pilih dulu data {parent} yang menjadi induk data ini.")
        if problems:
            raise ImportFileError("\n".join(problems))
        columns = self.columns(target)
        ref = load_reference(self._db, self._kabupaten(), self._setting_values(),
                             *self._identity_numbers(sheet, mapping))
        planner = PersonPlanner(self._db, ref, columns, mapping) if form is None else \
            EntryPlanner(self._db, ref, columns, mapping, self._registers, form, parent_id)
        rows = planner.run(sheet, progress, cancelled)
        return ImportPlan(target, self.title(target), sheet.file_name, sheet.sheet_name, rows,
                          parent_id)

    @staticmethod
    def _identity_numbers(sheet: Sheet, mapping: dict[int, str]) -> tuple[set[str], set[str]]:
        """Every NIK and No. KK in the file, so persons and families are read in one go."""
        niks, kks = set(), set()
        for index, key in mapping.items():
            target = niks if key in ("nik", "person.nik", "members") else \
                kks if key == "kk" else None
            if target is None:
                continue
            for _number, cells in sheet.rows:
                value = cells[index] if index < len(cells) else None
                if isinstance(value, str):
                    parts = value.replace(";", ",").replace("\n", ",").split(",") \
                        if key == "members" else [value]
                    target.update(k for k in (nik_key(p.split("(")[0]) for p in parts) if k)
        return niks, kks

    def _kabupaten(self) -> frozenset[str]:
        with self._db.read() as s:
            setting = s.get(AppSetting, KNOWN_KABUPATEN_KEY)
        return frozenset(json.loads(setting.value)) if setting else frozenset()

    def _setting_values(self) -> dict:
        return self._settings.all() if self._settings is not None else {}

    def _actor(self, form: FormSpec | None):
        actor = self._session.require(EDIT)
        if form is not None and form.confidential and not actor.can_view_sensitive:
            raise PermissionDenied(f"{form.title} bersifat rahasia. Akun Anda belum diberi izin "
                                   "melihat data sensitif; hubungi administrator.")
        return actor

    # ------------------------------------------------------------- commit

    def commit(self, plan: ImportPlan, progress: Progress | None = None,
               cancelled: Cancelled | None = None, *, skip_rejected: bool = False
               ) -> ImportResult:
        """Write every new and changed row in ONE transaction; any failure writes nothing."""
        form = None if plan.target == PERSONS else self._form(plan.target)
        actor = self._actor(form)
        rejected = plan.rejected
        if rejected and not skip_rejected:
            rows = ", ".join(str(r.row_number) for r in rejected[:10])
            more = " dan lainnya" if len(rejected) > 10 else ""
            raise ServiceError(f"{len(rejected)} baris ditolak (baris {rows}{more}). Perbaiki "
                               "berkasnya lalu ulangi uji coba, atau pilih untuk melewati baris "
                               "yang ditolak. Belum ada data yang disimpan.")
        todo, counts = plan.changes, plan.counts()
        pending: list[RowPlan] = []  # rows written since the last flush: where an error lies
        try:
            with self._db.write(actor.user_id) as s:
                self._check_new_niks(s, todo)
                self._write_rows(s, form, plan, todo, pending, progress, cancelled)
                append_audit(s, action="import", entity="person" if form is None else form.id,
                             detail={"file": plan.file_name, "sheet": plan.sheet_name,
                                     "counts": counts, "skipped_rejected": bool(rejected)},
                             user_id=actor.user_id, username=actor.username)
        except SQLAlchemyError as exc:
            numbers = [r.row_number for r in pending]
            where = "" if not numbers else f" pada baris {numbers[0]}" if len(numbers) == 1 \
                else f" pada salah satu baris {numbers[0]}–{numbers[-1]}"
            detail = getattr(exc, "orig", None) or exc
            raise ServiceError(f"Impor gagal{where}; tidak ada data yang disimpan. "
                               f"Rincian: {detail}") from exc
        return ImportResult(counts, plan.file_name)

    def _write_rows(self, s, form, plan, todo, pending, progress, cancelled) -> None:
        # Flushing every row ran change capture per row (3x slower); every 500 rows keeps
        # memory bounded and still narrows a database error down to a few rows.
        for done, row in enumerate(todo, start=1):
            check_cancel(cancelled)  # raising here rolls the whole import back
            pending.append(row)
            self._write_row(s, form, plan, row)
            if done % 500 == 0 or done == len(todo):
                s.flush()
                pending.clear()
            if progress is not None and (done % 25 == 0 or done == len(todo)):
                progress(done, len(todo),
                         f"Menyimpan baris {done:,} dari {len(todo):,}".replace(",", "."))

    def _write_row(self, s, form: FormSpec | None, plan: ImportPlan, row: RowPlan) -> None:
        action = row.action
        if isinstance(action, PersonWrite):
            self._write_person(s, action, row.row_number)
        elif isinstance(action, EntryWrite):
            self._write_entry(s, form, plan, action, row.row_number)

    @staticmethod
    def _stale(number: int) -> StaleRecord:
        return StaleRecord(f"Baris {number}: data di basis data berubah sejak uji coba (ada yang "
                           "menyimpan dari jendela atau komputer lain). Jalankan uji coba lagi; "
                           "tidak ada data yang disimpan.")

    def _check_new_niks(self, s, rows: list[RowPlan]) -> None:
        """A NIK planned as new that someone registered since the dry run stops the commit.

        One query for the whole plan: a query per row would flush per row, which made large
        imports several times slower.
        """
        planned = {}
        for row in rows:
            action = row.action
            new = action if isinstance(action, PersonWrite) else \
                action.new_person if isinstance(action, EntryWrite) else None
            if new is not None and new.person_id is None and new.values.get("nik"):
                planned.setdefault(new.values["nik"], row.row_number)
        niks = sorted(planned)
        for i in range(0, len(niks), 500):
            taken = s.exec(select(Person.nik).where(Person.nik.in_(niks[i:i + 500]),
                                                    Person.deleted_at == None)).first()  # noqa
            if taken:
                raise self._stale(planned[taken])

    def _write_person(self, s, action: PersonWrite, number: int) -> Person:
        if action.person_id is None:
            person = Person(**action.values)  # the id is made here; flushed in batches
            s.add(person)
            return person
        person = s.get(Person, action.person_id)
        if person is None or person.deleted_at is not None or \
                person.version_hlc != action.version:
            raise self._stale(number)
        for key, value in action.values.items():
            setattr(person, key, value)
        return person

    def _write_entry(self, s, form: FormSpec, plan: ImportPlan, action: EntryWrite,
                     number: int) -> None:
        values = dict(action.values)
        if action.new_person is not None:
            values[form.person_field] = self._write_person(s, action.new_person, number).id
            s.flush()  # the projection below looks the new person up
        if action.entry_id is None:
            entry = RegisterEntry(register_code=form.id, title="")
        else:
            entry = s.get(RegisterEntry, action.entry_id)
            if entry is None or entry.deleted_at is not None or \
                    entry.version_hlc != action.version:
                raise self._stale(number)
        # The register service's own projection and member sync: an imported entry is stored
        # exactly as one saved from the form.
        self._registers.project(s, form, entry, values, plan.parent_id)
        s.add(entry)
        s.flush()
        if action.members is not None:
            self._registers.sync_members(s, entry, action.members)
