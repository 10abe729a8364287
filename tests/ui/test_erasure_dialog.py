"""Hapus Permanen (UU PDP) at a kecamatan office, driven through the Penduduk list
(offscreen). Screenshot: /tmp/erasure.png."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from pmks_desktop.services.cases import CaseInput
from pmks_desktop.services.erasure import CONFIRMATION
from pmks_desktop.services.session import Actor
from pmks_desktop.ui import erasure_dialog
from pmks_desktop.ui.main_window import MainWindow

from sync_world import build_world, person

NAME, NIK = "Rahmawati Kusumadewi", "3604054107800003"


@pytest.fixture
def world(tmp_path, catalogue, regions):
    w = build_world(tmp_path, catalogue, regions)
    p = person(w.a, NAME, NIK)
    w.a.cases.record(CaseInput(person_id=p.id, type_code="18", recorded_on=date.today(),
                               criteria=["c1"]))
    person(w.a, "Budi Santoso", "3604050101800001", sex="L")
    yield w
    w.close()


def names(window) -> list[str]:
    model = window.people.persons.model
    return sorted(model.index(r, 0).data() for r in range(model.rowCount()))


def select(window, name: str) -> None:
    table, model = window.people.persons.table, window.people.persons.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == name)
    table.selectRow(row)


def button(window, text: str) -> QPushButton | None:
    found = [b for b in window.people.persons.findChildren(QPushButton) if b.text() == text]
    return found[0] if found else None


def test_an_administrator_erases_a_person_from_the_list(qtbot, world, monkeypatch):
    window = MainWindow(world.a)
    qtbot.addWidget(window)
    window.tabs.setCurrentWidget(window.people)
    select(window, NAME)
    opened = []
    monkeypatch.setattr(erasure_dialog, "show_info", lambda *a, **k: None)

    def run(dialog):  # what the administrator does in the dialog
        opened.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert "1 kasus PMKS" in dialog.summary.text()
        assert not dialog.erase_button.isEnabled()
        qtbot.keyClicks(dialog.reason, "Surat permohonan yang bersangkutan, 27 Juli 2024")
        qtbot.keyClicks(dialog.confirmation, "hapus permanen")
        assert not dialog.erase_button.isEnabled()  # only the exact words
        dialog.confirmation.clear()
        qtbot.keyClicks(dialog.confirmation, CONFIRMATION)
        assert dialog.erase_button.isEnabled()
        dialog.grab().save("/tmp/erasure.png")
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(erasure_dialog.ErasureDialog, "exec", run)
    qtbot.mouseClick(button(window, "Hapus Permanen…"), Qt.MouseButton.LeftButton)
    assert opened and names(window) == ["Budi Santoso"]
    with sqlite3.connect(world.a.db.paths.database) as conn:
        assert conn.execute("SELECT COUNT(*) FROM pmks_case").fetchone() == (0,)
        assert conn.execute("SELECT op FROM change_log ORDER BY seq DESC LIMIT 1").fetchone() \
            == ("purge",)


def test_only_administrators_see_the_button(qtbot, world):
    world.a.session.sign_in(Actor("op-1", "operator1", "Operator Satu", "operator"))
    window = MainWindow(world.a)
    qtbot.addWidget(window)
    assert button(window, "Hapus Permanen…") is None
