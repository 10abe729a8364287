"""Building blocks shared by the data-entry dialogs: notes under fields, a typeable date
field, form rows and group boxes, the Simpan/Batal row, and growing a dialog to fit messages."""
from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from pmks_desktop.domain.errors import DomainError
from pmks_desktop.domain.formatting import parse_date, short_date

CHECK_DELAY_MS = 300
ERROR_COLOR = "#b3261e"
WARNING_COLOR = "#8a5300"
HINT_STYLE = "color: #5f6368;"
ERROR_STYLE = f"color: {ERROR_COLOR};"
KEYS_HINT = "Enter: simpan  ·  Esc: batal  ·  Ctrl+Enter: simpan dari kotak Catatan"


class IssueNote(QLabel):
    """The line under a field: errors in red, warnings in amber; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.hide()

    def show_issues(self, errors: list[str], warnings: list[str] = ()) -> None:
        lines = [f'<span style="color:{ERROR_COLOR}">{escape(m, quote=False)}</span>'
                 for m in errors]
        # A word, not only a colour, tells a warning from an error (colour-blind users).
        lines += [f'<span style="color:{WARNING_COLOR}">Perhatian: {escape(m, quote=False)}'
                  "</span>" for m in warnings]
        self.setText("<br>".join(lines))
        self.setVisible(bool(lines))


class DateEdit(QLineEdit):
    """A date typed as dd-mm-yyyy (only the digits: the dashes are in the mask); may stay empty."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setInputMask("99-99-9999;_")
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("00-00-00000") + 18)
        self.setToolTip("Ketik hari, bulan, tahun berurutan, misalnya 17081985 untuk 17-08-1985.")

    def is_empty(self) -> bool:
        return not self.text().replace("-", "").strip()

    def problem(self) -> str | None:
        """Why the text is not a date (None when it is one, or when the field is empty)."""
        if self.is_empty():
            return None
        if not self.hasAcceptableInput():
            return "Tanggal belum lengkap. Tulis hari-bulan-tahun, misalnya 17-08-1985."
        try:
            parse_date(self.text())
        except DomainError as exc:
            return exc.message
        return None

    def date_value(self) -> date | None:
        return None if self.is_empty() or self.problem() else parse_date(self.text())

    def set_date(self, value: date | None) -> None:
        self.setText(short_date(value) if value else "")

    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)
        if self.is_empty():  # a click in the middle of an empty mask would start typing there
            self.setCursorPosition(0)


def with_note(*widgets: QWidget) -> QWidget:
    """Widgets stacked as one cell of a form layout: the field first, its note last."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def add_row(form: QFormLayout, text: str, buddy: QWidget, cell: QWidget) -> None:
    """A labelled row whose Alt+letter focuses the field itself, not the box around it."""
    label = QLabel(text)
    label.setBuddy(buddy)
    form.addRow(label, cell)


def group_box(title: str, inner: QFormLayout | QVBoxLayout) -> QGroupBox:
    """A titled section whose rows stay at the top when the dialog is taller than they need."""
    group = QGroupBox(title)
    layout = QVBoxLayout(group)
    layout.addLayout(inner)
    layout.addStretch(1)
    return group


def row(*items: QWidget | str) -> QWidget:
    """Widgets side by side; a string becomes a grey hint label."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for item in items:
        layout.addWidget(QLabel(item, styleSheet=HINT_STYLE) if isinstance(item, str) else item)
    layout.addStretch(1)
    return box


def grow_to_fit(window: QWidget) -> None:
    """Make room for notes that just appeared: grow (never shrink), within the screen.

    A top-level window keeps its size when word-wrapped labels appear inside it, so without
    this the newest message would be cut off at the bottom of the dialog.
    """
    layout = window.layout()
    if layout is None or not window.isVisible():
        return
    layout.activate()
    needed = (layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth()
              else layout.totalSizeHint().height())
    screen = window.screen().availableGeometry().height() - 40  # leave room for the title bar
    if window.height() < needed:
        window.resize(window.width(), min(needed, max(screen, window.height())))


def save_cancel_row(dialog: QDialog, save) -> tuple[QHBoxLayout, QPushButton, QPushButton]:
    """Simpan (the default: Enter) and Batal (Esc) beside a reminder of the keys.

    Ctrl+Enter saves too, because Enter in a multi-line Catatan box starts a new line.
    """
    buttons = QDialogButtonBox()
    save_button = buttons.addButton("Simpan", QDialogButtonBox.ButtonRole.AcceptRole)
    cancel_button = buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
    save_button.setDefault(True)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    for sequence in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(sequence), dialog, save)
    bottom = QHBoxLayout()
    bottom.addWidget(QLabel(KEYS_HINT, styleSheet=HINT_STYLE), 1)
    bottom.addWidget(buttons)
    return bottom, save_button, cancel_button


def three_lines(edit: QPlainTextEdit) -> None:
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
    edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
