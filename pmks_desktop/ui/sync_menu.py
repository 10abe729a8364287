"""The Sinkron menu: at a kecamatan office, sending data to the Dinas Sosial and taking its
receipts; at the Dinas Sosial, importing kiriman, writing receipts and enrolling office PCs.
Dialog modules are imported when first used, to keep them off the start-up path."""
from __future__ import annotations

from PySide6.QtWidgets import QMenu

from pmks_desktop.domain.roles import EXPORT, MANAGE_OFFICE
from pmks_desktop.ui.window_menu import WindowMenu


class SyncMenu(WindowMenu):
    def build(self, menu: QMenu) -> None:
        admin = self._s.session.allows(MANAGE_OFFICE)
        if self._s.office.office().mode == "kecamatan":
            self._add(menu, "&Kirim Data ke Dinas Sosial…", self.send, "Ctrl+Shift+K",
                      self._s.session.allows(EXPORT))
            self._add(menu, "&Terima Tanda Terima Dinas…", self.take_receipt, None, admin)
            self._add(menu, "Tinjau &Konflik Sinkron…", self.conflicts)
            menu.addSeparator()
            self._add(menu, "Berkas &Enrolmen Komputer Ini…", self.own_enrolment, None, admin)
            return
        self._add(menu, "&Impor Kiriman Kantor…", self.import_bundles, "Ctrl+Shift+I", admin)
        self._add(menu, "&Tulis Tanda Terima untuk Kantor…", self.write_receipts, None, admin)
        self._add(menu, "&Daftar Kantor dan Kiriman…", self.office_list, None, admin)
        self._add(menu, "Tinjau &Konflik Sinkron…", self.conflicts)
        menu.addSeparator()
        self._add(menu, "Daftarkan &Komputer Kantor…", self.enrol_office, None, admin)
        self._add(menu, "Berkas &Enrolmen Dinas…", self.own_enrolment, None, admin)

    def conflicts(self) -> None:
        from pmks_desktop.ui.conflict_review import open_conflict_review

        open_conflict_review(self._s, self._window)

    def send(self) -> None:
        from pmks_desktop.ui.export_wizard import ExportWizard

        ExportWizard(self._s, self._window).exec()

    def take_receipt(self) -> None:
        from pmks_desktop.ui.receipt_dialogs import ReceiptImportDialog

        ReceiptImportDialog(self._s, self._window).exec()
        # A receipt may change records (the hub's corrections), states and the hub's notices.
        self._refresh_window()

    def own_enrolment(self) -> None:
        from pmks_desktop.ui.enrolment_dialogs import OwnEnrolmentDialog

        OwnEnrolmentDialog(self._s, self._window).exec()

    def import_bundles(self) -> None:
        from pmks_desktop.ui.bundle_import_dialog import BundleImportDialog

        dialog = BundleImportDialog(self._s, self._window)
        dialog.exec()
        if any(entry.applied is not None for entry in dialog.entries):
            self._refresh_window()

    def _refresh_window(self) -> None:
        """Imported records show in the open lists and counts at once."""
        refresh = getattr(self._window, "_data_changed", None)
        if refresh is not None:
            refresh()

    def write_receipts(self) -> None:
        from pmks_desktop.ui.receipt_dialogs import WriteReceiptsDialog

        WriteReceiptsDialog(self._s, self._window).exec()

    def office_list(self) -> None:
        from pmks_desktop.ui.office_list_dialog import OfficeListDialog

        OfficeListDialog(self._s, self._window).exec()

    def enrol_office(self) -> None:
        from pmks_desktop.ui.enrolment_dialogs import EnrolOfficeDialog

        EnrolOfficeDialog(self._s, self._window).exec()
