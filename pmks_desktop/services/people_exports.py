"""Exporting the person and household lists (Penduduk tab) to .xlsx, filter applied.

Same rules as every list export (services/exports.py): EXPORT permission, NIK and No. KK masked
as the list shows them, a .partial file renamed only with its audit entry.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from pmks_desktop.domain.identity import mask_nik
from pmks_desktop.domain.roles import EXPORT
from pmks_desktop.services.exports import SEX_WORDS, ExportService, step_progress, ExportTable
from pmks_desktop.services.people_queries import PeopleQueries
from pmks_desktop.services.session import UserSession

PAGE = 1000


def _pages(fetch: Callable) -> Iterator:
    after = None
    while True:
        rows = fetch(after, PAGE)
        yield from rows
        if len(rows) < PAGE:
            return
        after = rows[-1].cursor


class PeopleExports:
    def __init__(self, session: UserSession, people: PeopleQueries, exports: ExportService):
        self._session = session
        self._people = people
        self._exports = exports  # writes the file and its audit entry

    def _filters(self, text: str, desa_code: str | None) -> str:
        parts = []
        if desa_code:
            parts.append(f"Desa {self._exports.desa_names().get(desa_code, desa_code)}")
        if text.strip():
            parts.append(f"Pencarian \"{text.strip()}\"")
        return "; ".join(parts) or "semua data"

    def export_persons(self, text: str, desa_code: str | None, path: Path | str,
                       progress=None, cancelled=None) -> int:
        actor = self._session.require(EXPORT)
        total = self._people.count_persons(text, desa_code)
        filters = self._filters(text, desa_code)

        def rows():
            fetch = lambda after, n: self._people.persons(text, desa_code, after, n)  # noqa: E731
            for number, r in enumerate(_pages(fetch), start=1):
                step_progress(progress, cancelled, number, total)
                yield [number, r.name, r.nik_masked, SEX_WORDS.get(r.sex, r.sex), r.birth_date,
                       r.desa_name, r.address]

        table = ExportTable("Daftar Orang", self._exports.subtitle(filters, actor.username),
                       ["No.", "Nama", "NIK", "Jenis kelamin", "Tanggal lahir", "Desa", "Alamat"],
                       ["int", "text", "text", "text", "date", "text", "text"], rows())
        return self._exports.write(table, Path(path), actor, "person", filters)

    def export_households(self, text: str, desa_code: str | None, path: Path | str,
                          progress=None, cancelled=None) -> int:
        actor = self._session.require(EXPORT)
        total = self._people.count_households(text, desa_code)
        filters = self._filters(text, desa_code)

        def rows():
            fetch = lambda after, n: self._people.households(text, desa_code, after, n)  # noqa
            for number, r in enumerate(_pages(fetch), start=1):
                step_progress(progress, cancelled, number, total)
                yield [number, mask_nik(r.no_kk) if r.no_kk else "-", r.head_name, r.members,
                       r.desa_name, r.address]

        table = ExportTable("Daftar Keluarga (KK)", self._exports.subtitle(filters, actor.username),
                       ["No.", "No. KK", "Kepala keluarga", "Anggota", "Desa", "Alamat"],
                       ["int", "text", "text", "int", "text", "text"], rows())
        return self._exports.write(table, Path(path), actor, "household", filters)
