"""The steps of the first-start wizard, except region and summary (in setup_wizard.py).

Each page writes its part of the `OfficeSetup` draft in `fill()` and checks only its own fields
in `validatePage()`, with the service's rules (`validate_setup`, `validate_new_user`), so the
operator sees a problem on the page where it can be fixed, in the service's own words.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import (QKeySequence, QPalette, QPixmap, QRegularExpressionValidator,
                           QShortcut, QStandardItem, QStandardItemModel)
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QRadioButton,
                               QTableView, QVBoxLayout, QWidget, QWizardPage)

from pmks_desktop.domain.names import title_case_name
from pmks_desktop.services.errors import Issue
from pmks_desktop.services.office import MODES, OfficeSetup, validate_setup
from pmks_desktop.ui.form_fields import ERROR_STYLE

SIGNER_RANKS = (
    "Pembina Utama (IV/e)", "Pembina Utama Madya (IV/d)", "Pembina Utama Muda (IV/c)",
    "Pembina Tingkat I (IV/b)", "Pembina (IV/a)", "Penata Tingkat I (III/d)", "Penata (III/c)",
    "Penata Muda Tingkat I (III/b)", "Penata Muda (III/a)",
)


def error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, also in dark themes
    return label


def form_layout(box: QWidget) -> QFormLayout:
    """Fields use the width they are given, on every platform (macOS would keep them narrow)."""
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def short_place_name(region_name: str) -> str:
    """`Kabupaten Serang` -> `Serang`: letters are dated at the town, not the regency."""
    for prefix in ("Kabupaten ", "Kota "):
        if region_name.startswith(prefix):
            region_name = region_name[len(prefix):]
    return title_case_name(region_name)


class SetupPage(QWizardPage):
    """One step: writes its part of the draft and shows its own problems inline, in red."""

    fields: tuple[str, ...] = ()

    def __init__(self, title: str, subtitle: str):
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.errors = error_label()
        self.focus_for: dict[str, QWidget] = {}  # field -> widget to focus when it is wrong

    def fill(self, setup: OfficeSetup) -> None:
        """Write this page's values into the draft."""

    def issues(self) -> list[Issue]:
        return [i for i in validate_setup(self.wizard().draft()) if i.field in self.fields]

    def validatePage(self) -> bool:
        issues = self.issues()
        self.show_messages([i.message for i in issues])
        if issues and (widget := self.focus_for.get(issues[0].field)) is not None:
            widget.setFocus()
        return not issues

    def show_messages(self, messages: list[str]) -> None:
        if len(messages) > 1:
            text = "Mohon periksa kembali:\n" + "\n".join(f"• {m}" for m in messages)
        else:
            text = "".join(messages)
        self.errors.setText(text)
        self.errors.setVisible(bool(messages))


class ModePage(SetupPage):
    fields = ("mode",)

    def __init__(self):
        super().__init__("Mode Penggunaan", "Pilih tempat aplikasi ini dipasang.")
        self.kecamatan = QRadioButton("Kantor Ke&camatan")
        self.kabupaten = QRadioButton(f"&{MODES['kabupaten']}")
        self.kecamatan.setChecked(True)
        box = QGroupBox("Aplikasi ini dipakai di")
        layout = QVBoxLayout(box)
        for radio, text in (
            (self.kecamatan, "Mencatat data PMKS desa dan kelurahan di wilayah kecamatan, "
                             "mencetak surat dan rekap kecamatan, lalu mengirim data ke Dinas "
                             "Sosial melalui flashdisk."),
            (self.kabupaten, "Menerima kiriman data dari semua kecamatan, menggabungkannya, "
                             "memeriksa data ganda, dan mencetak rekap tingkat kabupaten."),
        ):
            explanation = hint_label(text)
            explanation.setContentsMargins(24, 0, 0, 8)  # line up under the radio's text
            layout.addWidget(radio)
            layout.addWidget(explanation)
        page = QVBoxLayout(self)
        page.addWidget(box)
        page.addStretch()
        page.addWidget(self.errors)

    def mode(self) -> str:
        return "kecamatan" if self.kecamatan.isChecked() else "kabupaten"


