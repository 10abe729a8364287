"""The PDF preview window and the print path: zoom without layout loops, save, print to a PDF
printer on the PDF's own paper (A4, F4 landscape), page ranges, extra buttons."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from pmks_desktop.ui import pdf_preview, pdf_printing
from pmks_desktop.ui.pdf_preview import PdfPreviewDialog, next_zoom
from pmks_desktop.ui.pdf_printing import page_layout_for, print_pdf

F4 = (215 * mm, 330 * mm)


def make_pdf(*sizes, letter: bool = False) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for number, size in enumerate(sizes, start=1):
        pdf.setPageSize(size)
        if letter:
            draw_letter(pdf, size)
        pdf.drawString(20 * mm, 15 * mm, f"Halaman {number}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def draw_letter(pdf: canvas.Canvas, size) -> None:
    width, height = size
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawCentredString(width / 2, height - 25 * mm, "PEMERINTAH KABUPATEN SERANG")
    pdf.drawCentredString(width / 2, height - 31 * mm, "KECAMATAN KRAMATWATU")
    pdf.setLineWidth(2)
    pdf.line(20 * mm, height - 36 * mm, width - 20 * mm, height - 36 * mm)
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawCentredString(width / 2, height - 50 * mm, "SURAT KETERANGAN")
    pdf.setFont("Helvetica", 11)
    lines = ["Yang bertanda tangan di bawah ini, Camat Kramatwatu, menerangkan bahwa:",
             "", "Nama            : Siti Aminah", "NIK             : 3604054107800001",
             "Alamat          : Kp. Pegadungan RT 002/RW 003", "",
             "adalah benar Penyandang Masalah Kesejahteraan Sosial (PMKS).",
             "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya."]
    for row, text in enumerate(lines):
        pdf.drawString(25 * mm, height - (65 + 7 * row) * mm, text)
    pdf.drawString(width - 80 * mm, height - 140 * mm, "Camat Kramatwatu,")
    pdf.drawString(width - 80 * mm, height - 170 * mm, "Drs. H. Ahmad Fauzi, M.Si.")


@pytest.fixture
def three_a4() -> bytes:
    return make_pdf(A4, A4, A4)


def open_dialog(qtbot, pdf: bytes, **kwargs) -> PdfPreviewDialog:
    kwargs.setdefault("title", "Pratinjau Surat")
    kwargs.setdefault("suggested_name", "surat.pdf")
    dialog = PdfPreviewDialog(pdf, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: abs(dialog.view.zoomFactor() - dialog.fit_zoom("lebar")) < 1e-3)
    return dialog


def load_document(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    assert document.status() == QPdfDocument.Status.Ready
    return document, buffer  # the buffer must outlive the document


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def page_mm(page) -> tuple[float, float]:
    return float(page.mediabox.width) / mm, float(page.mediabox.height) / mm


def test_opens_ready_with_title_page_count_and_size(qtbot, three_a4):
    dialog = open_dialog(qtbot, three_a4, title="Surat Keterangan PMKS")
    assert dialog.windowTitle() == "Surat Keterangan PMKS"
    assert dialog.document.status() == QPdfDocument.Status.Ready
    assert dialog.page_label.text() == "Halaman 1 dari 3"
    available = dialog.screen().availableGeometry()
    assert dialog.width() <= min(900, available.width()) and dialog.height() <= available.height()
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.Custom


def test_toolbar_texts_and_shortcuts(qtbot, three_a4):
    dialog = open_dialog(qtbot, three_a4)
    shortcuts = {a.text(): [s.toString() for s in a.shortcuts()] for a in dialog.actions()}
    assert shortcuts["Cetak…"] == ["Ctrl+P"] and shortcuts["Simpan PDF…"] == ["Ctrl+S"]
    assert "Ctrl+-" in shortcuts["Perkecil"] and "Ctrl++" in shortcuts["Perbesar"]
    assert {"Lebar halaman", "Satu halaman", "Tutup"} <= set(shortcuts)


def test_zoom_in_and_out_change_the_factor(qtbot, three_a4):
    dialog = open_dialog(qtbot, three_a4)
    start = dialog.view.zoomFactor()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    bigger = dialog.view.zoomFactor()
    assert bigger > start and dialog.zoom_label.text() == f"{round(bigger * 100)}%"
    dialog.zoom_out_action.trigger()
    dialog.zoom_out_action.trigger()
    assert dialog.view.zoomFactor() < bigger
    assert next_zoom(1.0, 1) == 1.1 and next_zoom(1.0, -1) == 0.9 and next_zoom(9, 1) == 4.0


def test_fit_width_matches_the_viewport(qtbot, three_a4):
    dialog = open_dialog(qtbot, three_a4)
    dialog.zoom_in_action.trigger()
    dialog.fit_width_action.trigger()
    view = dialog.view
    margins = view.documentMargins()
    page_px = A4[0] * view.screen().logicalDotsPerInch() / 72 * view.zoomFactor()
    assert abs(page_px - (view.viewport().width() - margins.left() - margins.right())) <= 2
    qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() == 0)  # exactly fits


def test_one_page_fits_the_whole_page(qtbot, three_a4):
    dialog = open_dialog(qtbot, three_a4)
    dialog.fit_page_action.trigger()
    view = dialog.view
    page_height = A4[1] * view.screen().logicalDotsPerInch() / 72 * view.zoomFactor()
    assert page_height <= view.viewport().height()
    assert view.zoomFactor() < dialog.fit_zoom("lebar")


def test_resizing_refits_and_settles(qtbot, three_a4):
    dialog = open_dialog(qtbot, three_a4)
    for width, height in [(500, 400), (1200, 900), (701, 333), (640, 1000)]:
        dialog.resize(width, height)
        qtbot.waitUntil(lambda: abs(dialog.view.zoomFactor() - dialog.fit_zoom("lebar")) < 1e-3)
        qtbot.wait(50)  # a layout loop would keep changing the factor (or hang: the timeout)
        settled = dialog.view.zoomFactor()
        qtbot.wait(50)
        assert dialog.view.zoomFactor() == settled
    dialog.step_zoom(1)  # a manual zoom is kept on resize
    manual = dialog.view.zoomFactor()
    dialog.resize(800, 800)
    qtbot.wait(50)
    assert dialog.view.zoomFactor() == manual


def test_save_to_writes_identical_bytes_atomically(qtbot, three_a4, tmp_path):
    saved = []
    dialog = open_dialog(qtbot, three_a4, on_saved=saved.append, save_dir=tmp_path)
    assert dialog.default_save_path() == tmp_path / "surat.pdf"
    target = tmp_path / "surat.pdf"
    target.write_bytes(b"versi lama")
    assert dialog.save_to(target)
    assert target.read_bytes() == three_a4 and saved == [target]
    assert list(tmp_path.iterdir()) == [target]  # no .part left behind


def test_save_failure_names_the_file(qtbot, three_a4, tmp_path, monkeypatch):
    errors, saved = [], []
    monkeypatch.setattr(pdf_preview, "show_error", lambda parent, text: errors.append(text))
    dialog = open_dialog(qtbot, three_a4, on_saved=saved.append)
    target = tmp_path / "tidak-ada" / "surat.pdf"
    assert not dialog.save_to(target)
    assert saved == [] and str(target) in errors[0] and "tidak dapat disimpan" in errors[0]


def test_print_pdf_a4_all_pages(tmp_path, three_a4, qapp):
    document, _buffer = load_document(three_a4)
    steps = []
    out = tmp_path / "cetak.pdf"
    assert print_pdf(document, pdf_printer(out), 1, 3, lambda d, t: steps.append((d, t))) == 3
    pages = PdfReader(out).pages
    assert len(pages) == 3 and steps == [(1, 3), (2, 3), (3, 3)]
    width, height = page_mm(pages[0])
    assert abs(width - 210) < 1.5 and abs(height - 297) < 1.5
    assert page_layout_for(document, 0).pageSize().id() == QPageSize.PageSizeId.A4


def test_print_pdf_f4_landscape_gets_f4_landscape_paper(tmp_path, qapp):
    document, _buffer = load_document(make_pdf(landscape(F4)))
    out = tmp_path / "rekap.pdf"
    printer = pdf_printer(out)
    assert print_pdf(document, printer, 1, 1) == 1
    assert printer.pageLayout().pageSize().name() == "F4"
    (page,) = PdfReader(out).pages
    width, height = page_mm(page)
    assert abs(width - 330) < 1.5 and abs(height - 215) < 1.5


def test_print_pdf_page_range_and_copies(tmp_path, three_a4, qapp):
    document, _buffer = load_document(three_a4)
    out = tmp_path / "rentang.pdf"
    assert print_pdf(document, pdf_printer(out), 2, 3) == 2
    assert len(PdfReader(out).pages) == 2
    printer = pdf_printer(tmp_path / "salinan.pdf")
    printer.setCopyCount(2)  # a PDF printer makes no copies itself: we draw them
    assert print_pdf(document, printer, 3, 3) == 2
    assert len(PdfReader(tmp_path / "salinan.pdf").pages) == 2
    with pytest.raises(ValueError):
        print_pdf(document, pdf_printer(out), 3, 4)


def test_print_to_runs_in_background_and_reports(qtbot, three_a4, tmp_path):
    printed = []
    dialog = open_dialog(qtbot, three_a4, on_printed=printed.append)
    out = tmp_path / "dialog.pdf"
    job = dialog.print_to(pdf_printer(out), 2, 3, show_progress=False)
    assert not dialog.print_action.isEnabled()
    with qtbot.waitSignal(job.done, timeout=30000):
        pass
    assert printed == [2] and dialog.print_action.isEnabled()
    assert len(PdfReader(out).pages) == 2


def test_closing_while_printing_waits_for_the_worker(qtbot, tmp_path):
    dialog = open_dialog(qtbot, make_pdf(*[A4] * 8))
    printed = []
    dialog._on_printed = printed.append
    dialog.print_to(pdf_printer(tmp_path / "batal.pdf"), 1, 8, show_progress=False)
    assert dialog.printing
    dialog.reject()
    assert not dialog.printing and not dialog.isVisible() and printed in ([], [8])


def test_extra_actions_appear_and_fire(qtbot, three_a4):
    fired = []
    dialog = open_dialog(qtbot, three_a4, actions=[("Simpan Excel…", lambda: fired.append(1))])
    (action,) = dialog.extra_actions
    assert action.text() == "Simpan Excel…" and action in dialog.toolbar.actions()
    dialog.toolbar.widgetForAction(action).click()
    assert fired == [1]


def test_broken_pdf_says_so(qtbot):
    dialog = PdfPreviewDialog(b"bukan pdf", title="Rusak", suggested_name="x.pdf")
    qtbot.addWidget(dialog)
    assert dialog.page_label.text() == "Dokumen PDF tidak dapat dibuka."
    assert not dialog.print_action.isEnabled() and dialog.fit_zoom("lebar") is None


def test_screenshot_of_a_letter(qtbot):
    dialog = open_dialog(qtbot, make_pdf(A4, A4, letter=True), title="Surat Keterangan PMKS",
                         actions=[("Simpan Excel…", lambda: None)])
    dialog.resize(900, 1000)
    qtbot.waitUntil(lambda: abs(dialog.view.zoomFactor() - dialog.fit_zoom("lebar")) < 1e-3)
    qtbot.wait(300)  # QPdfView renders pages in a worker thread
    assert dialog.grab().save("/tmp/preview.png")


def test_keyboard_save_and_escape(qtbot, three_a4, tmp_path, monkeypatch):
    saved, asked = [], []

    def fake_dialog(parent, caption, start, filters):
        asked.append(start)
        return str(tmp_path / "pilihan"), filters  # no extension typed: .pdf is added

    monkeypatch.setattr(pdf_preview.QFileDialog, "getSaveFileName", fake_dialog)
    dialog = open_dialog(qtbot, three_a4, on_saved=saved.append, save_dir=tmp_path)
    qtbot.keyClick(dialog.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert asked == [str(tmp_path / "surat.pdf")] and saved == [tmp_path / "pilihan.pdf"]
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Rejected


def test_screenshot_of_a_landscape_recap(qtbot):
    dialog = open_dialog(qtbot, make_pdf(landscape(F4), landscape(F4), letter=True),
                         title="Rekap PMKS")
    dialog.fit_page_action.trigger()
    qtbot.wait(300)
    assert dialog.grab().save("/tmp/preview-recap.png")


@pytest.mark.parametrize("user_paper, keeps", [(None, True), (QPageSize.PageSizeId.A4, False)])
def test_print_dialog_offers_the_pdf_paper_and_honours_a_range(qapp, monkeypatch, user_paper,
                                                               keeps):
    document, _buffer = load_document(make_pdf(landscape(F4), landscape(F4), landscape(F4)))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    offered = []

    def user_picks_pages_2_to_3(dialog):
        offered.append(printer.pageLayout().pageSize().name())
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 3)
        if user_paper is not None:
            printer.setPageSize(QPageSize(user_paper))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(pdf_printing.QPrintDialog, "exec", user_picks_pages_2_to_3)
    assert pdf_printing.ask_print(None, printer, document, 0) == (2, 3, keeps)
    assert offered == ["F4"]


def test_toolbar_buttons_are_reachable_with_tab(qtbot, three_a4):
    dialog = open_dialog(qtbot, three_a4)
    button = dialog.toolbar.widgetForAction(dialog.print_action)
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus and button.text() == "Cetak…"
