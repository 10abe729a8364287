"""Adding or editing one entry of a declarative register (KUBE, UEP, KPM, RS-RTLH...).

The form file decides the fields (FormView renders them); RegisterService decides what is valid.
While the user works the dialog asks `registers.check()` (debounced) and shows its words under
the fields already touched; Simpan reveals everything. Forms with a verdict (RS-RTLH) show the
computed result beside the form, refreshed with every check.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget,
)

from pmks_desktop.domain.forms import FormSpec
from pmks_desktop.services.errors import Issue, ServiceError, ValidationFailed
from pmks_desktop.services.households import HouseholdService
from pmks_desktop.services.persons import PersonService
from pmks_desktop.services.registers import RegisterService
from pmks_desktop.storage.models import Desa, RegisterEntry
from pmks_desktop.ui.form_engine import FormView, MembersEditor, member_limits
from pmks_desktop.ui.form_fields import (
    CHECK_DELAY_MS, ERROR_COLOR, HINT_STYLE, save_cancel_row,
)
from pmks_desktop.ui.messages import show_error

OK_COLOR = "#1e6b2f"
VERDICT_WIDTH = 300
TWO_COLUMNS = 1000  # a two-column form narrower than this wraps every hint
_VERDICT_STYLE = ("QLabel {{ border: 1px solid {color}; border-radius: 4px; padding: 8px;"
                  " background: {background}; }}")
_PENDING = "Hasil validasi dihitung dari isian formulir dan muncul setelah Anda mulai mengisi."


class EntryDialog(QDialog):
    """`saved_entry` holds the stored RegisterEntry after Simpan.

    `settings` (office settings, as SettingsService.all() gives them) supplies defaults such as
    the aid value and the member count rule; without it those fields start empty.
    """

    def __init__(self, registers: RegisterService, persons: PersonService,
                 households: HouseholdService, form: FormSpec, desa: list[Desa], *,
                 entry_id: str | None = None, parent_id: str | None = None,
                 parent_title: str = "", settings: dict | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._registers = registers
        self.form = form
        self._entry_id = entry_id
        self._parent_id = parent_id
        self._version: int | None = None
        self.saved_entry: RegisterEntry | None = None
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.verdict: dict | None = None
        self._touched: set[str] = set()
        self._show_all = entry_id is not None
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.setWindowTitle(f"{'Ubah' if entry_id else 'Tambah'} {form.short_title}")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.members_editor = MembersEditor(form.members, persons, desa,
                                            limits=member_limits(form, settings)) \
            if form.members else None
        self.form_view = FormView(form, registers=registers, persons=persons,
                                  households=households, desa=desa,
                                  members_editor=self.members_editor)
        self._build(parent_title)
        self._connect()
        if entry_id:
            self._load(entry_id)
        else:
            self.form_view.apply_defaults(settings)
        self._fit_screen()
        self.refresh()
        first = next(iter(self.form_view.editors.values()), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------- building

    def _build(self, parent_title: str) -> None:
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(self.form_view)
        inner.addStretch(1)
        self.scroll = QScrollArea(widgetResizable=True)
        self.scroll.setWidget(content)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
        middle = QHBoxLayout()
        middle.addWidget(self.scroll, 1)
        self.verdict_label = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.verdict_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        if self.form.verdict:
            self.verdict_label.setFixedWidth(VERDICT_WIDTH)
            middle.addWidget(self.verdict_label)
        else:
            self.verdict_label.hide()
        layout = QVBoxLayout(self)
        if parent_title:
            layout.addWidget(QLabel(f"Bagian dari: <b>{escape(parent_title)}</b>",
                                    textFormat=Qt.TextFormat.RichText))
        if self.form.description:
            layout.addWidget(QLabel(self.form.description, wordWrap=True, styleSheet=HINT_STYLE))
        layout.addLayout(middle, 1)
        layout.addWidget(self.form_view.general_note)  # moved out of the scroll: always seen
        bottom, self.save_button, self.cancel_button = save_cancel_row(self, self.save)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self.form_view.changed.connect(self._edited)
        if self.members_editor is not None:
            self.members_editor.changed.connect(lambda: self._edited("members"))

    def _fit_screen(self) -> None:
        """As large as the content wants, within the screen (1366x768 laptops included)."""
        available = self.screen().availableGeometry()
        content = self.scroll.widget()
        extra = VERDICT_WIDTH + 20 if self.form.verdict else 0
        wanted = max(content.sizeHint().width(), TWO_COLUMNS if self.form_view.two_columns
                     else 0)
        width = min(wanted + extra + 60, available.width() - 40)
        # Hints wrap less in a wider dialog: the height is measured at the width it gets.
        inner = width - extra - 60
        tall = content.heightForWidth(inner) if content.hasHeightForWidth() \
            else content.sizeHint().height()
        chrome = self.layout().sizeHint().height() - self.scroll.sizeHint().height()
        height = min(tall + chrome + 8, available.height() - 60)
        self.resize(max(width, 640), max(height, 420))

    def _load(self, entry_id: str) -> None:
        try:
            view = self._registers.get(entry_id)
        except ServiceError as exc:
            show_error(self, exc)
            self.save_button.setEnabled(False)  # empty fields must not overwrite the entry
            return
        self._version = view.entry.version_hlc
        self._parent_id = self._parent_id or view.entry.parent_id
        self.form_view.set_values({k: v for k, v in view.values.items()
                                   if not k.startswith("_")})
        if self.members_editor is not None:
            self.members_editor.set_members(view.members)

    # ------------------------------------------------------------- checking

    def _edited(self, name: str) -> None:
        self._touched.add(name)
        self._timer.start()

    def members(self):
        return self.members_editor.members() if self.members_editor is not None else []

    def refresh(self) -> None:
        """Check now (the timer calls this after a pause; saving calls it at once)."""
        self._timer.stop()
        local = self.form_view.local_issues()
        mine = {issue.field for issue in local}
        try:
            checked = self._registers.check(self.form.id, self.form_view.values(),
                                             self.members(), self._parent_id)
        except ServiceError as exc:
            self.errors, self.warnings = local + [Issue("", exc.message)], []
            self._show()
            return
        self.errors = local + [i for i in checked.errors if i.field not in mine]
        self.warnings = [i for i in checked.warnings if i.field not in mine]
        self.verdict = checked.values.get("_verdict")
        self._show()

    def _visible(self, issues: list[Issue]) -> list[Issue]:
        return [i for i in issues if self._show_all or i.field in self._touched
                or i.field in ("parent", "")]

    def _show(self) -> None:
        errors, warnings = self._visible(self.errors), self._visible(self.warnings)
        if self.members_editor is not None:
            self.members_editor.show_issues([i.message for i in errors if i.field == "members"],
                                            [i.message for i in warnings
                                             if i.field == "members"])
            errors = [i for i in errors if i.field != "members"]
            warnings = [i for i in warnings if i.field != "members"]
        self.form_view.show_issues(errors, warnings)
        self._show_verdict()

    def _show_verdict(self) -> None:
        if not self.form.verdict:
            return
        if self.verdict is None or not (self._touched or self._show_all):
            self.verdict_label.setText(f"<b>Hasil validasi</b><br><br>{escape(_PENDING)}")
            self.verdict_label.setStyleSheet(_VERDICT_STYLE.format(color="#b8c4d6",
                                                                   background="#f3f6fa"))
            return
        ok = bool(self.verdict.get("eligible"))
        color = OK_COLOR if ok else ERROR_COLOR
        items = "".join(f"<li>{escape(r)}</li>" for r in self.verdict.get("reasons", []))
        self.verdict_label.setText(
            f"<b>Hasil validasi</b><br><span style='color:{color}; font-size:large'><b>"
            f"{'Memenuhi syarat' if ok else 'Tidak memenuhi syarat'}</b></span>"
            f"<ul style='margin-left:-20px'>{items}</ul>")
        self.verdict_label.setStyleSheet(_VERDICT_STYLE.format(
            color=color, background="#eef7ef" if ok else "#fdf0ef"))

    def _focus_first_problem(self) -> None:
        fields = {i.field for i in self.errors}
        editor = self.form_view.first_editor(fields)
        if editor is None and "members" in fields and self.members_editor is not None:
            editor = self.members_editor.add_button
        if editor is not None:
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(editor)

    # ------------------------------------------------------------- saving

    def save(self) -> None:
        self._show_all = True
        self.refresh()
        if self.errors:
            self._focus_first_problem()
            return
        try:
            entry = self._registers.save(
                self.form.id, self.form_view.values(), members=self.members(),
                parent_id=self._parent_id, entry_id=self._entry_id,
                expected_version=self._version if self._entry_id else None)
        except ValidationFailed as exc:
            self.errors = exc.issues
            self._show()
            self._focus_first_problem()
            return
        except ServiceError as exc:
            show_error(self, exc)
            return
        self.saved_entry = entry
        self.accept()
