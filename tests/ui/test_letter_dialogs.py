"""Buku Agenda Surat Keluar, Periksa Keaslian Surat and Pengaturan Surat, driven offscreen.

Message boxes and questions are replaced by recorders (the `said` fixture), so no modal window
can stop a test; a test that expects a question answers it through `said.answers`.
"""
from __future__ import annotations

import io
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pypdf import PdfReader

from pmks_desktop.domain.formatting import long_date
from pmks_desktop.services.letters import LetterRequest
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.services.users import NewUser
from pmks_desktop.ui import letter_register_dialog, letter_settings_dialog, verify_letter_dialog
from pmks_desktop.ui.letter_register_dialog import LetterRegisterDialog
from pmks_desktop.ui.letter_register_model import LetterRegisterModel
from pmks_desktop.ui.letter_settings_dialog import LetterSettingsDialog
from pmks_desktop.ui.pdf_preview import PdfPreviewDialog
from pmks_desktop.ui.verify_letter_dialog import VerifyLetterDialog
from pmks_desktop.ui.verify_result import INVALID, MISMATCH, VALID, VOIDED

from conftest import ADMIN, office_setup

YEAR = date.today().year
DESA = "36.04.05.2001"
SITI = ("siti aminah", "P", "3604055205800001")
BUDI = ("budi santoso", "L", "3604051205750002")
BANSOS = {"tujuan": "Kepala Dinas Sosial", "tempat_tujuan": "Serang",
          "bentuk_bantuan": "bantuan sosial", "dasar": "Surat Pengantar Kepala Desa"}


class Said:
    """What the dialogs told or asked the user; answers for the questions they ask."""

    def __init__(self):
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.questions: list[str] = []
        self.answers: list = []  # popped in order by confirm() and ask_text()

    def answer(self, text: str):
        self.questions.append(text)
        if not self.answers:
            raise AssertionError(f"unexpected question: {text}")
        return self.answers.pop(0)


@pytest.fixture(autouse=True)
def said(monkeypatch) -> Said:
    record = Said()
    for module in (letter_register_dialog, verify_letter_dialog, letter_settings_dialog):
        monkeypatch.setattr(module, "show_error", lambda parent, error, *a, **k:
                            record.errors.append(getattr(error, "message", None) or str(error)))
        if hasattr(module, "show_info"):
            monkeypatch.setattr(module, "show_info",
                                lambda parent, text, *a, **k: record.infos.append(text))
        if hasattr(module, "confirm"):
            monkeypatch.setattr(module, "confirm",
                                lambda parent, text, *a, **k: record.answer(text))
    monkeypatch.setattr(letter_register_dialog, "ask_text",
                        lambda parent, title, label, *a, **k: record.answer(f"{title}: {label}"))
    # call_service reports through messages.show_error; route it to the recorder too.
    monkeypatch.setattr("pmks_desktop.ui.messages.show_error", lambda parent, error, *a, **k:
                        record.errors.append(getattr(error, "message", None) or str(error)))
    return record


def register_person(services, name: str, sex: str, nik: str) -> str:
    return services.persons.register(PersonInput(
        name=name, sex=sex, desa_code=DESA, nik=nik, birth_date=date(1980, 5, 12),
        address="Kp. Sukamaju No. 3", rt="3", rw="1")).id


def issue(services, person_id: str):
    return services.letters.issue(LetterRequest("rekomendasi_bansos", "person", person_id,
                                                dict(BANSOS)))


@pytest.fixture
def issued(services):
    """Three letters: two for Siti Aminah, one for Budi Santoso."""
    siti, budi = register_person(services, *SITI), register_person(services, *BUDI)
    return [issue(services, person) for person in (siti, budi, siti)]


def open_dialog(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def column(dialog, col: int) -> list[str]:
    return [dialog.model.index(r, col).data() for r in range(dialog.model.rowCount())]


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


# ------------------------------------------------------------------ buku agenda


def test_model_passes_the_model_tester(qtmodeltester, services, issued):
    model = LetterRegisterModel()
    model.set_letters(services.letter_register.letters(YEAR))
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)] == [
        "No. Urut", "Nomor Surat", "Tanggal", "Jenis Surat", "Hal", "Data/Penerima", "Status",
        "Dicetak"]


