"""Recap sheets: the figures equal the database counts (and the Beranda's), per desa x type with
L / P / Jml, per bidang, per program, per disaster event and per month; permissions, audit and
the `pmks recap` command. The rendered PDF and xlsx are checked in test_recap_pdf.py."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import select

from pmks_desktop import cli
from pmks_desktop.services.errors import NotFound, PermissionDenied, ServiceError
from pmks_desktop.services.recap_queries import Period
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.models import AuditEntry

import recap_data as data
from recap_data import DESA_A, DESA_B, EXPECTED_JULY, OUTSIDE

JULY = Period(2024, 7)
OTHER_ROW = "Tanpa desa / di luar daftar"


@pytest.fixture
def pmks(services):
    with services.db.write() as s:
        services.event_ids = data.pmks_records(s)
    return services


@pytest.fixture
def programs(services):
    with services.db.write() as s:
        data.program_records(s)
    return services


def desa_names(services) -> dict[str, str]:
    names = {d.code: d.name for d in services.office.desa_list(active_only=False)}
    return {**names, OUTSIDE: OTHER_ROW}


def cells(table, row_label: str) -> dict[tuple[str, str], object]:
    """{(group label or code, column key): value} of one row (or of the totals row)."""
    values = table.totals if row_label == "JUMLAH" else \
        next(r.values for r in table.rows if r.labels[0] == row_label)
    out = {}
    for (g, column), value in zip(table.leaves(), values):
        group = table.groups[g]
        out[(group.code or group.label, column.key)] = value
    return out


def lpj(row: dict, code: str) -> tuple:
    return tuple(row[(code, key)] for key in ("L", "P", "Jml"))


# ------------------------------------------------------------------ main recap


def test_main_recap_per_desa_and_type(pmks):
    sheet = pmks.recaps.main_recap(JULY)
    table, names = sheet.tables[0], desa_names(pmks)
    for (desa, code), expected in EXPECTED_JULY.items():
        assert lpj(cells(table, names[desa]), code) == expected, (desa, code)
    found = {(r.labels[0], g.code) for r in table.rows
             for (gi, _c), v in zip(table.leaves(), r.values)
             for g in [table.groups[gi]] if g.code and v}
    assert found == {(names[d], c) for d, c in EXPECTED_JULY}  # nothing else anywhere
    assert lpj(cells(table, "JUMLAH"), "JUMLAH") == (4, 4, 10)
    assert lpj(cells(table, names[DESA_A]), "JUMLAH") == (2, 2, 4)
    assert lpj(cells(table, names[DESA_B]), "JUMLAH") == (1, 2, 5)
    assert sheet.period_label == "BULAN JULI TAHUN 2024"
    assert sheet.title_lines == ("REKAPITULASI DATA PMKS",
                                 "KECAMATAN KRAMATWATU KABUPATEN SERANG")


def test_main_recap_rows_and_columns(pmks):
    table = pmks.recaps.main_recap(JULY).tables[0]
    office_desa = sorted(d.code for d in pmks.office.desa_list(active_only=False))
    names = desa_names(pmks)
    assert [r.labels[0] for r in table.rows] == [names[c] for c in office_desa] + [OTHER_ROW]
    codes = [g.code for g in table.groups if not g.total]
    assert codes == [t.code for t in pmks.catalogue.types]  # every type, catalogue order
    compact = pmks.recaps.main_recap(JULY, only_with_data=True).tables[0]
    assert [g.code for g in compact.groups if not g.total] == \
        ["02", "08", "16", "21", "23", "24", "26"]
    assert compact.totals[-3:] == table.totals[-3:]


def _database_count(services, end: date) -> int:
    """Live cases plus live PMKS register entries (under a live event), straight SQL."""
    with services.db.read() as s:
        conn = s.connection()
        cases = conn.execute(text("SELECT count(*) FROM pmks_case WHERE deleted_at IS NULL "
                                  "AND recorded_on <= :end"), {"end": end.isoformat()}).scalar()
        entries = conn.execute(text(
            "SELECT count(*) FROM register_entry e LEFT JOIN register_entry p "
            "ON p.id = e.parent_id WHERE e.pmks_type IS NOT NULL AND e.deleted_at IS NULL "
            "AND p.deleted_at IS NULL AND e.recorded_on <= :end"),
            {"end": end.isoformat()}).scalar()
    return cases + entries


@pytest.mark.parametrize("period", [Period(2024, 6), JULY, Period(2024, 8)])
def test_totals_equal_the_database_counts(pmks, period):
    table = pmks.recaps.main_recap(period).tables[0]
    assert table.totals[-1] == _database_count(pmks, period.end)


def test_recap_of_today_agrees_with_the_beranda(pmks):
    table = pmks.recaps.main_recap().tables[0]
    totals = pmks.dashboard.totals()
    total_row = cells(table, "JUMLAH")
    assert total_row[("JUMLAH", "Jml")] == totals.pmks
    by_type = {code: n for code, n in totals.by_type}
    for group in table.groups:
        if group.code:
            assert total_row[(group.code, "Jml")] == by_type.get(group.code, 0), group.code
    for code, name, n in totals.by_desa:
        assert cells(table, name)[("JUMLAH", "Jml")] == n, name


def test_notes_name_the_closed_cases_and_records_without_sex(pmks):
    notes = " ".join(pmks.recaps.main_recap(JULY).notes)
    assert "31 Juli 2024" in notes
    assert "Termasuk 1 kasus yang penanganannya sudah selesai" in notes
    assert "2 data tanpa jenis kelamin" in notes  # the KAT and the victim known by name only


def test_bidang_recap(pmks):
    linjamsos = pmks.recaps.bidang_recap("linjamsos", JULY)
    assert [g.code for g in linjamsos.tables[0].groups if not g.total] == ["21", "22", "L1"]
    assert lpj(cells(linjamsos.tables[0], "JUMLAH"), "JUMLAH") == (0, 1, 2)
    assert "BIDANG PERLINDUNGAN DAN JAMINAN SOSIAL" in linjamsos.title_lines
    rehsos = pmks.recaps.bidang_recap("rehsos", JULY).tables[0]
    assert lpj(cells(rehsos, "JUMLAH"), "JUMLAH") == (3, 2, 5)  # 23, 23, 08, 16, 02
    per_bidang = sum(pmks.recaps.bidang_recap(b.code, JULY).tables[0].totals[-1]
                     for b in pmks.catalogue.bidang)
    assert per_bidang == pmks.recaps.main_recap(JULY).tables[0].totals[-1]
    with pytest.raises(ServiceError, match="Bidang 'sosial' tidak dikenal"):
        pmks.recaps.bidang_recap("sosial", JULY)


def test_the_data_hash_follows_the_figures_not_the_clock(pmks):
    first, again = pmks.recaps.main_recap(JULY), pmks.recaps.main_recap(JULY)
    assert first.data_hash == again.data_hash and len(first.data_hash) == 10
    with pmks.db.write() as s:
        data.case(s, "01", "L", DESA_A)
    assert pmks.recaps.main_recap(JULY).data_hash != first.data_hash


# ------------------------------------------------------------------ programs


def test_kube_and_uep_per_desa_match_the_beranda_figures(programs):
    names = desa_names(programs)
    kube = programs.recaps.program_recap("kube", JULY)
    table = kube.tables[0]
    a, total = cells(table, names[DESA_A]), cells(table, "JUMLAH")
    assert (a[("Kelompok", "open")], a[("Kelompok", "delivered")], a[("Kelompok", "n")]) == \
        (0, 1, 1)
    assert lpj(a, "Anggota") == (3, 2, 5)
    assert a[("Nilai Bantuan (Rp)", "aid")] == 20_000_000
    assert (total[("Kelompok", "n")], total[("Anggota", "Jml")],
            total[("Nilai Bantuan (Rp)", "aid")]) == (2, 7, 35_000_000)
    assert "Tidak termasuk 1 usulan yang ditolak." in kube.notes
    beranda = programs.dashboard.programs().kube  # counts the August proposal too
    august = programs.recaps.program_recap("kube", Period(2024, 8)).tables[0].totals
    assert (august[2], august[5], august[6]) == (beranda.groups, beranda.members,
                                                 beranda.aid_total)
    uep = cells(programs.recaps.program_recap("uep", JULY).tables[0], "JUMLAH")
    assert lpj(uep, "Anggota") == (0, 9, 9)
    assert uep[("Nilai Bantuan (Rp)", "aid")] == 5 * 3_500_000 + 4 * 3_000_000


def test_kpm_and_rtlh_per_desa(programs):
    names = desa_names(programs)
    kpm = programs.recaps.program_recap("kpm", JULY).tables[0]
    a, b = cells(kpm, names[DESA_A]), cells(kpm, names[DESA_B])
    assert (a[("KPM", "active")], a[("KPM", "inactive")], a[("KPM", "n")]) == (2, 0, 2)
    assert (b[("KPM", "active")], b[("KPM", "inactive")], b[("KPM", "n")]) == (1, 1, 2)
    total = cells(kpm, "JUMLAH")
    assert total[("Peserta PKH (KPM Aktif)", "pkh")] == 2
    sembako = programs.dashboard.programs().sembako
    assert total[("Nilai Bantuan per Bulan (Rp)", "value")] == sembako.monthly_value == 410_000
    rtlh = programs.recaps.program_recap("rtlh", JULY).tables[0]
    group = "Hasil Validasi Rumah"
    b = cells(rtlh, names[DESA_B])
    assert (b[(group, "eligible")], b[(group, "not_eligible")], b[(group, "n")]) == (1, 1, 2)
    total = cells(rtlh, "JUMLAH")
    assert [total[(group, k)] for k in ("eligible", "not_eligible", "unknown", "n")] == \
        [2, 1, 1, 4]
    with pytest.raises(ServiceError, match="Program 'pkh' tidak dikenal"):
        programs.recaps.program_recap("pkh", JULY)


# ------------------------------------------------------------------ disaster, monthly


def test_disaster_recap_of_one_event(pmks):
    flood = pmks.event_ids["flood"]
    assert [e.id for e in pmks.recaps.events()] == [flood]  # the trashed event is not offered
    sheet = pmks.recaps.disaster_recap(flood)
    status, vulnerable, damage, aid = sheet.tables
    assert lpj(cells(status, "Mengungsi"), "Korban (orang / KK)") == (0, 1, 1)
    assert lpj(cells(status, "Luka berat"), "Korban (orang / KK)") == (0, 0, 1)
    assert cells(status, "JUMLAH")[("Jiwa", "persons")] == 1 + 4
    assert cells(vulnerable, "Lansia")[("Jumlah Korban", "n")] == 2 and vulnerable.totals is None
    assert cells(damage, "Rusak berat")[("Jumlah Korban", "n")] == 1
    assert cells(damage, "Tidak diisi")[("Jumlah Korban", "n")] == 1
    rice = next(r for r in aid.rows if r.labels[0].lower() == "beras")
    assert rice.labels[1].lower() == "kg" and rice.labels[2] == "Dinas Sosial"
    assert rice.values == (75.5, 2, 0)  # " beras " / "KG" is the same item and unit
    assert aid.totals == (None, 3, 15_000_000)  # quantities of different units: no total
    assert sheet.period_label == "KEJADIAN: BANJIR KAMPUNG PABUARAN"
    assert "Desa Kramatwatu RT 002/RW 005" in sheet.info_lines[0]
    with pytest.raises(NotFound):
        pmks.recaps.disaster_recap(pmks.event_ids["gone"])


def test_monthly_report(pmks, programs):
    sheet = pmks.recaps.monthly_report(JULY)
    new, aid = sheet.tables
    names = desa_names(pmks)
    assert [g.code for g in new.groups if not g.total] == ["02", "08", "21", "23", "24", "26"]
    assert lpj(cells(new, "JUMLAH"), "JUMLAH") == (3, 3, 8)  # recorded within July only
    a = cells(aid, names[DESA_A])
    assert a[("Usulan KUBE Baru", "kube")] == 2  # proposals dated in July, the rejected too
    assert a[("Bantuan Bencana Diserahkan", "aid")] == 2  # the August santunan is not July's
    total = cells(aid, "JUMLAH")
    assert (total[("Program Sembako", "kpm")], total[("Program Sembako", "value")]) == \
        (3, 410_000)
    assert total[("Rumah Divalidasi RS-RTLH", "rtlh")] == 4
    august = cells(pmks.recaps.monthly_report(Period(2024, 8)).tables[1], "JUMLAH")
    assert august[("Bantuan Bencana Diserahkan", "money")] == 15_000_000


def test_period_parsing():
    assert Period.parse("2024-07") == JULY and JULY.end == date(2024, 7, 31)
    assert Period(2024, 2).end == date(2024, 2, 29)
    for bad in ("2024-13", "Juli 2024", "24-07", ""):
        with pytest.raises(ServiceError, match="tidak dikenali"):
            Period.parse(bad)


# ------------------------------------------------------------------ permissions, audit, CLI


def test_writing_needs_print_or_export_and_is_audited(pmks, tmp_path):
    sheet = pmks.recaps.main_recap(JULY)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    pmks.users.create(NewUser("camat", "Pak Camat", "pimpinan", "kata-sandi-123", False))
    pmks.users.authenticate("camat", "kata-sandi-123")
    pmks.recaps.write(sheet, tmp_path / "rekap.pdf")
    with pytest.raises(PermissionDenied, match="mengekspor"):
        pmks.recaps.write(sheet, tmp_path / "rekap.xlsx")
    assert not (tmp_path / "rekap.xlsx").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rekap.pdf"]  # no .partial left
    with pmks.db.read() as s:
        last = s.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    detail = json.loads(last.detail)
    assert (last.action, last.entity, last.username) == ("print", "recap", "camat")
    assert detail["hash"] == sheet.data_hash and detail["file"] == "rekap.pdf"
    pmks.users.sign_out()
    with pytest.raises(PermissionDenied):
        pmks.recaps.main_recap(JULY)


def test_cli_writes_pdf_and_xlsx(pmks, data_paths, tmp_path, monkeypatch, capsys):
    from conftest import ADMIN

    monkeypatch.setenv("PMKS_PASSWORD", ADMIN[1])
    base = ["--data-dir", str(data_paths.root), "recap"]
    out = tmp_path / "rekap.pdf"
    assert cli.main(base + ["pmks", "--bulan", "2024-07", "--out", str(out),
                            "--as", ADMIN[0]]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "BULAN JULI TAHUN 2024" in capsys.readouterr().out
    xlsx = tmp_path / "kube.xlsx"
    assert cli.main(base + ["program", "--program", "kube", "--bulan", "2024-07", "--out",
                            str(xlsx), "--as", ADMIN[0], "--paper", "F4"]) == 0
    assert xlsx.read_bytes()[:2] == b"PK"
    assert cli.main(base + ["bencana", "--out", str(tmp_path / "b.pdf"), "--as", ADMIN[0]]) == 2
    assert pmks.event_ids["flood"] in capsys.readouterr().err  # the events are listed
    assert cli.main(base + ["pmks", "--bulan", "2024-13", "--out", str(out),
                            "--as", ADMIN[0]]) == 2


def test_a_hub_without_its_kecamatan_list_says_so(pmks):
    from pmks_desktop.storage.models import Office

    with pmks.db.write() as s:
        s.get(Office, 1).mode = "kabupaten"
    with pytest.raises(ServiceError, match="Daftar kecamatan kabupaten ini belum ada"):
        pmks.recaps.main_recap(JULY)


def test_time_of_extraction_in_the_office_zone(monkeypatch):
    import time
    from datetime import datetime, timezone

    from pmks_desktop.reports.recap_model import extracted_text, nip_text

    monkeypatch.setenv("TZ", "Asia/Jakarta")
    time.tzset()
    try:
        moment = datetime(2026, 11, 28, 7, 5, tzinfo=timezone.utc)
        assert extracted_text(moment) == "28 November 2026 14.05 WIB"
    finally:
        monkeypatch.undo()
        time.tzset()
    assert nip_text("197001011990031001") == "19700101 199003 1 001"
