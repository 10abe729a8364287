"""Any list to .xlsx with its filter applied: case lists and register lists.

The rows come page by page from the same queries the table models use, so an export shows
exactly what the list shows (sensitive types and confidential registers stay hidden from users
without the permission, NIK stays masked: a list export never carries a full NIK off the PC).
The file is written beside the target as `.partial` and renamed at the end, so a cancel or an
error never leaves half a file under the real name. Each export is audited: what, the filter,
the number of rows and the file name ("what left this PC, when").
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlmodel import select

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.forms import FieldSpec, FormSpec
from pmks_desktop.domain.identity import mask_nik
from pmks_desktop.domain.roles import EXPORT
from pmks_desktop.services.case_queries import CaseQueries, CaseQuery
from pmks_desktop.services.errors import (NotFound, OperationCancelled,  # noqa: F401
                                          PermissionDenied, ServiceError)
from pmks_desktop.services.lookup import find_status, find_type
from pmks_desktop.services.register_queries import EntryQuery, RegisterQueries
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import Desa, Household, Person, RegisterEntry

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]
PAGE = 1000
SEX_WORDS = {"L": "Laki-laki", "P": "Perempuan"}
_SKIPPED_TYPES = ("photos",)  # file names of photos mean nothing outside this PC


def check_cancel(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise OperationCancelled()


@dataclass(frozen=True)
class ExportTable:
    title: str
    subtitle: str
    headers: list[str]
    kinds: list[str]
    rows: Iterable[list]


class ExportService:
    def __init__(self, session: UserSession, case_queries: CaseQueries,
                 register_queries: RegisterQueries, forms: dict[str, FormSpec],
                 catalogue: Catalogue, db: Database):
        self._session = session
        self._cases = case_queries
        self._entries = register_queries
        self._forms = forms
        self._catalogue = catalogue
        self._db = db

    # ------------------------------------------------------------- cases

    def export_cases(self, query: CaseQuery, path: Path | str, progress: Progress | None = None,
                     cancelled: Cancelled | None = None) -> int:
        actor = self._session.require(EXPORT)
        total = self._cases.count(query)
        filters = self._case_filter_text(query)
        title = "Daftar Data PMKS" + (f" — {self._bidang_name(query.bidang)}"
                                      if query.bidang else "")
        headers = ["No.", "Nama", "NIK", "Jenis kelamin", "Kode PMKS", "Jenis PMKS", "Desa",
                   "Tanggal dicatat", "Status"]
        kinds = ["int", "text", "text", "text", "text", "text", "text", "date", "text"]
        if query.trash:
            headers.append("Alasan dihapus")
            kinds.append("text")

        def rows() -> Iterator[list]:
            for number, row in enumerate(self._case_rows(query), start=1):
                step_progress(progress, cancelled, number, total)
                values = [number, row.person_name, row.nik_masked, SEX_WORDS.get(row.sex, row.sex),
                          row.type_code, row.type_name, row.desa_name, row.recorded_on,
                          row.status_label]
                yield values + ([row.deleted_reason or ""] if query.trash else [])

        table = ExportTable(title, self.subtitle(filters, actor.username), headers, kinds, rows())
        return self.write(table, Path(path), actor, "pmks_case", filters)

    def _case_rows(self, query: CaseQuery):
        after = None
        while True:
            page = self._cases.page(query, after, PAGE)
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1].cursor

    def _bidang_name(self, code: str) -> str:
        try:
            return self._catalogue.bidang_name(code)
        except ValueError:
            return code

    def _case_filter_text(self, q: CaseQuery) -> str:
        parts = []
        if q.bidang:
            parts.append(f"Bidang {self._bidang_name(q.bidang)}")
        if q.type_code:
            pmks_type = find_type(self._catalogue, q.type_code)
            parts.append(f"Jenis {pmks_type.label if pmks_type else q.type_code}")
        if q.desa_code:
            parts.append(f"Desa {self.desa_names().get(q.desa_code, q.desa_code)}")
        if q.status:
            status = find_status(self._catalogue, q.status)
            parts.append(f"Status {status.label if status else q.status}")
        if q.text.strip():
            parts.append(f"Pencarian \"{q.text.strip()}\"")
        if q.trash:
            parts.append("isi Sampah")
        return "; ".join(parts) or "semua data"

    # ------------------------------------------------------------- register entries

    def export_entries(self, query: EntryQuery, path: Path | str,
                       progress: Progress | None = None,
                       cancelled: Cancelled | None = None) -> int:
        actor = self._session.require(EXPORT)
        form = self._forms.get(query.register)
        if form is None:
            raise NotFound(f"Register '{query.register}' tidak dikenal.")
        if form.confidential and not actor.can_view_sensitive:
            raise PermissionDenied(f"{form.title} bersifat rahasia. Akun Anda belum diberi izin "
                                   "melihat data sensitif; hubungi administrator.")
        total = self._entries.count(query)
        fields = export_fields(form)
        filters = self._entry_filter_text(form, query)
        headers = ["No."] + [f.label for f in fields]
        kinds = ["int"] + [_kind(f) for f in fields]
        if query.trash:
            headers.append("Alasan dihapus")
            kinds.append("text")
        shower = _EntryValues(self._db, self.desa_names())

        def rows() -> Iterator[list]:
            number = 0
            for batch in _batches(self._entries.all_rows(query, PAGE), PAGE):
                shower.load_links(form, batch)
                for row in batch:
                    number += 1
                    step_progress(progress, cancelled, number, total)
                    values = [number] + [shower.show(f, row.values.get(f.name)) for f in fields]
                    yield values + ([row.deleted_reason or ""] if query.trash else [])

        table = ExportTable(f"Daftar {form.title}", self.subtitle(filters, actor.username),
                       headers, kinds, rows())
        return self.write(table, Path(path), actor, form.id, filters)

    def _entry_filter_text(self, form: FormSpec, q: EntryQuery) -> str:
        parts = []
        if q.parent_id:
            with self._db.read() as s:
                parent = s.get(RegisterEntry, q.parent_id)
            parts.append(f"Induk: {parent.title if parent else q.parent_id}")
        if q.desa_code:
            parts.append(f"Desa {self.desa_names().get(q.desa_code, q.desa_code)}")
        if q.status and form.status_field:
            spec = form.field(form.status_field)
            parts.append(f"{spec.label} {spec.choice_label(q.status)}")
        for name, value in q.fields.items():
            if value not in (None, "") and form.has_field(name):
                spec = form.field(name)
                parts.append(f"{spec.label} {spec.choice_label(str(value))}")
        if q.text.strip():
            parts.append(f"Pencarian \"{q.text.strip()}\"")
        if q.trash:
            parts.append("isi Sampah")
        return "; ".join(parts) or "semua data"

    # ------------------------------------------------------------- shared

    def desa_names(self) -> dict[str, str]:
        with self._db.read() as s:
            return dict(s.exec(select(Desa.code, Desa.name)).all())

    @staticmethod
    def subtitle(filters: str, username: str) -> str:
        return f"Filter: {filters}. Diambil {datetime.now():%d-%m-%Y %H:%M} oleh {username}."

    def write(self, table: ExportTable, path: Path, actor, entity: str, filters: str) -> int:
        from pmks_desktop.reports.xlsx_export import write_table  # openpyxl only when used

        partial = path.with_suffix(".partial")
        renamed = False
        try:
            count = write_table(partial, title=table.title, subtitle=table.subtitle,
                                headers=table.headers, rows=table.rows, kinds=table.kinds)
            # Audit and rename in one transaction: a file that appears is always in the trail.
            with self._db.write(actor.user_id) as s:
                append_audit(s, action="export", entity=entity,
                             detail={"what": table.title, "filter": filters, "rows": count,
                                     "file": path.name},
                             user_id=actor.user_id, username=actor.username)
                os.replace(partial, path)
                renamed = True
        except OSError as exc:
            raise ServiceError(f"Berkas {path.name} tidak dapat ditulis: "
                               f"{exc.strerror or exc}. Tutup berkas itu bila sedang dibuka di "
                               "Excel, atau pilih folder lain.") from exc
        except BaseException:
            if renamed:  # the audit entry did not commit: the file must not stay either
                path.unlink(missing_ok=True)
            raise
        finally:
            partial.unlink(missing_ok=True)
        return count


def export_fields(form: FormSpec) -> list[FieldSpec]:
    """The list's columns first, then every other field of the form (photos left out)."""
    listed = [form.field(name) for name in form.list_columns]
    rest = [f for f in form.fields if f.name not in form.list_columns]
    return [f for f in listed + rest if f.type not in _SKIPPED_TYPES]