def test_register_lists_the_years_letters(qtbot, services, issued):
    dialog = open_dialog(qtbot, LetterRegisterDialog(services))
    assert dialog.year.currentData() == YEAR
    assert column(dialog, 1) == [i.number for i in issued]
    assert column(dialog, 1)[0] == f"400.9/0001/Kec.Kramatwatu/{YEAR}"
    assert column(dialog, 0) == ["1", "2", "3"]
    assert set(column(dialog, 2)) == {long_date(date.today())}
    assert column(dialog, 5) == ["Siti Aminah", "Budi Santoso", "Siti Aminah"]
    assert set(column(dialog, 6)) == {"Terbit"} and set(column(dialog, 7)) == {"1 kali"}
    assert dialog.status_line.text() == "3 surat."
    assert "Diterbitkan" in dialog.history.text()
    assert dialog.reprint_button.isEnabled() and dialog.void_button.isEnabled()


def test_search_filters_as_you_type(qtbot, services, issued):
    dialog = open_dialog(qtbot, LetterRegisterDialog(services))
    qtbot.keyClicks(dialog.search, "budi")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=3000)
    assert column(dialog, 5) == ["Budi Santoso"]
    assert "cocok dengan pencarian" in dialog.status_line.text()
    dialog.search.setText("0003")
    dialog.reload()  # what the pause after typing does
    assert column(dialog, 1) == [issued[2].number]
    dialog.search.setText("tidak ada yang begini")
    dialog.reload()
    assert dialog.model.rowCount() == 0 and dialog.selected_letter() is None
    assert not dialog.reprint_button.isEnabled() and not dialog.void_button.isEnabled()


