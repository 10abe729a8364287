"""The criteria checklist of a PMKS type: one check box per criterion from the catalogue."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pmks_desktop.domain.catalogue import Criterion


class _CriterionRow(QWidget):
    """A check box with a wrapping text beside it (QCheckBox itself cannot wrap long criteria)."""

    def __init__(self, criterion: Criterion, parent: QWidget | None = None):
        super().__init__(parent)
        self.criterion_id = criterion.id
        self.box = QCheckBox()
        self.box.setAccessibleName(criterion.text)
        self.text = QLabel(criterion.text, wordWrap=True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)

    def mousePressEvent(self, event) -> None:
        event.accept()  # so that the release comes back here

    def mouseReleaseEvent(self, event) -> None:
        # Clicking the words ticks the box, as it would on an ordinary check box.
        if event.button() == Qt.MouseButton.LeftButton:
            self.box.toggle()
            self.box.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


class CriteriaList(QWidget):
    """Rebuilt by set_criteria() whenever the PMKS type changes; `changed` fires on every tick."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._rows: list[_CriterionRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._empty = QLabel("Pilih jenis PMKS terlebih dahulu; kriterianya akan muncul di sini.",
                             wordWrap=True)
        self._empty.setStyleSheet("color: #5f6368;")
        self._layout.addWidget(self._empty)

    def set_criteria(self, criteria: Sequence[Criterion], checked: Iterable[str] = ()) -> None:
        for old in self._rows:
            self._layout.removeWidget(old)
            # Hidden at once: deleteLater() called before a dialog's exec() only runs after
            # exec() returns, and the old rows would stay drawn over the new ones until then.
            old.hide()
            old.deleteLater()
        ticked = set(checked)
        self._rows = [_CriterionRow(c, self) for c in criteria]
        for item in self._rows:
            item.box.setChecked(item.criterion_id in ticked)
            item.box.toggled.connect(self.changed)
            self._layout.addWidget(item)
        self._empty.setVisible(not self._rows)
        self.changed.emit()

    def checked_ids(self) -> list[str]:
        return [r.criterion_id for r in self._rows if r.box.isChecked()]

    def set_checked(self, ids: Iterable[str]) -> None:
        wanted = set(ids)
        for item in self._rows:
            item.box.setChecked(item.criterion_id in wanted)

    def check_boxes(self) -> list[QCheckBox]:
        """In list order: the dialog chains them into its tab order after each rebuild."""
        return [r.box for r in self._rows]

    def box_for(self, criterion_id: str) -> QCheckBox:
        for item in self._rows:
            if item.criterion_id == criterion_id:
                return item.box
        raise KeyError(criterion_id)
