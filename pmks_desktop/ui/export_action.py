""""Ekspor ke Excel" for any list: ask for a file name, run the export as a Job, say the result.

The list passes `run(path, progress, cancelled) -> rows`, usually a lambda over ExportService
with the list's current filter, so the file holds exactly what the list shows.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from pmks_desktop.domain.formatting import number_id
from pmks_desktop.services.errors import OperationCancelled
from pmks_desktop.ui.jobs import Job
from pmks_desktop.ui.messages import show_error, show_info

Run = Callable[[Path, Callable, Callable[[], bool]], int]
_RUNNING: set[Job] = set()  # a Job must outlive this function: keep it until it ends


def default_path(default_name: str) -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    name = default_name if default_name.lower().endswith(".xlsx") else f"{default_name}.xlsx"
    return Path(folder) / name


def ask_path(parent: QWidget | None, title: str, default_name: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, f"Ekspor {title} ke Excel",
                                            str(default_path(default_name)), "Excel (*.xlsx)")
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def export_list(parent: QWidget | None, title: str, default_name: str, run: Run) -> Job | None:
    """Returns the running Job (None when the user closed the file dialog)."""
    path = ask_path(parent, title, default_name)
    if path is None:
        return None
    job = Job(lambda progress, cancelled: run(path, progress, cancelled),
              f"Mengekspor {title}…", parent)
    _RUNNING.add(job)

    def finished(rows: int) -> None:
        _RUNNING.discard(job)
        show_info(parent, f"{number_id(rows)} baris diekspor ke {path}.", "Ekspor selesai")

    def failed(exc: BaseException) -> None:
        _RUNNING.discard(job)
        if isinstance(exc, OperationCancelled):
            show_info(parent, "Ekspor dibatalkan; tidak ada berkas yang dibuat.", "Ekspor")
        else:
            show_error(parent, exc, "Ekspor gagal")

    job.done.connect(finished)
    job.error.connect(failed)
    return job.start()
