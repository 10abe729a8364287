"""Penduduk: the person and household (KK) register every bidang shares, and the duplicate
review. A person typed here is picked, not typed again, in any register."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QTabWidget, QVBoxLayout,
                               QWidget)

from pmks_desktop.domain.formatting import number_id, short_date
from pmks_desktop.domain.roles import EDIT, ERASE, EXPORT, PRINT, VERIFY
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.households import HouseholdService
from pmks_desktop.services.people_queries import PeopleQueries
from pmks_desktop.services.persons import PersonService
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.models import Desa
from pmks_desktop.ui.export_action import export_list
from pmks_desktop.ui.household_dialog import HouseholdDialog
from pmks_desktop.ui.lazy_model import LazyRowsModel
from pmks_desktop.ui.sync_column import notice_column, sync_column
from pmks_desktop.ui.list_view import make_list_table, selected_row
from pmks_desktop.ui.messages import show_error
from pmks_desktop.ui.person_form import PersonDialog

PERSON_COLUMNS = (("Nama", lambda r: r.name), ("NIK", lambda r: r.nik_masked),
                  ("L/P", lambda r: r.sex),
                  ("Tgl. Lahir", lambda r: short_date(r.birth_date) if r.birth_date else "-"),
                  ("Desa/Kelurahan", lambda r: r.desa_name), ("Alamat", lambda r: r.address))
HOUSEHOLD_COLUMNS = (("No. KK", lambda r: r.no_kk or "-"),
                     ("Kepala Keluarga", lambda r: r.head_name),
                     ("Anggota", lambda r: number_id(r.members)),
                     ("Desa/Kelurahan", lambda r: r.desa_name), ("Alamat", lambda r: r.address))


@dataclass
class PeopleDeps:
    queries: PeopleQueries
    persons: PersonService
    households: HouseholdService
    desa: list[Desa]
    session: UserSession
    duplicates: object | None = None  # DuplicateReview, when available
    duplicate_hub: object | None = None  # HubLinks at the Dinas Sosial: link, never merge
    importer: object | None = None  # ImportService, when available
    exports: object | None = None  # PeopleExports, when available
    open_letter: object | None = None  # open_letter(parent, "person", person_id, title)
    sync_states: object | None = None  # (table, ids) -> "Status kirim" texts, at an office
    link_notices: object | None = None  # ids -> the Dinas Sosial's decisions, at an office
    areas: list | None = None  # filter choices when not the desa (the hub's kecamatan)
    erasure: object | None = None  # ErasureService: "Hapus Permanen" for administrators
    at_hub: bool = False


class _ListPage(QWidget):
    """Search box, desa filter, buttons, a lazy table and its count."""

    changed = Signal()

    def __init__(self, columns, fetch, count, desa: list[Desa], noun: str, parent=None,
                 extras=()):
        super().__init__(parent)
        self._fetch, self._count_fn, self._noun = fetch, count, noun
        self.search = QLineEdit(placeholderText="Cari nama, NIK atau No. KK…")
        self.search.setClearButtonEnabled(True)
        self.desa = QComboBox()
        # At the hub the choices are kecamatan (codes shorter than a desa code).
        by_kecamatan = bool(desa) and len(desa[0].code) < 13
        self.desa.addItem("Semua kecamatan" if by_kecamatan else "Semua desa", None)
        for d in desa:
            self.desa.addItem(d.name, d.code)
        # Extra columns looked up page by page (ui/sync_column.py): absent ones are None.
        extras = [e for e in extras if e is not None]

        def on_page(rows: list) -> None:
            for extra in extras:
                extra.on_page(rows)

        self.model = LazyRowsModel(list(columns) + [e.column() for e in extras], self._page,
                                   self._count, self, on_page=on_page if extras else None)
        self.table = make_list_table(self.model, default_width=170)
        self.count_label = QLabel()
        self.buttons = QHBoxLayout()
        timer = QTimer(self, singleShot=True, interval=250)
        timer.timeout.connect(self.reload)
        self.search.textChanged.connect(timer.start)
        self.desa.currentIndexChanged.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.desa, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.buttons)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    def _page(self, after, limit):
        return self._fetch(self.search.text(), self.desa.currentData(), after, limit)

    def _count(self):
        return self._count_fn(self.search.text(), self.desa.currentData())

    def reload(self) -> None:
        self.model.reload()
        self.count_label.setText(f"{number_id(self.model.total)} {self._noun}")
        self.changed.emit()

    def selected(self):
        return selected_row(self.table)

    def add_button(self, text: str, slot, enabled: bool = True) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        button.setEnabled(enabled)
        self.buttons.addWidget(button)
        return button


class PeopleTab(QWidget):
    data_changed = Signal()

    def __init__(self, deps: PeopleDeps, parent=None):
        super().__init__(parent)
        self._deps = deps
        q, can_edit = deps.queries, deps.session.allows(EDIT)
        self.persons = _ListPage(PERSON_COLUMNS, lambda t, d, a, n: q.persons(t, d, a, n),
                                 q.count_persons, deps.areas or deps.desa, "orang",
                                 extras=(sync_column(deps.sync_states, "person"),
                                         notice_column(deps.link_notices)))
        self.households = _ListPage(HOUSEHOLD_COLUMNS,
                                    lambda t, d, a, n: q.households(t, d, a, n),
                                    q.count_households, deps.areas or deps.desa, "keluarga")
        self.persons.add_button("Daftarkan Orang…", self.new_person, can_edit)
        self.persons.add_button("Ubah Data Orang…", self.edit_person, can_edit)
        self.persons.add_button("Keluarganya…", self.person_household)
        if deps.open_letter is not None:
            self.persons.add_button("Buat Surat…", self.make_letter,
                                    deps.session.allows(PRINT))
        if deps.importer is not None:
            self.persons.add_button("Impor dari Excel…", self.import_persons, can_edit)
        if deps.exports is not None:
            can_export = deps.session.allows(EXPORT)
            self.persons.add_button("Ekspor ke Excel…", lambda: self.export(
                self.persons, "Daftar Orang", "orang", deps.exports.export_persons), can_export)
            self.households.add_button("Ekspor ke Excel…", lambda: self.export(
                self.households, "Daftar Keluarga", "keluarga", deps.exports.export_households),
                can_export)
        if deps.duplicates is not None:
            self.persons.add_button("Tinjau Data Ganda…", self.review_duplicates,
                                    deps.session.allows(VERIFY))
        if deps.erasure is not None and deps.session.allows(ERASE):  # others never see it
            self.persons.add_button("Hapus Permanen…", self.erase_person)
        self.persons.buttons.addStretch(1)
        self.households.add_button("Daftarkan Keluarga…", self.new_household, can_edit)
        self.households.add_button("Ubah Keluarga…", self.edit_household, can_edit)
        self.households.buttons.addStretch(1)
        self.persons.table.doubleClicked.connect(lambda _i: self.edit_person())
        self.households.table.doubleClicked.connect(lambda _i: self.edit_household())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.persons, "Orang")
        self.tabs.addTab(self.households, "Keluarga (KK)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.persons.reload()
        self.households.reload()

    def _after_change(self) -> None:
        self.persons.reload()
        self.households.reload()
        self.data_changed.emit()

    def new_person(self) -> None:
        if PersonDialog(self._deps.persons, self._deps.desa, parent=self).exec():
            self._after_change()

    def make_letter(self) -> None:
        row = self.persons.selected()
        if row is not None:
            self._deps.open_letter(self, "person", row.id, row.name)

    def edit_person(self) -> None:
        row = self.persons.selected()
        if row is None:
            return
        try:
            person = self._deps.persons.get(row.id)
        except ServiceError as exc:
            show_error(self, exc)
            return
        if PersonDialog(self._deps.persons, self._deps.desa, person, parent=self).exec():
            self._after_change()

    def person_household(self) -> None:
        row = self.persons.selected()
        if row is None:
            return
        household = self._deps.households.of_person(row.id)
        if household is None:
            show_error(self, f"{row.name} belum tercatat dalam keluarga (KK) mana pun. Daftarkan "
                             "keluarganya di halaman \"Keluarga (KK)\".")
            return
        self._open_household(household.id)

    def _open_household(self, household_id: str | None) -> None:
        d = self._deps
        try:
            dialog = HouseholdDialog(d.households, d.persons, d.desa, household_id=household_id,
                                     parent=self)
        except ServiceError as exc:
            show_error(self, exc)
            return
        if dialog.exec():
            self._after_change()

    def new_household(self) -> None:
        self._open_household(None)

    def edit_household(self) -> None:
        row = self.households.selected()
        if row is not None:
            self._open_household(row.id)

    def export(self, page: "_ListPage", title: str, stem: str, run) -> None:
        text, desa = page.search.text(), page.desa.currentData()
        self._export_job = export_list(
            self, title, f"{stem}-{date.today():%Y%m%d}",
            lambda path, progress, cancelled: run(text, desa, path, progress, cancelled))

    def import_persons(self) -> None:
        from pmks_desktop.ui.import_wizard import ImportWizard

        ImportWizard(self._deps.importer, "persons", "Data Orang", self).exec()
        self._after_change()

    def erase_person(self) -> None:
        from pmks_desktop.ui.erasure_dialog import ErasureDialog

        row = self.persons.selected()
        if row is None:
            show_error(self, "Pilih orang yang datanya akan dihapus permanen.")
            return
        try:
            plan = self._deps.erasure.plan(row.id)
        except ServiceError as exc:
            show_error(self, exc)
            return
        if ErasureDialog(self._deps.erasure, plan, self._deps.at_hub, self).exec():
            self._after_change()

    def review_duplicates(self) -> None:
        from pmks_desktop.ui.duplicate_review import DuplicateReviewDialog

        DuplicateReviewDialog(self._deps.duplicates, self, hub=self._deps.duplicate_hub).exec()
        self._after_change()
