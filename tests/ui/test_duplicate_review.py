"""Tinjau Data Ganda, driven as a user would (offscreen): list, merge, dismiss, undo."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget
from sqlmodel import select

from pmks_desktop.services.duplicates import DuplicateReview
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.models import Person, PersonMerge
from pmks_desktop.ui.duplicate_models import PairTableModel
from pmks_desktop.ui.duplicate_review import DuplicateReviewDialog

DESA = "36.04.05.2001"
BORN = date(1975, 3, 4)


def man(services, name: str, nik: str = "") -> Person:
    return services.persons.register(
        PersonInput(name=name, sex="L", desa_code=DESA, nik=nik, birth_date=BORN),
        allow_duplicate=True)


def open_dialog(qtbot, services) -> DuplicateReviewDialog:
    dialog = DuplicateReviewDialog(DuplicateReview(services.db, services.session))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def answer(monkeypatch, reason: str | None = "KTP sama", yes: bool = True) -> list[str]:
    """Replace the modal questions; returns the confirmation texts the dialog asked."""
    asked: list[str] = []
    monkeypatch.setattr("pmks_desktop.ui.duplicate_review.ask_text",
                        lambda *a, **k: (reason or "", reason is not None))

    def confirm(parent, text, *a, **k):
        asked.append(text)
        return yes

    monkeypatch.setattr("pmks_desktop.ui.duplicate_review.confirm", confirm)
    return asked


def button(dialog, name: str) -> QPushButton:
    return dialog.findChild(QPushButton, name)


def merged_into(services, person_id: str) -> str | None:
    with services.db.read() as s:
        return s.get(Person, person_id).merged_into_id


def test_pair_model(qtmodeltester, services):
    man(services, "Muhammad Rizki", nik="3604050403750001")
    man(services, "Moh. Rizky")
    model = PairTableModel()
    model.set_rows(DuplicateReview(services.db, services.session).pairs())
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(6)] == [
        "Nama mirip", "Muhammad Rizki", "3604**********01", "04-03-1975", "Kramatwatu", "0"]
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == \
        "nama mirip, tanggal lahir dan desa sama"


def test_dialog_lists_a_pair_and_shows_both_sides(qtbot, services):
    a = man(services, "Muhammad Rizki", nik="3604050403750001")
    b = man(services, "Moh. Rizky")
    dialog = open_dialog(qtbot, services)
    assert dialog.windowTitle() == "Tinjau Data Ganda"
    pair = dialog.selected_pair()
    assert (pair.a.id, pair.b.id) == (a.id, b.id)
    rows = {label: (left, right) for label, left, right in dialog.detail.texts()}
    assert rows["Nama"] == ("Muhammad Rizki", "Moh. Rizky")
    assert rows["NIK"] == ("3604**********01", "-")
    assert "1 pasangan" in dialog.findChild(QLabel, "count").text()


def test_merge_into_a_through_the_buttons(qtbot, services, monkeypatch):
    a = man(services, "Muhammad Rizki", nik="3604050403750001")
    b = man(services, "Moh. Rizky")
    asked = answer(monkeypatch)
    dialog = open_dialog(qtbot, services)
    qtbot.mouseClick(button(dialog, "merge_a_button"), Qt.MouseButton.LeftButton)
    assert "Moh. Rizky" in asked[0] and "Muhammad Rizki" in asked[0]
    assert merged_into(services, b.id) == a.id
    with services.db.read() as s:
        record = s.exec(select(PersonMerge)).one()
    assert (record.kept_person_id, record.reason) == (a.id, "KTP sama")
    assert dialog.pair_model.rowCount() == 0
    assert dialog.history_model.rowCount() == 1
    assert "sudah digabungkan" in dialog.findChild(QLabel, "status").text()


def test_merge_into_b_and_cancelled_or_blank_reason_change_nothing(qtbot, services,
                                                                   monkeypatch):
    shown = []
    monkeypatch.setattr("pmks_desktop.ui.duplicate_review.show_error",
                        lambda parent, error, *a, **k: shown.append(str(error)))
    a = man(services, "Muhammad Rizki")
    b = man(services, "Muhamad Rizky")
    dialog = open_dialog(qtbot, services)
    answer(monkeypatch, reason=None)  # Batal on the reason
    button(dialog, "merge_b_button").click()
    answer(monkeypatch, reason="")  # Lanjut with nothing typed
    button(dialog, "merge_b_button").click()
    assert shown and "wajib" in shown[0]
    answer(monkeypatch, yes=False)  # Batal on the confirmation
    button(dialog, "merge_b_button").click()
    assert merged_into(services, a.id) is None
    answer(monkeypatch)
    button(dialog, "merge_b_button").click()
    assert merged_into(services, a.id) == b.id


def test_not_the_same_person(qtbot, services, monkeypatch):
    man(services, "Muhammad Rizki")
    man(services, "Muhamad Rizky")
    answer(monkeypatch)
    dialog = open_dialog(qtbot, services)
    button(dialog, "dismiss_button").click()
    assert dialog.pair_model.rowCount() == 0
    assert DuplicateReview(services.db, services.session).pairs() == []


def test_undo_from_the_history_tab(qtbot, services, monkeypatch):
    a = man(services, "Muhammad Rizki")
    b = man(services, "Muhamad Rizky")
    DuplicateReview(services.db, services.session).merge(a.id, b.id, "ganda")
    asked = answer(monkeypatch)
    dialog = open_dialog(qtbot, services)
    tabs = dialog.findChild(QTabWidget, "tabs")
    tabs.setCurrentIndex(1)
    undo = button(dialog, "undo_button")
    assert undo.isVisible() and undo.isEnabled()
    assert dialog.history_model.index(0, 5).data() == "Berlaku"
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert "Batalkan penggabungan" in asked[0]
    assert merged_into(services, b.id) is None
    assert dialog.history_model.index(0, 5).data().startswith("Dibatalkan")
    assert not undo.isEnabled()  # an undone merge cannot be undone twice
    assert dialog.pair_model.rowCount() == 1  # the pair is back for review


def test_operator_sees_pairs_but_no_merge_buttons(qtbot, services):
    man(services, "Muhammad Rizki")
    man(services, "Muhamad Rizky")
    services.users.create(NewUser("budi", "Budi", "operator", "kata-sandi-123"))
    services.users.authenticate("budi", "kata-sandi-123")
    dialog = open_dialog(qtbot, services)
    assert dialog.pair_model.rowCount() == 1
    assert not button(dialog, "merge_a_button").isVisible()
    assert dialog.findChild(QLabel, "no_right").isVisible()
