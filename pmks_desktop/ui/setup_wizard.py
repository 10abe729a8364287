"""First start: the wizard that sets up the office and its first administrator.

Nothing is written until the last page: `OfficeService.set_up` stores the office, its desa and
the administrator in one transaction, so a wizard closed half-way leaves the database empty and
the wizard simply runs again at the next start.
"""
from __future__ import annotations

import html
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QGuiApplication, QRegularExpressionValidator
from PySide6.QtWidgets import (QComboBox, QFileDialog, QGridLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QTextBrowser, QVBoxLayout,
                               QWizard)

from pmks_desktop.domain.errors import RegionFileError
from pmks_desktop.domain.formatting import number_id
from pmks_desktop.domain.regions import RegionMaster, kabupaten_areas, load_region_csv
from pmks_desktop.services.errors import Issue, ServiceError, ValidationFailed
from pmks_desktop.services.office import MODES, OfficeService, OfficeSetup
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.models import Office
from pmks_desktop.ui.messages import confirm
from pmks_desktop.ui.setup_admin_page import AdminPage
from pmks_desktop.ui.setup_pages import (ERROR_STYLE, AddressPage, DesaPage,
                                         ModePage, SetupPage, SignerPage, form_layout,
                                         hint_label)

# (level, label, code pattern the line edit accepts while typing)
LEVELS = (("province", "Provinsi", r"\d{0,2}"),
          ("kabupaten", "Kabupaten/kota", r"\d{0,2}(\.\d{0,2})?"),
          ("kecamatan", "Kecamatan", r"\d{0,2}(\.\d{0,2}(\.\d{0,2})?)?"))
COMBO_LABELS = ("&Provinsi:", "Kabupaten/k&ota:", "Ke&camatan:")


