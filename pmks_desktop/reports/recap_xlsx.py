"""Recap sheets as .xlsx: one worksheet per recap, laid out like the PDF (title, two merged
header rows, rows, totals, notes, signatures) but in one piece, since Excel scrolls sideways.

The figures are real numbers. What the PDF shows as computed totals are formulas here: the
JUMLAH column of a row sums that row's same-key cells (`=SUM(C7,F7,I7)`), the totals row sums
its column (`=SUM(C7:C21)`); both equal the PDF's figures because the model computes them from
the same cells. Zero shows as "-" through the number format while staying a number.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from pmks_desktop.reports.recap_model import (Column, RecapSheet, RecapTable, footer_text,
                                               nip_text)

WHOLE_FORMAT = '#,##0;-#,##0;"-"'
DECIMAL_FORMAT = '#,##0.###;-#,##0.###;"-"'
PAPER_CODES = {"A4": 9, "F4": 14}  # 14: Folio 8.5 x 13 in, the nearest Excel size to F4
HEADER_FILL = "D9D9D9"
TOTAL_FILL = "EDEDED"


def write_recap_xlsx(sheets: RecapSheet | Sequence[RecapSheet], path: Path | str,
                     paper: str = "A4") -> Path:
    from openpyxl import Workbook

    if isinstance(sheets, RecapSheet):
        sheets = [sheets]
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for sheet in sheets:
        name = _tab_name(sheet.file_stem, used)
        used.add(name)
        _Writer(book.create_sheet(name), sheet, paper).write()
    book.save(str(path))
    return Path(path)


def _tab_name(stem: str, used: set[str]) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name; names are unique."""
    base = "".join(" " if ch in "[]:*?/\\" else ch for ch in stem).strip()[:28] or "Rekap"
    name, n = base, 2
    while name in used:
        name, n = f"{base} {n}", n + 1
    return name


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


