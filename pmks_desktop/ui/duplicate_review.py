"""Tinjau Data Ganda: candidate pairs side by side, explicit merges, and the merge history.

The service finds the pairs and decides what may be merged or undone; this dialog shows them
and asks the person for a reason and a confirmation. The pair list is capped by the service
(500 pairs), so its model holds the rows it is given.

At the Dinas Sosial (given `hub`) the dialog never merges: it shows each side's office and
records the hub's decision as a link (duplicate_hub.py), leaving both records as they are.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QGridLayout,
                               QGroupBox, QHBoxLayout, QLabel, QPushButton,
                               QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget)

from pmks_desktop.services.duplicates import (DuplicatePair,
                                              DuplicateReview, MergeRecord)
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.ui.form_fields import HINT_STYLE
from pmks_desktop.ui.messages import ask_text, confirm, show_error
from pmks_desktop.ui.duplicate_hub import (HUB_HISTORY_NOTE, HUB_INTRO, HUB_NO_RIGHT,
                                           HubActions, HubLinks)
from pmks_desktop.ui.duplicate_models import (DETAIL_ROWS, HISTORY_COLUMNS, NO_RIGHT,
                                              PAIR_COLUMNS, TITLE, MergeHistoryModel,
                                              PairTableModel, _select_row, _table,
                                              stretch_columns)


class PairDetail(QGroupBox):
    """The two records side by side; values that differ are bold."""

    def __init__(self, parent=None, rows=DETAIL_ROWS):
        super().__init__("Perbandingan", parent)
        self._rows = rows
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setHorizontalSpacing(18)
        self._heads = [QLabel("<b>Orang A</b>"), QLabel("<b>Orang B</b>")]
        grid.addWidget(self._heads[0], 0, 1)
        grid.addWidget(self._heads[1], 0, 2)
        self._cells: list[tuple[QLabel, QLabel]] = []
        for row, (label, _value) in enumerate(rows, start=1):
            caption = QLabel(label + ":")
            caption.setStyleSheet(HINT_STYLE)
            cells = (self._value_label(), self._value_label())
            grid.addWidget(caption, row, 0)
            grid.addWidget(cells[0], row, 1)
            grid.addWidget(cells[1], row, 2)
            self._cells.append(cells)
        grid.setRowStretch(len(rows) + 1, 1)
        self.show_pair(None)

    @staticmethod
    def _value_label() -> QLabel:
        label = QLabel(wordWrap=True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def show_pair(self, pair: DuplicatePair | None) -> None:
        self.setTitle(f"Perbandingan: {pair.reason}" if pair else "Perbandingan")
        for (_label, value), cells in zip(self._rows, self._cells):
            texts = (value(pair.a), value(pair.b)) if pair else ("", "")
            for cell, text in zip(cells, texts):
                cell.setText(text)
                font = QFont(cell.font())
                font.setBold(bool(pair) and texts[0] != texts[1])
                cell.setFont(font)

    def texts(self) -> list[tuple[str, str, str]]:
        """(label, A, B) as shown: for tests and for reading the panel aloud."""
        return [(label, a.text(), b.text()) for (label, _v), (a, b) in
                zip(self._rows, self._cells)]


class DuplicateReviewDialog(HubActions, QDialog):
    def __init__(self, review: DuplicateReview, parent=None, hub: HubLinks | None = None):
        super().__init__(parent)
        self._review = review
        self._hub = hub
        self.setWindowTitle(TITLE)
        self.resize(1180, 720)
        self._columns = hub.pair_columns() if hub else PAIR_COLUMNS
        self.pair_model = PairTableModel(self, self._columns)
        self.history_model = MergeHistoryModel(self)
        self._tabs = QTabWidget(objectName="tabs")
        self._tabs.addTab(self._build_pairs_tab(), "&Calon Data Ganda")
        self._tabs.addTab(self._build_history_tab(), "&Riwayat Penggabungan")
        self._status = QLabel(objectName="status", wordWrap=True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Tutup")
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self._status, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self._tabs, 1)
        layout.addLayout(bottom)
        self.reload()
        self._pairs.setFocus()

    # ------------------------------------------------------------- building

    def _build_pairs_tab(self) -> QWidget:
        intro = QLabel(HUB_INTRO if self._hub else
                       "Pasangan di bawah ini mungkin orang yang sama. Periksa kedua data, lalu "
                       "gabungkan ke data yang benar atau tandai sebagai orang yang berbeda. "
                       "Penggabungan dapat dibatalkan dari tab Riwayat Penggabungan.",
                       wordWrap=True)
        self._count = QLabel(objectName="count")
        self._pairs = _table("pairs_table", self.pair_model, stretch_columns(self._columns))
        self._pairs.selectionModel().selectionChanged.connect(lambda *_: self._pair_changed())
        self.detail = PairDetail(rows=self._hub.detail_rows() if self._hub else DETAIL_ROWS)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self._pairs)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        refresh = QPushButton("Muat &Ulang", objectName="reload_button")
        refresh.clicked.connect(self.reload)
        self._no_right = QLabel(HUB_NO_RIGHT if self._hub else NO_RIGHT, objectName="no_right")
        self._no_right.setStyleSheet(HINT_STYLE)
        # At the hub merging would rewrite office-owned rows: only the link buttons are built.
        self._actions = self._build_hub_buttons() if self._hub else self._build_merge_buttons()
        buttons = QHBoxLayout()
        for button in self._actions:
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addWidget(self._no_right, 1)
        buttons.addStretch(1)
        refresh.setAutoDefault(False)
        buttons.addWidget(refresh)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self._count)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        return page

    def _build_merge_buttons(self) -> list[QPushButton]:
        merge_a = QPushButton("Gabungkan ke &A…", objectName="merge_a_button")
        merge_b = QPushButton("Gabungkan ke &B…", objectName="merge_b_button")
        dismiss = QPushButton("Bu&kan Orang yang Sama", objectName="dismiss_button")
        merge_a.setToolTip("Data B digabungkan ke data A; data A dipertahankan.")
        merge_b.setToolTip("Data A digabungkan ke data B; data B dipertahankan.")
        merge_a.clicked.connect(lambda: self.merge_selected("A"))
        merge_b.clicked.connect(lambda: self.merge_selected("B"))
        dismiss.clicked.connect(self.dismiss_selected)
        return [merge_a, merge_b, dismiss]

    def _build_history_tab(self) -> QWidget:
        self._history = _table("history_table", self.history_model,
                               (len(HISTORY_COLUMNS) - 1,))
        self._history.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons())
        self._undo = QPushButton("Batalkan &Penggabungan…", objectName="undo_button")
        self._undo.setAutoDefault(False)
        self._undo.clicked.connect(self.undo_selected)
        note = QLabel(HUB_HISTORY_NOTE if self._hub else
                      "Membatalkan penggabungan mengembalikan data terkait yang dulu dipindahkan "
                      "dan menampilkan kembali data yang digabungkan.", wordWrap=True)
        note.setStyleSheet(HINT_STYLE)
        buttons = QHBoxLayout()
        buttons.addWidget(self._undo)
        buttons.addWidget(note, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self._history, 1)
        layout.addLayout(buttons)
        return page

    # ------------------------------------------------------------- loading

    def reload(self) -> None:
        pair_row = self._current_row(self._pairs)
        history_row = self._current_row(self._history)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # grouping takes a moment
        try:
            pairs = self._review.pairs(exclude=self._hub.links.linked_keys()) if self._hub \
                else self._review.pairs()
            history = self._review.history()
        except ServiceError as exc:
            pairs, history = [], []
            self._say(exc.message)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.pair_model.set_rows(pairs)
        self.history_model.set_rows(history)
        self._count.setText(self._count_text(len(pairs)))
        _select_row(self._pairs, pair_row)
        _select_row(self._history, history_row)
        self._pair_changed()

    @staticmethod
    def _count_text(n: int) -> str:
        if n == 0:
            return "Tidak ada pasangan yang perlu ditinjau."
        if n >= 500:
            return (f"Menampilkan {n} pasangan pertama. Setelah ditinjau, pilih Muat Ulang "
                    "untuk melihat pasangan berikutnya.")
        return f"{n} pasangan perlu ditinjau."

    @staticmethod
    def _current_row(table: QTableView) -> int:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else 0

    def selected_pair(self) -> DuplicatePair | None:
        rows = self._pairs.selectionModel().selectedRows()
        return self.pair_model.row_at(rows[0].row()) if rows else None

    def selected_merge(self) -> MergeRecord | None:
        rows = self._history.selectionModel().selectedRows()
        return self.history_model.row_at(rows[0].row()) if rows else None

    def _pair_changed(self) -> None:
        self.detail.show_pair(self.selected_pair())
        self._update_buttons()

    def _update_buttons(self) -> None:
        allowed = self._review.can_decide
        chosen = allowed and self.selected_pair() is not None
        for button in self._actions:
            button.setVisible(allowed)  # a sentence says why, rather than three grey buttons
            button.setEnabled(chosen)
        self._no_right.setVisible(not allowed)
        self._undo.setVisible(allowed and self._hub is None)
        record = self.selected_merge()
        self._undo.setEnabled(allowed and record is not None and not record.undone)

    # ------------------------------------------------------------- actions

    def merge_selected(self, keep: str) -> None:
        pair = self.selected_pair()
        if pair is None:
            return
        kept, merged = (pair.a, pair.b) if keep == "A" else (pair.b, pair.a)
        reason, accepted = ask_text(
            self, f"Gabungkan ke {keep}",
            f"Data {merged.name} akan digabungkan ke data {kept.name}.\n"
            "Tuliskan alasannya (wajib; tercatat di jejak audit):", ok_label="Lanjut")
        if not accepted:
            return
        if not reason:
            show_error(self, "Alasan penggabungan wajib diisi; penggabungan belum dilakukan.")
            return
        text = (f"Gabungkan data {merged.name} (NIK {merged.nik_masked}) ke data {kept.name} "
                f"(NIK {kept.nik_masked})?\n\n"
                f"{merged.related} data terkait akan dipindahkan ke {kept.name}. Isi data "
                f"{kept.name} tidak diubah, dan data {merged.name} tidak lagi muncul dalam "
                "pencarian.\n\nPenggabungan dapat dibatalkan dari tab Riwayat Penggabungan.")
        if not confirm(self, text, title="Gabungkan Data", yes="Gabungkan"):
            return
        if self._attempt(lambda: self._review.merge(kept.id, merged.id, reason)):
            self._say(f"Data {merged.name} sudah digabungkan ke data {kept.name}.")

    def dismiss_selected(self) -> None:
        pair = self.selected_pair()
        if pair is None:
            return
        text = (f"Tandai {pair.a.name} dan {pair.b.name} sebagai dua orang yang berbeda?\n\n"
                "Pasangan ini tidak akan ditampilkan lagi dalam daftar.")
        if not confirm(self, text, title="Bukan Orang yang Sama", yes="Ya, Berbeda"):
            return
        if self._attempt(lambda: self._review.dismiss(pair.key)):
            self._say(f"{pair.a.name} dan {pair.b.name} ditandai sebagai orang yang berbeda.")

    def undo_selected(self) -> None:
        record = self.selected_merge()
        if record is None or record.undone:
            return
        text = (f"Batalkan penggabungan data {record.merged_name} ke data {record.kept_name}?"
                f"\n\n{record.moved} data terkait dikembalikan ke {record.merged_name}, dan "
                "pasangan ini muncul lagi di daftar Calon Data Ganda.")
        if not confirm(self, text, title="Batalkan Penggabungan", yes="Batalkan Penggabungan",
                       no="Tidak"):
            return
        if self._attempt(lambda: self._review.undo(record.id)):
            self._say(f"Penggabungan data {record.merged_name} sudah dibatalkan.")

    def _attempt(self, action: Callable[[], object]) -> bool:
        """Run a service call; a refusal is shown in the service's own words."""
        try:
            action()
        except ServiceError as exc:
            show_error(self, exc, title=TITLE)
            return False
        self.reload()
        return True

    def _say(self, text: str) -> None:
        """Success goes to the status line: a box to click away after each pair would nag."""
        self._status.setText(text)