class AddressPage(SetupPage):
    fields = ("address", "phone", "postcode", "email", "place_name")

    def __init__(self):
        super().__init__("Alamat Kantor", "Alamat ini tercetak pada kop surat.")
        self.address = QLineEdit(placeholderText="mis. Jl. Raya Serang-Cilegon Km. 8")
        self.phone = QLineEdit(placeholderText="mis. (0254) 123456")
        self.postcode = QLineEdit(placeholderText="5 angka")
        self.postcode.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,5}")))
        self.postcode.setMaximumWidth(120)
        self.email = QLineEdit(placeholderText="mis. kecamatan@serangkab.go.id")
        self.place_name = QLineEdit()
        self._place_default = ""
        box = QGroupBox("Kop surat")
        form = form_layout(box)
        form.addRow("&Alamat:", self.address)
        form.addRow("&Telepon:", self.phone)
        form.addRow("Kode &pos:", self.postcode)
        form.addRow("Su&rel (e-mail):", self.email)
        form.addRow("Tempat penan&datanganan surat:", self.place_name)
        form.addRow("", hint_label("Ditulis sebelum tanggal surat, mis. "
                                   "\u201cKramatwatu, 27 Juli 2024\u201d."))
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch()
        layout.addWidget(self.errors)
        self.focus_for = {"address": self.address, "phone": self.phone,
                          "postcode": self.postcode, "email": self.email,
                          "place_name": self.place_name}

    def initializePage(self) -> None:
        # Offer the kecamatan (or regency town) as the place, unless the operator typed another.
        draft = self.wizard().draft()
        default = short_place_name(draft.kecamatan_name or draft.kabupaten_name)
        if self.place_name.text().strip() in ("", self._place_default):
            self.place_name.setText(default)
        self._place_default = default

    def fill(self, setup: OfficeSetup) -> None:
        setup.address = self.address.text()
        setup.phone = self.phone.text()
        setup.postcode = self.postcode.text()
        setup.email = self.email.text()
        setup.place_name = self.place_name.text()


