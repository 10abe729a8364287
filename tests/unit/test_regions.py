"""The Kepmendagri region master."""
from __future__ import annotations

from pathlib import Path

import pytest

from pmks_desktop.domain.errors import DomainError, RegionFileError
from pmks_desktop.domain.regions import (
    DESA,
    KABUPATEN,
    KECAMATAN,
    PROVINCE,
    RegionMaster,
    level_of,
    load_region_csv,
    normalize_region_code,
    parse_region_csv,
)

# The shared reference file lives next to the repository, never inside it.
WILAYAH = Path(__file__).resolve().parents[2].parent / "shared/data/wilayah-kepmendagri-2025.csv"

SMALL = (
    "kode,nama\n"
    "36,Banten\n"
    "36.04,Kabupaten Serang\n"
    "36.73,Kota Serang\n"
    "36.04.05,Kramatwatu\n"
    "36.04.05.2001,Margasana\n"
    "36.04.05.2002,Pejaten\n"
    "36.73.01,Serang\n"
    "36.73.01.1001,Cipare\n"
)


@pytest.fixture(scope="module")
def master() -> RegionMaster:
    if not WILAYAH.exists():
        pytest.skip("shared region file not available")
    return load_region_csv(WILAYAH)


def test_full_file_levels(master):
    assert len(master.of_level(PROVINCE)) == 38
    assert len(master.of_level(KABUPATEN)) == 514
    assert master.get("36").name == "Banten"


def test_kabupaten_serang(master):
    serang = master.get("36.04")
    assert serang.name == "Kabupaten Serang" and serang.level == KABUPATEN
    assert not serang.is_kota and master.get("36.73").is_kota
    kecamatan = master.children("36.04")
    assert len(kecamatan) == 29
    assert all(k.level == KECAMATAN for k in kecamatan)
    desa = [d for k in kecamatan for d in master.desa_of(k.code)]
    assert len(desa) == 326
    assert not any(master.is_kelurahan(d.code) for d in desa)


def test_lookups(master):
    kramatwatu = master.get("3604052001")
    assert kramatwatu is not None and kramatwatu.level == DESA
    assert kramatwatu.parent_code == "36.04.05"
    assert [r.name for r in master.lineage("36.04.05.2001")][:3] == [
        "Banten", "Kabupaten Serang", "Kramatwatu",
    ]
    assert master.get("36.04.05").name == "Kramatwatu"
    assert "36.04" in master and "99.99" not in master
    assert master.get("99") is None
    assert len(master.children()) == 38
    assert "36.04" in master.kabupaten_codes()


def test_kelurahan_in_kota(master):
    kota_serang = master.children("36.73")
    kelurahan = [d for k in kota_serang for d in master.desa_of(k.code)]
    assert kelurahan and all(master.is_kelurahan(d.code) for d in kelurahan)


def test_small_file_with_bom_and_crlf(tmp_path):
    path = tmp_path / "wilayah.csv"
    path.write_bytes(b"\xef\xbb\xbf" + SMALL.replace("\n", "\r\n").encode("utf-8"))
    master = load_region_csv(path)
    assert len(master) == 8
    assert [d.name for d in master.desa_of("36.04.05")] == ["Margasana", "Pejaten"]
    assert master.is_kelurahan("36.73.01.1001")
    assert not master.is_kelurahan("36.04.05.2001")


def test_quoted_names_and_blank_lines():
    master = parse_region_csv('kode,nama\n36,"Banten, Provinsi"\n\n36.04,  Kabupaten  Serang \n')
    assert master.get("36").name == "Banten, Provinsi"
    assert master.get("36.04").name == "Kabupaten Serang"


@pytest.mark.parametrize(
    "text,line,message",
    [
        ("code,name\n36,Banten\n", 1, "kode,nama"),
        ("kode,nama\n36,Banten\n36.4,Serang\n", 3, "tidak berbentuk kode wilayah"),
        ("kode,nama\n36,Banten\n36.04,\n", 3, "nama untuk kode 36.04 kosong"),
        ("kode,nama\n36,Banten\n36,Banten lagi\n", 3, "sudah ada di baris 2"),
        ("kode,nama\n36,Banten\n36.04,Serang,lebih\n", 3, "harus ada 2 kolom"),
        ("kode,nama\n36,Banten\n36.04.05,Kramatwatu\n", 3, "induk 36.04"),
        ("kode,nama\n36,Banten\n36.04,Serang\n36.04.05,K\n36.04.05.3001,X\n", 5, "diawali 1"),
        ("kode,nama\n36,Banten\n36.00,Serang\n", 3, "bagian 00"),
    ],
)
def test_broken_files_name_the_line(tmp_path, text, line, message):
    path = tmp_path / "rusak.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegionFileError, match=message) as info:
        load_region_csv(path)
    assert info.value.line == line
    assert info.value.message.startswith(f"Baris {line}: ")


def test_empty_and_non_utf8_files(tmp_path):
    empty = tmp_path / "kosong.csv"
    empty.write_text("kode,nama\n", encoding="utf-8")
    with pytest.raises(RegionFileError, match="tidak berisi data"):
        load_region_csv(empty)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("kode,nama\n36,Banten\n36.04,Cikand\xe9\n".encode("latin-1"))
    with pytest.raises(RegionFileError, match="UTF-8") as info:
        load_region_csv(latin)
    assert info.value.line == 3


@pytest.mark.parametrize(
    "text,expected",
    [
        ("3604052001", "36.04.05.2001"),
        ("36.04.05.2001", "36.04.05.2001"),
        ("360405", "36.04.05"),
        ("3604", "36.04"),
        (" 36 ", "36"),
    ],
)
def test_normalize_region_code(text, expected):
    assert normalize_region_code(text) == expected
    assert level_of(expected) == {1: PROVINCE, 2: KABUPATEN, 3: KECAMATAN, 4: DESA}[
        expected.count(".") + 1
    ]


@pytest.mark.parametrize("text", ["", "36040", "36.4", "36.04.05.201", "ab", "36040520011"])
def test_normalize_region_code_rejects(text):
    with pytest.raises(DomainError, match="Kode wilayah"):
        normalize_region_code(text)
