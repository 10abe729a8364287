"""The import's dry run: a verdict for every row, nothing written.

Each row becomes "baru", "diperbarui", "tidak berubah" or "ditolak" with its reasons, in the
words the forms use, because the checks are the services' own (check_person, the function behind
PersonService.check, and RegisterService.check). What is looked up for every row (desa, persons
by NIK, families by No. KK, the register's entries) is read once, before the rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from sqlmodel import select

from pmks_desktop.domain.identity import normalize_number
from pmks_desktop.domain.names import SIMILAR_NAME_THRESHOLD, name_similarity
from pmks_desktop.services.exports import check_cancel
from pmks_desktop.services.import_columns import ImportColumn
from pmks_desktop.services.import_reading import (CellError, Sheet, cell_date, cell_identity,
                                                  cell_text, is_blank, normalise_header)
from pmks_desktop.services.person_input import PersonInput, check_person
from pmks_desktop.services.registers import MemberInput
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import Desa, Household, Person

STATUS_NEW, STATUS_UPDATED, STATUS_SAME, STATUS_REJECTED = \
    "baru", "diperbarui", "tidak berubah", "ditolak"
STATUSES = (STATUS_NEW, STATUS_UPDATED, STATUS_SAME, STATUS_REJECTED)
PERSON_ATTRS = ("nik", "no_kk", "name", "sex", "birth_place", "birth_date", "desa_code",
                "address", "rt", "rw", "phone", "notes")
_SEX = {"l": "L", "lk": "L", "laki laki": "L", "laki": "L", "pria": "L", "p": "P",
        "pr": "P", "perempuan": "P", "wanita": "P"}
_CHUNK = 500  # SQLite allows 999 bound parameters; stay well below


@dataclass
class PersonWrite:
    person_id: str | None  # None: a new person
    version: int | None
    values: dict  # new: every checked value; update: only the changed ones


@dataclass
class EntryWrite:
    new_person: PersonWrite | None  # created first; its id goes into the person field
    entry_id: str | None
    version: int | None
    values: dict
    members: list[MemberInput] | None  # None: members stay as they are


@dataclass
class RowPlan:
    row_number: int  # as in Excel: the header is row 1
    status: str
    reasons: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # cleaned values that will be written
    warnings: list[str] = field(default_factory=list)
    label: str = ""  # the person's name or the entry's title, for the table
    action: Any = field(default=None, repr=False, compare=False)  # what commit() will do

    def notes(self) -> str:
        """The reasons (or, for rows that pass, the warnings) as one line of sentences."""
        items = self.reasons or [f"Catatan: {w}" for w in self.warnings]
        return " ".join(m if m.rstrip().endswith((".", "!", "?")) else f"{m}." for m in items)


@dataclass
class ImportPlan:
    target: str
    title: str
    file_name: str
    sheet_name: str
    rows: list[RowPlan]
    parent_id: str | None = None

    def counts(self) -> dict[str, int]:
        out = {status: 0 for status in STATUSES}
        for row in self.rows:
            out[row.status] += 1
        return out

    @property
    def rejected(self) -> list[RowPlan]:
        return [r for r in self.rows if r.status == STATUS_REJECTED]

    @property
    def changes(self) -> list[RowPlan]:
        return [r for r in self.rows if r.status in (STATUS_NEW, STATUS_UPDATED)]


def unique(messages: list[str]) -> list[str]:
    return list(dict.fromkeys(messages))


def person_input(existing: Person | None, cells: dict) -> PersonInput:
    """The stored person (if any) with every non-blank cell laid over it: blanks never erase."""
    base: dict = {a: getattr(existing, a) for a in PERSON_ATTRS} if existing else {}
    base.update({k: v for k, v in cells.items() if k in PERSON_ATTRS})
    text = {a: str(base.get(a) or "") for a in PERSON_ATTRS if a != "birth_date"}
    return PersonInput(**text, birth_date=base.get("birth_date"))


# ------------------------------------------------------------------ looked up once

@dataclass
class Reference:
    today: date
    active_desa: set[str]
    desa_by_name: dict[str, str]
    kabupaten: frozenset[str]
    persons_by_nik: dict[str, list[Person]] = field(default_factory=dict)
    households_by_kk: dict[str, list[Household]] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)

    def desa_code(self, value, label: str) -> str:
        text = cell_text(value)
        if text in self.desa_by_name.values():
            return text
        key = normalise_header(re.sub(r"(?i)^\s*(desa|kelurahan|kel\.?|ds\.?)\s+", "", text))
        if key in self.desa_by_name:
            return self.desa_by_name[key]
        raise CellError(f"{label}: desa '{text}' tidak ada dalam daftar desa kantor ini.")


def load_reference(db: Database, kabupaten: frozenset[str], settings: dict,
                   niks: set[str], kks: set[str]) -> Reference:
    with db.read() as s:
        desa = s.exec(select(Desa)).all()
        ref = Reference(date.today(), {d.code for d in desa if d.active},
                        {normalise_header(d.name): d.code for d in desa}, kabupaten,
                        settings=settings)
        wanted = sorted(niks)
        for i in range(0, len(wanted), _CHUNK):
            for p in s.exec(select(Person).where(Person.nik.in_(wanted[i:i + _CHUNK]),
                                                 Person.deleted_at == None,  # noqa: E711
                                                 Person.merged_into_id == None)):  # noqa: E711
                ref.persons_by_nik.setdefault(p.nik, []).append(p)
        wanted = sorted(kks)
        for i in range(0, len(wanted), _CHUNK):
            for h in s.exec(select(Household).where(Household.no_kk.in_(wanted[i:i + _CHUNK]),
                                                    Household.deleted_at == None)):  # noqa: E711
                ref.households_by_kk.setdefault(h.no_kk, []).append(h)
    return ref


# ------------------------------------------------------------------ the planner

Progress = Callable[[int, int, str], None]


class Planner:
    """Turns mapped rows into RowPlans. Subclasses (persons, register entries) provide
    plan_row(number, values, reasons, bad) -> RowPlan."""

    def __init__(self, db: Database, ref: Reference, columns: list[ImportColumn],
                 mapping: dict[int, str]):
        self._db = db
        self._ref = ref
        by_key = {c.key: c for c in columns}
        self._mapped = [(i, by_key[k]) for i, k in sorted(mapping.items()) if k in by_key]
        self._seen: dict[tuple, int] = {}

    def run(self, sheet: Sheet, progress: Progress | None,
            cancelled: Callable[[], bool] | None) -> list[RowPlan]:
        rows, total = [], len(sheet.rows)
        for done, (number, cells) in enumerate(sheet.rows, start=1):
            check_cancel(cancelled)
            values, reasons, bad = self.read_cells(cells)
            row = self.plan_row(number, values, reasons, bad)
            row.reasons = unique(row.reasons)
            if row.reasons:
                row.status, row.action = STATUS_REJECTED, None
            rows.append(row)
            if progress is not None and (done % 25 == 0 or done == total):
                progress(done, total, f"Memeriksa baris {done:,} dari {total:,}"
                         .replace(",", "."))
        return rows


    def read_cells(self, cells: tuple) -> tuple[dict, list[str], set[str]]:
        values, reasons, bad = {}, [], set()
        for index, column in self._mapped:
            raw = cells[index] if index < len(cells) else None
            if is_blank(raw):
                continue  # a blank cell never erases a stored value
            try:
                values[column.key] = self.convert(column, raw)
            except CellError as exc:
                reasons.append(str(exc))
                bad.add(column.issue_field)
        return values, reasons, bad

    def convert(self, column: ImportColumn, raw):
        kind = column.kind
        if kind in ("nik", "kk", "members"):
            return cell_identity(raw, column.label)
        if kind == "date":
            return cell_date(raw, column.label)
        if kind == "phone" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raise CellError(f"{column.label} tersimpan sebagai angka di Excel, sehingga angka 0 "
                            "di depannya hilang. Format kolom itu sebagai Teks lalu ketik ulang.")
        if kind == "number" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return raw
        if kind == "bool" and isinstance(raw, bool):
            return raw
        if kind == "desa":
            return self._ref.desa_code(raw, column.label)
        if kind == "sex":
            text = cell_text(raw)
            return _SEX.get(normalise_header(text), text)
        return cell_text(raw)

    def first_seen(self, key: tuple, number: int) -> int | None:
        """The earlier row with the same key, or None (and this row is remembered)."""
        first = self._seen.setdefault(key, number)
        return first if first != number else None

    def check_person(self, inp: PersonInput):
        return check_person(inp, self._ref.active_desa, self._ref.today, self._ref.kabupaten)

    def similar_person_warning(self, inp: PersonInput, name: str) -> list[str]:
        """A new person without NIK who looks like someone stored: a hint, not a refusal."""
        if inp.birth_date is None:
            return []
        with self._db.read() as s:
            found = s.exec(select(Person).where(
                Person.birth_date == inp.birth_date, Person.desa_code == inp.desa_code,
                Person.deleted_at == None)).all()  # noqa: E711
        return [f"Mungkin sudah terdaftar: {p.name} (nama mirip, tanggal lahir dan desa sama)."
                for p in found if name_similarity(p.name, name) >= SIMILAR_NAME_THRESHOLD]


def nik_key(value) -> str | None:
    """The 16 digits a NIK cell holds, for matching (its validity is checked elsewhere)."""
    number = normalize_number(str(value or ""))
    return number if len(number) == 16 and number.isdigit() else None


class PersonPlanner(Planner):
    def plan_row(self, number, values, reasons, bad) -> RowPlan:
        nik, existing = nik_key(values.get("nik")), None
        if nik:
            first = self.first_seen(("nik", nik), number)
            if first:
                reasons.append(f"NIK {nik} sudah ada pada baris {first} berkas ini.")
            matches = self._ref.persons_by_nik.get(nik, [])
            if len(matches) > 1:
                reasons.append(f"NIK {nik} tercatat pada {len(matches)} orang di basis data; "
                               "periksa dan gabungkan dulu lewat menu Data Orang.")
            existing = matches[0] if len(matches) == 1 else None
        inp = person_input(existing, values)
        checked = self.check_person(inp)
        reasons += [i.message for i in checked.errors if i.field not in bad]
        row = RowPlan(number, STATUS_NEW, reasons,
                      {k: v for k, v in checked.values.items() if k != "name_key"},
                      [w.message for w in checked.warnings], checked.values.get("name") or "")
        if existing is None:
            if not nik and not reasons:
                row.warnings += self.similar_person_warning(inp, row.label)
            row.action = PersonWrite(None, None, checked.values)
            return row
        changed = {k: v for k, v in checked.values.items()
                   if k != "name_key" and getattr(existing, k) != v}
        if "name" in changed:
            changed["name_key"] = checked.values["name_key"]
        row.status = STATUS_UPDATED if changed else STATUS_SAME
        row.action = PersonWrite(existing.id, existing.version_hlc, changed) if changed else None
        if not changed:
            row.warnings = []  # nothing is written: old doubts about the record are not news
        return row
