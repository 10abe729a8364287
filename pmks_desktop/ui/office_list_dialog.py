"""Daftar Kantor dan Kiriman (Dinas Sosial): every enrolled office PC, when its last kiriman
arrived, how far its changes arrived without gaps, open conflicts and clock warnings; and the
revocation of a PC that was lost or must no longer send."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout, QWidget

from pmks_desktop.domain.formatting import long_date, number_id
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.sync_status import OfficeState, SyncStatus
from pmks_desktop.ui.form_fields import ERROR_COLOR, WARNING_COLOR
from pmks_desktop.ui.messages import ask_text, call_service, confirm, show_error
from pmks_desktop.ui.sync_widgets import RowsModel, moment_text, note, set_note, table_view

HEADERS = ("Kantor", "Kode", "Komputer", "Terdaftar", "Kiriman terakhir", "Kiriman",
           "Nomor urut diterima", "Konflik", "Status")


def state_text(office: OfficeState) -> str:
    if office.revoked_at is not None:
        return f"dicabut: {office.revoked_reason or 'tanpa alasan'}"
    if office.clock_warning:
        return "periksa jam komputer"
    return "ada yang belum diterima" if office.has_gaps else "aktif"


def office_row(office: OfficeState) -> tuple[str, ...]:
    enrolled = long_date(office.enrolled_at.astimezone().date()) if office.enrolled_at else "-"
    return (office.office_name, office.office_code, office.node_id[:8], enrolled,
            moment_text(office.last_bundle_at), number_id(office.bundles_in),
            office.sequence_text, number_id(office.open_conflicts), state_text(office))


class OfficeListDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self._s = services
        self._status = SyncStatus(services.db, services.session)
        self.offices: list[OfficeState] = []
        self.setWindowTitle("Daftar Kantor dan Kiriman")
        self.model = RowsModel(HEADERS, numeric=(5, 7))
        self.view = table_view(self.model, stretch=6)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.doubleClicked.connect(lambda _index: self._explain_selected())
        self.details = note()
        self.warnings = note(kind="warning")
        buttons = QDialogButtonBox()
        self.revoke_button = QPushButton("&Cabut Pendaftaran…")
        self.refresh_button = QPushButton("&Muat Ulang")
        buttons.addButton(self.revoke_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.refresh_button.clicked.connect(self.reload)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note("Nomor urut diterima: perubahan dari setiap komputer bernomor "
                              "berurutan; yang tertulis \"belum diterima\" masih ditunggu dari "
                              "kiriman berikutnya kantor itu."))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.warnings)
        layout.addWidget(buttons)
        self.reload()
        self.resize(1100, 460)

    def reload(self) -> None:
        try:
            self.offices = [o for o in self._status.offices() if o.role == "office"]
            conflicts = self._status.open_conflicts()
        except ServiceError as exc:
            show_error(self, exc)
            return
        colours = {i: ERROR_COLOR if o.revoked_at else WARNING_COLOR
                   for i, o in enumerate(self.offices)
                   if o.revoked_at or o.has_gaps or o.clock_warning}
        self.model.set_rows([office_row(o) for o in self.offices], colours)
        warnings = [o.clock_warning for o in self.offices
                    if o.clock_warning and o.revoked_at is None]
        own = self._status.own_clock_warning()
        warnings += [own] if own else []
        if conflicts:
            shown = ", ".join(f"{label} {number_id(n)}" for label, n in sorted(conflicts.items()))
            warnings.append(f"Konflik yang belum diselesaikan: {shown}.")
        set_note(self.warnings, "\n".join(warnings), "warning")
        set_note(self.details, "" if self.offices else
                 "Belum ada komputer kantor yang terdaftar. Daftarkan lewat Sinkron → "
                 "Daftarkan Komputer Kantor…")
        if self.offices:
            self.view.selectRow(0)
        self._update_buttons()

    def selected(self) -> OfficeState | None:
        rows = self.view.selectionModel().selectedRows()
        return self.offices[rows[0].row()] if rows else None

    def _update_buttons(self, *_args) -> None:
        office = self.selected()
        self.revoke_button.setEnabled(office is not None and office.revoked_at is None)

    def _explain_selected(self) -> None:
        office = self.selected()
        if office is not None:
            set_note(self.details, f"{office.office_name}, komputer {office.node_id}: "
                     f"{office.sequence_text}.")

    def revoke_selected(self) -> bool:
        office = self.selected()
        if office is None or office.revoked_at is not None:
            return False
        reason, ok = ask_text(self, "Cabut Pendaftaran",
                              f"Kiriman dari komputer {office.node_id[:8]} ({office.office_name})"
                              " tidak akan diterima lagi.\nTuliskan alasannya (mis. laptop "
                              "hilang, komputer diganti):", ok_label="Cabut")
        if not ok:
            return False
        if not reason:
            show_error(self, "Alasan pencabutan wajib diisi.")
            return False
        if not confirm(self, f"Cabut pendaftaran {office.office_name} (komputer "
                             f"{office.node_id[:8]})?", yes="Cabut"):
            return False
        done = call_service(self, lambda: self._s.enrolment.revoke(office.node_id, reason))
        self.reload()
        return done
