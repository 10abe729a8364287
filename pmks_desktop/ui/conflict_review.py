"""Tinjau Konflik Sinkron: records two places changed without seeing each other.

The merge already applied one version (the current one) and kept the other. Here a person
compares them field by field and keeps the current version, takes the other one, or combines
them. The service decides who may do that and writes the decision as a new change that syncs.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QLabel, QListView, QPushButton, QSplitter,
                               QTableView, QVBoxLayout, QWidget)

from pmks_desktop.services.conflicts import ConflictDetail, ConflictService
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.ui.conflict_models import OTHER, ConflictListModel, DiffTableModel
from pmks_desktop.ui.form_fields import HINT_STYLE
from pmks_desktop.ui.messages import confirm, show_error

TITLE = "Tinjau Konflik Sinkron"
MENU_LABEL = "Tinjau Konflik Sinkron…"
INTRO = ("Data di bawah ini diubah di dua tempat tanpa saling mengetahui. Versi sekarang sudah "
         "dipakai; versi lain disimpan agar tidak hilang. Bandingkan keduanya, lalu pilih versi "
         "yang benar atau gabungkan per kolom. Keputusan Anda dikirim ke kantor lain pada "
         "sinkron berikutnya.")
HINT = ("Baris berwarna kuning berbeda. Untuk Gabungkan Pilihan, centang versi yang dipakai "
        "pada setiap baris kuning.")
NO_RIGHT = ("Konflik hanya dapat diselesaikan oleh administrator atau verifikator; "
            "Anda dapat melihat daftar ini.")
NONE_LEFT = "Tidak ada konflik sinkron. Semua data sudah sesuai."
DELETE_NOTE = ("Salah satu versi memindahkan data ini ke sampah; lihat baris Status data.")


class ConflictReviewDialog(QDialog):
    def __init__(self, conflicts: ConflictService, parent=None):
        super().__init__(parent)
        self._conflicts = conflicts
        self._detail: ConflictDetail | None = None
        self.setWindowTitle(TITLE)
        self.resize(1120, 660)
        self.list_model = ConflictListModel(self)
        self.diff_model = DiffTableModel(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_list())
        split.addWidget(self._build_comparison())
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setChildrenCollapsible(False)
        intro = QLabel(INTRO, wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addLayout(self._build_buttons())
        self.reload()
        self._list.setFocus()

    # ------------------------------------------------------------- building

    def _build_list(self) -> QWidget:
        self._count = QLabel(objectName="count")
        self._list = QListView(objectName="conflict_list")
        self._list.setModel(self.list_model)
        self._list.setWordWrap(True)
        self._list.setSpacing(2)
        self._list.setAlternatingRowColors(True)
        self._list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._list.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._count)
        layout.addWidget(self._list, 1)
        return box

    def _build_comparison(self) -> QWidget:
        self._heading = QLabel(objectName="heading", wordWrap=True)
        self._sources = QLabel(objectName="sources", wordWrap=True)
        self._sources.setStyleSheet(HINT_STYLE)
        self._table = QTableView(objectName="diff_table")
        self._table.setModel(self.diff_model)
        self._table.setWordWrap(True)
        self._table.verticalHeader().setVisible(False)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.diff_model.modelReset.connect(self._table.resizeRowsToContents)
        self._hint = QLabel(HINT, objectName="hint", wordWrap=True)
        self._hint.setStyleSheet(HINT_STYLE)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._heading)
        layout.addWidget(self._sources)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._hint)
        return box

    def _build_buttons(self) -> QHBoxLayout:
        self._use_current = QPushButton("Pakai Versi &Sekarang", objectName="current_button")
        self._use_other = QPushButton("Pakai Versi &Lain", objectName="other_button")
        self._combine = QPushButton("&Gabungkan Pilihan", objectName="combined_button")
        self._use_current.setToolTip("Data tetap seperti sekarang; versi lain tidak dipakai.")
        self._use_other.setToolTip("Seluruh isi data diganti dengan versi lain.")
        self._combine.setToolTip("Setiap baris kuning memakai versi yang dicentang.")
        self._use_current.clicked.connect(lambda: self._resolve("current", ask=True))
        self._use_other.clicked.connect(lambda: self._resolve(OTHER, ask=True))
        self._combine.clicked.connect(lambda: self._resolve("combined", ask=True))
        self._no_right = QLabel(NO_RIGHT, objectName="no_right", wordWrap=True)
        self._no_right.setStyleSheet(HINT_STYLE)
        self._status = QLabel(objectName="status", wordWrap=True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Tutup")
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self._use_current, self._use_other, self._combine):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addWidget(self._no_right, 1)
        row.addWidget(self._status, 1)
        row.addWidget(close)
        return row

    # ------------------------------------------------------------- loading

    def reload(self) -> None:
        """Read the open conflicts again and keep the selection where it was."""
        row = self._selected_row()
        try:
            rows = self._conflicts.open_conflicts()
        except ServiceError as exc:
            rows = []
            self._say(exc.message)
        self.list_model.set_rows(rows)
        self._count.setText(f"{len(rows)} konflik perlu ditinjau." if rows else NONE_LEFT)
        if rows:
            self.select_conflict(min(max(row, 0), len(rows) - 1))
        else:
            self._show_selected()

    def _selected_row(self) -> int:
        rows = self._list.selectionModel().selectedRows()
        return rows[0].row() if rows else 0

    def select_conflict(self, index: int) -> None:
        self._list.setCurrentIndex(self.list_model.index(index))

    def _show_selected(self) -> None:
        view = self.list_model.row_at(self._selected_row()) \
            if self._list.selectionModel().selectedRows() else None
        self._detail, message = None, ""
        if view is not None:
            try:
                self._detail = self._conflicts.detail(view.id)
            except ServiceError as exc:
                message = exc.message
        self.diff_model.set_detail(self._detail)
        self._show_heading(view, message)
        self._update_buttons()

    def _show_heading(self, view, message: str) -> None:
        detail = self._detail
        if view is None:
            self._heading.setText(f"<b>{NONE_LEFT}</b>")
        else:
            note = f"<br>{DELETE_NOTE}" if view.kind == "delete_edit" else ""
            self._heading.setText(f"<b>{view.table_label}: {_html(view.title)}</b> "
                                  f"({view.kind_label}){note}")
        self._sources.setText(f"Versi sekarang: diubah di {detail.current_source}\n"
                              f"Versi lain: diubah di {detail.other_source}"
                              if detail else message)
        # Where each version comes from is background; a refusal is what the person must read.
        self._sources.setStyleSheet(HINT_STYLE if detail else "")
        self._hint.setVisible(bool(detail and detail.differing))

    def _update_buttons(self) -> None:
        allowed = self._conflicts.can_resolve
        chosen = allowed and self._detail is not None
        for button in (self._use_current, self._use_other, self._combine):
            button.setVisible(allowed)  # a sentence says why, rather than three grey buttons
            button.setEnabled(chosen)
        self._combine.setEnabled(chosen and bool(self._detail.differing))
        self._no_right.setVisible(not allowed)

    # ------------------------------------------------------------- resolving

    def resolve_current(self) -> bool:
        return self._resolve("current")

    def resolve_other(self) -> bool:
        return self._resolve(OTHER)

    def resolve_combined(self, choices: dict[str, str]) -> bool:
        """choices: field name -> "current" | "other" (fields left out keep the current)."""
        self.diff_model.set_choices(choices)
        return self._resolve("combined")

    def _resolve(self, choice: str, ask: bool = False) -> bool:
        """Resolve the selected conflict. From a button the person confirms first and a
        refusal comes in a message box; called directly, both go to the status line."""
        detail = self._detail
        if detail is None or (ask and not self._confirm(detail, choice)):
            return False
        combined = self.diff_model.combined_values() if choice == "combined" else None
        try:
            self._conflicts.resolve(detail.conflict.id, choice, combined)
        except ServiceError as exc:
            if ask:
                show_error(self, exc, title=TITLE)
            else:
                self._say(exc.message)
            self.reload()
            return False
        self._say(f"Konflik {detail.conflict.title} sudah diselesaikan.")
        self.reload()
        return True

    def _confirm(self, detail: ConflictDetail, choice: str) -> bool:
        title = detail.conflict.title
        taken = sum(1 for side in self.diff_model.choices().values() if side == OTHER)
        question = {
            "current": f"Pakai versi sekarang untuk {title}?",
            OTHER: f"Ganti isi {title} dengan versi lain ({detail.other_source})?",
            "combined": f"Simpan gabungan untuk {title}? {taken} kolom memakai versi lain.",
        }[choice]
        text = (f"{question}\n\nVersi yang tidak dipakai tetap tersimpan dalam catatan konflik. "
                "Keputusan ini dikirim ke kantor lain pada sinkron berikutnya.")
        return confirm(self, text, title=TITLE, yes="Simpan Keputusan")

    def _say(self, text: str) -> None:
        """Success goes to the status line: a box to click away after each conflict nags."""
        self._status.setText(text)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def conflict_service(services) -> ConflictService:
    """The container's service once it has one; until then, built over the same parts."""
    existing = getattr(services, "conflicts", None)
    return existing or ConflictService(services.db, services.session, services.catalogue,
                                       services.forms)


def open_conflict_review(services, parent=None) -> None:
    """The "Tinjau Konflik Sinkron…" menu entry: the main window connects it."""
    ConflictReviewDialog(conflict_service(services), parent).exec()
