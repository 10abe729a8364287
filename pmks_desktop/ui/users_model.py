"""The account list as a Qt table model.

Unlike the case list this model holds every row: an office has a handful of accounts, and the
service returns them in one call, so paging would only add moving parts.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from pmks_desktop.domain.roles import ROLE_LABELS

if TYPE_CHECKING:  # the rows come from UserService; the UI never queries storage itself
    from pmks_desktop.storage.models import User

NEVER = "Belum pernah"


def login_time(moment: datetime | None) -> str:
    """'27-07-2024 14:05' in the computer's local time, as the office reads its clock."""
    if moment is None:
        return NEVER
    if moment.tzinfo is None:  # the database stores UTC; an older row may have lost its zone
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%d-%m-%Y %H:%M")


# (header, value of a row)
COLUMNS: tuple[tuple[str, Callable[[User], str]], ...] = (
    ("Nama pengguna", lambda u: u.username),
    ("Nama lengkap", lambda u: u.full_name),
    ("Peran", lambda u: ROLE_LABELS.get(u.role, u.role)),
    ("Data sensitif", lambda u: "Ya" if u.can_view_sensitive else "Tidak"),
    ("Status", lambda u: "Aktif" if u.active else "Nonaktif"),
    ("Terakhir masuk", lambda u: login_time(u.last_login_at)),
)


class UserTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[User] = []

    def set_users(self, users: list[User]) -> None:
        self.beginResetModel()
        self._rows = list(users)
        self.endResetModel()

    def user_at(self, row: int) -> User | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, username: str) -> int:
        """Row of an account, or -1: used to keep the selection on it after a reload."""
        for row, user in enumerate(self._rows):
            if user.username == username:
                return row
        return -1

    # ------------------------------------------------------------- Qt model API

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        user = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return COLUMNS[index.column()][1](user)
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            # Greyed rows let a deactivated account be told apart at a glance.
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled,
                                                QPalette.ColorRole.Text)
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
