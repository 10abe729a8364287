"""The one helper for long work off the GUI thread (exports, imports, batch letters, recaps).

The work is a plain function `work(progress, cancelled)`: it reports with progress(done, total,
text) and stops early when cancelled() is true (raising JobCancelled, or returning). It runs in a
QThread; the result or the error comes back on the GUI thread; a progress dialog with "Batal"
shows meanwhile.
"""
from __future__ import annotations

import gc
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int, str], None]
Work = Callable[[Progress, Callable[[], bool]], Any]


class JobCancelled(Exception):
    """Raised by work that noticed cancelled(): nothing it started may stay half-written."""


class _Worker(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work, cancel_event: threading.Event):
        super().__init__()
        self._work = work
        self._cancel = cancel_event

    def run(self) -> None:
        try:
            result = self._work(lambda d, t, s="": self.progressed.emit(d, t, s),
                                self._cancel.is_set)
        except BaseException as exc:  # handed to the GUI thread, shown there
            self.failed.emit(exc)
            return
        self.finished.emit(result)


class Job(QObject):
    """One run of `work`; `done(result)` or `error(exception)` fires on the GUI thread."""

    done = Signal(object)
    error = Signal(object)

    def __init__(self, work: Work, title: str, parent: QWidget | None = None,
                 show_dialog: bool = True):
        super().__init__(parent)
        self._cancel = threading.Event()
        self._thread = QThread()
        self._worker = _Worker(work, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.finished.connect(self._finish)
        self._worker.failed.connect(self._fail)
        self.dialog = self._make_dialog(title, parent) if show_dialog else None
        if self.dialog is not None:
            self._worker.progressed.connect(self._show_progress)
        self.result: Any = None
        self.exception: BaseException | None = None

    @staticmethod
    def _make_dialog(title: str, parent) -> QProgressDialog:
        dialog = QProgressDialog(title, "Batal", 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)  # quick jobs finish before a dialog flashes up
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        return dialog

    def start(self) -> "Job":
        # Collect cyclic garbage here, on the GUI thread: left for later, Python's collector
        # could run on the worker thread and destroy Qt objects there, which crashes.
        gc.collect()
        if self.dialog is not None:
            self.dialog.canceled.connect(self.cancel)
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()
        if self.dialog is not None:
            self.dialog.setLabelText("Membatalkan… menunggu langkah yang sedang berjalan.")

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _show_progress(self, done: int, total: int, text: str) -> None:
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if text and not self._cancel.is_set():
            self.dialog.setLabelText(text)

    def _stop_thread(self) -> None:
        self._thread.quit()
        self._thread.wait()
        if self.dialog is not None:
            self.dialog.close()

    def _finish(self, result) -> None:
        self._stop_thread()
        self.result = result
        self.done.emit(result)

    def _fail(self, exc) -> None:
        self._stop_thread()
        self.exception = exc
        self.error.emit(exc)

    def wait(self) -> None:
        """Block until the work ended (tests and shutdown only)."""
        self._thread.wait()


def run_job(parent: QWidget | None, title: str, work: Work, on_done, on_error) -> Job:
    job = Job(work, title, parent)
    job.done.connect(on_done)
    job.error.connect(on_error)
    return job.start()
