"""Printing a QPdfDocument: page images drawn onto a QPrinter on paper that matches the PDF.

Letters come on A4 or F4 (215 × 330 mm, the Indonesian folio) and recap sheets are landscape, so
the printer gets the PDF's own paper size and orientation; otherwise a driver defaulting to A4
would shrink an F4 letter or print a landscape sheet sideways and tiny.

Pages are rendered by pdfium to images. print_pdf only draws images (no widgets, no fonts), so it
may run in a worker thread: Qt supports painting on a QPrinter outside the GUI thread, and
QPdfDocument.render holds pdfium's global lock, so the preview may keep rendering meanwhile.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

Progress = Callable[[int, int], None]

MM_PER_POINT = 25.4 / 72
F4_MM = (215.0, 330.0)
# 8.5 × 13 in (215.9 × 330.2 mm) is sold as F4 too; both are 'F4' for us.
F4_TOLERANCE_MM = 2.0
# A 1200 dpi A4 page is 140 million pixels (over 500 MB as an image). 300 dpi keeps text crisp on
# office printers at ~35 MB a page.
MAX_RENDER_DPI = 300


class PrintError(RuntimeError):
    """The printer refused; the message is for the user."""


def page_size_for(points: QSizeF) -> QPageSize:
    """The named paper for a PDF page of `points` (either orientation): F4 by name, else Qt's own."""
    short, long = sorted((points.width(), points.height()))
    if (abs(short * MM_PER_POINT - F4_MM[0]) <= F4_TOLERANCE_MM
            and abs(long * MM_PER_POINT - F4_MM[1]) <= F4_TOLERANCE_MM):
        return QPageSize(QSizeF(*F4_MM), QPageSize.Unit.Millimeter, "F4",
                         QPageSize.SizeMatchPolicy.ExactMatch)
    # FuzzyMatch turns 595.28 × 841.89 pt into A4 (and Letter, Legal, A5…) so drivers know it.
    return QPageSize(QSizeF(short, long), QPageSize.Unit.Point, "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)


def page_layout_for(document: QPdfDocument, page: int) -> QPageLayout:
    """Paper, orientation and no margins for one PDF page (the PDF carries its own margins)."""
    points = document.pagePointSize(page)
    orientation = (QPageLayout.Orientation.Landscape if points.width() > points.height()
                   else QPageLayout.Orientation.Portrait)
    return QPageLayout(page_size_for(points), orientation, QMarginsF(0, 0, 0, 0),
                       QPageLayout.Unit.Millimeter)


def match_paper(printer: QPrinter, document: QPdfDocument, page: int) -> QPageLayout:
    layout = page_layout_for(document, page)
    printer.setFullPage(True)  # draw from the paper's corner: the PDF already has margins
    printer.setPageLayout(layout)
    return layout


def ask_print(parent: QWidget | None, printer: QPrinter, document: QPdfDocument,
              current_page: int) -> tuple[int, int, bool] | None:
    """Show the print dialog. (first, last, keep matching paper) 1-based, or None if cancelled.

    Paper matching continues per page only when the user kept the paper we offered; a paper
    they chose themselves (their printer has no F4, say) is honoured and pages are scaled to it.
    """
    count = document.pageCount()
    offered = match_paper(printer, document, max(current_page, 0))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Cetak")
    dialog.setMinMax(1, count)
    dialog.setFromTo(1, count)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), min(printer.toPage() or count, count)
    elif printer.printRange() == QPrinter.PrintRange.CurrentPage:
        first = last = current_page + 1
    chosen = printer.pageLayout()
    kept = (chosen.pageSize().isEquivalentTo(offered.pageSize())
            and chosen.orientation() == offered.orientation())
    return first, last, kept


def _page_sequence(printer: QPrinter, first: int, last: int) -> list[int]:
    """0-based pages in print order, with the copies the driver will not make itself."""
    pages = list(range(first - 1, last))
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    if printer.collateCopies():
        return pages * copies
    return [page for page in pages for _ in range(copies)]


def print_pdf(document: QPdfDocument, printer: QPrinter, first: int, last: int,
              progress: Progress | None = None, *, match_paper_size: bool = True) -> int:
    """Print pages first..last (1-based, inclusive, as the print dialog counts them).

    Returns the number of pages that come out of the printer (copies included). progress(done,
    total) is called after each page; to cancel, it raises: the print job is aborted and the
    exception propagates. Raises PrintError when the printer cannot be opened.
    """
    count = document.pageCount()
    if not 1 <= first <= last <= count:
        raise ValueError(f"Rentang halaman {first}–{last} di luar 1–{count}.")
    sequence = _page_sequence(printer, first, last)
    if match_paper_size:
        match_paper(printer, document, sequence[0])
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("Printer tidak dapat dibuka. Periksa apakah printer menyala dan "
                         "terhubung, lalu coba lagi.")
    try:
        for done, page in enumerate(sequence, start=1):
            if done > 1:
                if match_paper_size:
                    # Takes effect on the next page: a mixed document keeps each page's paper.
                    printer.setPageLayout(page_layout_for(document, page))
                if not printer.newPage():
                    raise PrintError("Printer menolak halaman berikutnya.")
            draw_page(painter, document, page, printer.resolution())
            if progress is not None:
                progress(done, len(sequence))
    except BaseException:
        printer.abort()
        raise
    finally:
        if painter.isActive():
            painter.end()
    driver_copies = printer.copyCount() if printer.supportsMultipleCopies() else 1
    return len(sequence) * max(driver_copies, 1)


def draw_page(painter: QPainter, document: QPdfDocument, page: int, dpi: int) -> None:
    """One PDF page, scaled to fit the painter's device keeping its aspect, centred."""
    points = document.pagePointSize(page)
    target = QRectF(painter.viewport())
    scale = min(target.width() / points.width(), target.height() / points.height())
    size = QSizeF(points.width() * scale, points.height() * scale)
    box = QRectF(target.x() + (target.width() - size.width()) / 2,
                 target.y() + (target.height() - size.height()) / 2,
                 size.width(), size.height())
    pixels = size * min(1.0, MAX_RENDER_DPI / max(dpi, 1))
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(box, render_on_white(document, page, pixels.toSize()))


def render_on_white(document: QPdfDocument, page: int, size: QSize) -> QImage:
    """pdfium leaves unpainted areas transparent; paper is white, and opaque images print
    smaller and faster than ones with an alpha mask."""
    rendered = document.render(page, size)
    image = QImage(rendered.size(), QImage.Format.Format_RGB32)
    image.fill(QColor(Qt.GlobalColor.white))
    blend = QPainter(image)
    blend.drawImage(0, 0, rendered)
    blend.end()
    return image
