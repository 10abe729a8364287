"""Tinjau Data Ganda at the Dinas Sosial: each side's office, link buttons, no merge."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from sqlmodel import select

from pmks_desktop.storage.models import Person, PersonLink
from pmks_desktop.ui.duplicate_hub import HubLinks
from pmks_desktop.ui.duplicate_review import DuplicateReviewDialog

from sync_world import same_nik_world

NIK = "3604054107800091"


@pytest.fixture
def world(tmp_path, catalogue, regions):
    w = same_nik_world(tmp_path, catalogue, regions, NIK)
    yield w
    w.close()


def open_hub_dialog(qtbot, hub) -> DuplicateReviewDialog:
    links = HubLinks(hub.person_links, hub.office.kecamatan_names())
    dialog = DuplicateReviewDialog(hub.duplicates, hub=links)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def shown_buttons(dialog) -> set[str]:
    """Buttons not hidden on purpose, whichever tab they are on."""
    return {b.objectName() for b in dialog.findChildren(QPushButton)
            if b.objectName() and not b.isHidden()}


def test_hub_dialog_shows_both_offices_and_link_buttons(qtbot, world):
    dialog = open_hub_dialog(qtbot, world.hub)
    model = dialog.pair_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    row = {h: model.index(0, c).data() for c, h in enumerate(headers)}
    assert {row["Kantor A"], row["Kantor B"]} == {"Kec. Kramatwatu", "Kec. Waringinkurung"}
    detail = {label: (a, b) for label, a, b in dialog.detail.texts()}
    assert set(detail["Kantor kecamatan"]) == {"Kec. Kramatwatu", "Kec. Waringinkurung"}
    shown = shown_buttons(dialog)
    assert {"same_button", "other_button"} <= shown
    assert not shown & {"merge_a_button", "merge_b_button", "dismiss_button", "undo_button"}
    assert dialog.findChild(QPushButton, "undo_button").isHidden()  # undo would rewrite rows
    assert dialog.findChild(QPushButton, "same_button").text() == "Tandai Orang yang &Sama…"


def test_marking_the_same_person_links_without_merging(qtbot, world, monkeypatch):
    hub = world.hub
    dialog = open_hub_dialog(qtbot, hub)
    asked = []
    monkeypatch.setattr("pmks_desktop.ui.duplicate_hub.ask_text",
                        lambda parent, title, label, **k: (asked.append(label) or "KTP sama",
                                                           True))
    dialog.findChild(QPushButton, "same_button").click()
    assert "Kec. Kramatwatu" in asked[0] and "tetap disimpan" in asked[0]
    with hub.db.read() as s:
        links = s.exec(select(PersonLink)).all()
        persons = s.exec(select(Person)).all()
    assert [(link.status, link.note) for link in links] == [("sama", "KTP sama")]
    assert {p.id for p in persons} == set(world.ids)
    assert all(p.merged_into_id is None for p in persons)
    assert dialog.pair_model.rowCount() == 0  # the decided pair is no longer offered
    assert "orang yang sama" in dialog.findChild(QLabel, "status").text()


def test_marking_different_through_the_helper(qtbot, world):
    dialog = open_hub_dialog(qtbot, world.hub)
    dialog.link_selected("beda", note="")
    with world.hub.db.read() as s:
        assert [link.status for link in s.exec(select(PersonLink))] == ["beda"]
    assert dialog.pair_model.rowCount() == 0
