"""A list as an .xlsx sheet: title, filter line, bold header, frozen panes, autofilter.

Plain data in, file out. Rows are streamed through openpyxl's write-only mode, so a list of
100,000 rows is never held in memory; only the first rows are looked at to size the columns.
Numbers stay real numbers and dates real dates (the office sorts and sums them in Excel); NIK and
No. KK stay text so Excel never turns them into 3,60405E+15.
"""
from __future__ import annotations

import itertools
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Sequence

KINDS = ("text", "int", "money", "decimal", "date")
DATE_FORMAT = "DD-MM-YYYY"
MONEY_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.##"
HEADER_ROW = 3  # title, filter line, header
SAMPLE_ROWS = 200  # rows looked at to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 50


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _shown_length(value, kind: str) -> int:
    if value is None:
        return 0
    if kind == "date":
        return 10
    if kind in ("money", "int") and isinstance(value, (int, float)):
        return len(f"{value:,.0f}")
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(headers: Sequence[str], kinds: Sequence[str],
                  sample: Sequence[Sequence]) -> list[float]:
    """Wide enough for the header and the sampled values, within sensible bounds."""
    widths = []
    for index, (header, kind) in enumerate(zip(headers, kinds)):
        longest = max([len(header) + 2] + [_shown_length(row[index], kind) + 1
                                           for row in sample if index < len(row)])
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, longest))))
    return widths


class _CellMaker:
    """Turns plain values into what the write-only sheet needs, styling only where it must."""

    def __init__(self, sheet, kinds: Sequence[str]):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        self._sheet = sheet
        self._kinds = list(kinds)
        self._cell = WriteOnlyCell
        self._illegal = ILLEGAL_CHARACTERS_RE

    def _text(self, value):
        text = self._illegal.sub("", value if isinstance(value, str) else str(value))
        if text.startswith("="):  # a name like "=HYPERLINK(...)" must never become a formula
            cell = self._cell(self._sheet, text)
            cell.data_type = "s"
            return cell
        return text

    def _formatted(self, value, number_format: str):
        cell = self._cell(self._sheet, value)
        cell.number_format = number_format
        return cell

    def convert(self, value, kind: str):
        if value is None or value == "":
            return None
        if kind == "date" and isinstance(value, (date, datetime)):
            return self._formatted(value, DATE_FORMAT)
        if kind == "money" and isinstance(value, (int, float)):
            return self._formatted(value, MONEY_FORMAT)
        if kind == "decimal" and isinstance(value, (int, float)):
            return self._formatted(value, DECIMAL_FORMAT)
        if kind == "int" and isinstance(value, (int, float)):
            return value
        return self._text(value)

    def row(self, values: Sequence) -> list:
        return [self.convert(value, kind) for value, kind in zip(values, self._kinds)]


def _styled(sheet, value: str, **style):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def _write_heading(sheet, title: str, subtitle: str, headers: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    sheet.append([_styled(sheet, title, font=Font(bold=True, size=14))])
    sheet.append([_styled(sheet, subtitle, font=Font(italic=True, color="555555"))])
    fill = PatternFill("solid", fgColor="DDE6F0")
    border = Border(bottom=Side(style="thin", color="888888"))
    sheet.append([_styled(sheet, header, font=Font(bold=True), fill=fill, border=border,
                          alignment=Alignment(vertical="center", wrap_text=True))
                  for header in headers])


def write_table(path: Path | str, *, title: str, subtitle: str, headers: Sequence[str],
                rows: Iterable[Sequence], kinds: Sequence[str]) -> int:
    """Write one sheet; return the number of data rows written.

    `rows` may be a generator (it is consumed once); `kinds` gives each column's kind, one of
    KINDS. An exception raised by the generator (a cancel) propagates; the caller owns the file.
    """
    from openpyxl import Workbook

    if len(headers) != len(kinds):
        raise ValueError("headers and kinds differ in length")
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown column kinds: {sorted(unknown)}")
    iterator = iter(rows)
    sample = list(itertools.islice(iterator, SAMPLE_ROWS))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    # Column widths and frozen panes go into the sheet's head: set them before any row.
    for index, width in enumerate(column_widths(headers, kinds, sample), start=1):
        sheet.column_dimensions[_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    _write_heading(sheet, title, subtitle, headers)
    maker = _CellMaker(sheet, kinds)
    count = 0
    for values in itertools.chain(sample, iterator):
        sheet.append(maker.row(values))
        count += 1
    last_column = _column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + max(count, 1)}"
    book.save(str(path))
    return count


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return (cleaned or "Data")[:31]
