"""The conflict review dialog on a hub with real sync conflicts (see tests/conflict_world.py)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton

from pmks_desktop.services.session import Actor
from pmks_desktop.storage.models import Person
from pmks_desktop.ui.conflict_models import DIFFERS_BACKGROUND
from pmks_desktop.ui.conflict_review import ConflictReviewDialog, open_conflict_review

from conflict_world import (HUB_NAME, OFFICE_ADDRESS, OFFICE_NAME, build_conflict_world,
                            conflict_service, open_copy)

SCREENSHOT = "/tmp/conflict.png"


@pytest.fixture(scope="module")
def template(tmp_path_factory, catalogue, regions):
    root = tmp_path_factory.mktemp("konflik-ui")
    return root, build_conflict_world(root, catalogue, regions)


@pytest.fixture
def hub(template, tmp_path, catalogue, regions):
    site = open_copy(template[0] / "dinsos", tmp_path / "dinsos", catalogue, regions)
    yield site
    site.db.close()


@pytest.fixture
def person_id(template):
    return template[1]["person"]


@pytest.fixture
def dialog(qtbot, hub):
    dlg = ConflictReviewDialog(conflict_service(hub))
    qtbot.addWidget(dlg)
    return dlg


def _select(dlg, row_id: str) -> None:
    rows = [dlg.list_model.row_at(i) for i in range(dlg.list_model.rowCount())]
    dlg.select_conflict(next(i for i, v in enumerate(rows) if v.row_id == row_id))


def _rows(dlg) -> dict[str, int]:
    model = dlg.diff_model
    return {model.row_at(r).name: r for r in range(model.rowCount())}


def _person(site, person_id) -> Person:
    with site.db.read() as s:
        return s.get(Person, person_id)


def test_dialog_lists_conflicts_and_highlights_what_differs(dialog, person_id, qtbot):
    assert dialog.list_model.rowCount() == 4
    _select(dialog, person_id)
    model, rows = dialog.diff_model, _rows(dialog)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == \
        ["Kolom", "Versi sekarang", "Versi lain"]
    name = rows["name"]
    assert [model.index(name, c).data() for c in range(3)] == \
        ["Nama lengkap", OFFICE_NAME, HUB_NAME]
    assert model.index(name, 0).data(Qt.ItemDataRole.BackgroundRole) == DIFFERS_BACKGROUND
    assert model.index(rows["nik"], 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(rows["address"], 1).data(Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Checked  # the current version is chosen until the person says otherwise
    assert model.index(rows["nik"], 1).data(Qt.ItemDataRole.CheckStateRole) is None
    heading = dialog.findChild(QLabel, "heading").text()
    assert OFFICE_NAME in heading and "ubahan bersamaan" in heading
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(SCREENSHOT)


def test_taking_the_other_version_removes_it_from_the_list(dialog, hub, person_id):
    _select(dialog, person_id)
    assert dialog.resolve_other()
    assert dialog.list_model.rowCount() == 3
    assert person_id not in {dialog.list_model.row_at(i).row_id for i in range(3)}
    assert _person(hub, person_id).name == HUB_NAME
    assert "sudah diselesaikan" in dialog.findChild(QLabel, "status").text()


def test_combining_takes_the_ticked_side_of_each_row(dialog, hub, person_id):
    _select(dialog, person_id)
    model = dialog.diff_model
    assert model.setData(model.index(_rows(dialog)["name"], 2), Qt.CheckState.Checked,
                         Qt.ItemDataRole.CheckStateRole)  # ticked in the table
    assert dialog.resolve_combined({"address": "current"})
    person = _person(hub, person_id)
    assert (person.name, person.address) == (HUB_NAME, OFFICE_ADDRESS)


def test_keeping_the_current_version(dialog, hub, person_id):
    _select(dialog, person_id)
    assert dialog.resolve_current()
    assert _person(hub, person_id).name == OFFICE_NAME
    assert dialog.list_model.rowCount() == 3


def test_a_user_without_the_right_sees_why_instead_of_buttons(qtbot, hub):
    hub.session.sign_in(Actor("op-1", "operator1", "Operator Satu", "operator"))
    dlg = ConflictReviewDialog(conflict_service(hub))
    qtbot.addWidget(dlg)
    assert dlg.list_model.rowCount() == 4
    assert not dlg.findChild(QPushButton, "other_button").isVisibleTo(dlg)
    assert dlg.findChild(QLabel, "no_right").isVisibleTo(dlg)


def test_models_pass_the_model_tester(dialog, person_id, qtmodeltester):
    _select(dialog, person_id)
    qtmodeltester.check(dialog.list_model)
    qtmodeltester.check(dialog.diff_model)


def test_open_conflict_review_builds_the_dialog_from_the_services(hub, monkeypatch):
    opened = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(self) or 0)
    open_conflict_review(hub)
    assert isinstance(opened[0], ConflictReviewDialog)
    assert opened[0].list_model.rowCount() == 4
    opened[0].deleteLater()
