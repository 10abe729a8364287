"""`pmks letter`, `pmks verify-letter`, `pmks keys` on a demo office."""
from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from datetime import date

import pytest
from pypdf import PdfReader

from pmks_desktop import cli

from conftest import REGIONS_CSV


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-letters")
    assert run("--data-dir", folder, "demo", "--persons", "200", "--regions-csv",
               REGIONS_CSV)[0] == 0
    return folder


def first(folder, sql: str) -> str:
    with sqlite3.connect(folder / "pmks.sqlite") as conn:
        return conn.execute(sql).fetchone()[0]


def test_issue_list_reprint_void_export_and_verify(office, tmp_path, monkeypatch):
    monkeypatch.setenv("PMKS_PASSWORD", "demo-admin-123")
    person = first(office, "SELECT id FROM person WHERE nik IS NOT NULL LIMIT 1")
    code, out, err = run("--data-dir", office, "letter", "issue", "keterangan_tidak_mampu",
                         "--data", "person", "--id", person, "--as", "admin",
                         "--input", "keperluan=melamar pekerjaan", "--out", tmp_path / "a.pdf")
    assert code == 0, err
    number = out.split("nomor ")[1].split(" ")[0]
    text = " ".join(PdfReader(tmp_path / "a.pdf").pages[0].extract_text().split())
    assert number in text and "melamar pekerjaan" in text
    code, out, _ = run("--data-dir", office, "letter", "list", "--as", "admin")
    assert number in out
    payload = first(office, f"SELECT qr_payload FROM letter WHERE number = '{number}'")
    nik, name = (first(office, f"SELECT {c} FROM person WHERE id = '{person}'")
                 for c in ("nik", "name"))
    code, out, _ = run("--data-dir", office, "verify-letter", payload, "--nik", nik,
                       "--nama", name)
    assert code == 0 and "SAH" in out and "COCOK" in out
    code, out, _ = run("--data-dir", office, "verify-letter", payload.replace(number[:5], "9"))
    assert code == 1 and "TIDAK SAH" in out
    assert run("--data-dir", office, "letter", "reprint", number, "--reason",
               "Tinta printer habis", "--as", "admin", "--out", tmp_path / "b.pdf")[0] == 0
    assert run("--data-dir", office, "letter", "void", number, "--reason",
               "Salah keperluan", "--as", "admin")[0] == 0
    code, out, _ = run("--data-dir", office, "verify-letter", payload)
    assert code == 1 and "BATAL" in out
    assert run("--data-dir", office, "letter", "export", "--as", "admin", "--out",
               tmp_path / "agenda.xlsx")[0] == 0
    assert (tmp_path / "agenda.xlsx").stat().st_size > 0


def test_missing_required_input_is_named_and_takes_no_number(office, tmp_path, monkeypatch):
    monkeypatch.setenv("PMKS_PASSWORD", "demo-admin-123")
    person = first(office, "SELECT id FROM person LIMIT 1")
    before = first(office, "SELECT COUNT(*) FROM letter")
    code, _out, err = run("--data-dir", office, "letter", "issue", "rekomendasi_biaya_rs",
                          "--data", "person", "--id", person, "--as", "admin",
                          "--input", "rumah_sakit=", "--out", tmp_path / "x.pdf")
    assert code == 2 and "Nama rumah sakit wajib diisi" in err
    assert first(office, "SELECT COUNT(*) FROM letter") == before


def test_batch_and_keys(office, tmp_path, monkeypatch):
    monkeypatch.setenv("PMKS_PASSWORD", "demo-admin-123")
    year = json.loads(first(office, "SELECT data FROM register_entry WHERE register_code = "
                                    "'kube' AND status != 'ditolak' LIMIT 1"))["year"]
    code, out, err = run("--data-dir", office, "letter", "batch", "bast_kube", "--data", "kube",
                         "--year", year, "--input", "kepala_desa=H. Sukardi", "--as", "admin",
                         "--out", tmp_path / "bast.pdf")
    assert code == 0, err
    assert len(PdfReader(tmp_path / "bast.pdf").pages) >= 1
    code, out, _ = run("--data-dir", office, "keys", "list")
    assert code == 0 and out.count("aktif") == 2
    assert run("--data-dir", office, "keys", "export-public", "--as", "admin", "--out",
               tmp_path / "kunci.json")[0] == 0
    assert json.loads((tmp_path / "kunci.json").read_text())["format"] == "pmks-kunci-publik/1"
    code, _o, err = run("--data-dir", office, "keys", "import-public", tmp_path / "kunci.json",
                        "--as", "admin")
    assert code == 2 and "kantor Anda sendiri" in err
    assert date.today().year  # the demo's letters are dated today
