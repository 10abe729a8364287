"""A recap sheet as a landscape PDF (A4 or F4): title block, the tables (recap_pdf_table.py:
bands of column groups, two header rows repeated on every page), notes, a legend of type codes,
signature blocks kept together, and on every page "Diambil: ... · Sidik data: ..." and
"Halaman X dari Y".
"""
from __future__ import annotations

import io

from pmks_desktop.reports.fonts import REGULAR, register_fonts
from pmks_desktop.reports.letter_model import PAPER_SIZES_MM, Signature
from pmks_desktop.reports.recap_model import RecapSheet, footer_text, nip_text
from pmks_desktop.reports.recap_pdf_table import MM, escape, styles, table_flowables

MARGIN = 10 * MM
FOOTER_SPACE = 8 * MM
SIGNING_SPACE = 16 * MM


def render_recap(sheet: RecapSheet, paper: str = "A4") -> bytes:
    """The sheet as PDF bytes on landscape `paper` ("A4" or "F4")."""
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    if paper not in PAPER_SIZES_MM:
        raise ValueError(f"unknown paper {paper!r}; expected one of {sorted(PAPER_SIZES_MM)}")
    width_mm, height_mm = PAPER_SIZES_MM[paper]
    page = (height_mm * MM, width_mm * MM)  # landscape
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=page, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN + FOOTER_SPACE,
                            title=sheet.title, author="PMKS Desktop", subject=sheet.period_label)
    story = _title_block(sheet)
    for table in sheet.tables:
        story += table_flowables(table, doc.width, doc.height)
    story += _closing(sheet, doc.width)
    doc.build(story, canvasmaker=_footer_canvas(footer_text(sheet)))
    return out.getvalue()


# ------------------------------------------------------------------ title and closing


def _title_block(sheet: RecapSheet) -> list:
    from reportlab.platypus import Paragraph, Spacer

    st = styles()
    story = [Paragraph(escape(line), st["title"])
             for line in sheet.title_lines + (sheet.period_label,)]
    story += [Paragraph(escape(line), st["info"]) for line in sheet.info_lines]
    return story + [Spacer(1, 4 * MM)]


def _closing(sheet: RecapSheet, width: float) -> list:
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    st = styles()
    story = []
    if sheet.notes:
        story.append(KeepTogether(
            [Spacer(1, 2 * MM), Paragraph("Catatan:", st["note"])]
            + [Paragraph(f"{n}. {escape(text)}", st["note"])
               for n, text in enumerate(sheet.notes, start=1)]))
    if sheet.legend:
        story.append(KeepTogether([Spacer(1, 2 * MM),
                                   Paragraph("Keterangan kode jenis PMKS:", st["note"]),
                                   _legend_table(sheet.legend, width)]))
    if sheet.signatures:
        story.append(KeepTogether([Spacer(1, 6 * MM),
                                   _signature_table(sheet.signatures, sheet.place_date, width)]))
    return story


def _legend_table(legend, width: float):
    from reportlab.platypus import Paragraph, Table, TableStyle

    st = styles()
    per_row = 4
    cells = [Paragraph(f"<b>{escape(code)}</b> {escape(name)}", st["note"])
             for code, name in legend]
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    table = Table(rows, colWidths=[width / per_row] * per_row, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _signature_table(signatures: tuple[Signature, ...], place_date: str, width: float):
    """Left block(s) then the right one; the place and date head the last (right) block, and
    shorter blocks are padded at the top so every name sits on the same line."""
    from reportlab.platypus import Table, TableStyle

    blocks = [list(s.lines) for s in signatures]
    if place_date:
        blocks[-1].insert(0, place_date)
    height = max(len(b) for b in blocks)
    cells = [_signature_cell(s, [""] * (height - len(b)) + b) for s, b in zip(signatures, blocks)]
    if len(cells) == 1:
        cells.insert(0, "")
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _signature_cell(signature: Signature, lines: list[str]) -> list:
    from reportlab.platypus import Paragraph, Spacer

    st = styles()["sign"]
    cell = [Paragraph(escape(line) or "&nbsp;", st) for line in lines]
    cell.append(Spacer(1, SIGNING_SPACE))
    name = escape(signature.name) if signature.name else "(" + "." * 40 + ")"
    cell.append(Paragraph(f"<b><u>{name}</u></b>" if signature.name else name, st))
    if signature.rank:
        cell.append(Paragraph(escape(signature.rank), st))
    if signature.nip:
        cell.append(Paragraph(f"NIP {nip_text(signature.nip)}", st))
    return cell


# ------------------------------------------------------------------ footer on every page


def _footer_canvas(left_text: str):
    """A canvas that holds every finished page until the end, so each footer can say how many
    pages there are ("Halaman 2 dari 5") without laying the document out twice."""
    from reportlab.pdfgen.canvas import Canvas

    class FooterCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                _draw_footer(self, left_text, f"Halaman {number} dari {total}")
                Canvas.showPage(self)
            super().save()

    return FooterCanvas


def _draw_footer(canvas, left: str, right: str) -> None:
    width, _height = canvas._pagesize
    y = MARGIN * 0.8
    canvas.saveState()
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, y + 9, width - MARGIN, y + 9)
    canvas.setFont(REGULAR, 7)
    canvas.drawString(MARGIN, y, left)
    canvas.drawRightString(width - MARGIN, y, right)
    canvas.restoreState()
