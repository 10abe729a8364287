"""Rekapitulasi dialog: a recap chosen in the dialog opens in the preview with the figures of
the database; the same recap saves as an Excel workbook."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from pmks_desktop.ui.recap_dialog import RecapDialog

def test_recap_preview_and_excel(qtbot, services, tmp_path, monkeypatch):
    monkeypatch.setattr("pmks_desktop.ui.recap_dialog.show_info", lambda *a, **k: None)
    dialog = RecapDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.choice.isHidden()
    dialog.kind.setCurrentIndex(dialog.kind.findData("program"))
    assert not dialog.choice.isHidden() and dialog.choice.count() == 4
    dialog.kind.setCurrentIndex(dialog.kind.findData("pmks"))
    dialog.preview()
    assert dialog.preview_dialog is not None
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        dialog.preview_dialog._pdf)).pages)
    assert "REKAPITULASI DATA PMKS" in text and "KRAMATWATU" in text
    saved = dialog.save_excel(dialog.sheet(), tmp_path / "rekap.xlsx")
    assert saved is not None and load_workbook(saved).active.max_row > 5
    dialog.preview_dialog.close()
