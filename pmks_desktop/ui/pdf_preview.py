"""A preview window for letters and recap sheets: look, zoom, print, save as PDF.

The caller hands over finished PDF bytes (reports/ makes them) and hears back through on_printed
and on_saved (e.g. to write the audit entry); this window never touches the database.

Zoom is always QPdfView's Custom mode with a factor we compute ourselves: FitToWidth/FitInView
with as-needed scroll bars can relayout forever (see ARCHITECTURE.md). The vertical scroll bar is
always on, so the viewport width, and with it the fit, cannot flip when the bar comes and goes.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

from PySide6.QtCore import (QBuffer, QByteArray, QEvent, QEventLoop, QIODevice,
                            QStandardPaths, Qt, QTimer)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (QDialog, QFileDialog, QLabel, QSizePolicy, QToolBar, QToolButton,
                               QVBoxLayout, QWidget)

from pmks_desktop.ui.jobs import Job, JobCancelled
from pmks_desktop.ui.messages import show_error
from pmks_desktop.ui.pdf_printing import ask_print, print_pdf

ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
FIT_WIDTH, FIT_PAGE, MANUAL = "lebar", "halaman", "manual"


def write_atomically(path: Path, data: bytes) -> None:
    """A crash or a full disk leaves the old file (or none), never half a PDF."""
    part = path.with_name(path.name + ".part")
    try:
        with open(part, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def next_zoom(current: float, direction: int) -> float:
    """The next step up (direction 1) or down (-1) from any factor, fitted ones included."""
    if direction > 0:
        return next((z for z in ZOOM_STEPS if z > current * 1.01), ZOOM_STEPS[-1])
    return next((z for z in reversed(ZOOM_STEPS) if z < current * 0.99), ZOOM_STEPS[0])


class PdfPreviewDialog(QDialog):
    def __init__(self, pdf: bytes, *, title: str, suggested_name: str, parent=None,
                 on_printed: Callable[[int], None] | None = None,
                 on_saved: Callable[[Path], None] | None = None,
                 save_dir: Path | None = None,
                 actions: Sequence[tuple[str, Callable[[], None]]] = ()):
        super().__init__(parent)
        self.setWindowTitle(title)
        self._pdf = bytes(pdf)
        self._suggested_name = suggested_name
        self._save_dir = save_dir
        self._on_printed = on_printed
        self._on_saved = on_saved
        self._fit = FIT_WIDTH
        self.print_job: Job | None = None
        self.document = self._load(self._pdf)
        self.view = self._make_view()
        # One queued refit per burst of resize events; it runs after the layout settled.
        self._refit_timer = QTimer(self, singleShot=True, interval=0)
        self._refit_timer.timeout.connect(self._apply_fit)
        self.view.viewport().installEventFilter(self)
        self.zoom_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setMinimumWidth(48)
        self.page_label = QLabel()
        self.toolbar = self._make_toolbar(actions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)
        self.view.zoomFactorChanged.connect(self._show_zoom)
        self._show_page(0)
        self._show_zoom(self.view.zoomFactor())
        self._size_to_screen()
        self.view.setFocus()
        self._refit_timer.start()

    # --- building -----------------------------------------------------------------------
    def _load(self, pdf: bytes) -> QPdfDocument:
        # QPdfDocument reads lazily from the device: the buffer must live as long as the document.
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument(self)
        document.load(self._buffer)
        return document

    def _make_view(self) -> QPdfView:
        view = QPdfView(self)
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.Custom)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # PageUp/PageDown/arrows scroll
        return view

    def _action(self, text: str, slot, shortcuts=(), tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setIconText(text)  # tool buttons drop a trailing "…", which says a dialog follows
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        keys = ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText)
                         for s in shortcuts)
        action.setToolTip(f"{tip or text.rstrip('…')} ({keys})" if keys else (tip or text))
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work wherever the focus is in this window
        return action

    def _make_toolbar(self, actions) -> QToolBar:
        bar = QToolBar(self)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.print_action = self._action("Cetak…", self.print_dialog, ["Ctrl+P"])
        self.save_action = self._action("Simpan PDF…", self.save_dialog, ["Ctrl+S"])
        bar.addActions([self.print_action, self.save_action])
        self.extra_actions = [self._action(text, callback) for text, callback in actions]
        bar.addActions(self.extra_actions)
        bar.addSeparator()
        self.zoom_out_action = self._action("Perkecil", lambda: self.step_zoom(-1),
                                            ["Ctrl+-"])
        self.zoom_in_action = self._action("Perbesar", lambda: self.step_zoom(1),
                                           ["Ctrl++", "Ctrl+="])
        self.fit_width_action = self._action("Lebar halaman", lambda: self.fit(FIT_WIDTH),
                                             ["Ctrl+2"], "Sesuaikan dengan lebar jendela")
        self.fit_page_action = self._action("Satu halaman", lambda: self.fit(FIT_PAGE),
                                            ["Ctrl+1"], "Tampilkan satu halaman utuh")
        bar.addAction(self.zoom_out_action)
        bar.addWidget(self.zoom_label)
        bar.addActions([self.zoom_in_action, self.fit_width_action, self.fit_page_action])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addWidget(self.page_label)
        bar.addSeparator()
        self.close_action = self._action("Tutup", self.reject, tip="Tutup pratinjau (Esc)")
        bar.addAction(self.close_action)
        for button in bar.findChildren(QToolButton):  # reachable with Tab, pressed with Space
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        ready = self.document.status() == QPdfDocument.Status.Ready
        for action in (self.print_action, self.zoom_in_action, self.zoom_out_action,
                       self.fit_width_action, self.fit_page_action):
            action.setEnabled(ready)
        return bar

    def _size_to_screen(self) -> None:
        screen = (self.parentWidget() or self).screen()
        available = screen.availableGeometry()
        self.resize(min(900, int(available.width() * 0.95)),
                    min(1000, int(available.height() * 0.9)))

    # --- zoom -----------------------------------------------------------------------------
    def fit_zoom(self, mode: str) -> float | None:
        """The Custom factor that fits the widest page (FIT_WIDTH) or the current whole page."""
        document = self.document
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
            return None
        # QPdfView draws a page at points × the primary screen's logical dpi / 72 × zoom.
        pixels_per_point = QGuiApplication.primaryScreen().logicalDotsPerInch() / 72
        margins = self.view.documentMargins()
        viewport = self.view.viewport().size()
        # One pixel to spare: QPdfView rounds page sizes, a hair too wide shows a scroll bar.
        width = viewport.width() - margins.left() - margins.right() - 1
        widest = max(document.pagePointSize(p).width() for p in range(document.pageCount()))
        zoom = width / (widest * pixels_per_point)
        if mode == FIT_PAGE:
            page = document.pagePointSize(max(self.view.pageNavigator().currentPage(), 0))
            height = viewport.height() - margins.top() - margins.bottom() - 1
            zoom = min(width / (page.width() * pixels_per_point),
                       height / (page.height() * pixels_per_point))
        return max(zoom, 0.05)

    def fit(self, mode: str) -> None:
        self._fit = mode
        self._apply_fit()
        if mode == FIT_PAGE:  # bring the whole current page into view
            navigator = self.view.pageNavigator()
            navigator.jump(max(navigator.currentPage(), 0), navigator.currentLocation(),
                           self.view.zoomFactor())

    def _apply_fit(self) -> None:
        zoom = self.fit_zoom(self._fit) if self._fit != MANUAL else None
        # A no-op when nothing changed, so a resize caused by our own zoom cannot loop.
        if zoom is not None and abs(zoom - self.view.zoomFactor()) > 1e-3:
            self.view.setZoomFactor(zoom)

    def step_zoom(self, direction: int) -> None:
        self._fit = MANUAL
        self.view.setZoomFactor(next_zoom(self.view.zoomFactor(), direction))

    def eventFilter(self, watched, event) -> bool:
        if (watched is self.view.viewport() and event.type() == QEvent.Type.Resize
                and self._fit != MANUAL):
            self._refit_timer.start()
        return super().eventFilter(watched, event)

    def _show_zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f"{round(zoom * 100)}%")

    def _show_page(self, page: int) -> None:
        if self.document.status() != QPdfDocument.Status.Ready:
            self.page_label.setText("Dokumen PDF tidak dapat dibuka.")
            return
        self.page_label.setText(f"Halaman {max(page, 0) + 1} dari {self.document.pageCount()}")

    # --- save -----------------------------------------------------------------------------
    def default_save_path(self) -> Path:
        folder = self._save_dir or Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
        return folder / self._suggested_name

    def save_dialog(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Simpan PDF", str(self.default_save_path()),
                                                "Berkas PDF (*.pdf)")
        if chosen:
            path = Path(chosen)
            self.save_to(path if path.suffix.lower() == ".pdf" else
                         path.with_name(path.name + ".pdf"))

    def save_to(self, path: Path) -> bool:
        """Write the PDF to `path`; on failure tell the user and return False."""
        try:
            write_atomically(path, self._pdf)
        except OSError as exc:
            show_error(self, f"Berkas PDF tidak dapat disimpan ke {path}.\n\n"
                             f"Sebab: {exc.strerror or exc}. Periksa apakah folder itu ada, "
                             "dapat ditulisi, dan berkasnya tidak sedang dibuka program lain.")
            return False
        if self._on_saved is not None:
            self._on_saved(path)
        return True

    # --- print ----------------------------------------------------------------------------
    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        chosen = ask_print(self, printer, self.document, self.view.pageNavigator().currentPage())
        if chosen is not None:
            first, last, keep_paper = chosen
            self.print_to(printer, first, last, match_paper_size=keep_paper)

    def print_to(self, printer: QPrinter, first: int, last: int, *,
                 match_paper_size: bool = True, show_progress: bool = True) -> Job:
        """Print pages first..last (1-based) in the background; on_printed(pages) on success."""
        document = self.document

        def work(progress, cancelled):
            def report(done: int, total: int) -> None:
                if cancelled():
                    raise JobCancelled()
                progress(done, total, f"Mencetak halaman {done} dari {total}…")
            return print_pdf(document, printer, first, last, report,
                             match_paper_size=match_paper_size)

        self.print_action.setEnabled(False)
        job = Job(work, "Mencetak…", self, show_dialog=show_progress)
        job.done.connect(self._printed)
        job.error.connect(self._print_failed)
        self.print_job = job.start()
        return job

    def _printed(self, pages: int) -> None:
        self.print_action.setEnabled(True)
        if self._on_printed is not None:
            self._on_printed(pages)

    def _print_failed(self, error: BaseException) -> None:
        self.print_action.setEnabled(True)
        if not isinstance(error, JobCancelled):
            show_error(self, f"Gagal mencetak: {error}")

    @property
    def printing(self) -> bool:
        return not self.print_action.isEnabled() and self.print_job is not None

    def done(self, result: int) -> None:
        # The worker renders from self.document: it must stop before the document goes away.
        # Job.wait() would deadlock here (the thread quits from a GUI-thread slot), so wait in
        # a local loop; cancel takes effect after the page being drawn, well under a second.
        if self.printing:
            loop = QEventLoop()
            self.print_job.done.connect(loop.quit)
            self.print_job.error.connect(loop.quit)
            self.print_job.cancel()
            loop.exec()
        super().done(result)
