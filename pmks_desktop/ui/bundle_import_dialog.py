"""Impor Kiriman Kantor (Dinas Sosial): choose bundle files, see per file what importing would do
(new, updated, unchanged, conflict, waiting, rejected per register) before anything is written,
then apply the good ones, each in its own transaction, as a background job."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QSplitter, QVBoxLayout, QWidget)

from pmks_desktop.domain.formatting import number_id
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.sync_export import TABLE_LABELS
from pmks_desktop.services.sync_import import REPORTS, BundleRejected
from pmks_desktop.services.sync_sheets import short_id
from pmks_desktop.sync.merge import OUTCOMES
from pmks_desktop.ui.form_fields import ERROR_COLOR
from pmks_desktop.ui.jobs import Job, JobCancelled
from pmks_desktop.ui.sync_widgets import (OK_COLOR, RowsModel, escape, first_folder, note,
                                          set_note, table_view)

HEADERS = ("Register", *(o.capitalize() for o in OUTCOMES))


@dataclass
class BundleFile:
    """One chosen file: its preview, or why it was refused; then what applying it did."""

    path: Path
    preview: object = None          # services.sync_import.Preview
    error: str | None = None
    quarantined: Path | None = None
    applied: object = None          # Preview returned by apply()
    apply_error: str | None = None

    @property
    def good(self) -> bool:
        return self.preview is not None and self.error is None

    def summary(self) -> str:
        if self.apply_error:
            return f"gagal diterapkan: {self.apply_error}"
        if self.applied is not None:
            return outcome_text(self.applied)
        if self.error:
            return f"DITOLAK: {self.error.split(': ')[0].split('. ')[0]}"
        p = self.preview
        seen = " (sudah pernah diimpor)" if p.already_imported else ""
        return f"{number_id(p.op_count)} perubahan dari {p.office}{seen}"


def outcome_text(done) -> str:
    if done.already_imported:
        return "sudah pernah diimpor; tidak ada yang berubah"
    parts = [f"{number_id(done.result.total(o))} {o}" for o in OUTCOMES if done.result.total(o)]
    return ", ".join(parts) or "tidak ada perubahan"


def _preview_one(importer, path: Path) -> BundleFile:
    try:
        return BundleFile(path, preview=importer.preview(path))
    except BundleRejected as exc:
        return BundleFile(path, error=exc.message, quarantined=exc.quarantined)
    except ServiceError as exc:
        return BundleFile(path, error=exc.message)


class BundleImportDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self._s = services
        self.entries: list[BundleFile] = []
        self.job: Job | None = None
        self.setWindowTitle("Impor Kiriman Kantor")
        self.files = QListWidget()
        self.files.currentRowChanged.connect(self._show_entry)
        self.detail_heading = QLabel(wordWrap=True)
        self.table = RowsModel(HEADERS, numeric=range(1, len(HEADERS)))
        self.table_view = table_view(self.table)
        self.gaps = note(kind="warning")
        self.problem = note(kind="error")
        self.rejected = QListWidget()
        self.rejected_label = QLabel("Perubahan yang &ditolak:")
        self.rejected_label.setBuddy(self.rejected)
        self.status = note()
        self._lay_out()
        self._show_entry(-1)
        self.resize(900, 620)

    def _lay_out(self) -> None:
        detail = QWidget()
        box = QVBoxLayout(detail)
        box.setContentsMargins(0, 0, 0, 0)
        for widget in (self.detail_heading, self.table_view, self.gaps, self.problem,
                       self.rejected_label, self.rejected):
            box.addWidget(widget)
        box.addStretch()  # takes the room when the table is hidden (a refused file)
        box.setStretch(1, 2)
        box.setStretch(5, 1)
        files = QWidget()
        files_box = QVBoxLayout(files)
        files_box.setContentsMargins(0, 0, 0, 0)
        files_label = QLabel("&Berkas kiriman:")
        files_label.setBuddy(self.files)
        files_box.addWidget(files_label)
        files_box.addWidget(self.files)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(files)
        split.addWidget(detail)
        split.setChildrenCollapsible(False)
        split.setSizes([150, 400])
        buttons = QDialogButtonBox()
        self.choose_button = QPushButton("&Pilih Berkas Kiriman…")
        self.apply_button = QPushButton("&Terapkan")
        self.report_button = QPushButton("Buka Folder &Laporan")
        for button, role in ((self.choose_button, QDialogButtonBox.ButtonRole.ActionRole),
                             (self.report_button, QDialogButtonBox.ButtonRole.ActionRole),
                             (self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)):
            buttons.addButton(button, role)
        buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        self.choose_button.clicked.connect(self.choose_files)
        self.apply_button.clicked.connect(self.apply_all)
        self.report_button.clicked.connect(self.open_reports)
        buttons.rejected.connect(self.reject)
        self.apply_button.setEnabled(False)
        self.report_button.hide()
        intro = note("Pilih satu atau beberapa berkas .pmksb dari flashdisk. Setiap berkas "
                     "diperiksa dulu (tanda tangan, keutuhan, penerima) dan pratinjaunya "
                     "ditampilkan; belum ada yang disimpan sampai Anda menekan Terapkan.")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.choose_button.setDefault(True)

    # ------------------------------------------------------------ choose and preview

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Pilih Berkas Kiriman", first_folder(),
                                                "Kiriman PMKS (*.pmksb);;Semua berkas (*)")
        if names:
            self.load_files([Path(n) for n in names])

    def load_files(self, paths: list[Path], show_dialog: bool = True) -> Job:
        """Previews each file in a background job (a preview writes nothing)."""
        importer = self._s.sync_import
        known = {e.path for e in self.entries}
        paths = [Path(p) for p in paths if Path(p) not in known]

        def work(progress, cancelled):
            out = []
            for i, path in enumerate(paths):
                if cancelled():
                    raise JobCancelled()
                progress(i, len(paths), f"Memeriksa {path.name}…")
                out.append(_preview_one(importer, path))
            return out

        return self._run(work, "Memeriksa berkas kiriman…", self._loaded, show_dialog)

    def _run(self, work, title: str, on_done, show_dialog: bool) -> Job:
        self.choose_button.setEnabled(False)
        self.apply_button.setEnabled(False)
        self.job = Job(work, title, self, show_dialog=show_dialog)
        self.job.done.connect(on_done)
        self.job.error.connect(self._failed)
        return self.job.start()

    def _loaded(self, entries: list[BundleFile]) -> None:
        self.job = None
        self.entries.extend(entries)
        self._refresh_list()
        bad = sum(1 for e in entries if not e.good)
        set_note(self.status, f"{len(entries)} berkas diperiksa; {bad} ditolak." if bad else
                 f"{len(entries)} berkas diperiksa. Periksa pratinjaunya, lalu tekan Terapkan.",
                 "error" if bad else "hint")
        self.files.setCurrentRow(len(self.entries) - len(entries))
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        text = "Dibatalkan." if isinstance(exc, JobCancelled) else \
            getattr(exc, "message", None) or str(exc)
        set_note(self.status, text, "error")
        self._refresh_list()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.choose_button.setEnabled(True)
        self.apply_button.setEnabled(any(e.good and e.applied is None and not e.apply_error
                                         for e in self.entries))
        if self.apply_button.isEnabled():
            self.apply_button.setDefault(True)

    def _refresh_list(self) -> None:
        row = self.files.currentRow()
        self.files.blockSignals(True)
        self.files.clear()
        for entry in self.entries:
            mark = "✗" if not entry.good or entry.apply_error else "✓"
            item = QListWidgetItem(f"{mark} {entry.path.name} — {entry.summary()}")
            item.setToolTip(str(entry.path))
            if not entry.good or entry.apply_error:
                item.setForeground(QColor(ERROR_COLOR))
            elif entry.applied is not None:
                item.setForeground(QColor(OK_COLOR))
            self.files.addItem(item)
        self.files.blockSignals(False)
        self.files.setCurrentRow(min(max(row, 0), len(self.entries) - 1))
        self._show_entry(self.files.currentRow())

    def _show_entry(self, row: int) -> None:
        entry = self.entries[row] if 0 <= row < len(self.entries) else None
        self.table.set_rows([])
        self.rejected.clear()
        set_note(self.gaps, "", "warning")
        set_note(self.problem, "", "error")
        self.rejected.setVisible(False)
        self.rejected_label.setVisible(False)
        self.table_view.setVisible(entry is not None and entry.good)
        if entry is None:
            self.detail_heading.setText("Belum ada berkas yang dipilih.")
        elif not entry.good:
            self._show_refused(entry)
        else:
            self._show_preview(entry)

    def _show_refused(self, entry: BundleFile) -> None:
        self.detail_heading.setText(f"<b>{escape(entry.path.name)}</b>")
        where = (f"\n\nBerkas disalin ke karantina: {entry.quarantined}"
                 if entry.quarantined else "")
        set_note(self.problem, f"Berkas ini ditolak; tidak ada data yang disimpan.\n"
                 f"{entry.error}{where}", "error")

    def _show_preview(self, entry: BundleFile) -> None:
        p = entry.applied or entry.preview
        state = ("<br><b>Sudah diterapkan:</b> " + escape(outcome_text(p))
                 if entry.applied is not None else
                 "<br>Sudah pernah diimpor; menerapkannya lagi tidak mengubah apa pun."
                 if p.already_imported else "<br>Pratinjau (belum disimpan):")
        self.detail_heading.setText(
            f"<b>{escape(entry.path.name)}</b><br>Dari {escape(p.office)}, "
            f"{number_id(p.op_count)} perubahan, kode kiriman {short_id(p.bundle_id)}{state}")
        rows = [(TABLE_LABELS.get(t, t), *(number_id(c[o]) for o in OUTCOMES))
                for t, c in p.table_rows()]
        if len(rows) > 1:
            rows.append(("Jumlah", *(number_id(p.result.total(o)) for o in OUTCOMES)))
        self.table.set_rows(rows)
        if entry.apply_error:
            set_note(self.problem, f"Gagal diterapkan: {entry.apply_error}", "error")
        if p.gaps:
            set_note(self.gaps, "Ada kiriman yang belum diterima:\n" + "\n".join(p.gaps),
                     "warning")
        for _origin, _epoch, seq, reason in p.result.rejected:
            self.rejected.addItem(f"Perubahan {seq}: {reason}")
        self.rejected.setVisible(bool(p.result.rejected))
        self.rejected_label.setVisible(bool(p.result.rejected))

    # ------------------------------------------------------------ apply

    def apply_all(self, show_dialog: bool = True) -> Job | None:
        """Applies every good file not applied yet, one transaction per file."""
        todo = [e for e in self.entries if e.good and e.applied is None and not e.apply_error]
        if not todo:
            return None
        importer = self._s.sync_import

        def work(progress, cancelled):
            results = []  # assigned on the GUI thread; a cancel keeps what was applied
            for i, entry in enumerate(todo):
                if cancelled():
                    break
                progress(i, len(todo), f"Menerapkan {entry.path.name}…")
                try:
                    results.append((entry, importer.apply(entry.path), None))
                except ServiceError as exc:
                    results.append((entry, None, exc.message))
            return results, len(results) < len(todo)

        return self._run(work, "Menerapkan kiriman…", self._applied, show_dialog)

    def _applied(self, outcome) -> None:
        self.job = None
        results, stopped = outcome
        for entry, applied, error in results:
            entry.applied, entry.apply_error = applied, error
        self._refresh_list()
        lines = [f"{e.path.name}: {e.summary()}" for e, _a, _err in results]
        if stopped:
            lines.append("Dibatalkan: berkas selanjutnya belum diterapkan.")
        failed = stopped or any(error for _e, _a, error in results)
        set_note(self.status, "\n".join(lines) + f"\n\nLaporan impor disimpan di "
                 f"{self.reports_folder()}.", "warning" if failed else "ok")
        self.report_button.show()
        self._update_buttons()

    def reports_folder(self) -> Path:
        return self._s.db.paths.root / REPORTS

    def open_reports(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.reports_folder())))

    def reject(self) -> None:
        if self.job is None:
            super().reject()
