"""Lists inside letters (recipients of aid, members of a group) as a reportlab Table.

Grid, bold header on light grey repeated on every page, numbers right-aligned, optional bold
total row. With `signature_column` the last column is the signing space of a daftar tanda
terima: row 1 signs at the left ("1. ......"), row 2 at the right, and so on, and every row is
tall enough to sign in.

Cell values are plain text: a value that fits its column stays a plain string (cheap); a longer
one becomes an escaped Paragraph so it wraps instead of running over the grid.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, TableStyle
from reportlab.platypus import Table as RLTable

from pmks_desktop.reports.fonts import BOLD, REGULAR
from pmks_desktop.reports.letter_model import Table
from pmks_desktop.reports.letter_style import (
    BLOCK_GAP,
    TABLE_LEADING,
    TABLE_SIZE,
    paragraph_style,
    string_width,
)

PAD = 3.0
SIGN_ROW_HEIGHT = 9 * mm
HEADER_GREY = colors.Color(0.88, 0.88, 0.88)


def _cell(text: str, width: float, font: str, right: bool):
    if string_width(text, font, TABLE_SIZE) <= width - 2 * PAD:
        return text
    kind = "cell-bold" if font == BOLD else ("cell-right" if right else "cell")
    return Paragraph(escape(text), paragraph_style(kind))


def _sign_text(number: int, width: float) -> str:
    """ "1. ..........." filling a little under half the signing column."""
    prefix = f"{number}. "
    dots = int((width * 0.45 - string_width(prefix, REGULAR, TABLE_SIZE))
               / string_width(".", REGULAR, TABLE_SIZE))
    return prefix + "." * max(dots, 3)


def _data_row(values, widths, block: Table, number: int, font: str = REGULAR) -> list:
    """A body row; with a signature column the last cell is always the numbered signing space
    (whatever the caller put there), so rows may be given with or without that cell."""
    columns = len(widths) - (1 if block.signature_column else 0)
    texts = [str(value) for value in values][:columns]
    texts += [""] * (columns - len(texts))
    row = [_cell(text, widths[i], font, i in block.numeric_columns)
           for i, text in enumerate(texts)]
    if block.signature_column:
        row.append(_sign_text(number, widths[-1]) if number else "")
    return row


def _style(block: Table, rows: int, widths) -> TableStyle:
    last = len(widths) - 1
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONT", (0, 0), (-1, -1), REGULAR, TABLE_SIZE, TABLE_LEADING),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_GREY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
    ]
    commands += [("ALIGN", (col, 1), (col, -1), "RIGHT") for col in block.numeric_columns]
    if block.total_row is not None:
        commands.append(("FONT", (0, rows), (-1, rows), BOLD, TABLE_SIZE, TABLE_LEADING))
    if block.signature_column:
        # Padding rather than fixed row heights: a row with a wrapped name still grows.
        pad = (SIGN_ROW_HEIGHT - TABLE_LEADING) / 2
        commands.append(("TOPPADDING", (0, 1), (-1, -1), pad))
        commands.append(("BOTTOMPADDING", (0, 1), (-1, -1), pad))
        commands += [("LEFTPADDING", (last, r), (last, r), widths[last] / 2)
                     for r in range(2, len(block.rows) + 1, 2)]
    return TableStyle(commands)


def table_flowable(block: Table, avail_width: float) -> RLTable:
    """The Table for `block`, its relative widths scaled to the text width."""
    total = sum(block.widths) or 1.0
    widths = [avail_width * w / total for w in block.widths]
    header = [Paragraph(escape(h), paragraph_style("head")) for h in block.headers]
    data = [header]
    data += [_data_row(row, widths, block, i + 1) for i, row in enumerate(block.rows)]
    if block.total_row is not None:
        data.append(_data_row(block.total_row, widths, block, 0, BOLD))
    table = RLTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT",
                    style=_style(block, len(block.rows) + 1, widths))
    table.spaceAfter = BLOCK_GAP
    return table
