"""One declarative register as a tab: lazy list, search, filters, add/edit via the form engine,
trash and restore, and the child registers of a selected entry (victims of a disaster...)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QTableView, QToolBar, QVBoxLayout, QWidget)

from pmks_desktop.domain.formatting import number_id
from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.domain.letter_templates import SUBJECTS as LETTER_SUBJECTS
from pmks_desktop.domain.roles import EDIT, EXPORT, PRINT, RESTORE, TRASH
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.households import HouseholdService
from pmks_desktop.services.persons import PersonService
from pmks_desktop.services.register_queries import EntryQuery, EntryRow, RegisterQueries
from pmks_desktop.services.registers import RegisterService
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.models import Desa
from pmks_desktop.ui.entry_dialog import EntryDialog
from pmks_desktop.ui.entry_table_model import EntryTableModel
from pmks_desktop.ui.export_action import export_list
from pmks_desktop.ui.list_view import make_list_table, selected_row
from pmks_desktop.ui.sync_column import sync_column
from pmks_desktop.ui.messages import call_service, show_error, trash_with_reason

SEARCH_DELAY_MS = 250


@dataclass
class EntryDeps:
    """What a register tab needs, and nothing more."""

    registers: RegisterService
    queries: RegisterQueries
    persons: PersonService
    households: HouseholdService
    desa: list[Desa]
    session: UserSession
    exports: object | None = None  # ExportService
    importer: object | None = None  # ImportService
    # open_letter(parent, subject_type, subject_id, title): the letter dialog, when letters exist
    open_letter: object | None = None
    sync_states: object | None = None  # (table, ids) -> "Status kirim" texts, at an office
    areas: list | None = None  # filter choices when not the desa (the hub's kecamatan)


def _combo(all_label: str, items) -> QComboBox:
    combo = QComboBox()
    combo.addItem(all_label, None)
    for value, label in items:
        combo.addItem(label, value)
    return combo


class RegisterTab(QWidget):
    data_changed = Signal()

    def __init__(self, deps: EntryDeps, form: FormSpec, *, parent_id: str | None = None,
                 parent_title: str = "", parent=None):
        super().__init__(parent)
        self._deps, self._form = deps, form
        self._parent_id, self._parent_title = parent_id, parent_title
        self._trash = False
        self._children = deps.registers.children_of(form.id)
        self.model = EntryTableModel(form, self._fetch_page, self._count,
                                     {d.code: d.name for d in deps.desa}, self,
                                     sync=sync_column(deps.sync_states, "register_entry"))
        self._build_filters()
        self.table = self._make_table()
        self.count_label = QLabel()
        self.toolbar = self._make_toolbar()
        self._lay_out()
        self.reload()

    # ------------------------------------------------------------- building

    def _build_filters(self) -> None:
        self.search = QLineEdit(placeholderText="Cari… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._timer.start)
        self.combos: dict[str, QComboBox] = {}
        form = self._form
        if form.desa_field or form.person_field or form.household_field:
            areas = self._deps.areas or self._deps.desa
            label = "Semua desa" if self._deps.areas is None else "Semua kecamatan"
            self.combos["desa"] = _combo(label, [(d.code, d.name) for d in areas])
        if form.status_field:
            spec = form.field(form.status_field)
            self.combos["status"] = _combo(f"Semua {spec.label.lower()}",
                                           [(c.value, c.label) for c in spec.choices])
        for name in form.filters:
            spec = form.field(name)
            if spec.type == "choice" and name != form.status_field:
                self.combos[name] = _combo(f"Semua {spec.label.lower()}",
                                           [(c.value, c.label) for c in spec.choices])
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self.reload)

    def _make_table(self) -> QTableView:
        table = make_list_table(self.model, (240,))
        table.doubleClicked.connect(lambda _i: self.open_selected())
        table.activated.connect(lambda _i: self.open_selected())
        table.selectionModel().selectionChanged.connect(self._update_actions)
        return table

    def _action(self, text: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text} ({QKeySequence(shortcut).toString()})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_toolbar(self) -> QToolBar:
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add = self._action(f"Tambah {self._form.short_title}", self.add_entry, "Ctrl+N")
        self.open = self._action("Buka / Ubah", self.open_selected, "Ctrl+O")
        self.to_trash = self._action("Pindahkan ke Sampah", self.move_to_trash, "Delete")
        self.show_trash = self._action("Lihat Sampah", self.toggle_trash)
        self.show_trash.setCheckable(True)
        self.restore = self._action("Pulihkan", self.restore_selected, "Ctrl+R")
        self.export = self._action("Ekspor ke Excel…", self.export_list, "Ctrl+E")
        self.import_ = self._action("Impor dari Excel…", self.import_file)
        self.letter = self._action("Buat Surat…", self.make_letter, "Ctrl+L")
        self.child_actions = {child.id: self._action(f"{child.short_title}…",
                                                     lambda _c=False, f=child: self.open_children(f))
                              for child in self._children}
        for action in (self.add, None, self.open, *self.child_actions.values(), self.to_trash, None,
                       self.letter, self.export, self.import_, None, self.show_trash,
                       self.restore):
            bar.addSeparator() if action is None else bar.addAction(action)
        return bar

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        if self._form.description and not self._parent_id:
            note = QLabel(self._form.description, wordWrap=True)
            note.setStyleSheet("color: #5f6368;")
            layout.addWidget(note)
        layout.addWidget(self.toolbar)
        filters = QHBoxLayout()
        label = QLabel("&Cari:")
        label.setBuddy(self.search)
        filters.addWidget(label)
        filters.addWidget(self.search, 2)
        for combo in self.combos.values():
            filters.addWidget(combo, 1)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self._action("Cari", self._focus_search, "Ctrl+F")

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # ------------------------------------------------------------- list

    def query(self) -> EntryQuery:
        combos = {k: c.currentData() for k, c in self.combos.items()}
        fields = {k: v for k, v in combos.items() if k not in ("desa", "status")}
        return EntryQuery(register=self._form.id, text=self.search.text(),
                          desa_code=combos.get("desa"), status=combos.get("status"),
                          parent_id=self._parent_id, fields=fields, trash=self._trash)

    def _fetch_page(self, after, limit: int) -> list[EntryRow]:
        return self._deps.queries.page(self.query(), after=after, limit=limit)

    def _count(self) -> int:
        return self._deps.queries.count(self.query())

    def reload(self) -> None:
        self.model.reload(trash=self._trash)
        suffix = " di sampah" if self._trash else ""
        self.count_label.setText(f"{number_id(self.model.total)} data{suffix}")
        self._update_actions()

    def selected_row(self) -> EntryRow | None:
        return selected_row(self.table)

    def _update_actions(self, *_args) -> None:
        session, has_row, live = self._deps.session, self.selected_row() is not None, \
            not self._trash
        self.add.setEnabled(live and session.allows(EDIT))
        self.open.setEnabled(live and has_row)
        for action in self.child_actions.values():
            action.setEnabled(live and has_row)
        self.to_trash.setEnabled(live and has_row and session.allows(TRASH))
        self.restore.setEnabled(self._trash and has_row and session.allows(RESTORE))
        self.restore.setVisible(self._trash)
        self.export.setVisible(self._deps.exports is not None)
        self.export.setEnabled(session.allows(EXPORT) and self.model.total > 0)
        self.import_.setVisible(self._deps.importer is not None)
        self.import_.setEnabled(live and session.allows(EDIT))
        self.letter.setVisible(self._deps.open_letter is not None and
                               self._form.id in LETTER_SUBJECTS)
        self.letter.setEnabled(live and has_row and session.allows(PRINT))

    def _changed(self) -> None:
        self.reload()
        self.data_changed.emit()

    # ------------------------------------------------------------- actions

    def _dialog(self, entry_id: str | None = None) -> EntryDialog:
        deps = self._deps
        return EntryDialog(deps.registers, deps.persons, deps.households, self._form, deps.desa,
                           entry_id=entry_id, parent_id=self._parent_id,
                           parent_title=self._parent_title,
                           settings=deps.registers.settings(), parent=self)

    def add_entry(self) -> None:
        if self._dialog().exec():
            self._changed()

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None or self._trash:
            return
        try:
            dialog = self._dialog(row.id)
        except ServiceError as exc:
            show_error(self, exc)
            return
        if dialog.exec():
            self._changed()

    def move_to_trash(self) -> None:
        row = self.selected_row()
        if row is not None and trash_with_reason(
                self, f"Data \"{row.title}\"",
                lambda reason: self._deps.registers.move_to_trash(
                    row.id, reason, expected_version=row.version)):
            self._changed()

    def restore_selected(self) -> None:
        row = self.selected_row()
        if row is not None and call_service(self, lambda: self._deps.registers.restore(row.id)):
            self._changed()

    def toggle_trash(self, checked: bool) -> None:
        self._trash = checked
        self.show_trash.setText("Kembali ke Daftar" if checked else "Lihat Sampah")
        self.reload()

    def export_list(self) -> None:
        query = self.query()
        self._export_job = export_list(
            self, self._form.title, f"{self._form.id}-{date.today():%Y%m%d}",
            lambda path, progress, cancelled: self._deps.exports.export_entries(
                query, path, progress, cancelled))

    def import_file(self) -> None:
        from pmks_desktop.ui.import_wizard import ImportWizard

        wizard = ImportWizard(self._deps.importer, self._form.id, self._form.title, self,
                              parent_id=self._parent_id)
        wizard.exec()
        self._changed()

    def make_letter(self) -> None:
        row = self.selected_row()
        if row is not None and self.letter.isEnabled():
            self._deps.open_letter(self, self._form.id, row.id, row.title)

    def open_children(self, child: FormSpec) -> None:
        row = self.selected_row()
        if row is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(f"{child.title} — {row.title}")
        dialog.resize(1100, 620)
        tab = RegisterTab(self._deps, child, parent_id=row.id, parent_title=row.title)
        tab.data_changed.connect(self.data_changed)
        QVBoxLayout(dialog).addWidget(tab)
        dialog.exec()