@contextmanager
def wait_cursor():
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class RegionPage(SetupPage):
    """Provinsi > kabupaten/kota > kecamatan, picked from a Kepmendagri CSV or typed by hand."""

    fields = ("province_code", "province_name", "kabupaten_code", "kabupaten_name",
              "kecamatan_code", "kecamatan_name")

    def __init__(self):
        super().__init__("Wilayah Kantor",
                         "Impor berkas wilayah Kepmendagri lalu pilih wilayahnya. Tanpa berkas, "
                         "ketik kode dan nama wilayah pada bagian bawah.")
        self.regions: RegionMaster | None = None
        self.import_button = QPushButton("&Impor Berkas Wilayah (CSV Kepmendagri)…")
        self.import_button.clicked.connect(self.choose_region_file)
        self.file_status = QLabel("Belum ada berkas wilayah yang diimpor.", wordWrap=True)
        self.combos = [QComboBox() for _ in LEVELS]
        self.province_combo, self.kabupaten_combo, self.kecamatan_combo = self.combos
        self.codes = [self._code_edit(pattern) for _, _, pattern in LEVELS]
        self.names = [QLineEdit() for _ in LEVELS]
        for depth, combo in enumerate(self.combos):
            combo.setPlaceholderText(f"— pilih {LEVELS[depth][1].lower()} —")
            combo.setEnabled(False)
            # Long kabupaten lists must not widen the page beyond 800 pixels.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(lambda _i, d=depth: self._chosen(d))
        layout = QVBoxLayout(self)
        layout.addWidget(self._file_box())
        layout.addWidget(self._typed_box())
        layout.addStretch()
        layout.addWidget(self.errors)
        self.focus_for = {f"{level}_{part}": widgets[depth]
                          for depth, (level, _, _) in enumerate(LEVELS)
                          for part, widgets in (("code", self.codes), ("name", self.names))}

    @staticmethod
    def _code_edit(pattern: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern)))
        edit.setMaximumWidth(110)
        return edit

    def _file_box(self) -> QGroupBox:
        box = QGroupBox("Pilih dari berkas wilayah")
        file_row = QHBoxLayout()
        file_row.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignTop)
        file_row.addWidget(self.file_status, 1)
        self.combo_form = form_layout(None)
        for label, combo in zip(COMBO_LABELS, self.combos):
            self.combo_form.addRow(label, combo)
        layout = QVBoxLayout(box)
        layout.addLayout(file_row)
        layout.addLayout(self.combo_form)
        return box

    def _typed_box(self) -> QGroupBox:
        box = QGroupBox("Kode dan nama wilayah")
        grid = QGridLayout(box)
        grid.addWidget(hint_label("Terisi otomatis dari pilihan di atas, atau ketik sendiri "
                                  "(kode berbentuk 36, 36.04, 36.04.05)."), 0, 0, 1, 3)
        grid.addWidget(QLabel("Kode"), 1, 1)
        grid.addWidget(QLabel("Nama"), 1, 2)
        self.typed_labels = []
        for depth, (_, label, _) in enumerate(LEVELS):
            caption = QLabel(f"{label}:")
            caption.setBuddy(self.codes[depth])
            self.typed_labels.append(caption)
            grid.addWidget(caption, depth + 2, 0)
            grid.addWidget(self.codes[depth], depth + 2, 1)
            grid.addWidget(self.names[depth], depth + 2, 2)
        grid.setColumnStretch(2, 1)
        return box

    def initializePage(self) -> None:
        kecamatan = self.wizard().mode_page.mode() == "kecamatan"
        self.combo_form.setRowVisible(2, kecamatan)
        for widget in (self.typed_labels[2], self.codes[2], self.names[2]):
            widget.setVisible(kecamatan)

    def choose_region_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Impor Berkas Wilayah", "",
                                              "Berkas CSV (*.csv);;Semua berkas (*)")
        if path:
            self.load_region_file(Path(path))

    def load_region_file(self, path: Path) -> bool:
        try:
            with wait_cursor():
                regions = load_region_csv(path)
        except RegionFileError as exc:
            self.file_status.setStyleSheet(ERROR_STYLE)
            self.file_status.setText(f"Berkas {path.name} tidak dapat dipakai. {exc.message}")
            return False
        self.regions = regions
        self.file_status.setStyleSheet("")
        self.file_status.setText(f"{path.name}: {number_id(len(regions))} wilayah dimuat.")
        typed = [edit.text().strip() for edit in self.codes]
        self._fill_combo(0, regions.children(None))
        self._select(typed)
        return True

    def _select(self, codes: list[str]) -> None:
        """Keep codes typed before the import selected, where the file knows them."""
        for combo, code in zip(self.combos, codes):
            index = combo.findData(code) if code else -1
            if index < 0:
                return
            combo.setCurrentIndex(index)

    def _fill_combo(self, depth: int, regions: list) -> None:
        combo = self.combos[depth]
        combo.blockSignals(True)
        combo.clear()
        for region in regions:
            combo.addItem(f"{region.name} ({region.code})", region.code)
        combo.setCurrentIndex(-1)
        combo.blockSignals(False)
        combo.setEnabled(bool(regions))

    def _chosen(self, depth: int) -> None:
        # A new choice at one level empties every level below it.
        code = self.combos[depth].currentData()
        region = self.regions.get(code) if code and self.regions else None
        self.codes[depth].setText(region.code if region else "")
        self.names[depth].setText(region.name if region else "")
        for below in range(depth + 1, len(LEVELS)):
            children = self.regions.children(code) if region and below == depth + 1 else []
            self._fill_combo(below, children)
            self.codes[below].clear()
            self.names[below].clear()

    def issues(self) -> list[Issue]:
        # "Kode ... berbentuk 36.04.05" reads oddly for a level left empty: say what is missing.
        issues, draft = super().issues(), self.wizard().draft()
        missing = {level for level, _, _ in LEVELS
                   if not getattr(draft, f"{level}_code") and not getattr(draft, f"{level}_name")}
        labels = {level: label for level, label, _ in LEVELS}
        kept = [i for i in issues if i.field.rsplit("_", 1)[0] not in missing]
        told = [Issue(f"{level}_code", f"{labels[level]} belum dipilih atau diketik.")
                for level, _, _ in LEVELS
                if level in missing and any(i.field.startswith(level) for i in issues)]
        return told + kept

    def fill(self, setup: OfficeSetup) -> None:
        for depth, (level, _, _) in enumerate(LEVELS):
            setattr(setup, f"{level}_code", self.codes[depth].text().strip())
            setattr(setup, f"{level}_name", self.names[depth].text())


class SummaryPage(SetupPage):
    def __init__(self):
        super().__init__("Ringkasan", "Periksa sekali lagi, lalu tekan Simpan untuk menyimpan "
                                      "pengaturan dan membuat akun administrator.")
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.errors)

    def initializePage(self) -> None:
        wizard = self.wizard()
        self.show_messages([])
        self.view.setHtml(summary_html(wizard.draft(), wizard.admin_page.new_user()))

    def validatePage(self) -> bool:
        return self.wizard().commit()


