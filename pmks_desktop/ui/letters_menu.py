"""The Surat menu and the "Buat Surat…" entry point the list tabs call. Dialog modules are
imported when first used: reportlab and QtPdf stay off the start-up path."""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu, QWidget

from pmks_desktop.domain.roles import MANAGE_OFFICE, PRINT
from pmks_desktop.ui.window_menu import WindowMenu


class LettersMenu(WindowMenu):
    def open_letter(self, parent: QWidget, subject_type: str, subject_id: str,
                    title: str) -> None:
        from pmks_desktop.ui.letter_dialog import LetterDialog
        from pmks_desktop.ui.messages import show_error

        dialog = LetterDialog(self._s.letters, self._s.letter_settings, subject_type,
                              subject_id, title, parent)
        if not dialog.templates:
            show_error(parent, "Belum ada templat surat untuk data ini.")
            return
        dialog.exec()

    def build(self, menu: QMenu) -> None:
        allowed = self._s.session.allows(PRINT)
        self._add(menu, "&Buku Agenda Surat Keluar…", self.register, "Ctrl+Shift+A", allowed)
        self._add(menu, "Cetak Surat &Massal…", self.batch, None, allowed)
        self._add(menu, "&Rekapitulasi…", self.recaps, "Ctrl+Shift+R", allowed)
        menu.addSeparator()
        self._add(menu, "&Periksa Keaslian Surat…", self.verify, "Ctrl+Shift+V")
        if self._s.session.allows(MANAGE_OFFICE):
            menu.addSeparator()
            self._add(menu, "Pengaturan &Surat…", self.settings)
            self._add(menu, "Buka &Folder Templat Surat", self.template_folder)

    def register(self) -> None:
        from pmks_desktop.ui.letter_register_dialog import LetterRegisterDialog

        LetterRegisterDialog(self._s, self._window).exec()

    def batch(self) -> None:
        from pmks_desktop.ui.letter_batch_dialog import BatchLetterDialog

        BatchLetterDialog(self._s.letters, self._window).exec()

    def recaps(self) -> None:
        from pmks_desktop.ui.recap_dialog import RecapDialog

        RecapDialog(self._s, self._window).exec()

    def verify(self) -> None:
        from pmks_desktop.ui.verify_letter_dialog import VerifyLetterDialog

        VerifyLetterDialog(self._s, self._window).exec()

    def settings(self) -> None:
        from pmks_desktop.ui.letter_settings_dialog import LetterSettingsDialog

        LetterSettingsDialog(self._s, self._window).exec()

    def template_folder(self) -> None:
        """The office's own copies go here; a copy with a shipped file's name replaces it."""
        folder = self._s.letters.template_folder()
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
