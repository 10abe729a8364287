"""The recap files: text extracted from the PDFs (pypdf) carries the title, period, desa, totals,
signatures, page numbers and fingerprint and never a NIK; a long sheet repeats its header rows
on the next page; the .xlsx holds real numbers and SUM formulas over the right cells whose
results equal the PDF's totals."""
from __future__ import annotations

import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from pmks_desktop.domain.formatting import long_date
from pmks_desktop.services.recap_queries import Period
from pmks_desktop.storage.models import Desa, Person

import recap_data as data

JULY = Period(2024, 7)


@pytest.fixture
def pmks(services):
    with services.db.write() as s:
        services.event_ids = data.pmks_records(s)
        data.program_records(s)
    return services


def pdf_pages(path) -> list[str]:
    """Each page's text, one cell per line (pypdf puts a space before some cells)."""
    return ["\n".join(line.strip() for line in page.extract_text().split("\n"))
            for page in PdfReader(str(path)).pages]


def figures(tokens: list[str]) -> list[int]:
    return [0 if t == "-" else int(t.replace(".", "")) for t in tokens]


def row_after(lines: list[str], label: str, stop: str) -> list[str]:
    """The cells pypdf reads after the last `label` cell, up to the `stop` cell."""
    start = len(lines) - 1 - lines[::-1].index(label)
    end = lines.index(stop, start)
    return lines[start + 1:end]


def test_pdf_text_of_the_main_recap(pmks, tmp_path):
    sheet = pmks.recaps.main_recap(JULY)
    path = pmks.recaps.write(sheet, tmp_path / "rekap.pdf")
    pages = pdf_pages(path)
    text = "\n".join(pages)
    for expected in ("REKAPITULASI DATA PMKS", "KECAMATAN KRAMATWATU KABUPATEN SERANG",
                     "BULAN JULI TAHUN 2024", "Kramatwatu", "Margasana",
                     "Tanpa desa / di luar daftar", "Keadaan sampai dengan 31 Juli 2024",
                     "Mengetahui,", "CAMAT KRAMATWATU,", "TKSK Kecamatan Kramatwatu,",
                     "Drs. H. Ahmad Fauzi, M.Si.", "NIP 19700101 199003 1 001",
                     f"Sidik data: {sheet.data_hash}", "Balita Terlantar", "ODHA"):
        assert expected in text, expected
    assert f"Kramatwatu, {long_date(date.today())}" in text
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in page
        assert "Diambil: " in page and sheet.data_hash in page
    lines = text.split("\n")
    # The last band ends with JUMLAH L / P / Jml: the totals of the whole sheet.
    assert figures(row_after(lines, "JUMLAH", "Catatan:"))[-3:] == [4, 4, 10]
    assert figures(row_after(lines, "Kramatwatu", "Margasana"))[-4:-1] == [2, 2, 4]


def test_no_nik_is_ever_printed(pmks, tmp_path):
    with pmks.db.read() as s:
        niks = [n for n in s.exec(select(Person.nik)).all() if n]
    assert len(niks) > 10
    sheets = [pmks.recaps.main_recap(JULY), pmks.recaps.monthly_report(JULY),
              pmks.recaps.program_recap("kube", JULY),
              pmks.recaps.disaster_recap(pmks.event_ids["flood"])]
    for number, sheet in enumerate(sheets):
        text = "\n".join(pdf_pages(pmks.recaps.write(sheet, tmp_path / f"{number}.pdf")))
        assert not re.search(r"(?<!\d)\d{16}(?!\d)", text)
        flat = text.replace("\n", "").replace(" ", "").replace(".", "")
        assert not any(nik in flat for nik in niks)