def summary_html(setup: OfficeSetup, admin: NewUser) -> str:
    def region(code: str, name: str) -> str:
        return f"{name} ({code})" if code or name else "-"

    sections = [("Kantor", [
        ("Mode", MODES.get(setup.mode, setup.mode)),
        ("Provinsi", region(setup.province_code, setup.province_name)),
        ("Kabupaten/kota", region(setup.kabupaten_code, setup.kabupaten_name)),
    ] + ([("Kecamatan", region(setup.kecamatan_code, setup.kecamatan_name))]
         if setup.mode == "kecamatan" else []))]
    sections.append(("Kop surat", [
        ("Alamat", setup.address), ("Telepon", setup.phone), ("Kode pos", setup.postcode),
        ("Surel", setup.email), ("Tempat penandatanganan", setup.place_name)]))
    sections.append(("Penanda tangan", [
        ("Nama", setup.signer_name), ("NIP", setup.signer_nip), ("Pangkat", setup.signer_rank),
        ("Jabatan", setup.signer_title),
        ("Lambang", Path(setup.emblem_path).name if setup.emblem_path else "")]))
    if setup.mode == "kecamatan":
        names = ", ".join(name for _, name in setup.desa)
        sections.append(("Desa/kelurahan", [("Jumlah", str(len(setup.desa))), ("Nama", names)]))
    sections.append(("Administrator", [("Nama pengguna", admin.username),
                                       ("Nama lengkap", admin.full_name)]))
    # One table for every section, so the values line up down the whole summary.
    cells = []
    for title, rows in sections:
        cells.append(f"<tr><td colspan='2' style='padding-top:10px'><b>{html.escape(title)}"
                     "</b></td></tr>")
        cells += [f"<tr><td style='color:#5f6368; padding-right:16px'>{html.escape(label)}</td>"
                  f"<td>{html.escape(value.strip() or '-')}</td></tr>" for label, value in rows]
    return f"<table cellspacing='2'>{''.join(cells)}</table>"


class SetupWizard(QWizard):
    """Seven steps; the desa step is skipped for a Dinas Sosial (kabupaten mode)."""

    MODE, REGION, ADDRESS, SIGNER, DESA, ADMIN, SUMMARY = range(7)

    def __init__(self, office: OfficeService, parent=None):
        super().__init__(parent)
        self._office = office
        self.created_office: Office | None = None
        self.setWindowTitle("Pengaturan Awal PMKS Desktop")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in ((QWizard.WizardButton.BackButton, "< &Kembali"),
                             (QWizard.WizardButton.NextButton, "&Lanjut >"),
                             (QWizard.WizardButton.FinishButton, "&Simpan"),
                             (QWizard.WizardButton.CancelButton, "Batal")):
            self.setButtonText(button, text)
        self.mode_page, self.region_page = ModePage(), RegionPage()
        self.address_page, self.signer_page = AddressPage(), SignerPage()
        self.desa_page, self.admin_page = DesaPage(), AdminPage()
        self.summary_page = SummaryPage()
        self._pages = (self.mode_page, self.region_page, self.address_page, self.signer_page,
                       self.desa_page, self.admin_page, self.summary_page)
        for page_id, page in enumerate(self._pages):
            self.setPage(page_id, page)
        self.setMinimumSize(760, 560)
        self.resize(800, 600)

    @property
    def regions(self) -> RegionMaster | None:
        return self.region_page.regions

    def nextId(self) -> int:
        if self.currentId() == self.SIGNER and self.mode_page.mode() != "kecamatan":
            return self.ADMIN
        return super().nextId()

    def draft(self) -> OfficeSetup:
        """What the pages hold now, as the service will receive it."""
        setup = OfficeSetup(mode=self.mode_page.mode(), province_code="", province_name="",
                            kabupaten_code="", kabupaten_name="")
        for page in self._pages:
            page.fill(setup)
        if setup.mode != "kecamatan":
            setup.kecamatan_code = setup.kecamatan_name = ""
            setup.desa = []
        if self.regions is not None:
            setup.known_kabupaten = sorted(self.regions.kabupaten_codes())
            if setup.mode != "kecamatan" and setup.kabupaten_code:
                setup.kecamatan, setup.desa = kabupaten_areas(self.regions,
                                                              setup.kabupaten_code)
        return setup

    def commit(self) -> bool:
        """Save everything; on refusal show why on the summary page and stay open."""
        try:
            with wait_cursor():
                self.created_office = self._office.set_up(self.draft(),
                                                          self.admin_page.new_user())
        except ValidationFailed as exc:
            self.summary_page.show_messages([self._with_page(i) for i in exc.issues])
            return False
        except ServiceError as exc:
            self.summary_page.show_messages([exc.message])
            return False
        except OSError as exc:  # copying the emblem into the data folder failed
            self.summary_page.show_messages([
                f"Gambar lambang tidak dapat disalin ke folder data: {exc.strerror or exc}. "
                "Pilih berkas lain atau kosongkan lambang."])
            return False
        return True

    def _with_page(self, issue: Issue) -> str:
        for page in self._pages:
            if issue.field in page.fields:
                return f"{page.title()}: {issue.message}"
        return issue.message

    def reject(self) -> None:
        # Closing at the first page loses nothing; later, ask before discarding the answers.
        if self.currentId() > self.MODE and not confirm(
                self, "Batalkan pengaturan awal? Isian yang sudah dibuat tidak disimpan.",
                title=self.windowTitle(), yes="Ya, Batalkan", no="Lanjutkan Mengisi"):
            return
        super().reject()
