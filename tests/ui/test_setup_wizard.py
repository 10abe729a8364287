"""The first-start wizard, driven through its real widgets, checked against the database."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog, QWizard

from pmks_desktop.services.container import build_services
from pmks_desktop.services.users import NewUser
from pmks_desktop.ui import setup_wizard as wizard_module
from pmks_desktop.ui.setup_wizard import SetupWizard
from tests.conftest import ADMIN, KRAMATWATU, REGIONS_CSV, office_setup

pytestmark = pytest.mark.timeout(60)

NIP = "197001011990031001"


@pytest.fixture
def app(db, catalogue):
    return build_services(db, catalogue)


@pytest.fixture
def wizard(qtbot, app, monkeypatch):
    # Closing an unfinished wizard asks first; tests that care patch this again.
    monkeypatch.setattr(wizard_module, "confirm", lambda *a, **k: True)
    wiz = SetupWizard(app.office)
    qtbot.addWidget(wiz)
    wiz.show()
    return wiz


def pick_file(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))


def choose(combo, code: str) -> None:
    index = combo.findData(code)
    assert index >= 0, f"{code} tidak ada di daftar"
    combo.setCurrentIndex(index)


def fill_region(wizard, monkeypatch, kecamatan: bool = True) -> None:
    page = wizard.region_page
    pick_file(monkeypatch, REGIONS_CSV)
    page.import_button.click()
    choose(page.province_combo, "36")
    choose(page.kabupaten_combo, "36.04")
    if kecamatan:
        choose(page.kecamatan_combo, KRAMATWATU)


def fill_signer(qtbot, wizard, monkeypatch, emblem=None) -> None:
    page = wizard.signer_page
    qtbot.keyClicks(page.signer_name, "Drs. H. Ahmad Fauzi, M.Si.")
    qtbot.keyClicks(page.signer_nip, NIP)
    page.signer_rank.setCurrentText("Pembina Tingkat I (IV/b)")
    if emblem is not None:
        pick_file(monkeypatch, emblem)
        page.choose_emblem.click()


def fill_admin(qtbot, wizard, confirm: str = ADMIN[1]) -> None:
    page = wizard.admin_page
    page.username.clear()
    qtbot.keyClicks(page.username, ADMIN[0])
    qtbot.keyClicks(page.full_name, "Siti Aminah")
    qtbot.keyClicks(page.password, ADMIN[1])
    qtbot.keyClicks(page.confirm, confirm)


def go_to_desa(qtbot, wizard, monkeypatch) -> None:
    wizard.next()
    fill_region(wizard, monkeypatch)
    wizard.next()
    qtbot.keyClicks(wizard.address_page.address, "Jl. Raya Serang-Cilegon Km. 8")
    wizard.next()
    fill_signer(qtbot, wizard, monkeypatch)
    wizard.next()
    assert wizard.currentId() == SetupWizard.DESA


def make_emblem(tmp_path):
    path = tmp_path / "lambang-serang.png"
    image = QImage(60, 70, QImage.Format.Format_RGB32)
    image.fill(QColor("darkgreen"))
    assert image.save(str(path))
    return path


def test_kecamatan_setup_is_saved(qtbot, wizard, db, catalogue, regions, monkeypatch, tmp_path):
    wizard.next()
    assert wizard.currentId() == SetupWizard.REGION
    fill_region(wizard, monkeypatch)
    assert "2.259 wilayah" in wizard.region_page.file_status.text()
    assert wizard.region_page.names[2].text() == "Kramatwatu"
    wizard.next()
    page = wizard.address_page
    assert page.place_name.text() == "Kramatwatu"  # default from the kecamatan
    qtbot.keyClicks(page.address, "Jl. Raya Serang-Cilegon Km. 8")
    qtbot.keyClicks(page.phone, "(0254) 123456")
    qtbot.keyClicks(page.postcode, "42161abc")  # the validator keeps digits only
    qtbot.keyClicks(page.email, "kec.kramatwatu@example.invalid")
    wizard.next()
    assert wizard.signer_page.signer_title.text() == "Camat Kramatwatu"
    fill_signer(qtbot, wizard, monkeypatch, emblem=make_emblem(tmp_path))
    assert wizard.signer_page.emblem_preview.pixmap() is not None
    wizard.next()
    expected_desa = regions.desa_of(KRAMATWATU)
    assert wizard.desa_page.model.rowCount() == len(expected_desa)
    wizard.next()
    fill_admin(qtbot, wizard)
    wizard.next()
    assert wizard.currentId() == SetupWizard.SUMMARY
    assert "Kramatwatu (36.04.05)" in wizard.summary_page.view.toPlainText()

    wizard.button(QWizard.WizardButton.FinishButton).click()

    assert wizard.result() == QWizard.DialogCode.Accepted
    assert wizard.created_office is not None
    assert_kramatwatu_saved(build_services(db, catalogue), db, len(expected_desa))


def assert_kramatwatu_saved(fresh, db, desa_count: int) -> None:
    office = fresh.office.office()
    assert (office.mode, office.kecamatan_code, office.kecamatan_name) == (
        "kecamatan", KRAMATWATU, "Kramatwatu")
    assert (office.kabupaten_code, office.kabupaten_name) == ("36.04", "Kabupaten Serang")
    assert office.postcode == "42161"
    assert office.signer_nip == NIP
    assert office.signer_rank == "Pembina Tingkat I (IV/b)"
    assert office.place_name == "Kramatwatu"
    assert office.emblem_file and (db.paths.emblem.parent / office.emblem_file).exists()
    assert len(fresh.office.desa_list()) == desa_count
    assert fresh.users.authenticate(*ADMIN).role == "administrator"


def test_password_mismatch_blocks_the_account_page(qtbot, wizard, monkeypatch):
    go_to_desa(qtbot, wizard, monkeypatch)
    wizard.next()
    fill_admin(qtbot, wizard, confirm="rahasia-admin-2")
    page = wizard.admin_page
    assert page.mismatch.isVisible()  # shown while typing, before Next
    wizard.next()
    assert wizard.currentId() == SetupWizard.ADMIN
    assert "belum sama" in page.mismatch.text()
    assert page.mismatch.isVisible()
    page.confirm.clear()
    qtbot.keyClicks(page.confirm, ADMIN[1])
    assert not page.mismatch.isVisible()
    wizard.next()
    assert wizard.currentId() == SetupWizard.SUMMARY


def test_short_password_and_bad_username_are_shown_inline(qtbot, wizard, monkeypatch):
    go_to_desa(qtbot, wizard, monkeypatch)
    wizard.next()
    page = wizard.admin_page
    page.username.setText("admin kecamatan")
    page.full_name.setText("Siti Aminah")
    page.password.setText("pendek")
    page.confirm.setText("pendek")
    wizard.next()
    assert wizard.currentId() == SetupWizard.ADMIN
    assert page.errors.isVisible()
    assert "tanpa spasi" in page.errors.text()
    assert "minimal 8 karakter" in page.errors.text()


def test_empty_desa_table_blocks_with_the_message(qtbot, wizard, monkeypatch):
    go_to_desa(qtbot, wizard, monkeypatch)
    page = wizard.desa_page
    page.table.selectAll()
    page.remove_button.click()
    assert page.model.rowCount() == 0
    assert page.count.text() == "0 desa/kelurahan"
    wizard.next()
    assert wizard.currentId() == SetupWizard.DESA
    assert page.errors.isVisible()
    assert "masih kosong" in page.errors.text()


def test_typed_desa_row_is_checked_against_the_kecamatan(qtbot, wizard, monkeypatch):
    go_to_desa(qtbot, wizard, monkeypatch)
    page = wizard.desa_page
    before = page.model.rowCount()
    page.add_button.click()
    assert page.model.rowCount() == before + 1
    assert page.model.item(before, 0).text() == f"{KRAMATWATU}."  # typed rows start with it
    page.model.item(before, 0).setText("36.04.06.2001")
    page.model.item(before, 1).setText("Desa Tetangga")
    wizard.next()
    assert wizard.currentId() == SetupWizard.DESA
    assert "tidak berada di kecamatan" in page.errors.text()
    page.model.item(before, 0).setText("36.04.05.2099")
    wizard.next()
    assert wizard.currentId() == SetupWizard.ADMIN
    assert ("36.04.05.2099", "Desa Tetangga") in wizard.draft().desa


def test_broken_region_file_names_the_line(qtbot, wizard, monkeypatch, tmp_path):
    bad = tmp_path / "wilayah-rusak.csv"
    bad.write_text("kode,nama\n36,Banten\n36.04;Kabupaten Serang\n", encoding="utf-8")
    wizard.next()
    pick_file(monkeypatch, bad)
    wizard.region_page.import_button.click()
    status = wizard.region_page.file_status
    assert "wilayah-rusak.csv" in status.text()
    assert "Baris 3" in status.text()
    assert status.isVisible()
    assert wizard.regions is None
    assert not wizard.region_page.province_combo.isEnabled()


def test_region_page_says_what_is_missing(wizard):
    wizard.next()
    wizard.next()
    assert wizard.currentId() == SetupWizard.REGION
    text = wizard.region_page.errors.text()
    assert "Provinsi belum dipilih atau diketik." in text
    assert "Kecamatan belum dipilih atau diketik." in text


def test_regions_can_be_typed_without_a_file(qtbot, wizard, app):
    wizard.next()
    page = wizard.region_page
    for edit, text in zip(page.codes + page.names,
                          ["36", "36.04", "36.04.05", "Banten", "Kabupaten Serang", "Kramatwatu"]):
        qtbot.keyClicks(edit, text)
    page.codes[1].setText("35.04")  # not inside province 36
    wizard.next()
    assert wizard.currentId() == SetupWizard.REGION
    assert "tidak berada di provinsi" in page.errors.text()
    page.codes[1].setText("36.04")
    wizard.next()
    assert wizard.currentId() == SetupWizard.ADDRESS


def test_nip_must_have_18_digits(qtbot, wizard, monkeypatch):
    wizard.next()
    fill_region(wizard, monkeypatch)
    wizard.next()
    qtbot.keyClicks(wizard.address_page.address, "Jl. Raya Serang-Cilegon Km. 8")
    wizard.next()
    page = wizard.signer_page
    qtbot.keyClicks(page.signer_nip, "1970x0101")  # letters are refused while typing
    assert page.signer_nip.text() == "19700101"
    wizard.next()
    assert wizard.currentId() == SetupWizard.SIGNER
    assert "18 angka" in page.errors.text()


def test_kabupaten_mode_skips_the_desa_page(qtbot, wizard, db, catalogue, monkeypatch):
    wizard.mode_page.kabupaten.click()
    wizard.next()
    assert not wizard.region_page.kecamatan_combo.isVisible()
    fill_region(wizard, monkeypatch, kecamatan=False)
    wizard.next()
    assert wizard.address_page.place_name.text() == "Serang"
    qtbot.keyClicks(wizard.address_page.address, "Jl. Veteran No. 1, Serang")
    wizard.next()
    assert wizard.signer_page.signer_title.text() == "Kepala Dinas Sosial Kabupaten Serang"
    fill_signer(qtbot, wizard, monkeypatch)
    wizard.next()
    assert wizard.currentId() == SetupWizard.ADMIN
    wizard.back()
    assert wizard.currentId() == SetupWizard.SIGNER
    wizard.next()
    fill_admin(qtbot, wizard)
    wizard.next()
    assert "Desa/kelurahan" not in wizard.summary_page.view.toPlainText()
    wizard.accept()

    assert wizard.created_office is not None
    fresh = build_services(db, catalogue)
    office = fresh.office.office()
    assert office.mode == "kabupaten"
    assert office.kecamatan_code is None
    # The Dinas keeps every kecamatan and desa of the kabupaten to name the offices' records.
    assert {d.kecamatan_code[:5] for d in fresh.office.desa_list()} == {"36.04"}
    assert fresh.office.kecamatan_names()["36.04.05"].title() == "Kramatwatu"


def test_refusal_at_finish_keeps_the_wizard_open(qtbot, wizard, app, regions, monkeypatch):
    go_to_desa(qtbot, wizard, monkeypatch)
    wizard.next()
    fill_admin(qtbot, wizard)
    wizard.next()
    # Another window finished set-up first: the service refuses, the wizard says so and stays.
    app.office.set_up(office_setup(regions), NewUser("lain", "Orang Lain", "administrator",
                                                     "rahasia-lain-1", True))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.isVisible()
    assert wizard.currentId() == SetupWizard.SUMMARY
    assert wizard.created_office is None
    assert "sudah diatur" in wizard.summary_page.errors.text()


def test_cancel_asks_before_discarding(wizard, monkeypatch):
    wizard.next()
    monkeypatch.setattr(wizard_module, "confirm", lambda *a, **k: False)
    wizard.button(QWizard.WizardButton.CancelButton).click()
    assert wizard.isVisible()
    monkeypatch.setattr(wizard_module, "confirm", lambda *a, **k: True)
    wizard.button(QWizard.WizardButton.CancelButton).click()
    assert not wizard.isVisible()
    assert wizard.result() == QWizard.DialogCode.Rejected


def test_return_key_moves_to_the_next_page(qtbot, wizard):
    qtbot.keyClick(wizard.mode_page.kecamatan, Qt.Key.Key_Return)
    assert wizard.currentId() == SetupWizard.REGION
