"""The case list as a lazy Qt table model (see lazy_model.py): columns of a PMKS case."""
from __future__ import annotations

from typing import Callable

from pmks_desktop.domain.formatting import short_date
from pmks_desktop.services.case_queries import CaseRow
from pmks_desktop.ui.lazy_model import Column, LazyRowsModel

COLUMNS: tuple[Column, ...] = (
    ("Nama", lambda r: r.person_name),
    ("NIK", lambda r: r.nik_masked),
    ("L/P", lambda r: r.sex),
    ("Jenis PMKS", lambda r: f"{r.type_code} - {r.type_name}"),
    ("Desa/Kelurahan", lambda r: r.desa_name),
    ("Tgl. Dicatat", lambda r: short_date(r.recorded_on)),
    ("Status", lambda r: r.status_label),
)
TRASH_COLUMN: Column = ("Alasan Dihapus", lambda r: r.deleted_reason or "")


class CaseTableModel(LazyRowsModel):
    def __init__(self, fetch_page: Callable[[object, int], list[CaseRow]],
                 count: Callable[[], int], parent=None, sync=None):
        self._extra = [sync.column()] if sync is not None else []  # "Status kirim"
        super().__init__(list(COLUMNS) + self._extra, fetch_page, count, parent,
                         on_page=sync.on_page if sync is not None else None)

    def reload(self, trash: bool = False) -> None:
        self._columns = list(COLUMNS) + ([TRASH_COLUMN] if trash else self._extra)
        super().reload()
