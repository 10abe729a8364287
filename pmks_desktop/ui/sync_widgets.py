"""Small pieces the sync dialogs share: a read-only table model, the drive chooser, the way a
fingerprint is shown, coloured notes, and the PDF preview of a printed sheet."""
from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableView, QWidget)

from pmks_desktop.domain.formatting import long_date
from pmks_desktop.ui.drives import Drive, candidate_folders, free_space
from pmks_desktop.ui.form_fields import ERROR_COLOR, HINT_STYLE

OK_COLOR = "#1e6b34"
NOTE_STYLES = {
    "ok": f"color: {OK_COLOR}; background: #e6f4ea; border: 1px solid #a8d5b5;",
    "warning": "color: #5c3c00; background: #fff4ce; border: 1px solid #e8c95a;",
    "error": f"color: {ERROR_COLOR}; background: #fce8e6; border: 1px solid #f1b5ae;",
    "hint": HINT_STYLE,
}


def moment_text(moment: datetime | None) -> str:
    """'27 Juli 2024 pukul 14.30' in this computer's time zone; '-' when there is none."""
    if moment is None:
        return "-"
    if moment.tzinfo is None:  # the database stores UTC; SQLite may hand it back without zone
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone()
    return f"{long_date(local.date())} pukul {local:%H.%M}"


def note(text: str = "", kind: str = "hint", rich: bool = False) -> QLabel:
    """A wrapped label, coloured for its kind (ok, warning, error, hint)."""
    label = QLabel(wordWrap=True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    set_note(label, text, kind)
    return label


def set_note(label: QLabel, text: str, kind: str = "hint", strong: bool = False) -> None:
    style = NOTE_STYLES[kind]
    if kind != "hint":
        style += " padding: 6px; border-radius: 3px;"
    if strong:
        style += " font-weight: bold; font-size: 12pt; padding: 10px;"
    label.setStyleSheet(f"QLabel {{ {style} }}")
    label.setText(text)
    label.setVisible(bool(text))


def fingerprint_label(text: str = "") -> QLabel:
    """A fingerprint big and in a fixed-width font, so it can be read out group by group."""
    label = QLabel(text)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 10) * 1.5)
    font.setWeight(QFont.Weight.Bold)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def escape(text: str) -> str:
    return html.escape(text, quote=False)


class RowsModel(QAbstractTableModel):
    """A few rows of finished text (summaries, previews, the office list): read only."""

    def __init__(self, headers: Sequence[str], numeric: Sequence[int] = (), parent=None):
        super().__init__(parent)
        self._headers = list(headers)
        self._numeric = set(numeric)
        self._rows: list[tuple[str, ...]] = []
        self._colours: dict[int, str] = {}

    def set_rows(self, rows: Sequence[Sequence[str]],
                 colours: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self._rows = [tuple(str(v) for v in row) for row in rows]
        self._colours = dict(colours or {})
        self.endResetModel()

    def row(self, index: int) -> tuple[str, ...]:
        return self._rows[index]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.row() in self._colours:
            return QColor(self._colours[index.row()])
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None


def table_view(model: RowsModel, stretch: int | None = 0) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


_REMOVABLE = Qt.ItemDataRole.UserRole + 1  # the item's Drive.removable


def written_text(removable: bool, carried_to: str) -> str:
    """What to say once files are written and read back: a flashdisk may be pulled out; files
    in a folder of this PC still have to be copied to one."""
    if removable:
        return "Berkas sudah diperiksa ulang: flashdisk AMAN DICABUT."
    return ("Berkas sudah diperiksa ulang dan tersimpan di folder ini. Salin berkasnya ke "
            f"flashdisk untuk dibawa ke {carried_to}.")


class DriveChooser(QWidget):
    """Where to write: a list with the flashdisks first, and "Pilih folder lain…"."""

    def __init__(self, parent=None, drives: list[Drive] | None = None):
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(36)
        self.other = QPushButton("Pilih &folder lain…")
        self.other.clicked.connect(self.choose_other)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.other)
        self.reload(drives)

    def reload(self, drives: list[Drive] | None = None) -> None:
        self.combo.clear()
        for drive in drives if drives is not None else candidate_folders():
            self.combo.addItem(drive.text, str(drive.path))
            self.combo.setItemData(self.combo.count() - 1, drive.removable, _REMOVABLE)

    def set_folder(self, folder: Path) -> None:
        """Select `folder`, adding it to the list when it is not there."""
        index = self.combo.findData(str(folder))
        if index < 0:
            free = free_space(folder)
            self.combo.insertItem(0, Drive(folder, folder.name or str(folder), free, False).text,
                                  str(folder))
            index = 0
        self.combo.setCurrentIndex(index)

    def folder(self) -> Path | None:
        data = self.combo.currentData()
        return Path(data) if data else None

    def is_removable(self, folder: Path) -> bool:
        """Whether `folder` was listed as a flashdisk (a folder picked by hand is not)."""
        index = self.combo.findData(str(folder))
        return index >= 0 and bool(self.combo.itemData(index, _REMOVABLE))

    def choose_other(self) -> None:
        start = str(self.folder() or Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Pilih Folder", start)
        if chosen:
            self.set_folder(Path(chosen))


def first_folder() -> str:
    """Where a file dialog opens: the first flashdisk, else the Documents folder."""
    return str(candidate_folders()[0].path)


def show_pdf(parent: QWidget, pdf: bytes, title: str, name: str):
    from pmks_desktop.ui.pdf_preview import PdfPreviewDialog  # QtPdf only when printing

    dialog = PdfPreviewDialog(pdf, title=title, suggested_name=name, parent=parent)
    dialog.show()
    return dialog


def grow_to_fit(dialog: QWidget) -> None:
    """Grow (never shrink) a dialog whose content changed, so wrapped text is not squeezed:
    a layout's size hint ignores the height that word-wrapped labels need at a given width."""
    layout = dialog.layout()
    layout.activate()
    width = max(dialog.width(), layout.sizeHint().width())
    # sizeHint().height() is the height at the hint's (narrower) width: too tall here.
    height = layout.heightForWidth(width) if layout.hasHeightForWidth() else \
        layout.sizeHint().height()
    dialog.resize(width, max(dialog.height(), height))
