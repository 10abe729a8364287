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
    return (f"OK: basis data utuh, {chain.checked} catatan audit, {what} dibangun dalam "
            f"{time.perf_counter() - started:.1f} detik ({paths.root})")
