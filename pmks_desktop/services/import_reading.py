"""Reading an import file (.xlsx or .csv) into plain rows, and reading its cells as values.

Cells arrive as Excel typed them: text, numbers, datetimes. NIK and No. KK must be text: a
16-digit number in an Excel cell has already lost its last digit (Excel keeps 15), so a numeric
NIK cell is refused, never "repaired". Dates are read from datetime cells, Excel serial numbers,
`dd-mm-yyyy` and `yyyy-mm-dd`.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from pmks_desktop.domain.errors import DomainError
from pmks_desktop.domain.formatting import parse_date
from pmks_desktop.services.errors import ServiceError

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's phantom 29-02-1900 included)
_SERIAL_TEXT = re.compile(r"^\d{1,5}(?:[.,]0+)?$")
_ISO_STAMP = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]\d")
_LOOKS_LIKE_DATA = re.compile(r"^[\d\s.,/+\-eE]+$")


class ImportFileError(ServiceError):
    """The file cannot be read as an import: the message says why and what to do."""


@dataclass
class Sheet:
    """One sheet of an import file: its headers and its non-blank rows (Excel row numbers)."""

    file_name: str
    sheet_name: str
    headers: list[str]
    rows: list[tuple[int, tuple]] = field(default_factory=list)  # (row number, cells)
    header_row: int = 1

    def cell(self, row: tuple, column: int):
        return row[column] if column < len(row) else None


# ------------------------------------------------------------------ reading files

def read_sheet(path: Path | str) -> Sheet:
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"Berkas {path.name} tidak ditemukan.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        name, raw = _read_xlsx(path)
    elif suffix in (".csv", ".txt"):
        name, raw = path.stem, _read_csv(path)
    elif suffix == ".xls":
        raise ImportFileError(f"Berkas {path.name} berformat Excel lama (.xls). Buka di Excel "
                              "lalu simpan ulang sebagai 'Buku Kerja Excel (*.xlsx)'.")
    else:
        raise ImportFileError(f"Berkas {path.name} bukan berkas Excel (.xlsx) atau CSV.")
    return _to_sheet(path.name, name, raw)


def _not_excel(path: Path) -> ImportFileError:
    return ImportFileError(
        f"Berkas {path.name} bukan berkas Excel (.xlsx) yang sah (mungkin berkas lain yang "
        "namanya diganti, atau berkasnya rusak). Buka berkas itu di Excel lalu simpan ulang "
        "sebagai 'Buku Kerja Excel (*.xlsx)'.")


def _read_xlsx(path: Path) -> tuple[str, list[tuple]]:
    import zipfile

    from openpyxl import load_workbook  # heavy: only when a file is actually imported

    with open(path, "rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            raise _not_excel(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise _not_excel(path) from exc
    except Exception as exc:  # openpyxl's own InvalidFileException and XML errors
        raise _not_excel(path) from exc
    try:
        if not book.worksheets:
            raise ImportFileError(f"Berkas {path.name} tidak berisi lembar kerja.")
        sheet = book.worksheets[0]
        try:
            rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # a damaged sheet inside a valid zip
            raise _not_excel(path) from exc
        return sheet.title, rows
    finally:
        book.close()


def _read_csv(path: Path) -> list[tuple]:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ImportFileError(f"Berkas {path.name} bukan berkas CSV (teks). Bila ini berkas "
                              "Excel, beri akhiran .xlsx.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # CSV saved by Excel on Windows (ANSI)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [tuple(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _blank_row(row: tuple) -> bool:
    return all(is_blank(v) for v in row)


def _to_sheet(file_name: str, sheet_name: str, raw: list[tuple]) -> Sheet:
    numbered = [(n, row) for n, row in enumerate(raw, start=1) if not _blank_row(row)]
    if not numbered:
        raise ImportFileError(f"Lembar '{sheet_name}' pada berkas {file_name} kosong: tidak ada "
                              "judul kolom maupun baris data.")
    numbered = _without_title_lines(numbered)
    header_row, header = numbered[0]
    _check_header(file_name, header_row, header)
    width = max(len(row) for _, row in numbered)
    headers = [_header_text(header[i] if i < len(header) else None, i) for i in range(width)]
    rows = [(n, tuple(row)) for n, row in numbered[1:]]
    if not rows:
        raise ImportFileError(f"Lembar '{sheet_name}' pada berkas {file_name} hanya berisi judul "
                              "kolom, tanpa baris data.")
    return Sheet(file_name, sheet_name, headers, rows, header_row)


def _filled(row: tuple) -> int:
    return sum(1 for v in row if not is_blank(v))


def _without_title_lines(numbered: list[tuple[int, tuple]]) -> list[tuple[int, tuple]]:
    """Drop title lines above the header ("DATA PMKS DESA ...", or the title and filter lines
    of a list exported by this application): single-cell rows followed by a wider row."""
    skip = 0
    while skip < min(3, len(numbered) - 1) and _filled(numbered[skip][1]) == 1 and \
            _filled(numbered[skip + 1][1]) >= 1 and \
            any(_filled(row) > 1 for _, row in numbered[skip + 1:skip + 4]):
        skip += 1
    return numbered[skip:]


def _check_header(file_name: str, row_number: int, header: tuple) -> None:
    """The first non-blank row must name the columns; data there means the header is missing."""
    filled = [v for v in header if not is_blank(v)]
    data_like = [v for v in filled if isinstance(v, (int, float, date, datetime)) or
                 (isinstance(v, str) and _LOOKS_LIKE_DATA.match(v.strip()))]
    if len(data_like) * 2 >= len(filled) and data_like:
        shown = ", ".join(str(v) for v in filled[:3])
        raise ImportFileError(
            f"Berkas {file_name}: baris {row_number} berisi data ({shown}…), bukan judul kolom. "
            "Baris pertama harus berisi nama kolom, misalnya NIK, Nama, Jenis Kelamin. "
            "Unduh templat untuk melihat susunan kolomnya.")


def _header_text(value, index: int) -> str:
    text = " ".join(str(value).split()) if not is_blank(value) else ""
    return text or f"Kolom {column_letter(index)}"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (without importing openpyxl)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ------------------------------------------------------------------ headers

def normalise_header(text: str) -> str:
    """`Jenis Kelamin (L/P) *` -> `jenis kelamin l p`: what header matching compares."""
    folded = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded.lower()).split())


# ------------------------------------------------------------------ cells

class CellError(ValueError):
    """A cell that cannot be read as its column needs; the message names column and rule."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """Any cell as the text a person sees (integral numbers without `.0`)."""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def cell_identity(value, label: str) -> str:
    """NIK / No. KK cells must be text: a number cell has lost digits already."""
    if isinstance(value, bool) or isinstance(value, (int, float)):
        shown = f"{value:.5E}".replace(".", ",") if isinstance(value, float) or value > 1e14 \
            else str(value)
        raise CellError(
            f"{label} tersimpan sebagai angka di Excel (notasi ilmiah, mis. {shown}), sehingga "
            "angka terakhirnya bisa sudah hilang. Format kolom itu sebagai Teks lalu ketik ulang "
            f"{label} dari kartu aslinya.")
    return str(value).strip()


def from_excel_serial(serial: float, label: str) -> date:
    if not 1 <= serial < 2958466:
        raise CellError(f"{label}: angka {cell_text(serial)} bukan tanggal Excel yang sah.")
    return EXCEL_EPOCH + timedelta(days=int(serial))


def cell_date(value, label: str) -> date:
    """datetime cells, Excel serial numbers, `dd-mm-yyyy`, `dd/mm/yyyy`, `yyyy-mm-dd`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError(f"{label}: isinya bukan tanggal.")
    if isinstance(value, (int, float)):
        return from_excel_serial(value, label)
    text = str(value).strip()
    if _SERIAL_TEXT.match(text):  # a CSV saved from a sheet whose dates were numbers
        return from_excel_serial(int(re.split(r"[.,]", text)[0]), label)
    stamp = _ISO_STAMP.match(text)  # "2024-07-27 00:00:00" from a CSV export
    try:
        return parse_date(stamp.group(1) if stamp else text)
    except DomainError as exc:
        raise CellError(f"{label}: {exc.message} Format yang diterima: 27-07-2024 atau "
                        "2024-07-27.") from None
