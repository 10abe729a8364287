"""The main window only assembles: tabs, menus, status bar, and the signals between tabs."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget

from pmks_desktop import APP_NAME, __version__
from pmks_desktop.domain.roles import MANAGE_OFFICE, MANAGE_USERS
from pmks_desktop.services.container import AppServices
from pmks_desktop.storage.models import Office
from pmks_desktop.ui.bidang_tab import BidangTab
from pmks_desktop.ui.case_register_tab import CaseRegisterTab, RegisterDeps
from pmks_desktop.ui.duplicate_hub import HubLinks
from pmks_desktop.ui.home_tab import HomeTab
from pmks_desktop.ui.letters_menu import LettersMenu
from pmks_desktop.ui.people_tab import PeopleDeps, PeopleTab
from pmks_desktop.ui.register_tab import EntryDeps
from pmks_desktop.ui.sync_menu import SyncMenu

# (bidang code, tab title); Rehabilitasi Sosial also carries the PMKS case register.
BIDANG_TABS = (("fakir_miskin", "Penanganan &Fakir Miskin"), ("rehsos", "&Rehabilitasi Sosial"),
               ("linjamsos", "Perlindungan dan &Jaminan Sosial"),
               ("dayasos", "Pemberda&yaan Sosial"))


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
        self._desa = services.office.desa_list()
        # At the hub the lists filter by kecamatan (a kecamatan code matches all its desa).
        self._areas = None if office.mode == "kecamatan" else services.office.filter_areas()
        # At the hub duplicate pairs are linked, never merged (offices own the person rows).
        self._duplicate_hub = None if office.mode == "kecamatan" else HubLinks(
            services.person_links, services.office.kecamatan_names())
        self.letters = LettersMenu(self, services)
        self.sync = SyncMenu(self, services)
        # "Status kirim" in every list, at an office (at the hub every record has arrived).
        self._sync_states = services.sync_states.states if services.sync_states.enabled() \
            else None
        # The Dinas Sosial's duplicate-person decisions reach offices with receipts; the hub
        # reviews its links in Tinjau Data Ganda instead.
        self._link_notices = services.link_notices.summaries if office.mode == "kecamatan" \
            else None
        self.home = HomeTab(services.dashboard, services.catalogue, office_title(office))
        self.tabs.addTab(self.home, "B&eranda")
        self.people = PeopleTab(self._people_deps())
        self.tabs.addTab(self.people, "&Penduduk")
        self.people.data_changed.connect(self._data_changed)
        self.bidang: dict[str, BidangTab] = {}
        self.resos = CaseRegisterTab(self._register_deps(), bidang="rehsos")
        self.resos.data_changed.connect(self._data_changed)
        for code, title in BIDANG_TABS:
            self._add_bidang(code, title)
        self._build_menus()
        self._build_status_bar()

    def _register_deps(self) -> RegisterDeps:
        s = self._services
        return RegisterDeps(queries=s.case_queries, cases=s.cases, persons=s.persons,
                            catalogue=s.catalogue, desa=self._desa, session=s.session,
                            exports=s.exports, open_letter=self.letters.open_letter,
                            sync_states=self._sync_states, areas=self._areas)

    def _entry_deps(self) -> EntryDeps:
        s = self._services
        return EntryDeps(registers=s.registers, queries=s.register_queries, persons=s.persons,
                         households=s.households, desa=self._desa, session=s.session,
                         exports=s.exports, importer=s.importer,
                         open_letter=self.letters.open_letter, sync_states=self._sync_states,
                         areas=self._areas)

    def _people_deps(self) -> PeopleDeps:
        s = self._services
        return PeopleDeps(queries=s.people, persons=s.persons, households=s.households,
                          desa=self._desa, session=s.session, duplicates=s.duplicates,
                          duplicate_hub=self._duplicate_hub,
                          importer=s.importer, exports=s.people_exports,
                          open_letter=self.letters.open_letter, sync_states=self._sync_states,
                          link_notices=self._link_notices, areas=self._areas,
                          erasure=s.erasure, at_hub=self._areas is not None)

    def _add_bidang(self, code: str, title: str) -> None:
        """A bidang tab only when it has something that works: its registers, or the cases."""
        forms = self._services.registers.forms_for_bidang(code)
        leading = [("Kasus PMKS", self.resos)] if code == "rehsos" else []
        if not forms and not leading:
            return
        if code == "rehsos" and not forms:
            self.tabs.addTab(self.resos, title)
            return
        tab = BidangTab(self._entry_deps(), forms, leading)
        tab.data_changed.connect(self._data_changed)
        self.bidang[code] = tab
        self.tabs.addTab(tab, title)

    def _data_changed(self) -> None:
        """Something was saved in one tab: counts and the person list elsewhere follow."""
        self.home.mark_stale()
        self.people.persons.reload()
        self.people.households.reload()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Berkas")
        self._add(file_menu, "&Keluar", self.close, QKeySequence.StandardKey.Quit)
        self.letters.build(self.menuBar().addMenu("&Surat"))
        self.sync.build(self.menuBar().addMenu("Si&nkron"))
        account = self.menuBar().addMenu("&Akun")
        self._add(account, "Ganti &Kata Sandi…", self.change_password)
        if self._services.session.allows(MANAGE_USERS):
            self._add(account, "Kelola &Pengguna…", self.manage_users)
        if self._services.session.allows(MANAGE_OFFICE):
            self._add(account, "Pengaturan P&rogram…", self.program_settings)
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

    def program_settings(self) -> None:
        from pmks_desktop.ui.settings_dialog import SettingsDialog

        SettingsDialog(self._services.settings, self).exec()

    def about(self) -> None:
        QMessageBox.about(self, f"Tentang {APP_NAME}",
                          f"<b>{APP_NAME} {__version__}</b><br>Pendataan Penyandang Masalah "
                          "Kesejahteraan Sosial (PMKS) untuk kantor kecamatan dan Dinas Sosial,"
                          " bekerja tanpa internet.<br><br>Folder data: "
                          f"{self._services.db.paths.root}")