class SignerPage(SetupPage):
    fields = ("signer_name", "signer_nip", "signer_rank", "signer_title", "emblem_path")

    def __init__(self):
        super().__init__("Penanda Tangan dan Lambang",
                         "Pejabat yang menandatangani surat, dan lambang daerah untuk kop surat.")
        self.signer_name = QLineEdit(placeholderText="Nama lengkap dengan gelar")
        self.signer_nip = QLineEdit(placeholderText="18 angka, mis. 197001011990031001")
        # Spaces are allowed because NIPs are often copied as "19700101 199003 1 001".
        self.signer_nip.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9 ]{0,24}")))
        self.signer_rank = QComboBox(editable=True)
        self.signer_rank.addItems(SIGNER_RANKS)
        self.signer_rank.setCurrentIndex(-1)
        self.signer_rank.lineEdit().setPlaceholderText("Pilih atau ketik pangkat/golongan")
        self.signer_title = QLineEdit()
        self._title_default = ""
        self.emblem_path = ""
        self.emblem_preview = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.emblem_preview.setFixedSize(88, 88)
        self.emblem_preview.setStyleSheet("border: 1px solid palette(mid);")
        self.emblem_name = QLabel(wordWrap=True)
        self.choose_emblem = QPushButton("Pilih &Gambar Lambang…")
        self.clear_emblem = QPushButton("Hapus La&mbang")
        self.choose_emblem.clicked.connect(self.choose_emblem_file)
        self.clear_emblem.clicked.connect(lambda: self.set_emblem(""))
        layout = QVBoxLayout(self)
        layout.addWidget(self._signer_box())
        layout.addWidget(self._emblem_box())
        layout.addStretch()
        layout.addWidget(self.errors)
        self.focus_for = {"signer_name": self.signer_name, "signer_nip": self.signer_nip,
                          "signer_rank": self.signer_rank, "signer_title": self.signer_title,
                          "emblem_path": self.choose_emblem}
        self.set_emblem("")

    def _signer_box(self) -> QGroupBox:
        box = QGroupBox("Penanda tangan surat")
        form = form_layout(box)
        form.addRow("&Nama:", self.signer_name)
        form.addRow("N&IP:", self.signer_nip)
        form.addRow("Pangkat/g&olongan:", self.signer_rank)
        form.addRow("&Jabatan:", self.signer_title)
        return box

    def _emblem_box(self) -> QGroupBox:
        box = QGroupBox("Lambang daerah (boleh dikosongkan)")
        buttons = QVBoxLayout()
        buttons.addWidget(self.emblem_name)
        buttons.addWidget(hint_label("Berkas PNG atau JPEG, tampil di kiri kop surat."))
        row = QHBoxLayout()
        row.addWidget(self.choose_emblem)
        row.addWidget(self.clear_emblem)
        row.addStretch()
        buttons.addLayout(row)
        layout = QHBoxLayout(box)
        layout.addWidget(self.emblem_preview)
        layout.addLayout(buttons, 1)
        return box

    def initializePage(self) -> None:
        draft = self.wizard().draft()
        if draft.mode == "kecamatan":
            default = f"Camat {title_case_name(draft.kecamatan_name)}"
        else:
            default = f"Kepala Dinas Sosial {draft.kabupaten_name}"
        if self.signer_title.text().strip() in ("", self._title_default):
            self.signer_title.setText(default)
        self._title_default = default

    def choose_emblem_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Pilih Gambar Lambang", "",
                                              "Gambar PNG atau JPEG (*.png *.jpg *.jpeg)")
        if path:
            self.set_emblem(path)

    def set_emblem(self, path: str) -> None:
        self.emblem_path = path
        self.clear_emblem.setEnabled(bool(path))
        pixmap = QPixmap(path) if path else QPixmap()
        if pixmap.isNull():
            self.emblem_preview.setPixmap(QPixmap())
            self.emblem_preview.setText("Tidak ada\nlambang" if not path else "Tidak\nterbaca")
        else:
            self.emblem_preview.setPixmap(pixmap.scaled(
                80, 80, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        self.emblem_name.setText(f"Berkas: {Path(path).name}" if path
                                 else "Belum ada gambar lambang yang dipilih.")

    def fill(self, setup: OfficeSetup) -> None:
        setup.signer_name = self.signer_name.text()
        setup.signer_nip = self.signer_nip.text()
        setup.signer_rank = self.signer_rank.currentText()
        setup.signer_title = self.signer_title.text()
        setup.emblem_path = self.emblem_path


class DesaPage(SetupPage):
    fields = ("desa",)

    def __init__(self):
        super().__init__("Desa dan Kelurahan",
                         "Desa/kelurahan yang dilayani kantor ini. Periksa daftarnya; baris "
                         "dapat ditambah, dihapus, atau diketik sendiri.")
        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels(["Kode", "Nama desa/kelurahan"])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 150)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as everywhere else
        self.add_button = QPushButton("&Tambah Baris")
        self.remove_button = QPushButton("&Hapus Baris")
        self.count = QLabel()
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        for key, slot in ((QKeySequence.StandardKey.Delete, self.remove_selected),
                          (QKeySequence(Qt.Key.Key_Insert), self.add_row)):
            QShortcut(key, self.table, slot, context=Qt.ShortcutContext.WidgetShortcut)
        self.model.rowsInserted.connect(self._update_count)
        self.model.rowsRemoved.connect(self._update_count)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(hint_label("Ubah isian sel dengan klik dua kali atau F2. Tombol Insert "
                                    "menambah baris, Delete menghapus baris terpilih."))
        layout.addWidget(self.errors)
        self.focus_for = {"desa": self.table}
        self._filled_for = ""
        self._update_count()

    def initializePage(self) -> None:
        # Refill only when the kecamatan changed, so rows typed earlier survive Back/Next.
        wizard = self.wizard()
        kecamatan = wizard.draft().kecamatan_code
        if kecamatan != self._filled_for and wizard.regions is not None:
            desa = wizard.regions.desa_of(kecamatan)
            if desa or self._filled_for:
                self.set_rows([(d.code, d.name) for d in desa])
        self._filled_for = kecamatan

    def set_rows(self, rows: list[tuple[str, str]]) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for code, name in rows:
            self.model.appendRow([QStandardItem(code), QStandardItem(name)])

    def rows(self) -> list[tuple[str, str]]:
        rows = []
        for r in range(self.model.rowCount()):
            code, name = (self.model.item(r, c).text().strip() for c in (0, 1))
            if code or name:  # a row added and left blank is not meant as a desa
                rows.append((code, name))
        return rows

    def add_row(self) -> None:
        prefix = self.wizard().draft().kecamatan_code
        self.model.appendRow([QStandardItem(f"{prefix}." if prefix else ""), QStandardItem()])
        index = self.model.index(self.model.rowCount() - 1, 0)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def remove_selected(self) -> None:
        rows = {i.row() for i in self.table.selectionModel().selectedIndexes()}
        if not rows and self.table.currentIndex().isValid():
            rows = {self.table.currentIndex().row()}
        for row in sorted(rows, reverse=True):
            self.model.removeRow(row)

    def _update_count(self) -> None:
        self.count.setText(f"{self.model.rowCount()} desa/kelurahan")

    def fill(self, setup: OfficeSetup) -> None:
        setup.desa = self.rows()


