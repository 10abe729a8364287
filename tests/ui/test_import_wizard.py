"""The import wizard driven through its widgets (file dialogs patched), checked in the database;
and the list export action."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWizard
from sqlmodel import select

from pmks_desktop.services.case_queries import CaseQuery
from pmks_desktop.services.exports import ExportService
from pmks_desktop.services.importer import PERSONS, ImportService
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.storage.models import AuditEntry, Person
from pmks_desktop.ui import export_action
from pmks_desktop.ui.import_wizard import ImportWizard

pytestmark = pytest.mark.timeout(60)

DESA = "36.04.05.2001"
SITI, BUDI, AHMAD = "3604055205800001", "3604051508750003", "3604051205800002"


@pytest.fixture
def importer(services):
    return ImportService(services.db, services.session, services.persons, services.registers,
                         services.forms, services.settings)


@pytest.fixture
def wizard(qtbot, importer):
    wiz = ImportWizard(importer, PERSONS, "Data Orang")
    qtbot.addWidget(wiz)
    wiz.show()
    return wiz


def xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


def pick_file(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))


def load(qtbot, wizard, monkeypatch, path) -> None:
    pick_file(monkeypatch, path)
    wizard.file_page.choose_button.click()
    qtbot.waitUntil(lambda: wizard.file_page.job is None, timeout=10000)


def test_wizard_goes_from_file_to_saved_records(qtbot, wizard, services, tmp_path,
                                                monkeypatch):
    services.persons.register(PersonInput("Siti Aminah", "P", DESA, nik=SITI,
                                          birth_date=date(1980, 5, 12)))
    path = xlsx(tmp_path / "orang.xlsx", [
        ["No. NIK", "Nama Lengkap", "JK", "Tgl Lahir", "Desa", "Alamat", "Keterangan lain"],
        [SITI, "Siti Aminah", "P", "12-05-1980", "Kramatwatu", "Kp. Baru", "x"],
        [BUDI, "Budi Santoso", "L", "15-08-1975", "Margasana", None, "y"],
        [AHMAD, "Ahmad", "L", "12-05-1980", "Desa Antah", None, None],
    ])
    assert not wizard.file_page.isComplete()
    load(qtbot, wizard, monkeypatch, path)
    assert wizard.file_page.isComplete() and "3 baris data" in wizard.file_page.status.text()
    wizard.next()

    page = wizard.mapping_page
    assert page.mapping() == {0: "nik", 1: "name", 2: "sex", 3: "birth_date", 4: "desa_code",
                              5: "address"}
    assert page.combos[6].currentText() == "(diabaikan)" and page.isComplete()
    page.combos[1].setCurrentIndex(0)  # without Nama and NIK nothing can be matched
    page.combos[0].setCurrentIndex(0)
    assert not page.isComplete() and "NIK" in page.problems.text()
    page.combos[0].setCurrentIndex(page.combos[0].findData("nik"))
    page.combos[1].setCurrentIndex(page.combos[1].findData("name"))
    wizard.next()

    dry = wizard.dry_run_page
    qtbot.waitUntil(lambda: dry.plan is not None, timeout=10000)
    assert dry.plan.counts() == {"baru": 1, "diperbarui": 1, "tidak berubah": 0, "ditolak": 1}
    with services.db.read() as s:
        assert len(s.exec(select(Person)).all()) == 1  # the dry run wrote nothing
    model = dry.model
    assert model.rowCount() == 3
    rejected = model.index(2, 1)
    assert model.data(rejected) == "Ditolak"
    assert model.data(rejected, Qt.ItemDataRole.BackgroundRole).color().name() == "#fbdcdc"
    assert "Desa Antah" in model.data(model.index(2, 3))
    assert not dry.isComplete() and dry.skip.isVisibleTo(wizard)
    dry.show_combo.setCurrentIndex(dry.show_combo.findData("ditolak"))
    assert model.rowCount() == 1
    dry.skip.setChecked(True)
    assert dry.isComplete()
    wizard.next()

    commit = wizard.commit_page
    qtbot.waitUntil(lambda: commit.result is not None, timeout=10000)
    assert wizard.result_counts == {"baru": 1, "diperbarui": 1, "tidak berubah": 0,
                                    "ditolak": 1}
    assert "Impor selesai" in commit.summary.text()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    with services.db.read() as s:
        people = {p.nik: p for p in s.exec(select(Person))}
        audit = s.exec(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert set(people) == {SITI, BUDI} and people[SITI].address == "Kp. Baru"
    assert "orang.xlsx" in audit.detail


def test_broken_file_is_explained_on_the_first_page(qtbot, wizard, tmp_path, monkeypatch):
    fake = tmp_path / "bukan.xlsx"
    fake.write_text("ini teks biasa")
    load(qtbot, wizard, monkeypatch, fake)
    assert not wizard.file_page.isComplete()
    assert "bukan berkas Excel (.xlsx) yang sah" in wizard.file_page.status.text()


def test_template_button_saves_the_template(qtbot, wizard, tmp_path, monkeypatch):
    target = tmp_path / "templat.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    wizard.file_page.template_button.click()
    assert load_workbook(target).sheetnames == ["Data", "Petunjuk"]
    assert "Templat disimpan" in wizard.file_page.status.text()


def test_export_list_runs_as_a_job_and_tells_the_result(qtbot, services, tmp_path, monkeypatch):
    exports = ExportService(services.session, services.case_queries, services.register_queries,
                            services.forms, services.catalogue, services.db)
    target = tmp_path / "daftar"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    told = []
    monkeypatch.setattr(export_action, "show_info", lambda parent, text, title="": told.append(text))
    job = export_action.export_list(None, "Daftar Uji", "daftar-uji", lambda path, p, c:
                                    exports.export_cases(CaseQuery(), path, p, c))
    qtbot.waitUntil(lambda: bool(told), timeout=10000)
    assert told == [f"0 baris diekspor ke {target}.xlsx."]
    assert (tmp_path / "daftar.xlsx").exists() and job not in export_action._RUNNING


def test_plan_model_passes_the_model_tester(qtmodeltester):
    from pmks_desktop.services.import_plan import RowPlan
    from pmks_desktop.ui.import_plan_model import PlanModel

    model = PlanModel()
    model.set_rows([RowPlan(2, "baru", label="Siti"),
                    RowPlan(3, "ditolak", ["NIK harus 16 angka; yang diisi 5 angka."], label="X"),
                    RowPlan(4, "tidak berubah", warnings=["Tanggal lahir belum diisi"])])
    qtmodeltester.check(model)
    assert model.data(model.index(1, 3)) == "NIK harus 16 angka; yang diisi 5 angka."
    assert model.data(model.index(2, 3)) == "Catatan: Tanggal lahir belum diisi."
    model.set_rows(model._all, only="ditolak")
    assert model.rowCount() == 1 and model.row_plan(0).row_number == 3
