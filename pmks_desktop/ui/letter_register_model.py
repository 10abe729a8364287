"""The buku agenda surat keluar as a Qt table model, and the words for a letter's history.

The model holds one year's letters at once: a kecamatan issues hundreds of letters a year, not
tens of thousands, and LetterRegister.letters() returns the filtered year in one call, so paging
would only add moving parts (as with the account list).
"""
from __future__ import annotations

from datetime import datetime, timezone
from html import escape
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from pmks_desktop.domain.formatting import long_date
from pmks_desktop.services.letter_register import EVENT_LABELS, STATUS_LABELS

if TYPE_CHECKING:  # rows come from LetterRegister; the UI never queries storage itself
    from pmks_desktop.storage.models import LetterEvent, OutgoingLetter

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def printed_times(count: int) -> str:
    return f"{count} kali"


# (header, value of a row, alignment)
COLUMNS: tuple[tuple[str, Callable[[OutgoingLetter], str], Qt.AlignmentFlag], ...] = (
    ("No. Urut", lambda r: str(r.serial), _RIGHT),
    ("Nomor Surat", lambda r: r.number, _LEFT),
    ("Tanggal", lambda r: long_date(r.letter_date), _LEFT),
    ("Jenis Surat", lambda r: r.kind_label, _LEFT),
    ("Hal", lambda r: r.hal, _LEFT),
    ("Data/Penerima", lambda r: r.subject_name, _LEFT),
    ("Status", lambda r: STATUS_LABELS.get(r.status, r.status), _LEFT),
    ("Dicetak", lambda r: printed_times(r.print_count), _RIGHT),
)
STATUS_COLUMN = 6


def local_moment(moment: datetime) -> str:
    """'27 Juli 2024 pukul 14.05' in the computer's local time (the database keeps UTC)."""
    if moment.tzinfo is None:  # an older row may have lost its zone; it was stored as UTC
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone()
    return f"{long_date(local.date())} pukul {local:%H.%M}"


def event_line(event: LetterEvent) -> str:
    """'Dicetak ulang: kertas macet' — the reason is what a reader of the history wants."""
    label = EVENT_LABELS.get(event.action, event.action)
    return f"{label}: {event.reason}" if event.reason else label


def history_html(letter: OutgoingLetter, events: list[LetterEvent]) -> str:
    lines = [f"&bull; {escape(local_moment(e.created_at))} — {escape(event_line(e))}"
             for e in events] or ["Belum ada catatan."]
    return f"<b>Riwayat surat {escape(letter.number)}</b><br>" + "<br>".join(lines)


class LetterRegisterModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[OutgoingLetter] = []

    def set_letters(self, letters: list[OutgoingLetter]) -> None:
        self.beginResetModel()
        self._rows = list(letters)
        self.endResetModel()

    def letter_at(self, row: int) -> OutgoingLetter | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, letter_id: str | None) -> int:
        """Row of a letter, or -1: used to keep the selection on it after a reload."""
        return next((row for row, letter in enumerate(self._rows) if letter.id == letter_id), -1)

    def voided_count(self) -> int:
        return sum(1 for letter in self._rows if letter.status == "batal")

    # ------------------------------------------------------------- Qt model API

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        letter = self._rows[index.row()]
        _header, value, alignment = COLUMNS[index.column()]
        voided = letter.status == "batal"
        if role == Qt.ItemDataRole.DisplayRole:
            return value(letter)
        if role == Qt.ItemDataRole.ToolTipRole:
            # On a voided row every cell tells why: the eye lands anywhere on the grey line.
            return f"Dibatalkan: {letter.status_reason or '-'}" if voided else value(letter)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return alignment
        if role == Qt.ItemDataRole.ForegroundRole and voided:
            # The placeholder grey, not the disabled one: a voided line must stay readable.
            return QApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.FontRole and voided and index.column() == STATUS_COLUMN:
            font = QApplication.font()
            font.setBold(True)  # grey alone is easy to miss; the status word stands out
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None