def test_void_greys_the_row_and_records_the_reason(qtbot, services, issued):
    dialog = open_dialog(qtbot, LetterRegisterDialog(services))
    assert dialog.void_selected("Salah alamat tujuan")
    row = dialog.model.row_of(issued[0].letter_id)
    assert dialog.model.index(row, 6).data() == "Batal"
    assert dialog.model.index(row, 1).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert dialog.model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole) == \
        "Dibatalkan: Salah alamat tujuan"
    assert dialog.model.index(row + 1, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "Dibatalkan: Salah alamat tujuan" in dialog.history.text()
    assert not dialog.reprint_button.isEnabled() and not dialog.void_button.isEnabled()
    letter = services.letter_register.letters(YEAR)[0]
    assert (letter.status, letter.status_reason) == ("batal", "Salah alamat tujuan")
    dialog.status_filter.setCurrentIndex(dialog.status_filter.findData("batal"))
    assert column(dialog, 1) == [issued[0].number]


def test_void_button_asks_again_for_a_short_reason_then_confirms(qtbot, services, issued,
                                                                 said):
    dialog = open_dialog(qtbot, LetterRegisterDialog(services))
    said.answers = [("typo", True), ("Nama penerima salah ketik", True), True]
    qtbot.mouseClick(dialog.void_button, Qt.MouseButton.LeftButton)
    assert len(said.questions) == 3
    assert "paling sedikit 5 huruf" in said.questions[1]
    assert "Alasan: Nama penerima salah ketik" in said.questions[2]
    assert services.letter_register.letters(YEAR)[0].status == "batal"


def test_void_refused_by_the_service_is_shown(qtbot, services, issued, said):
    dialog = open_dialog(qtbot, LetterRegisterDialog(services))
    assert not dialog.void_selected("abc")  # the service's rule, not only the dialog's
    assert "paling sedikit 5" in said.errors[0]
    assert services.letter_register.letters(YEAR)[0].status == "terbit"


def test_reprint_opens_a_preview_and_counts_the_print(qtbot, services, issued, tmp_path):
    dialog = open_dialog(qtbot, LetterRegisterDialog(services))
    opened = []
    dialog.preview_opened.connect(opened.append)
    dialog.table.selectRow(1)
    preview = dialog.reprint_selected("Kertas pertama macet di printer")
    assert isinstance(preview, PdfPreviewDialog) and opened == [preview]
    assert dialog.last_preview is preview and preview.isVisible()
    assert preview.default_save_path().name == \
        f"Surat-400.9-0002-Kec.Kramatwatu-{YEAR}.pdf"
    assert preview.save_to(tmp_path / "ulang.pdf")
    assert issued[1].number in pdf_text((tmp_path / "ulang.pdf").read_bytes())
    assert services.letter_register.letters(YEAR)[1].print_count == 2
    assert dialog.model.index(1, 7).data() == "2 kali"
    assert dialog.selected_letter().id == issued[1].letter_id  # the selection stayed
    assert "Dicetak ulang: Kertas pertama macet di printer" in dialog.history.text()
    dialog.reject()  # closing the register closes its previews first
    assert not preview.isVisible()
    qtbot.waitUntil(lambda: dialog.last_preview is None, timeout=3000)


def test_enter_on_a_row_asks_for_the_reprint_reason(qtbot, services, issued, said):
    dialog = open_dialog(qtbot, LetterRegisterDialog(services))
    dialog.table.setFocus()
    said.answers = [("", False)]  # the user cancels the question
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert said.questions and said.questions[0].startswith("Cetak Ulang Surat:")
    assert dialog.last_preview is None
    assert services.letter_register.letters(YEAR)[0].print_count == 1
    # Enter in the search box only moves to the list: it must not reprint anything.
    dialog.search.setFocus()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert len(said.questions) == 1 and dialog.focusWidget() is dialog.table


def test_reprint_of_a_voided_letter_is_refused(qtbot, services, issued, said):
    dialog = open_dialog(qtbot, LetterRegisterDialog(services))
    dialog.void_selected("Salah alamat tujuan")
    dialog.reprint_dialog()  # Enter or a double-click on the grey row: nothing is asked
    assert said.questions == []
    assert dialog.reprint_selected("Coba cetak lagi") is None
    assert "sudah dibatalkan" in said.errors[0]


def test_export_writes_the_year_to_excel(qtbot, services, issued, tmp_path, said,
                                         monkeypatch):
    from openpyxl import load_workbook

    dialog = open_dialog(qtbot, LetterRegisterDialog(services))
    dialog.void_selected("Salah alamat tujuan")
    dialog.search.setText("budi")
    dialog.reload()
    target = tmp_path / "agenda.xlsx"
    monkeypatch.setattr(letter_register_dialog.export_action, "ask_path",
                        lambda parent, title, name: target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert str(target) in said.infos[0]
    rows = [r for r in load_workbook(target).active.iter_rows(min_row=4, values_only=True)
            if r[0] is not None]
    # The whole year, whatever the list shows: the agenda is a complete record.
    assert [(r[0], r[1], r[6]) for r in rows] == [
        (1, issued[0].number, "Batal"), (2, issued[1].number, "Terbit"),
        (3, issued[2].number, "Terbit")]
    assert rows[0][7] == "Salah alamat tujuan"


def test_export_without_the_right_is_disabled(qtbot, services, issued):
    services.users.create(NewUser("pimpinan", "Bapak Camat", "pimpinan", "sandi-camat-01"))
    services.users.authenticate("pimpinan", "sandi-camat-01")
    dialog = open_dialog(qtbot, LetterRegisterDialog(services))
    assert dialog.model.rowCount() == 3
    assert not dialog.export_button.isEnabled()
    assert dialog.reprint_button.isEnabled()


# ------------------------------------------------------------------ keaslian surat


def payload(services, index: int = 0) -> str:
    return services.letter_register.letters(YEAR)[index].qr_payload


def test_a_scanned_code_is_checked_on_enter(qtbot, services, issued):
    dialog = open_dialog(qtbot, VerifyLetterDialog(services))
    assert dialog.focusWidget() is dialog.code
    qtbot.keyClicks(dialog.code, payload(services))
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)  # a USB scanner ends with Enter
    panel = dialog.result_panel
    assert panel.verdict.text() == VALID
    assert panel.number.text() == issued[0].number
    assert panel.date.text() == long_date(date.today())
    assert panel.office.text() == "Kantor ini (36.04.05)"
    assert "Tercatat di buku agenda" in panel.checks.text()
    assert dialog.code.selectedText() == dialog.code.text()  # the next scan replaces it


def test_tampered_and_garbage_codes_are_not_valid(qtbot, services, issued):
    dialog = open_dialog(qtbot, VerifyLetterDialog(services))
    good = payload(services)
    tampered = good.replace("/0001/", "/0002/")
    assert not dialog.verify(tampered).valid
    assert dialog.result_panel.verdict.text() == INVALID
    assert "tidak cocok dengan tanda tangannya" in dialog.result_panel.message.text()
    dialog.verify("ini bukan kode surat")
    assert dialog.result_panel.verdict.text() == INVALID
    assert "bukan kode verifikasi surat" in dialog.result_panel.message.text()
    assert dialog.result_panel.number.text() == ""
    dialog.verify("   ")
    assert dialog.result_panel.verdict.isHidden()
    assert "masih kosong" in dialog.result_panel.message.text()


def test_nik_and_name_are_matched_against_the_code(qtbot, services, issued):
    dialog = open_dialog(qtbot, VerifyLetterDialog(services))
    result = dialog.verify(payload(services), SITI[2], "SITI  Aminah")
    assert result.subject_matches
    assert dialog.result_panel.verdict.text() == VALID
    assert "cocok dengan surat ini" in dialog.result_panel.checks.text()
    dialog.verify(payload(services), BUDI[2], "Budi Santoso")
    assert dialog.result_panel.verdict.text() == MISMATCH
    assert "TIDAK COCOK" in dialog.result_panel.checks.text()


def test_a_voided_letter_is_flagged(qtbot, services, issued):
    services.letter_register.void(issued[0].letter_id, "Salah alamat tujuan")
    dialog = open_dialog(qtbot, VerifyLetterDialog(services))
    dialog.verify(payload(services))
    assert dialog.result_panel.verdict.text() == VOIDED
    assert "tercatat BATAL di buku agenda" in dialog.result_panel.checks.text()


@pytest.fixture
def other_office(tmp_path, regions, catalogue):
    """Kecamatan Waringinkurung on its own data folder, with one letter issued."""
    from pmks_desktop.paths import DataPaths
    from pmks_desktop.services.container import build_services
    from pmks_desktop.storage.database import open_database

    database = open_database(DataPaths(tmp_path / "waringinkurung"))
    other = build_services(database, catalogue)
    other.office.set_up(office_setup(regions, "36.04.06"),
                        NewUser(ADMIN[0], "Admin", "administrator", ADMIN[1], True))
    other.users.authenticate(*ADMIN)
    person = other.persons.register(PersonInput(
        name="Imas Masitoh", sex="P", desa_code=other.office.desa_list()[0].code,
        nik="3604065205800001", birth_date=date(1980, 5, 12)))
    issue(other, person.id)
    yield other
    database.close()


def test_import_another_offices_key_after_comparing_fingerprints(qtbot, services, said,
                                                                 other_office, tmp_path):
    from pmks_desktop.sync.keys import grouped

    key_file = other_office.key_exchange.export_public(tmp_path / "kunci-wk.json")
    their_payload = other_office.letter_register.letters(YEAR)[0].qr_payload
    dialog = open_dialog(qtbot, VerifyLetterDialog(services))
    dialog.code.setText(their_payload)
    dialog.verify(their_payload)
    assert dialog.result_panel.verdict.text() == INVALID
    assert "tidak dikenal" in dialog.result_panel.message.text()

    said.answers = [True]  # the user compared the fingerprints with the paper
    fingerprints = dialog.import_key_file(key_file)
    question = said.questions[0]
    assert "Kecamatan Waringinkurung" in question and "Cocokkan sidik kunci" in question
    for key in other_office.keyring.own_keys():
        assert grouped(key.key_id) in question and grouped(key.key_id) in fingerprints
    assert "sudah diimpor" in said.infos[0]
    # The code in the box was checked again with the new key.
    assert dialog.result_panel.verdict.text() == VALID
    assert dialog.result_panel.office.text() == "Kecamatan Waringinkurung (36.04.06)"
    assert "kantor lain" in dialog.result_panel.checks.text().lower()


def test_declined_import_trusts_nothing(qtbot, services, said, other_office, tmp_path):
    key_file = other_office.key_exchange.export_public(tmp_path / "kunci-wk.json")
    dialog = open_dialog(qtbot, VerifyLetterDialog(services))
    said.answers = [False]
    assert dialog.import_key_file(key_file) is None
    assert not services.letter_register.verify(
        other_office.letter_register.letters(YEAR)[0].qr_payload).valid


def test_own_key_file_and_broken_files_are_refused(qtbot, services, said, tmp_path):
    dialog = open_dialog(qtbot, VerifyLetterDialog(services))
    own = dialog.export_key_file(tmp_path / "kunci-kita.json")
    assert own.exists() and str(own) in said.infos[0]
    assert all(line.split("  ")[0] in said.infos[0]
               for line in dialog.own_keys.text().splitlines())
    assert dialog.import_key_file(own, confirmed=True) is None
    assert said.errors == ["Berkas ini memuat kunci kantor Anda sendiri."]
    broken = tmp_path / "bukan.json"
    broken.write_text("{}", encoding="utf-8")
    assert dialog.import_key_file(broken, confirmed=True) is None
    assert "bukan berkas kunci publik" in said.errors[1]


def test_own_fingerprints_are_shown(qtbot, services):
    from pmks_desktop.sync.keys import grouped

    dialog = open_dialog(qtbot, VerifyLetterDialog(services))
    text = dialog.own_keys.text()
    assert all(grouped(k.key_id) in text for k in services.keyring.own_keys())
    assert "tanda tangan surat" in text


# ------------------------------------------------------------------ pengaturan surat


def test_preview_follows_the_typing(qtbot, services):
    dialog = open_dialog(qtbot, LetterSettingsDialog(services))
    assert f"Contoh nomor: 400.9/0001/Kec.Kramatwatu/{YEAR}" in dialog.preview.text()
    unit = dialog.editors["unit_code"]
    unit.selectAll()
    qtbot.keyClicks(unit, "Kec.Kmt-2")
    assert f"400.9/0001/Kec.Kmt-2/{YEAR}" in dialog.preview.text()
    dialog.editors["serial_digits"].setValue(3)
    assert f"400.9/001/Kec.Kmt-2/{YEAR}" in dialog.preview.text()


def test_a_pattern_without_a_serial_is_explained_and_not_saved(qtbot, services):
    before = services.letter_settings.current()
    dialog = open_dialog(qtbot, LetterSettingsDialog(services))
    pattern = dialog.editors["pattern"]
    pattern.setText("{klasifikasi}/{kode_unit}/{tahun}")
    assert "harus memuat {nomor}" in dialog.preview.text()
    assert not dialog.save()
    assert dialog.isVisible() and services.letter_settings.current() == before
    pattern.setText("{klasifikasi}/{nomor}/{kode_unit}/{tahun")
    assert "kurung kurawal" in dialog.preview.text()
    pattern.setText("{nomor}/{kecamatan}/{tahun}")
    assert "{kecamatan} tidak dikenal" in dialog.preview.text()


def test_a_good_change_is_saved(qtbot, services):
    dialog = open_dialog(qtbot, LetterSettingsDialog(services))
    dialog.editors["pattern"].setText("{klasifikasi}/{nomor}/{kode_unit}/{bulan_romawi}/{tahun}")
    dialog.editors["paper"].setCurrentIndex(dialog.editors["paper"].findData("F4"))
    dialog.editors["rupiah_style"].setCurrentIndex(
        dialog.editors["rupiah_style"].findData("kantor"))
    dialog.editors["an_name"].setText("Hj. Nurlaela, S.Sos.")
    dialog.editors["tksk_name"].setText("Ahmad Sobari")
    assert dialog.save()
    saved = services.letter_settings.current()
    assert saved.pattern.endswith("{bulan_romawi}/{tahun}")
    assert (saved.paper, saved.rupiah_style, saved.an_name, saved.tksk_name) == (
        "F4", "kantor", "Hj. Nurlaela, S.Sos.", "Ahmad Sobari")
    assert saved.unit_code == "Kec.Kramatwatu" and not dialog.isVisible()


def test_only_an_administrator_may_save(qtbot, services, said):
    services.users.create(NewUser("budi", "Budi Santoso", "operator", "sandi-budi-01"))
    services.users.authenticate("budi", "sandi-budi-01")
    dialog = open_dialog(qtbot, LetterSettingsDialog(services))
    assert not dialog.save_button.isEnabled()
    dialog.editors["tksk_name"].setText("Ahmad Sobari")
    assert not dialog.save()  # even when called anyway, the service refuses
    assert "tidak berwenang" in said.errors[0]
    assert services.letter_settings.current().tksk_name == ""
