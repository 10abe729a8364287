"""The `pmks` command: init, users, demo, audit-verify, data folder selection."""
from __future__ import annotations

import io
import sqlite3

import pytest

from pmks_desktop import cli
from pmks_desktop.paths import DATA_DIR_ENV, resolve_data_dir

from conftest import REGIONS_CSV


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def init_args(data_dir) -> list:
    return ["--data-dir", data_dir, "init", "--region", "36.04.05", "--regions-csv", REGIONS_CSV,
            "--address", "Jl. Raya Serang-Cilegon Km. 8",
            "--signer-name", "Drs. Ahmad", "--signer-nip", "197001011990031001",
            "--admin-user", "admin", "--password-stdin"]


def test_init_sets_up_office_from_region_file(tmp_path, capsys, monkeypatch):
    code, out, _ = run(capsys, *init_args(tmp_path), stdin="sandi-admin-1\n",
                       monkeypatch=monkeypatch)
    assert code == 0 and "Kramatwatu".upper() in out.upper() and "15 desa" in out
    with sqlite3.connect(tmp_path / "pmks.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM desa").fetchone()[0] == 15
        assert conn.execute("SELECT kecamatan_code FROM office").fetchone()[0] == "36.04.05"
    code, _, err = run(capsys, *init_args(tmp_path), stdin="sandi-admin-1\n",
                       monkeypatch=monkeypatch)
    assert code == 2 and "sudah diatur" in err


def test_init_reports_bad_input_in_indonesian(tmp_path, capsys, monkeypatch):
    args = init_args(tmp_path)
    args[args.index("197001011990031001")] = "12345"
    code, _, err = run(capsys, *args, stdin="pendek\n", monkeypatch=monkeypatch)
    assert code == 2
    assert "NIP penanda tangan harus 18 angka" in err
    assert not (tmp_path / "pmks.sqlite").exists() or \
        sqlite3.connect(tmp_path / "pmks.sqlite").execute("SELECT count(*) FROM office") \
        .fetchone()[0] == 0


def test_users_add_list_and_refusal_for_operator(tmp_path, capsys, monkeypatch):
    run(capsys, *init_args(tmp_path), stdin="sandi-admin-1\n", monkeypatch=monkeypatch)
    monkeypatch.setenv("PMKS_PASSWORD", "sandi-admin-1")
    code, out, _ = run(capsys, "users", "--as", "admin", "add", "ani", "--full-name", "Ani",
                       "--role", "operator", "--password-stdin", "--data-dir", tmp_path,
                       stdin="sandi-ani-123\n", monkeypatch=monkeypatch)
    assert code == 0 and "ani" in out
    code, out, _ = run(capsys, "--data-dir", tmp_path, "users", "--as", "admin", "list")
    assert "ani" in out and "operator" in out
    monkeypatch.setenv("PMKS_PASSWORD", "sandi-ani-123")
    code, _, err = run(capsys, "--data-dir", tmp_path, "users", "--as", "ani", "list")
    assert code == 2 and "tidak berwenang" in err
    monkeypatch.setenv("PMKS_PASSWORD", "salah")
    code, _, err = run(capsys, "--data-dir", tmp_path, "users", "--as", "admin", "list")
    assert code == 2 and "salah" in err


def test_demo_fills_every_resos_type_and_verifies(tmp_path, capsys, catalogue):
    code, out, _ = run(capsys, "--data-dir", tmp_path, "demo", "--persons", "300",
                       "--regions-csv", REGIONS_CSV)
    assert code == 0 and "admin / demo-admin-123" in out
    with sqlite3.connect(tmp_path / "pmks.sqlite") as conn:
        types = {r[0] for r in conn.execute("SELECT DISTINCT type_code FROM pmks_case")}
        persons = conn.execute("SELECT count(*) FROM person").fetchone()[0]
        changes = conn.execute("SELECT count(*), max(seq) FROM change_log").fetchone()
    assert types == {t.code for t in catalogue.types_for_bidang("rehsos")}
    # persons, cases, and the register demo's households and entries; the sequence is gap-free
    assert persons == 300 and changes[0] == changes[1] and changes[0] > 600
    code, out, _ = run(capsys, "--data-dir", tmp_path, "audit-verify")
    assert code == 0 and "utuh" in out


def test_demo_persons_pass_the_services_validation(tmp_path, capsys, catalogue):
    """Generated NIKs agree with birth date, sex and region, as the form would demand."""
    from datetime import date

    from pmks_desktop.paths import DataPaths
    from pmks_desktop.services.container import build_services
    from pmks_desktop.services.person_input import PersonInput
    from pmks_desktop.storage.database import open_database
    from pmks_desktop.storage.models import Person
    from sqlmodel import select

    run(capsys, "--data-dir", tmp_path, "demo", "--persons", "120", "--regions-csv", REGIONS_CSV)
    services = build_services(open_database(DataPaths(tmp_path)), catalogue)
    with services.db.read() as s:
        persons = s.exec(select(Person)).all()
    for p in persons:
        checked = services.persons.check(PersonInput(
            name=p.name, sex=p.sex, desa_code=p.desa_code, nik=p.nik or "",
            no_kk=p.no_kk or "", birth_date=p.birth_date, rt=p.rt, rw=p.rw,
            phone=p.phone or ""))
        assert not checked.errors, (p.name, checked.errors)
        assert not checked.warnings, (p.name, checked.warnings)
        assert p.birth_date < date.today()


def test_data_dir_option_beats_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert resolve_data_dir(None) == tmp_path / "env"
    assert resolve_data_dir(tmp_path / "opt") == tmp_path / "opt"


def test_nothing_is_created_at_import(tmp_path, monkeypatch):
    import importlib

    import pmks_desktop.cli_commands
    import pmks_desktop.storage.database

    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "never"))
    importlib.reload(pmks_desktop.storage.database)
    importlib.reload(pmks_desktop.cli_commands)
    assert not (tmp_path / "never").exists()


def test_corrupt_database_gives_message_not_traceback(tmp_path, capsys):
    (tmp_path / "pmks.sqlite").write_bytes(b"bukan sqlite" * 50)
    code, _, err = run(capsys, "--data-dir", tmp_path, "audit-verify")
    assert code == 2 and "bukan basis data" in err and "Traceback" not in err


@pytest.mark.timeout(120)
def test_selftest_prints_ok_on_demo_and_on_empty_folder(tmp_path, capsys):
    run(capsys, "--data-dir", tmp_path / "demo", "demo", "--persons", "50")
    code, out, _ = run(capsys, "--data-dir", tmp_path / "demo", "selftest")
    assert code == 0 and out.startswith("OK") and "jendela utama" in out
    code, out, _ = run(capsys, "--data-dir", tmp_path / "kosong", "selftest")
    assert code == 0 and out.startswith("OK") and "pengaturan awal" in out
