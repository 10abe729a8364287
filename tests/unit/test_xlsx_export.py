"""List exports: the sheet's layout and types, streaming, the filter line, masking, audit,
permission, and no half file left behind on cancel or error."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from conftest import ADMIN, office_setup
from pmks_desktop.domain.forms import form_from_dict
from pmks_desktop.reports.xlsx_export import write_table
from pmks_desktop.services.case_queries import CaseQuery
from pmks_desktop.services.cases import CaseInput
from pmks_desktop.services.errors import PermissionDenied
from pmks_desktop.services.exports import ExportService, OperationCancelled
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.services.register_queries import EntryQuery
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.models import AuditEntry

DESA = "36.04.05.2001"
SITI = "3604055205800001"
KUBE = {
    "id": "uji_kube", "version": 1, "title": "Uji KUBE", "short_title": "KUBE",
    "bidang": "fakir_miskin", "unit": "group", "title_field": "group_name",
    "desa_field": "desa", "date_field": "proposed_on", "status_field": "status",
    "list_columns": ["group_name", "desa", "aid_value", "status"],
    "fields": [
        {"name": "group_name", "label": "Nama kelompok", "type": "text", "required": True},
        {"name": "business_type", "label": "Jenis usaha", "type": "choice",
         "choices": [{"value": "warung", "label": "Warung sembako"}]},
        {"name": "desa", "label": "Desa", "type": "desa", "required": True},
        {"name": "aid_value", "label": "Nilai bantuan", "type": "money"},
        {"name": "leader", "label": "Ketua", "type": "person"},
        {"name": "leader_nik", "label": "NIK ketua", "type": "nik"},
        {"name": "proposed_on", "label": "Tanggal usulan", "type": "date"},
        {"name": "status", "label": "Status", "type": "choice",
         "choices": [{"value": "diusulkan", "label": "Diusulkan"},
                     {"value": "disalurkan", "label": "Disalurkan"}]},
        {"name": "photos", "label": "Foto", "type": "photos"},
    ],
}


@pytest.fixture
def app(db, regions, catalogue):
    from pmks_desktop.services.container import build_services

    services = build_services(db, catalogue, forms={"uji_kube": form_from_dict(KUBE)})
    services.office.set_up(office_setup(regions), NewUser(ADMIN[0], "Admin", "administrator",
                                                          ADMIN[1], True))
    services.users.authenticate(*ADMIN)
    services.exports = ExportService(services.session, services.case_queries,
                                     services.register_queries, services.forms,
                                     services.catalogue, services.db)
    return services


def cells(path):
    sheet = load_workbook(path).active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def test_write_table_layout_and_types(tmp_path):
    path = tmp_path / "t.xlsx"
    rows = [[1, "3604055205800001", 20_000_000, date(2024, 7, 27), "=HYPERLINK(\"x\")"],
            [2, "3604**********01", None, None, "Bu\x07di"]]
    count = write_table(path, title="Daftar Uji", subtitle="Filter: semua data",
                        headers=["No.", "NIK", "Nilai", "Tanggal", "Nama"], rows=iter(rows),
                        kinds=["int", "text", "money", "date", "text"])
    assert count == 2
    sheet, values = cells(path)
    assert values[0][0] == "Daftar Uji" and values[1][0] == "Filter: semua data"
    assert values[2] == ["No.", "NIK", "Nilai", "Tanggal", "Nama"]
    assert sheet["A3"].font.b and sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:E5"
    assert sheet["B4"].value == "3604055205800001" and sheet["B4"].data_type == "s"
    assert sheet["C4"].value == 20_000_000 and sheet["C4"].number_format == "#,##0"
    assert sheet["D4"].value.date() == date(2024, 7, 27)
    assert sheet["D4"].number_format == "DD-MM-YYYY"
    assert sheet["E4"].data_type == "s" and sheet["E4"].value.startswith("=HYPERLINK")
    assert sheet["E5"].value == "Budi"
    assert 17 <= sheet.column_dimensions["B"].width <= 50


def test_write_table_streams_rows_from_a_generator(tmp_path):
    produced = []

    def rows():
        for i in range(3000):
            produced.append(i)
            yield [i, f"Nama {i}"]

    count = write_table(tmp_path / "besar.xlsx", title="Besar", subtitle="-",
                        headers=["No.", "Nama"], rows=rows(), kinds=["int", "text"])
    assert count == len(produced) == 3000
    _, values = cells(tmp_path / "besar.xlsx")
    assert values[-1] == [2999, "Nama 2999"]


def test_export_cases_masks_nik_shows_filter_and_audits(app, tmp_path):
    siti = app.persons.register(PersonInput("Siti Aminah", "P", DESA, nik=SITI,
                                            birth_date=date(1980, 5, 12)))
    criterion = app.catalogue.type("23").criteria[0].id
    app.cases.record(CaseInput(person_id=siti.id, type_code="23", recorded_on=date(2024, 7, 1),
                               criteria=[criterion]))
    path = tmp_path / "kasus.xlsx"
    seen = []
    query = CaseQuery(desa_code=DESA, text="siti")
    count = app.exports.export_cases(query, path, lambda d, t, s: seen.append((d, t)))
    assert count == 1 and seen[-1] == (1, 1)
    _, values = cells(path)
    assert "Desa Kramatwatu" in values[1][0] and "Pencarian \"siti\"" in values[1][0]
    row = values[3]
    assert row[1] == "Siti Aminah" and row[2] == "3604**********01" and SITI not in str(values)
    assert row[7].date() == date(2024, 7, 1)
    with app.db.read() as s:
        [audit] = s.exec(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert '"rows":1' in audit.detail and "kasus.xlsx" in audit.detail
    assert "Kramatwatu" in audit.detail


def test_export_entries_uses_labels_names_and_real_numbers(app, tmp_path):
    siti = app.persons.register(PersonInput("Siti Aminah", "P", DESA, nik=SITI))
    app.registers.save("uji_kube", {"group_name": "KUBE Mawar", "desa": DESA,
                                    "business_type": "warung", "aid_value": 20_000_000,
                                    "leader": siti.id, "leader_nik": SITI,
                                    "proposed_on": date(2024, 7, 1), "status": "disalurkan"})
    path = tmp_path / "kube.xlsx"
    query = EntryQuery("uji_kube", status="disalurkan")
    assert app.exports.export_entries(query, path) == 1
    _, values = cells(path)
    assert values[1][0].startswith("Filter: Status Disalurkan.")
    assert values[2] == ["No.", "Nama kelompok", "Desa", "Nilai bantuan", "Status",
                         "Jenis usaha", "Ketua", "NIK ketua", "Tanggal usulan"]
    assert values[3][:8] == [1, "KUBE Mawar", "Kramatwatu", 20_000_000, "Disalurkan",
                             "Warung sembako", "Siti Aminah", "3604**********01"]


def test_cancel_or_error_leaves_no_file(app, tmp_path):
    for i in range(3):
        app.registers.save("uji_kube", {"group_name": f"KUBE {chr(65 + i)}", "desa": DESA})
    folder = tmp_path / "ekspor"
    folder.mkdir()
    with pytest.raises(OperationCancelled):
        app.exports.export_entries(EntryQuery("uji_kube"), folder / "batal.xlsx",
                                   cancelled=lambda: True)
    with pytest.raises(ZeroDivisionError):
        app.exports.export_entries(EntryQuery("uji_kube"), folder / "galat.xlsx",
                                   progress=lambda d, t, s: 1 / 0)
    assert list(folder.iterdir()) == []
    with app.db.read() as s:
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "export")).all() == []


def test_export_needs_the_export_permission(app, tmp_path):
    app.users.create(NewUser("vera", "Vera", "verifikator", "kata-sandi-123"))
    app.users.authenticate("vera", "kata-sandi-123")
    with pytest.raises(PermissionDenied):
        app.exports.export_cases(CaseQuery(), tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
