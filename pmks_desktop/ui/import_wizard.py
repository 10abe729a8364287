"""The import wizard: file (and template) -> column mapping -> dry run -> commit -> summary.

Reading the file, the dry run and the commit run as Jobs (progress and Batal); nothing reaches
the database before the last step, and that step writes everything or nothing (ImportService).
The step "Simpan" is a commit page: once pressed there is no way back to press it twice.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFileDialog,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWizard, QWizardPage)

from pmks_desktop.domain.formatting import number_id
from pmks_desktop.services.errors import OperationCancelled
from pmks_desktop.ui.form_fields import ERROR_STYLE
from pmks_desktop.ui.import_plan_model import STATUS_WORDS, PlanModel, status_chips
from pmks_desktop.ui.jobs import Job
from pmks_desktop.ui.setup_pages import hint_label
from pmks_desktop.ui.import_commit_page import CommitPage, error_text

FILE_FILTER = "Excel atau CSV (*.xlsx *.csv);;Excel (*.xlsx);;CSV (*.csv)"
def documents_dir() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)



# ------------------------------------------------------------------ step 1: file

class FilePage(QWizardPage):
    def __init__(self, importer, target: str, title: str):
        super().__init__()
        self.importer, self.target = importer, target
        self.sheet = None
        self.job: Job | None = None
        self.setTitle("Langkah 1 dari 4: Pilih berkas")
        self.setSubTitle(f"Berkas Excel (.xlsx) atau CSV berisi {title}. Baris pertama harus "
                         "berisi judul kolom. Belum punya berkasnya? Unduh templat, isi, lalu "
                         "pilih di sini.")
        self.path_edit = QLineEdit(readOnly=True, placeholderText="Belum ada berkas dipilih")
        self.choose_button = QPushButton("&Pilih Berkas…")
        self.choose_button.clicked.connect(self.choose_file)
        self.template_button = QPushButton("&Unduh Templat…")
        self.template_button.clicked.connect(self.save_template)
        self.status = QLabel(wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch()
        template_row = QHBoxLayout()
        template_row.addWidget(hint_label("Templat berisi kolom yang diharapkan (NIK dan No. KK "
                                           "sudah berformat Teks) dan lembar Petunjuk."), 1)
        template_row.addWidget(self.template_button)
        layout.addLayout(template_row)

    def isComplete(self) -> bool:
        return self.sheet is not None

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Pilih berkas impor", documents_dir(),
                                              FILE_FILTER)
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        self.path_edit.setText(path)
        self.sheet = None
        self.completeChanged.emit()
        self._say("Membaca berkas…")
        self.choose_button.setEnabled(False)
        self.job = Job(lambda progress, cancelled: self.importer.read(path),
                       "Membaca berkas…", self)
        self.job.done.connect(self._loaded)
        self.job.error.connect(self._failed)
        self.job.start()

    def _loaded(self, sheet) -> None:
        self.job = None
        self.choose_button.setEnabled(True)
        self.sheet = sheet
        self._say(f"Lembar '{sheet.sheet_name}': {number_id(len(sheet.rows))} baris data, "
                  f"{len(sheet.headers)} kolom. Tekan Lanjut untuk memetakan kolom.")
        self.completeChanged.emit()

    def _failed(self, exc) -> None:
        self.job = None
        self.choose_button.setEnabled(True)
        self._say(error_text(exc), error=True)

    def save_template(self) -> None:
        title = self.importer.title(self.target)
        default = str(Path(documents_dir()) / f"Templat impor {title}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "Simpan templat", default, "Excel (*.xlsx)")
        if not path:
            return
        try:
            saved = self.importer.template(self.target, path)
        except Exception as exc:  # a service message, or a disk that refuses
            self._say(error_text(exc), error=True)
            return
        self._say(f"Templat disimpan ke {saved}. Isi templat itu, lalu pilih di sini.")


# ------------------------------------------------------------------ step 2: mapping

class MappingPage(QWizardPage):
    IGNORE = "(diabaikan)"

    def __init__(self, importer, target: str):
        super().__init__()
        self.importer, self.target = importer, target
        self.columns = importer.columns(target)
        self.combos: list[QComboBox] = []
        self._headers: list[str] | None = None
        self.setTitle("Langkah 2 dari 4: Cocokkan kolom")
        self.setSubTitle("Untuk setiap kolom berkas, pilih kolom data tujuannya. Usulan sudah "
                         "dipilihkan dari judul kolom; kolom yang diabaikan tidak diimpor.")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Kolom di berkas", "Contoh isi",
                                              "Masuk ke kolom data"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.problems = QLabel(wordWrap=True)
        self.problems.setStyleSheet(ERROR_STYLE)
        self.unmapped = hint_label("")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.unmapped)
        layout.addWidget(self.problems)

    def initializePage(self) -> None:
        sheet = self.wizard().file_page.sheet
        if self._headers == sheet.headers:
            return  # same file again (back and forth): keep the user's choices
        self._headers = list(sheet.headers)
        mapping = self.importer.suggest_mapping(self.target, sheet.headers)
        self.table.setRowCount(len(sheet.headers))
        self.combos = []
        for row, header in enumerate(sheet.headers):
            self.table.setItem(row, 0, QTableWidgetItem(header))
            self.table.setItem(row, 1, QTableWidgetItem(self._example(sheet, row)))
            combo = self._combo(mapping.get(row))
            self.table.setCellWidget(row, 2, combo)
            self.combos.append(combo)
        self._changed()

    def _combo(self, key: str | None) -> QComboBox:
        combo = QComboBox()
        combo.addItem(self.IGNORE, None)
        for column in self.columns:
            combo.addItem(column.label + (" *" if column.required else ""), column.key)
        combo.setCurrentIndex(max(combo.findData(key), 0) if key else 0)
        combo.currentIndexChanged.connect(self._changed)
        return combo

    @staticmethod
    def _example(sheet, column: int) -> str:
        for _number, cells in sheet.rows[:20]:
            value = sheet.cell(cells, column)
            if value not in (None, ""):
                return str(value)[:60]
        return ""

    def mapping(self) -> dict[int, str]:
        return {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData()}

    def _changed(self) -> None:
        mapping = self.mapping()
        problems = self.importer.mapping_problems(self.target, mapping)
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        left = [c.label for c in self.columns if c.key not in mapping.values()]
        self.unmapped.setText("Kolom data yang tidak ada di berkas (isinya tidak diubah): "
                              + ", ".join(left) + "." if left else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.importer.mapping_problems(self.target,
                                                                        self.mapping())


# ------------------------------------------------------------------ step 3: dry run

class DryRunPage(QWizardPage):
    def __init__(self, importer, target: str, parent_id: str | None):
        super().__init__()
        self.importer, self.target, self.parent_id = importer, target, parent_id
        self.plan = None
        self.job: Job | None = None
        self.setTitle("Langkah 3 dari 4: Uji coba")
        self.setSubTitle("Setiap baris diperiksa seperti pada formulir. Belum ada yang disimpan.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Simpan ke Basis Data")
        self.counts = QLabel()
        self.show_combo = QComboBox()
        self.show_combo.addItem("Semua baris", None)
        for status, word in STATUS_WORDS.items():
            self.show_combo.addItem(f"Hanya {word.lower()}", status)
        self.show_combo.currentIndexChanged.connect(self._filter)
        self.model = PlanModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel(wordWrap=True)
        self.skip = QCheckBox("&Lewati baris yang ditolak dan simpan baris lainnya")
        self.skip.toggled.connect(self.completeChanged)
        self.retry = QPushButton("&Ulangi Uji Coba")
        self.retry.clicked.connect(self.start)
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(self.show_combo)
        bottom = QHBoxLayout()
        bottom.addWidget(self.skip, 1)
        bottom.addWidget(self.retry)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        layout.addLayout(bottom)

    def initializePage(self) -> None:
        self.start()

    def start(self) -> None:
        wizard = self.wizard()
        sheet, mapping = wizard.file_page.sheet, wizard.mapping_page.mapping()
        self.plan = None
        self.model.set_rows([])
        self.skip.setChecked(False)
        self.skip.hide()
        self.retry.hide()
        self.counts.setText("Memeriksa…")
        self.note.setText("")
        self.completeChanged.emit()
        self.job = Job(lambda progress, cancelled: self.importer.plan(
            self.target, sheet, mapping, progress, cancelled, parent_id=self.parent_id),
            "Uji coba impor…", self)
        self.job.done.connect(self._planned)
        self.job.error.connect(self._failed)
        self.job.start()

    def _planned(self, plan) -> None:
        self.job = None
        self.plan = plan
        self._filter()
        for column in (0, 1):  # a little air: "Diperbarui" must not touch the grid line
            self.view.setColumnWidth(column, self.view.sizeHintForColumn(column) + 12)
        self.view.setColumnWidth(2, min(max(self.view.sizeHintForColumn(2), 120), 260))
        counts = plan.counts()
        self.counts.setText(status_chips(counts))
        rejected, changes = counts["ditolak"], len(plan.changes)
        self.skip.setVisible(bool(rejected) and bool(changes))
        if not changes:
            self._note("Tidak ada data baru atau yang berubah: tidak ada yang perlu disimpan.",
                       error=bool(rejected))
        elif rejected:
            self._note(f"{number_id(rejected)} baris ditolak. Perbaiki berkasnya lalu pilih "
                       "ulang (Kembali), atau centang di bawah untuk melewatinya.", error=True)
        else:
            self._note(f"{number_id(changes)} baris akan disimpan. Tekan Simpan ke Basis Data.")
        self.completeChanged.emit()

    def _failed(self, exc) -> None:
        self.job = None
        cancelled = isinstance(exc, OperationCancelled)
        self.counts.setText("Uji coba dibatalkan." if cancelled else "Uji coba gagal.")
        self._note("" if cancelled else error_text(exc), error=True)
        self.retry.show()

    def _note(self, text: str, error: bool = False) -> None:
        self.note.setStyleSheet(ERROR_STYLE if error else "")
        self.note.setText(text)

    def _filter(self) -> None:
        self.model.set_rows(self.plan.rows if self.plan else [], self.show_combo.currentData())

    def isComplete(self) -> bool:
        if self.plan is None or not self.plan.changes:
            return False
        return not self.plan.rejected or self.skip.isChecked()


# ------------------------------------------------------------------ step 4: commit

class ImportWizard(QWizard):
    def __init__(self, importer, target: str, title: str | None = None, parent=None, *,
                 parent_id: str | None = None):
        super().__init__(parent)
        title = title or importer.title(target)
        self.setWindowTitle(f"Impor dari Excel: {title}")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        for button, text in ((QWizard.WizardButton.BackButton, "< &Kembali"),
                             (QWizard.WizardButton.NextButton, "&Lanjut >"),
                             (QWizard.WizardButton.FinishButton, "&Selesai"),
                             (QWizard.WizardButton.CancelButton, "Batal")):
            self.setButtonText(button, text)
        self.file_page = FilePage(importer, target, title)
        self.mapping_page = MappingPage(importer, target)
        self.dry_run_page = DryRunPage(importer, target, parent_id)
        self.commit_page = CommitPage(importer)
        for page in (self.file_page, self.mapping_page, self.dry_run_page, self.commit_page):
            self.addPage(page)
        self.setMinimumSize(760, 540)
        self.resize(900, 620)

    def running_jobs(self) -> list[Job]:
        pages = (self.file_page, self.dry_run_page, self.commit_page)
        return [page.job for page in pages if page.job is not None]

    def done(self, result: int) -> None:
        # Closing mid-way cancels the running step and waits for it: a commit rolls back, and
        # no thread outlives its window.
        for job in self.running_jobs():
            job.cancel()
            job.wait()
        super().done(result)

    @property
    def result_counts(self) -> dict[str, int] | None:
        result = self.commit_page.result
        return result.counts if result else None