def test_a_long_sheet_repeats_its_header_rows(pmks, tmp_path):
    with pmks.db.write() as s:
        s.add_all(Desa(code=f"36.04.05.{2100 + i}", name=f"Desa Tambahan {i:02d}",
                       kecamatan_code="36.04.05") for i in range(60))
    path = pmks.recaps.write(pmks.recaps.main_recap(JULY), tmp_path / "panjang.pdf", paper="F4")
    pages = pdf_pages(path)
    assert len(pages) >= 4
    first_band = [i for i, p in enumerate(pages) if "\n01\nBalita Terlantar\n" in p]
    assert first_band[0] == 0 and len(first_band) >= 2  # the first band runs on...
    for index in first_band[1:]:  # ...and the next page starts with the two header rows
        lines = pages[index].split("\n")
        assert lines[:5] == ["No.", "Desa", "01", "Balita Terlantar", "02"]
        first = lines.index("L")  # after the 10 group labels, their L / P / Jml
        assert lines[first:first + 30] == ["L", "P", "Jml"] * 10 and first < 30
    assert "Desa Tambahan 59" in pages[first_band[-1]]
    box = PdfReader(str(path)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == \
        (330, 215)  # F4, landscape


def _evaluate(ws, value):
    """The result of our SUM formulas (a list of cells or one range), computed here."""
    if not (isinstance(value, str) and value.startswith("=SUM(")):
        return value
    total = 0
    for part in value[5:-1].split(","):
        cells = [c for row in ws[part] for c in row] if ":" in part else [ws[part]]
        total += sum(_evaluate(ws, c.value) or 0 for c in cells)
    return total


def _layout(ws):
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "No.")
    total = next(r for r in range(header, ws.max_row + 1) if ws.cell(r, 1).value == "JUMLAH")
    return header, header + 2, total


def test_xlsx_numbers_and_formulas_match_the_pdf(pmks, tmp_path):
    sheet = pmks.recaps.main_recap(JULY)
    table = sheet.tables[0]
    ws = load_workbook(pmks.recaps.write(sheet, tmp_path / "rekap.xlsx")).active
    header, first, total_row = _layout(ws)
    assert ws.print_title_rows == f"${header}:${header + 1}"
    assert f"C{header}:E{header}" in {str(r) for r in ws.merged_cells.ranges}  # "01" over L/P/Jml
    leaves = table.leaves()
    keys = {c: ws.cell(header + 1, c).value for c in range(3, 3 + len(leaves))}
    data_columns = [3 + i for i, (g, _c) in enumerate(leaves) if not table.groups[g].total]
    for row_index, row in enumerate(table.rows):
        r = first + row_index
        assert ws.cell(r, 2).value == row.labels[0]
        for i, ((g, column), value) in enumerate(zip(leaves, row.values)):
            cell = ws.cell(r, 3 + i)
            if table.groups[g].total:
                refs = set(cell.value[5:-1].split(","))
                assert refs == {ws.cell(r, c).coordinate
                                for c in data_columns if keys[c] == column.key}
                assert _evaluate(ws, cell.value) == value
            else:
                assert type(cell.value) is int and cell.value == value
    for i, total in enumerate(table.totals):
        cell = ws.cell(total_row, 3 + i)
        letter = cell.column_letter
        assert cell.value == f"=SUM({letter}{first}:{letter}{total_row - 1})"
        assert _evaluate(ws, cell.value) == total
    pdf = "\n".join(pdf_pages(pmks.recaps.write(sheet, tmp_path / "rekap.pdf"))).split("\n")
    shown = figures(row_after(pdf, "JUMLAH", "Catatan:"))[-3:]
    assert shown == [_evaluate(ws, ws.cell(total_row, c).value)
                     for c in range(3 + len(leaves) - 3, 3 + len(leaves))]


def test_xlsx_of_programs_and_disasters(pmks, tmp_path):
    kube = pmks.recaps.program_recap("kube", JULY)
    ws = load_workbook(pmks.recaps.write(kube, tmp_path / "kube.xlsx")).active
    _header, first, total_row = _layout(ws)
    aid = ws.cell(total_row, ws.max_column)
    assert aid.value == f"=SUM({aid.column_letter}{first}:{aid.column_letter}{total_row - 1})"
    assert _evaluate(ws, aid.value) == 35_000_000 and aid.number_format.startswith("#,##0")
    flood = pmks.recaps.disaster_recap(pmks.event_ids["flood"])
    ws = load_workbook(pmks.recaps.write(flood, tmp_path / "banjir.xlsx")).active
    rice = next(r for r in range(1, ws.max_row + 1)
                if str(ws.cell(r, 2).value).lower() == "beras")
    assert ws.cell(rice, 5).value == 75.5 and ws.cell(rice, 6).value == 2
    aid_total = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "JUMLAH")
    assert ws.cell(aid_total, 5).value is None  # kg and paket are not added up
    assert _evaluate(ws, ws.cell(aid_total, 7).value) == 15_000_000
