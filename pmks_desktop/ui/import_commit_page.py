"""The import wizard's last page: the all-or-nothing commit as a background job, and its result."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QLabel, QPushButton,
                               QVBoxLayout,
                               QWizardPage)

from pmks_desktop.domain.formatting import number_id
from pmks_desktop.services.errors import OperationCancelled
from pmks_desktop.ui.form_fields import ERROR_STYLE
from pmks_desktop.ui.import_plan_model import status_chips
from pmks_desktop.ui.jobs import Job

def error_text(exc: BaseException) -> str:
    return getattr(exc, "message", None) or str(exc) or exc.__class__.__name__



class CommitPage(QWizardPage):
    def __init__(self, importer):
        super().__init__()
        self.importer = importer
        self.result = None
        self.job: Job | None = None
        self.setTitle("Langkah 4 dari 4: Simpan")
        self.setSubTitle("Semua baris disimpan dalam satu transaksi: semuanya tersimpan, atau "
                         "tidak satu pun.")
        self.summary = QLabel(wordWrap=True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.again = QPushButton("Ulangi dari &Awal")
        self.again.clicked.connect(lambda: self.wizard().restart())
        self.again.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch()
        layout.addWidget(self.again, 0, Qt.AlignmentFlag.AlignLeft)

    def initializePage(self) -> None:
        page = self.wizard().dry_run_page
        plan, skip = page.plan, page.skip.isChecked()
        self.result = None
        self.again.hide()
        self.summary.setText("Menyimpan…")
        self.job = Job(lambda progress, cancelled: self.importer.commit(
            plan, progress, cancelled, skip_rejected=skip), "Menyimpan data impor…", self)
        self.job.done.connect(self._saved)
        self.job.error.connect(self._failed)
        self.job.start()

    def _saved(self, result) -> None:
        self.job = None
        self.result = result
        counts = result.counts
        lines = [f"<b>Impor selesai.</b> Berkas {html.escape(result.file_name)}:",
                 status_chips(counts)]
        if counts["ditolak"]:
            lines.append(f"{number_id(counts['ditolak'])} baris yang ditolak dilewati; "
                         "perbaiki dan impor ulang baris itu bila perlu.")
        self.summary.setText("<br><br>".join(lines))
        self.completeChanged.emit()

    def _failed(self, exc) -> None:
        self.job = None
        head = "Penyimpanan dibatalkan" if isinstance(exc, OperationCancelled) else \
            "Penyimpanan gagal"
        self.summary.setText(f'<span style="{ERROR_STYLE}"><b>{head}.</b> Tidak ada data yang '
                             f"disimpan.<br><br>{html.escape(error_text(exc))}</span>")
        self.again.show()

    def isComplete(self) -> bool:
        return self.result is not None


# ------------------------------------------------------------------ the wizard
