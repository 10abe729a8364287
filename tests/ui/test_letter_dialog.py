"""Buat Surat through the real main window (offscreen): pick a person, open the letter dialog
with Ctrl+L's button, fill the form, look at the draft, issue it; the number lands in the
register and the PDF opens for printing. And a batch of KUBE minutes with progress."""
from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QPushButton

from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.services.registers import MemberInput
from pmks_desktop.ui.letter_batch_dialog import BatchLetterDialog
from pmks_desktop.ui.letter_dialog import LetterDialog
from pmks_desktop.ui.main_window import MainWindow

from ui.test_bidang_tabs import when_modal

DESA = "36.04.05.2001"


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def siti(services):
    return services.persons.register(PersonInput(
        name="Siti Aminah", sex="P", desa_code=DESA, nik="3604054107800003",
        birth_date=date(1980, 7, 1), birth_place="Serang", address="Kp. Baru", rt="1", rw="2"),
        allow_duplicate=True)


def test_letter_from_the_person_list_lands_in_the_register(qtbot, services, siti):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.people)
    window.people.persons.reload()
    window.people.persons.table.selectRow(0)
    opened = []

    def fill(dialog: LetterDialog):
        dialog.template_combo.setCurrentIndex(dialog.template_combo.findData(
            "keterangan_tidak_mampu"))
        values = {f.spec.name: f for f in dialog.fields}
        values["keperluan"].widget.setText("")  # required: refused with its label
        dialog.issue()
        values["keperluan"].widget.setText("pendaftaran sekolah anak")
        dialog.preview()
        opened.append(("draft", dialog.preview_dialog))
        dialog.issue()
        opened.append(("issued", dialog.preview_dialog, dialog.issued))

    errors = []
    qtbot_monkey = pytest.MonkeyPatch()
    qtbot_monkey.setattr("pmks_desktop.ui.letter_dialog.show_error",
                         lambda _p, msg: errors.append(str(msg)))
    try:
        seen = when_modal(LetterDialog, fill)
        button = next(b for b in window.people.persons.findChildren(QPushButton)
                      if b.text() == "Buat Surat…")
        button.click()
        qtbot.waitUntil(lambda: len(opened) == 2, timeout=20000)
    finally:
        qtbot_monkey.undo()
    assert seen and "Keperluan wajib diisi" in errors[0]
    draft = opened[0][1]
    assert "DRAF" in text_of(draft._pdf) or "(diberikan saat" in text_of(draft._pdf)
    _kind, preview, issued = opened[1]
    text = text_of(issued.pdf)
    assert issued.number in text and "Siti Aminah" in text and "3604054107800003" in text
    assert "pendaftaran sekolah anak" in text
    letters = services.letter_register.letters(date.today().year)
    assert [(l.number, l.kind) for l in letters] == [(issued.number, "keterangan_tidak_mampu")]
    assert preview.windowTitle() == f"Surat {issued.number}"
    for _k, dialog, *_rest in opened:
        dialog.close()


def _kube(services, year: int):
    members = []
    for i in range(10):
        p = services.persons.register(PersonInput(
            name=f"Anggota {chr(65 + i)}", sex="L" if i % 2 else "P", desa_code=DESA,
            birth_date=date(1985, 1, 1 + i)), allow_duplicate=True)
        members.append(MemberInput(p.id, "ketua" if i == 0 else "anggota"))
    values = {"group_name": f"KUBE Mawar {year}", "business_type": "warung_sembako",
              "desa": DESA, "year": year, "aid_value": 20_000_000, "status": "disetujui",
              "proposed_on": date(year, 3, 1)}
    return services.registers.save("kube", values, members=members)


def test_batch_of_kube_minutes_numbers_every_letter(qtbot, services, monkeypatch):
    year = date.today().year
    for _ in range(2):
        _kube(services, year)
    dialog = BatchLetterDialog(services.letters)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("kube"))
    dialog.template.setCurrentIndex(dialog.template.findText(
        "Berita Acara Serah Terima Bantuan KUBE"))
    assert "2 data" in dialog.count_label.text()
    for field in dialog.fields:
        field.widget.setText("Bapak Kepala Desa" if field.spec.name == "kepala_desa"
                             else field.widget.text())
    job = dialog.start()
    qtbot.waitUntil(lambda: dialog.preview_dialog is not None, timeout=30000)
    assert job.exception is None
    text = text_of(dialog.preview_dialog._pdf)
    assert "/0001/" in text and "/0002/" in text and "Bapak Kepala Desa" in text
    assert len(services.letter_register.letters(year)) == 2
    dialog.preview_dialog.close()
