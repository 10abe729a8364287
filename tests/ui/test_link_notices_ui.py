"""At a kecamatan office: the Dinas Sosial's duplicate-person decision, received with a receipt,
shows in the Penduduk list and in the person form (offscreen, over tests/sync_world.py).

Screenshots: /tmp/notice.png and /tmp/notice_beda.png (the form), /tmp/notice_list.png (the
list), /tmp/notice_receipt.png (the receipt's report).
"""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pmks_desktop.domain.formatting import long_date
from pmks_desktop.storage.models import PersonLink
from pmks_desktop.ui.main_window import MainWindow
from pmks_desktop.ui.person_form import PersonDialog
from pmks_desktop.ui.receipt_dialogs import ReceiptImportDialog

from sync_world import same_nik_world

NIK = "3604054107800091"


@pytest.fixture
def world(tmp_path, catalogue, regions):
    w = same_nik_world(tmp_path, catalogue, regions, NIK)
    yield w
    w.close()


def open_person(qtbot, office, person_id: str) -> PersonDialog:
    dialog = PersonDialog(office.persons, office.office.desa_list(),
                          person=office.persons.get(person_id))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def notice_column(window) -> dict[str, str]:
    """Name -> "Catatan Dinas" text of each row in Penduduk → Orang."""
    model = window.people.persons.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index("Catatan Dinas")
    return {model.index(r, 0).data(): model.index(r, column).data()
            for r in range(model.rowCount())}


def test_the_office_sees_the_hubs_decision_on_its_person(qtbot, world):
    one, two = world.ids
    link = world.hub.person_links.link(one, two, "sama", "KTP dan KK dicocokkan")
    decided = long_date(link.decided_at.astimezone().date())
    paths = world.hub.sync_receipts.write_receipts(world.stick, [world.a.db.node_state()[0]])
    receipt = ReceiptImportDialog(world.a)
    qtbot.addWidget(receipt)
    assert receipt.load(paths[0]) and receipt.apply()
    assert "1 catatan data ganda dari Dinas Sosial; 1 di antaranya baru, berubah atau " \
           "dicabut." in receipt.result.text()
    receipt.grab().save("/tmp/notice_receipt.png")

    window = MainWindow(world.a)
    qtbot.addWidget(window)
    window.resize(1280, 420)
    window.show()
    window.tabs.setCurrentWidget(window.people)
    assert notice_column(window) == {"Siti Rohmah": "sama dengan data Kecamatan Waringinkurung"}
    window.people.persons.table.resizeColumnsToContents()
    QApplication.processEvents()
    window.grab().save("/tmp/notice_list.png")

    dialog = open_person(qtbot, world.a, one)
    label = dialog.form.notice_label
    assert label.isVisible()
    assert label.text() == ("Dinas Sosial: orang yang sama juga terdata di Kecamatan "
                            f"Waringinkurung (NIK sama), diputuskan oleh admin pada {decided}.")
    assert "KTP dan KK" not in label.text()  # the hub's own note stays at the hub
    dialog.grab().save("/tmp/notice.png")
    dialog.close()

    # The hub changes its mind: the next receipt says so.
    world.hub.person_links.link(one, two, "beda")
    world.receipts(world.a)
    dialog = open_person(qtbot, world.a, one)
    assert dialog.form.notice_label.text().startswith(
        "Dinas Sosial menyatakan rekaman ini BUKAN orang yang sama dengan rekaman di "
        "Kecamatan Waringinkurung (NIK sama), diputuskan oleh admin pada ")
    dialog.grab().save("/tmp/notice_beda.png")
    dialog.close()

    # Withdrawn at the hub: gone from the form and, once the list reloads, from the list.
    with world.hub.db.write() as s:
        row = s.get(PersonLink, link.id)
        row.deleted_at, row.deleted_reason = datetime.now(UTC), "keliru"
    world.receipts(world.a)
    dialog = open_person(qtbot, world.a, one)
    assert dialog.form.notice_label.isHidden()
    window.people.persons.reload()
    assert notice_column(window) == {"Siti Rohmah": ""}


def test_the_hub_shows_no_notice_column(qtbot, world):
    window = MainWindow(world.hub)
    qtbot.addWidget(window)
    model = window.people.persons.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Catatan Dinas" not in headers
