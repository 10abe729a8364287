"""The main window only assembles: tabs, menus, status bar, and the signals between tabs."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget

from pmks_desktop import APP_NAME, __version__
from pmks_desktop.domain.roles import MANAGE_USERS
from pmks_desktop.services.container import AppServices
from pmks_desktop.storage.models import Office
from pmks_desktop.ui.case_register_tab import CaseRegisterTab, RegisterDeps
from pmks_desktop.ui.home_tab import HomeTab


def office_title(office: Office) -> str:
    if office.mode == "kecamatan":
        return f"Kecamatan {office.kecamatan_name.title()}, {office.kabupaten_name.title()}"
    return f"Dinas Sosial {office.kabupaten_name.title()}"


class MainWindow(QMainWindow):
    sign_out_requested = Signal()

    def __init__(self, services: AppServices, parent=None):
        super().__init__(parent)
        self._services = services
        office = services.office.office()
        self.setWindowTitle(f"{APP_NAME} — {office_title(office)}")
        self.resize(1280, 760)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.home = HomeTab(services.dashboard, services.catalogue, office_title(office))
        self.resos = CaseRegisterTab(self._register_deps(), bidang="rehsos")
        self.tabs.addTab(self.home, "&Beranda")
        self.tabs.addTab(self.resos, "&Rehabilitasi Sosial")
        self.resos.data_changed.connect(self.home.mark_stale)
        self._build_menus()
        self._build_status_bar()

    def _register_deps(self) -> RegisterDeps:
        s = self._services
        return RegisterDeps(queries=s.case_queries, cases=s.cases, persons=s.persons,
                            catalogue=s.catalogue, desa=s.office.desa_list(), session=s.session)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Berkas")
        self._add(file_menu, "&Keluar", self.close, QKeySequence.StandardKey.Quit)
        account = self.menuBar().addMenu("&Akun")
        self._add(account, "Ganti &Kata Sandi…", self.change_password)
        if self._services.session.allows(MANAGE_USERS):
            self._add(account, "Kelola &Pengguna…", self.manage_users)
        self._add(account, "Keluar &Akun", self.sign_out_requested.emit)
        help_menu = self.menuBar().addMenu("Ban&tuan")
        self._add(help_menu, "&Tentang PMKS Desktop", self.about)

    def _add(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _build_status_bar(self) -> None:
        actor = self._services.session.actor
        user = QLabel(f"Masuk sebagai: {actor.full_name} ({actor.role_label})")
        folder = QLabel(f"Folder data: {self._services.db.paths.root}")
        self.statusBar().addWidget(user)
        self.statusBar().addPermanentWidget(folder)

    def change_password(self) -> None:
        from pmks_desktop.ui.password_dialog import ChangePasswordDialog

        ChangePasswordDialog(self._services.users, self).exec()

    def manage_users(self) -> None:
        from pmks_desktop.ui.users_dialog import UsersDialog

        UsersDialog(self._services.users, self).exec()

    def about(self) -> None:
        QMessageBox.about(self, f"Tentang {APP_NAME}",
                          f"<b>{APP_NAME} {__version__}</b><br>Pendataan Penyandang Masalah "
                          "Kesejahteraan Sosial (PMKS) untuk kantor kecamatan dan Dinas Sosial,"
                          " bekerja tanpa internet.<br><br>Folder data: "
                          f"{self._services.db.paths.root}")