def _kind(spec: FieldSpec) -> str:
    return {"integer": "int", "money": "money", "decimal": "decimal",
            "date": "date"}.get(spec.type, "text")


def step_progress(progress: Progress | None, cancelled: Cancelled | None, done: int, total: int) -> None:
    if done % 200 == 0 or done == total:
        check_cancel(cancelled)
        if progress is not None:
            progress(done, total, f"Mengekspor baris {done:,} dari {total:,}".replace(",", "."))


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _EntryValues:
    """Stored values as a reader expects them: labels, names, masked numbers."""

    def __init__(self, db: Database, desa_names: dict[str, str]):
        self._db = db
        self._desa = desa_names
        self._persons: dict[str, str] = {}
        self._households: dict[str, str] = {}

    def load_links(self, form: FormSpec, rows) -> None:
        """Names of the persons and households one page of entries points at (two reads)."""
        person_ids, household_ids = set(), set()
        for spec in form.fields:
            target = person_ids if spec.type == "person" else \
                household_ids if spec.type == "household" else None
            if target is not None:
                target.update(r.values[spec.name] for r in rows if r.values.get(spec.name))
        with self._db.read() as s:
            if person_ids:
                self._persons = dict(s.exec(select(Person.id, Person.name)
                                            .where(Person.id.in_(person_ids))).all())
            if household_ids:
                found = s.exec(select(Household.id, Household.no_kk, Person.name)
                               .join(Person, Person.id == Household.head_person_id, isouter=True)
                               .where(Household.id.in_(household_ids))).all()
                self._households = {hid: _household_label(kk, head) for hid, kk, head in found}

    def show(self, spec: FieldSpec, value):
        if value is None or value == "" or value == []:
            return None
        kind = spec.type
        if kind in ("integer", "money", "decimal", "date"):
            return value if isinstance(value, (int, float, date)) else str(value)
        if kind == "choice":
            return spec.choice_label(str(value))
        if kind == "multichoice":
            return ", ".join(spec.choice_label(str(v)) for v in value)
        if kind == "bool":
            return "Ya" if value else "Tidak"
        if kind in ("nik", "kk"):
            return mask_nik(str(value))
        if kind == "desa":
            return self._desa.get(value, value)
        if kind == "person":
            return self._persons.get(value, "(tidak ditemukan)")
        if kind == "household":
            return self._households.get(value, "(tidak ditemukan)")
        if kind == "items":
            return "; ".join(_item_text(spec, item) for item in value)
        return str(value)


def _household_label(no_kk: str | None, head: str | None) -> str:
    kk = f"KK {mask_nik(no_kk)}" if no_kk else "KK -"
    return f"{head} ({kk})" if head else kk


def _item_text(spec: FieldSpec, item: dict) -> str:
    parts = []
    for column in spec.columns:
        value = item.get(column.name)
        if value not in (None, ""):
            parts.append(column.choice_label(str(value)) if column.type == "choice" else str(value))
    return " ".join(parts)