class _Writer:
    def __init__(self, ws, sheet: RecapSheet, paper: str):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.ws, self.sheet, self.paper = ws, sheet, paper
        self.row = 1
        self.width = max(1 + len(t.label_headers) + len(t.leaves()) for t in sheet.tables)
        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.bold = Font(bold=True)
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.total_fill = PatternFill("solid", fgColor=TOTAL_FILL)
        self.first_header: tuple[int, int] | None = None

    def write(self) -> None:
        from openpyxl.styles import Font

        for line in self.sheet.title_lines + (self.sheet.period_label,):
            self._merged_line(line, Font(bold=True, size=12))
        for line in self.sheet.info_lines:
            self._merged_line(line, Font(size=10))
        self.row += 1
        for table in self.sheet.tables:
            self._table(table)
            self.row += 1
        self._closing()
        self._page_setup()

    def _merged_line(self, text: str, font) -> None:
        cell = self.ws.cell(self.row, 1, text)
        cell.font, cell.alignment = font, self.centre
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row,
                            end_column=self.width)
        self.row += 1

    # ------------------------------------------------------------- one table

    def _table(self, table: RecapTable) -> None:
        if table.heading:
            self.ws.cell(self.row, 1, table.heading).font = self.bold
            self.row += 1
        self._headers(table)
        first = self.row
        for number, row in enumerate(table.rows, start=1):
            self._data_row(table, number, row.labels, row.values)
        last = self.row - 1
        if table.totals is not None:
            self._totals_row(table, first, last)

    def _headers(self, table: RecapTable) -> None:
        top, labels = self.row, 1 + len(table.label_headers)
        if self.first_header is None:
            self.first_header = (top, labels)
        for column, text in enumerate(("No.",) + table.label_headers, start=1):
            self._header_cell(top, column, text, rows=2)
        column = labels + 1
        for group in table.groups:
            end = column + len(group.columns) - 1
            self._header_cell(top, column, group.label, rows=2 if group.single else 1,
                              columns=len(group.columns))
            if not group.single:
                for offset, leaf in enumerate(group.columns):
                    self._header_cell(top + 1, column + offset, leaf.label)
            column = end + 1
        self.row = top + 2

    def _header_cell(self, row: int, column: int, text: str, rows: int = 1,
                     columns: int = 1) -> None:
        for r in range(row, row + rows):
            for c in range(column, column + columns):
                cell = self.ws.cell(r, c)
                cell.border, cell.fill = self.border, self.header_fill
        cell = self.ws.cell(row, column, text)
        cell.font, cell.alignment = self.bold, self.centre
        if rows > 1 or columns > 1:
            self.ws.merge_cells(start_row=row, start_column=column,
                                end_row=row + rows - 1, end_column=column + columns - 1)

    def _data_row(self, table: RecapTable, number: int, labels, values) -> None:
        row, first_value = self.row, 2 + len(table.label_headers)
        self._boxed(row, 1, number, "0")
        for offset, label in enumerate(labels):
            self._boxed(row, 2 + offset, label)
        same_key = _same_key_columns(table, first_value)
        for index, (g, leaf) in enumerate(table.leaves()):
            column = first_value + index
            if table.groups[g].total:
                refs = ",".join(f"{_letter(c)}{row}" for c in same_key.get(leaf.key, []))
                cell = self._boxed(row, column, f"=SUM({refs})" if refs else 0,
                                   _format(leaf, values[index]))
                cell.font, cell.fill = self.bold, self.total_fill
            else:
                self._boxed(row, column, values[index], _format(leaf, values[index]))
        self.row += 1

    def _totals_row(self, table: RecapTable, first: int, last: int) -> None:
        row, labels = self.row, 1 + len(table.label_headers)
        for column in range(1, labels + 1):
            self._boxed(row, column, table.total_label if column == 1 else None)
        self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=labels)
        self.ws.cell(row, 1).alignment = self.centre
        for index, (_g, leaf) in enumerate(table.leaves()):
            column, total = labels + 1 + index, table.totals[index]
            letter = _letter(column)
            value = None if total is None else \
                f"=SUM({letter}{first}:{letter}{last})" if last >= first else 0
            self._boxed(row, column, value, _format(leaf, total))
        for column in range(1, labels + len(table.leaves()) + 1):
            cell = self.ws.cell(row, column)
            cell.font, cell.fill = self.bold, self.total_fill
        self.row += 1

    def _boxed(self, row: int, column: int, value, number_format: str | None = None):
        cell = self.ws.cell(row, column, value)
        cell.border = self.border
        if number_format:
            cell.number_format = number_format
        return cell

    # ------------------------------------------------------------- notes, signatures, print

    def _closing(self) -> None:
        lines = [("Catatan:", True)] if self.sheet.notes else []
        lines += [(f"{n}. {text}", False) for n, text in enumerate(self.sheet.notes, start=1)]
        if self.sheet.legend:
            lines.append(("Keterangan kode jenis PMKS:", True))
            lines += [(f"{code} = {name}", False) for code, name in self.sheet.legend]
        lines.append((footer_text(self.sheet), False))
        for text, bold in lines:
            cell = self.ws.cell(self.row, 1, text)
            if bold:
                cell.font = self.bold
            self.row += 1
        self.row += 1
        self._signatures()

    def _signatures(self) -> None:
        from openpyxl.styles import Font

        signatures = self.sheet.signatures
        if not signatures:
            return
        columns = [2] if len(signatures) == 1 else \
            [2] + [max(3, self.width - 4)] * (len(signatures) - 1)
        blocks = [list(s.lines) for s in signatures]
        if self.sheet.place_date:
            blocks[-1].insert(0, self.sheet.place_date)
        height = max(len(b) for b in blocks)
        top = self.row
        for signature, block, column in zip(signatures, blocks, columns):
            row = top + height - len(block)
            for line in block:
                self.ws.cell(row, column, line)
                row += 1
            row = top + height + 3  # room to sign
            self.ws.cell(row, column, signature.name or "(.............................)"
                         ).font = Font(bold=True, underline="single")
            nip = f"NIP {nip_text(signature.nip)}" if signature.nip else ""
            for extra in (signature.rank, nip):
                if extra:
                    row += 1
                    self.ws.cell(row, column, extra)
        self.row = top + height + 7

    def _page_setup(self) -> None:
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = PAPER_CODES.get(self.paper, PAPER_CODES["A4"])
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.column_dimensions["A"].width = 5
        for column in range(2, self.width + 1):
            ws.column_dimensions[_letter(column)].width = self._column_width(column)
        if self.first_header is not None:
            top, labels = self.first_header
            ws.print_title_rows = f"{top}:{top + 1}"  # header rows on every printed page
            ws.freeze_panes = f"{_letter(labels + 1)}{top + 2}"

    def _column_width(self, column: int) -> float:
        """Widest need of any table at this column: labels by their text, money wider."""
        widths = [8.0]
        for table in self.sheet.tables:
            labels, leaves = 1 + len(table.label_headers), table.leaves()
            if column <= labels:
                texts = [r.labels[column - 2] for r in table.rows] + \
                    [table.label_headers[column - 2]]
                widths.append(float(min(40, max(12, max(len(t) for t in texts) + 2))))
            elif column - labels - 1 < len(leaves) and \
                    leaves[column - labels - 1][1].kind == "money":
                widths.append(16.0)
        return max(widths)


def _same_key_columns(table: RecapTable, first_value: int) -> dict[str, list[int]]:
    """Sheet columns of each key among the non-total groups (what a JUMLAH cell sums)."""
    out: dict[str, list[int]] = {}
    for index, (g, leaf) in enumerate(table.leaves()):
        if not table.groups[g].total:
            out.setdefault(leaf.key, []).append(first_value + index)
    return out


def _format(column: Column, value) -> str:
    if column.kind == "decimal" and isinstance(value, float) and not value.is_integer():
        return DECIMAL_FORMAT
    return WHOLE_FORMAT
