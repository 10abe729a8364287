"""Editors for fields that hold a list: photos (thumbnails) and items (an editable table)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QHBoxLayout,
    QHeaderView, QLabel, QListView, QListWidget, QListWidgetItem, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from pmks_desktop.domain.form_validation import parse_number
from pmks_desktop.domain.formatting import short_date
from pmks_desktop.domain.forms import FieldSpec
from pmks_desktop.services.errors import ServiceError, ValidationFailed
from pmks_desktop.ui.form_fields import ERROR_STYLE
from pmks_desktop.ui.form_widgets import NUMBER_TYPES, THUMBNAIL, FieldEditor, format_number


class PhotosEditor(FieldEditor):
    """Thumbnails of the entry's photos; added photos are copied into the data folder at once."""

    def __init__(self, spec: FieldSpec, registers, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self._registers = registers
        self.list = QListWidget(viewMode=QListView.ViewMode.IconMode, movement=QListView.Movement.Static)
        self.list.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setFixedHeight(THUMBNAIL + 48)
        self.list.setToolTip("Klik dua kali untuk membuka foto.")
        self.list.itemDoubleClicked.connect(self._open)
        self.add_button = QPushButton("Tambah Foto…")
        self.remove_button = QPushButton("Hapus Foto")
        self.add_button.clicked.connect(self._choose)
        self.remove_button.clicked.connect(self.remove_selected)
        self.status = QLabel(wordWrap=True, styleSheet=ERROR_STYLE)
        self.status.hide()
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.addWidget(self.list)
        column.addLayout(buttons)
        column.addWidget(self.status)
        self.box.addLayout(column)
        self.focus_widget = self.add_button
        self.setFocusProxy(self.add_button)

    def _choose(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, "Pilih Foto", "", "Foto (*.jpg *.jpeg *.png *.JPG *.JPEG *.PNG)")
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        problems = []
        for path in paths:
            try:
                self._add(self._registers.attach_photo(path))
            except ValidationFailed as exc:
                problems += [issue.message for issue in exc.issues]
            except ServiceError as exc:
                problems.append(exc.message)
        self.status.setText("\n".join(problems))
        self.status.setVisible(bool(problems))
        self.changed.emit()

    def _add(self, name: str) -> None:
        pixmap = QPixmap(str(self._registers.photo_path(name)))
        item = QListWidgetItem(f"Foto {self.list.count() + 1}")
        if not pixmap.isNull():
            item.setIcon(QIcon(pixmap.scaled(THUMBNAIL, THUMBNAIL,
                                             Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation)))
        item.setData(Qt.ItemDataRole.UserRole, name)
        self.list.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        path = self._registers.photo_path(item.data(Qt.ItemDataRole.UserRole))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def remove_selected(self) -> None:
        row_no = self.list.currentRow()
        if row_no >= 0:
            self.list.takeItem(row_no)
            self.changed.emit()

    def value(self):
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.list.count())] or None

    def set_value(self, value) -> None:
        self.list.clear()
        for name in value or ():
            self._add(name)


class ItemsEditor(FieldEditor):
    """Rows of items (name, quantity, unit, price...) typed straight into a table."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        columns = self.columns = spec.columns
        table = self.table = QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels([c.label + (" *" if c.required else "") for c in columns])
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.itemChanged.connect(self._item_changed)
        self.add_button = QPushButton("Tambah Baris")
        self.remove_button = QPushButton("Hapus Baris")
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.addWidget(table)
        column.addLayout(buttons)
        self.box.addLayout(column)
        self.focus_widget = table
        self.setFocusProxy(table)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """As tall as the rows plus an empty one (3 to 8): an empty table stays small."""
        shown = min(max(self.table.rowCount() + 1, 3), 8)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + 4 +
                                  self.table.verticalHeader().defaultSectionSize() * shown)

    def add_row(self, cells: dict | None = None) -> int:
        row_no = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row_no)
        for index, column in enumerate(self.columns):
            item = QTableWidgetItem(self._shown((cells or {}).get(column.name), column))
            if column.type in NUMBER_TYPES:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column.placeholder or column.help:
                item.setToolTip(column.placeholder or column.help)
            self.table.setItem(row_no, index, item)
        self.table.blockSignals(False)
        self._fit_rows()
        return row_no

    @staticmethod
    def _shown(value, column: FieldSpec) -> str:
        if isinstance(value, date):
            return short_date(value)
        if column.type in ("choice", "multichoice") and isinstance(value, str):
            return column.choice_label(value)
        return format_number(value, column.type)

    def _add_clicked(self) -> None:
        row_no = self.add_row()
        self.table.setCurrentCell(row_no, 0)
        self.table.editItem(self.table.item(row_no, 0))

    def _item_changed(self, item: QTableWidgetItem) -> None:
        column = self.columns[item.column()]
        if column.type == "money":  # regroup as in the money fields: 20.000.000
            try:
                text = format_number(parse_number(item.text(), column), "money")
                self.table.blockSignals(True)
                item.setText(text)
                self.table.blockSignals(False)
            except (ValueError, TypeError):
                pass
        self.changed.emit()

    def remove_selected(self) -> None:
        row_no = self.table.currentRow()
        if row_no >= 0:
            self.table.removeRow(row_no)
            self._fit_rows()
            self.changed.emit()

    def value(self):
        rows = []
        for row_no in range(self.table.rowCount()):
            cells = {}
            for index, column in enumerate(self.columns):
                item = self.table.item(row_no, index)
                if item and item.text().strip():
                    cells[column.name] = item.text().strip()
            if cells:
                rows.append(cells)
        return rows or None

    def set_value(self, value) -> None:
        self.table.setRowCount(0)
        for cells in value or ():
            self.add_row(cells)
        self._fit_rows()
