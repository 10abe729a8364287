"""Message boxes in one voice: polite Bahasa Indonesia, the service's own words."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

TITLE = "PMKS Desktop"


def show_error(parent: QWidget | None, error: Exception | str, title: str = TITLE) -> None:
    text = getattr(error, "message", None) or str(error)
    QMessageBox.warning(parent, title, text)


def show_info(parent: QWidget | None, text: str, title: str = TITLE) -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, text: str, title: str = TITLE,
            yes: str = "Ya", no: str = "Batal") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button


def ask_text(parent: QWidget | None, title: str, label: str, ok_label: str = "Simpan",
             cancel_label: str = "Batal") -> tuple[str, bool]:
    """One line of text from the user, with Indonesian buttons (QInputDialog.getText has none)."""
    from PySide6.QtWidgets import QInputDialog

    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setOkButtonText(ok_label)
    dialog.setCancelButtonText(cancel_label)
    dialog.resize(460, dialog.sizeHint().height())
    accepted = bool(dialog.exec())
    return dialog.textValue().strip(), accepted


def call_service(parent: QWidget | None, call) -> bool:
    """Run one service call; a refusal is shown to the user. True when it went through."""
    from pmks_desktop.services.errors import ServiceError

    try:
        call()
    except ServiceError as exc:
        show_error(parent, exc)
        return False
    return True


def trash_with_reason(parent: QWidget | None, what: str, trash) -> bool:
    """Ask why `what` goes to the trash, then call trash(reason). True when it was moved."""
    reason, ok = ask_text(parent, "Pindahkan ke Sampah",
                          f"{what} akan dipindahkan ke sampah (dapat dipulihkan administrator)."
                          "\nTuliskan alasannya:", ok_label="Pindahkan")
    return ok and call_service(parent, lambda: trash(reason))
