"""A bidang's PMKS case register: list, search, filters, record, edit, status, trash.

The Rehabilitasi Sosial tab is this class with bidang "rehsos". The tab only calls services;
each button is enabled from the signed-in role, and the services refuse anyway.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel,
                               QTableView, QToolBar, QVBoxLayout, QWidget)

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.formatting import number_id
from pmks_desktop.domain.roles import EDIT, EXPORT, PRINT, RESTORE, STATUS, TRASH, VERIFY
from pmks_desktop.services.case_queries import CaseQueries, CaseRow
from pmks_desktop.services.cases import CaseService
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.persons import PersonService
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.models import Desa
from pmks_desktop.ui.case_dialog import CaseDialog
from pmks_desktop.ui.case_filters import CaseFilterBar
from pmks_desktop.ui.case_table_model import CaseTableModel
from pmks_desktop.ui.export_action import export_list
from pmks_desktop.ui.list_view import make_list_table, selected_row
from pmks_desktop.ui.sync_column import sync_column
from pmks_desktop.ui.messages import call_service, show_error, show_info, trash_with_reason
from pmks_desktop.ui.person_form import PersonDialog
from pmks_desktop.ui.status_dialog import StatusDialog


@dataclass
class RegisterDeps:
    """What a case register tab needs, and nothing more."""

    queries: CaseQueries
    cases: CaseService
    persons: PersonService
    catalogue: Catalogue
    desa: list[Desa]
    session: UserSession
    exports: object | None = None  # ExportService
    open_letter: object | None = None  # open_letter(parent, "case", case_id, title)
    sync_states: object | None = None  # (table, ids) -> "Status kirim" texts, at an office
    areas: list | None = None  # filter choices when not the desa (the hub's kecamatan)


class CaseRegisterTab(QWidget):
    data_changed = Signal()

    def __init__(self, deps: RegisterDeps, bidang: str, parent=None):
        super().__init__(parent)
        self._deps = deps
        self._bidang = bidang
        self._trash = False
        can_see_sensitive = deps.session.actor.can_view_sensitive
        types = [t for t in deps.catalogue.types_for_bidang(bidang)
                 if can_see_sensitive or not t.sensitive]
        self.filters = CaseFilterBar(deps.catalogue, types, deps.areas or deps.desa)
        self.model = CaseTableModel(self._fetch_page, self._count, self,
                                    sync=sync_column(deps.sync_states, "pmks_case"))
        self.table = self._make_table()
        self.count_label = QLabel()
        self.toolbar = self._make_toolbar()
        self._lay_out()
        self.filters.changed.connect(self.reload)
        self.reload()

    # ------------------------------------------------------------- building

    def _make_table(self) -> QTableView:
        table = make_list_table(self.model, (220, 150, 40, 300, 150, 100))
        table.doubleClicked.connect(lambda _index: self.open_selected())
        table.activated.connect(lambda _index: self.open_selected())  # Enter key
        table.selectionModel().selectionChanged.connect(self._update_actions)
        return table

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip or text} ({QKeySequence(shortcut).toString()})"
                          if shortcut else (tip or text))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_toolbar(self) -> QToolBar:
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_case = self._action("Catat Kasus Baru", self.new_case_dialog, "Ctrl+N")
        self.new_person = self._action("Daftarkan Orang", self.new_person_dialog, "Ctrl+Shift+N")
        self.open_case = self._action("Buka / Ubah", self.open_selected, "Ctrl+O")
        self.set_status = self._action("Ubah Status", self.change_status, "Ctrl+T")
        self.to_trash = self._action("Pindahkan ke Sampah", self.move_to_trash, "Delete")
        self.restore = self._action("Pulihkan", self.restore_selected, "Ctrl+R")
        self.show_trash = self._action("Lihat Sampah", self.toggle_trash)
        self.show_trash.setCheckable(True)
        self.export = self._action("Ekspor ke Excel…", self.export_list, "Ctrl+E")
        self.letter = self._action("Buat Surat…", self.make_letter, "Ctrl+L")
        for action in (self.new_case, self.new_person, None, self.open_case, self.set_status,
                       self.to_trash, None, self.letter, self.export, None, self.show_trash,
                       self.restore):
            bar.addSeparator() if action is None else bar.addAction(action)
        return bar

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        layout.addLayout(footer)

    # ------------------------------------------------------------- list

    def _query(self):
        return self.filters.query(self._bidang, trash=self._trash)

    def _fetch_page(self, after, limit: int) -> list[CaseRow]:
        return self._deps.queries.page(self._query(), after=after, limit=limit)

    def _count(self) -> int:
        return self._deps.queries.count(self._query())

    def reload(self) -> None:
        self.model.reload(trash=self._trash)
        what = "kasus di sampah" if self._trash else "kasus"
        self.count_label.setText(f"{number_id(self.model.total)} {what}")
        self._update_actions()

    def selected_row(self) -> CaseRow | None:
        return selected_row(self.table)

    def _update_actions(self, *_args) -> None:
        session, has_row = self._deps.session, self.selected_row() is not None
        live = not self._trash
        self.new_case.setEnabled(live and session.allows(EDIT))
        self.new_person.setEnabled(session.allows(EDIT))
        self.open_case.setEnabled(live and has_row)
        self.set_status.setEnabled(live and has_row and (session.allows(STATUS)
                                                         or session.allows(VERIFY)))
        self.to_trash.setEnabled(live and has_row and session.allows(TRASH))
        self.restore.setEnabled(self._trash and has_row and session.allows(RESTORE))
        self.restore.setVisible(self._trash)
        self.export.setVisible(self._deps.exports is not None)
        self.export.setEnabled(session.allows(EXPORT) and self.model.total > 0)
        self.letter.setVisible(self._deps.open_letter is not None)
        self.letter.setEnabled(live and has_row and session.allows(PRINT))

    def make_letter(self) -> None:
        row = self.selected_row()
        if row is not None and self.letter.isEnabled():
            self._deps.open_letter(self, "case", row.id, f"{row.person_name} ({row.type_name})")

    def _changed(self) -> None:
        self.reload()
        self.data_changed.emit()

    # ------------------------------------------------------------- actions

    def _case_dialog(self, **kwargs) -> CaseDialog:
        deps = self._deps
        return CaseDialog(deps.cases, deps.persons, deps.catalogue, deps.desa,
                          bidang=self._bidang,
                          can_view_sensitive=deps.session.actor.can_view_sensitive,
                          parent=self, **kwargs)

    def new_case_dialog(self) -> None:
        if self._case_dialog().exec():
            self._changed()

    def new_person_dialog(self) -> None:
        dialog = PersonDialog(self._deps.persons, self._deps.desa, parent=self)
        if dialog.exec():
            show_info(self, f"{dialog.saved_person.name} telah didaftarkan. Pilih "
                            "\"Catat Kasus Baru\" untuk mencatat kasus PMKS-nya.")
            self.data_changed.emit()

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None or self._trash:
            return
        try:
            case, person = self._deps.cases.get(row.id)
        except ServiceError as exc:
            show_error(self, exc)
            return
        dialog = self._case_dialog(case=case, person=person)
        if dialog.exec():
            self._changed()

    def change_status(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        dialog = StatusDialog(self._deps.catalogue, row.status, row.person_name,
                              self._deps.session.allows(VERIFY), self)
        if not dialog.exec():
            return
        status, note = dialog.selected()
        try:
            self._deps.cases.change_status(row.id, status, note, expected_version=row.version)
        except ServiceError as exc:
            show_error(self, exc)
        self._changed()

    def move_to_trash(self) -> None:
        row = self.selected_row()
        if row is not None and trash_with_reason(
                self, f"Kasus {row.type_name} atas nama {row.person_name}",
                lambda reason: self._deps.cases.move_to_trash(row.id, reason,
                                                              expected_version=row.version)):
            self._changed()

    def restore_selected(self) -> None:
        row = self.selected_row()
        if row is not None and call_service(self, lambda: self._deps.cases.restore(row.id)):
            self._changed()

    def export_list(self) -> None:
        query = self._query()
        self._export_job = export_list(
            self, "Data PMKS", f"pmks-{self._bidang}-{date.today():%Y%m%d}",
            lambda path, progress, cancelled: self._deps.exports.export_cases(
                query, path, progress, cancelled))

    def toggle_trash(self, checked: bool) -> None:
        self._trash = checked
        self.show_trash.setText("Kembali ke Daftar" if checked else "Lihat Sampah")
        self.reload()
