"""Measures and type of the letters, and the one text-drawing helper every letter block uses.

Sizes follow the usual naskah dinas: Arial-like 12 pt body, margins top/right/bottom 20 mm and
left 25 mm (room for the binder), kop with a thick and a thin rule.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from reportlab.lib.units import mm

from pmks_desktop.reports.fonts import BOLD, REGULAR, register_fonts
from pmks_desktop.reports.letter_model import PAPER_SIZES_MM

MARGIN_TOP = 20 * mm
MARGIN_RIGHT = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 25 * mm
FOOTER_BASELINE = 10 * mm          # inside the bottom margin, clear of the text frame

BODY_SIZE = 12.0
BODY_LEADING = 14.5
BLOCK_GAP = 6.0                    # between body blocks
TABLE_SIZE = 10.0
TABLE_LEADING = 12.0
SMALL_SIZE = 7.5
FIELDS_INDENT = 10 * mm
FIRST_LINE_INDENT = 12.5 * mm
SIGNING_SPACE = 20 * mm            # room for the signature and the stamp
QR_SIZE = 23 * mm


def page_size(paper: str) -> tuple[float, float]:
    """Points for "A4"/"F4"; a clear message for anything else (the caller chose the paper)."""
    try:
        width_mm, height_mm = PAPER_SIZES_MM[paper]
    except KeyError:
        known = ", ".join(PAPER_SIZES_MM)
        raise ValueError(f"Ukuran kertas '{paper}' tidak dikenal (pilihan: {known})") from None
    return width_mm * mm, height_mm * mm


def text_width(paper: str) -> float:
    return page_size(paper)[0] - MARGIN_LEFT - MARGIN_RIGHT


@lru_cache(maxsize=8)
def paragraph_style(kind: str):
    """Styles are built once per process: building ParagraphStyle objects per letter showed up
    in the batch profile."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    base = ParagraphStyle("pmks-body", fontName=REGULAR, fontSize=BODY_SIZE,
                          leading=BODY_LEADING, alignment=TA_JUSTIFY, spaceAfter=BLOCK_GAP)
    styles = {
        "body": ParagraphStyle("pmks-body-indent", parent=base, firstLineIndent=FIRST_LINE_INDENT),
        "body-flat": base,
        "cell": ParagraphStyle("pmks-cell", fontName=REGULAR, fontSize=TABLE_SIZE,
                               leading=TABLE_LEADING, alignment=TA_LEFT),
        "cell-right": ParagraphStyle("pmks-cell-r", fontName=REGULAR, fontSize=TABLE_SIZE,
                                     leading=TABLE_LEADING, alignment=TA_RIGHT),
        "cell-bold": ParagraphStyle("pmks-cell-b", fontName=BOLD, fontSize=TABLE_SIZE,
                                    leading=TABLE_LEADING, alignment=TA_LEFT),
        "head": ParagraphStyle("pmks-head", fontName=BOLD, fontSize=TABLE_SIZE,
                               leading=TABLE_LEADING, alignment=TA_CENTER),
    }
    return styles[kind]


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` that fit `width`; never empty, so a blank value still takes a line."""
    from reportlab.lib.utils import simpleSplit

    return simpleSplit(text, font, size, width) or [""]


def string_width(text: str, font: str = REGULAR, size: float = BODY_SIZE) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def draw_runs(canv, runs: Iterable[tuple[float, float, str, str, float]]) -> None:
    """Draws (x, y, text, font, size) runs as ONE text object: a drawString per line costs a
    text object each, which the 1,000-letter batch felt."""
    text = canv.beginText()
    current = None
    for x, y, line, font, size in runs:
        if not line:
            continue
        if (font, size) != current:
            text.setFont(font, size)
            current = (font, size)
        text.setTextOrigin(x, y)
        text.textOut(line)
    canv.drawText(text)


def centred_runs(lines, font, size, leading, centre_x, top_baseline):
    """Runs for centred lines going down from `top_baseline`."""
    for i, line in enumerate(lines):
        w = string_width(line, font, size)
        yield centre_x - w / 2, top_baseline - i * leading, line, font, size


def underline(canv, x: float, y: float, width: float, size: float) -> None:
    """A rule under text set at baseline `y` (reportlab's <u> needs a Paragraph)."""
    canv.setLineWidth(max(0.5, size / 16))
    canv.line(x, y - size * 0.14, x + width, y - size * 0.14)

