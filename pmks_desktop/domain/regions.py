"""The Kepmendagri region master: provinsi > kabupaten/kota > kecamatan > desa/kelurahan.

The hub imports it from a `kode,nama` CSV (Kepmendagri 300.2.2-2138/2025 layout) and sends it
to the kecamatan offices. A bad row stops the import with its line number, because a half-read
master would silently drop desa from every recap.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pmks_desktop.domain.errors import DomainError, RegionFileError

PROVINCE, KABUPATEN, KECAMATAN, DESA = "province", "kabupaten", "kecamatan", "desa"
LEVELS = (PROVINCE, KABUPATEN, KECAMATAN, DESA)
LEVEL_LABELS = {
    PROVINCE: "provinsi", KABUPATEN: "kabupaten/kota", KECAMATAN: "kecamatan",
    DESA: "desa/kelurahan",
}
# Digits per level: 36 / 36.04 / 36.04.05 / 36.04.05.2001
_PART_LENGTHS = (2, 2, 2, 4)
_DOTTED = re.compile(r"^[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?$")


@dataclass(frozen=True)
class Region:
    code: str  # dotted, e.g. "36.04.05.2001"
    name: str
    level: str

    @property
    def parent_code(self) -> str | None:
        return self.code.rpartition(".")[0] or None

    @property
    def is_kelurahan(self) -> bool:
        """Desa-level codes whose fourth part starts with 1 are kelurahan, with 2 desa."""
        return self.level == DESA and self.code.rsplit(".", 1)[1].startswith("1")

    @property
    def is_kota(self) -> bool:
        """Kabupaten-level codes 71–99 are kota, 01–69 kabupaten."""
        return self.level == KABUPATEN and int(self.code[3:5]) >= 71


def normalize_region_code(s: str, field: str = "region_code") -> str:
    """`3604052001` or `36.04.05.2001` (spaces allowed) -> `36.04.05.2001`."""
    text = re.sub(r"\s+", "", s or "")
    if _DOTTED.match(text):
        return text
    if text.isdigit() and text.isascii() and len(text) in (2, 4, 6, 10):
        parts, start = [], 0
        for length in _PART_LENGTHS:
            if start >= len(text):
                break
            parts.append(text[start:start + length])
            start += length
        return ".".join(parts)
    raise DomainError(field, (
        f"Kode wilayah '{s}' tidak sah. "
        "Contoh yang benar: 36, 36.04, 36.04.05, atau 36.04.05.2001."
    ))


def level_of(code: str) -> str:
    """The level implied by a dotted code's shape (it must already be normalized)."""
    return LEVELS[code.count(".")]


class RegionMaster:
    """All regions of one master file, with lookups by code and by parent."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self._by_code: dict[str, Region] = {}
        self._children: dict[str | None, list[Region]] = {}
        for region in regions:
            self._by_code[region.code] = region
            self._children.setdefault(region.parent_code, []).append(region)
        for siblings in self._children.values():
            siblings.sort(key=lambda r: r.code)

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self._key(code) in self._by_code

    def __iter__(self) -> Iterator[Region]:
        return iter(sorted(self._by_code.values(), key=lambda r: r.code))

    def get(self, code: str) -> Region | None:
        return self._by_code.get(self._key(code))

    def children(self, code: str | None = None) -> list[Region]:
        """Direct children, sorted by code; `None` gives the provinces."""
        key = None if code is None else self._key(code)
        return list(self._children.get(key, ()))

    def desa_of(self, kecamatan_code: str) -> list[Region]:
        return [r for r in self.children(kecamatan_code) if r.level == DESA]

    def is_kelurahan(self, desa_code: str) -> bool:
        """Read from the code's shape, so it also answers for codes not (yet) in the master."""
        key = self._key(desa_code)
        return key.count(".") == 3 and key.rsplit(".", 1)[1].startswith("1")

    def of_level(self, level: str) -> list[Region]:
        return [r for r in self if r.level == level]

    def kabupaten_codes(self) -> frozenset[str]:
        """"PP.KK" codes, e.g. for validate_nik(region_codes=...)."""
        return frozenset(r.code for r in self._by_code.values() if r.level == KABUPATEN)

    def lineage(self, code: str) -> list[Region]:
        """The region and its ancestors, province first (for addresses and letter headings)."""
        chain, key = [], self._key(code)
        while key:
            region = self._by_code.get(key)
            if region is not None:
                chain.append(region)
            key = key.rpartition(".")[0]
        return chain[::-1]

    @staticmethod
    def _key(code: str) -> str:
        try:
            return normalize_region_code(code)
        except DomainError:
            return code


def load_region_csv(path: Path) -> RegionMaster:
    """Read a Kepmendagri `kode,nama` CSV file (UTF-8, with or without BOM, LF or CRLF)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RegionFileError(f"Berkas wilayah {path} tidak dapat dibaca: {exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = "berkas bukan teks UTF-8 (simpan ulang sebagai CSV UTF-8)."
        raise RegionFileError(message, line) from None
    return parse_region_csv(text)


def parse_region_csv(text: str) -> RegionMaster:
    """Parse the CSV text; every row is checked, then every code's parent must exist."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != ["kode", "nama"]:
        raise RegionFileError("judul kolom harus 'kode,nama'.", 1)
    regions: list[Region] = []
    lines: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue  # blank lines, often at the end of a file saved by Excel
        region = _parse_row(row, line)
        if region.code in lines:
            raise RegionFileError(
                f"kode {region.code} sudah ada di baris {lines[region.code]}.", line
            )
        lines[region.code] = line
        regions.append(region)
    if not regions:
        raise RegionFileError("berkas wilayah tidak berisi data.")
    for region in regions:
        parent = region.parent_code
        if parent is not None and parent not in lines:
            raise RegionFileError(
                f"induk {parent} untuk kode {region.code} ({region.name}) tidak ada di berkas.",
                lines[region.code],
            )
    return RegionMaster(regions)


def _parse_row(row: list[str], line: int) -> Region:
    if len(row) != 2:
        raise RegionFileError(
            f"harus ada 2 kolom (kode,nama), ditemukan {len(row)}. "
            "Nama yang memuat koma harus diapit tanda kutip.",
            line,
        )
    code, name = row[0].strip(), " ".join(row[1].split())
    if not _DOTTED.match(code):
        raise RegionFileError(
            f"kode '{code}' tidak berbentuk kode wilayah (contoh: 36.04.05.2001).", line
        )
    if any(int(part) == 0 for part in code.split(".")):
        message = f"kode '{code}' memuat bagian 00, yang tidak dipakai Kepmendagri."
        raise RegionFileError(message, line)
    if code.count(".") == 3 and code[-4] not in "12":
        raise RegionFileError(
            f"kode desa/kelurahan '{code}' harus diawali 1 (kelurahan) atau 2 (desa) "
            "pada bagian keempat.",
            line,
        )
    if not name:
        raise RegionFileError(f"nama untuk kode {code} kosong.", line)
    return Region(code, name, level_of(code))


def kabupaten_areas(master: "RegionMaster", kabupaten_code: str
                    ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(kecamatan, desa) of one kabupaten as (code, name) pairs: what the Dinas Sosial keeps
    to name the areas of every office's records."""
    kecamatan = [(k.code, k.name) for k in master.children(kabupaten_code)]
    desa = [(d.code, d.name) for code, _name in kecamatan for d in master.desa_of(code)]
    return kecamatan, desa
