"""Start-up in the GUI: open the database, set up or log in, then the main window."""
from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from pmks_desktop import APP_ID, APP_NAME, __version__
from pmks_desktop.paths import DataPaths, resources_dir


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_ID)
    icon = resources_dir() / "icons" / "app.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def open_services_or_explain(paths: DataPaths):
    """The services, or None after telling the user (in a dialog) why the data cannot open."""
    from pmks_desktop.domain.errors import CatalogueError
    from pmks_desktop.services.container import build_services
    from pmks_desktop.storage.database import open_database
    from pmks_desktop.storage.errors import DatabaseError

    try:
        return build_services(open_database(paths))
    except DatabaseError as exc:
        detail = f"\n\nRincian teknis: {exc.detail}" if exc.detail else ""
        QMessageBox.critical(None, APP_NAME, f"{exc.message}\n\nFolder data: {paths.root}{detail}")
    except CatalogueError as exc:
        QMessageBox.critical(None, APP_NAME, f"Katalog PMKS di folder forms/ rusak: {exc}")
    return None


def _sign_in(services) -> bool:
    from pmks_desktop.ui.login_dialog import LoginDialog
    from pmks_desktop.ui.main_window import office_title

    dialog = LoginDialog(services.users, office_title(services.office.office()))
    return dialog.exec() == QDialog.DialogCode.Accepted


def _set_up_if_needed(services) -> bool:
    if services.office.is_set_up():
        return True
    from pmks_desktop.ui.setup_wizard import SetupWizard

    return SetupWizard(services.office).exec() == QDialog.DialogCode.Accepted


def run_gui(paths: DataPaths) -> int:
    app = make_application()
    services = open_services_or_explain(paths)
    if services is None:
        return 1
    warning = services.db.clock_warning()
    if warning:
        QMessageBox.warning(None, APP_NAME, warning)
    if not _set_up_if_needed(services):
        return 0
    return _session_loop(app, services)


def _session_loop(app: QApplication, services) -> int:
    """Log in, show the window; "Keluar Akun" returns to the login dialog."""
    from pmks_desktop.ui.main_window import MainWindow

    while _sign_in(services):
        window = MainWindow(services)
        signed_out = []
        window.sign_out_requested.connect(lambda: (signed_out.append(True), window.close()))
        window.showMaximized()  # office PCs often have 1366x768 screens: use all of it
        app.exec()
        window.deleteLater()
        if not signed_out:
            services.users.sign_out()
            return 0
        services.users.sign_out()
    services.db.close()
    return 0
