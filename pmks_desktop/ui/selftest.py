"""`pmks selftest`: open the database, check it, build the main window offscreen, report."""
from __future__ import annotations

import os
import time

from pmks_desktop.paths import DataPaths


def run_selftest(paths: DataPaths) -> str:
    """One line starting with OK, or an exception (the caller exits non-zero)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    from pmks_desktop.services.container import build_services
    from pmks_desktop.services.session import Actor
    from pmks_desktop.services.maintenance import verify_audit_trail
    from pmks_desktop.storage.database import open_database
    from pmks_desktop.ui.app import make_application

    app = make_application([])
    db = open_database(paths)  # integrity check and migrations happen here
    services = build_services(db)
    chain = verify_audit_trail(db)
    if not chain.ok:
        raise RuntimeError(chain.message())
    if services.office.is_set_up():
        from pmks_desktop.ui.main_window import MainWindow

        # A read-only actor: the self-test must not need anyone's password.
        services.session.sign_in(Actor("", "selftest", "Uji Mandiri", "pimpinan"))
        window, what = MainWindow(services), "jendela utama"
    else:
        from pmks_desktop.ui.setup_wizard import SetupWizard

        window, what = SetupWizard(services.office), "pengaturan awal (kantor belum diatur)"
    window.show()
    app.processEvents()
    window.close()
    db.close()
    pages = _letter_check()
    return (f"OK: basis data utuh, {chain.checked} catatan audit, {what} dan surat uji "
            f"({pages} halaman, QR bertanda tangan) dibangun dalam "
            f"{time.perf_counter() - started:.1f} detik ({paths.root})")


def _letter_check() -> int:
    """A letter with a signed QR code, read back by QtPdf: proves the fonts, reportlab, segno,
    libsodium and QtPdf all made it into a frozen build."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtPdf import QPdfDocument

    from pmks_desktop.reports.letter_model import (Fields, LetterDocument, Letterhead,
                                                   Paragraph, Signature)
    from pmks_desktop.reports.letter_pdf import render_letter
    from pmks_desktop.sync import keys

    pair = keys.generate("sign")
    signature = keys.sign(pair.private, b"uji")
    if not keys.verify(pair.public, b"uji", signature):
        raise RuntimeError("Tanda tangan elektronik tidak dapat diperiksa.")
    doc = LetterDocument(
        paper="A4", layout="keterangan", letterhead=Letterhead("PEMERINTAH KABUPATEN UJI",
                                                               "KECAMATAN UJI"),
        number="000/0001/Uji/2024", place_date="Uji, 27 Juli 2024", title="SURAT UJI",
        blocks=(Paragraph("Surat uji."), Fields((("Nama", "Ni Luh Putu Ayu Ma'ruf"),))),
        signatures=(Signature(("CAMAT UJI,",), "Nama Uji"),), qr_payload="PMKS1|uji")
    data = QByteArray(render_letter(doc))
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.pageCount() < 1:
        raise RuntimeError("Surat uji tidak dapat dibuka oleh QtPdf.")
    return document.pageCount()
