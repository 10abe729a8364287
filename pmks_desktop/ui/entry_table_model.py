"""A register's list as a lazy Qt table model: the columns come from the form's list_columns."""
from __future__ import annotations

from typing import Callable

from pmks_desktop.domain.form_display import display_value
from pmks_desktop.domain.formatting import short_date
from pmks_desktop.domain.forms import FieldSpec, FormSpec
from pmks_desktop.services.register_queries import EntryRow
from pmks_desktop.ui.lazy_model import Column, LazyRowsModel

_NUMERIC = ("integer", "decimal", "money")


def _list_fields(form: FormSpec) -> list[FieldSpec]:
    names = list(form.list_columns) or [form.title_field]
    if form.title_field not in names:
        names.insert(0, form.title_field)
    return [form.field(n) for n in names]


def _column(form: FormSpec, spec: FieldSpec, names: dict[str, str]) -> Column:
    if spec.name == form.title_field:
        return spec.label, lambda r: r.title
    if spec.type == "desa":
        return spec.label, lambda r: r.desa_name
    if spec.name == form.date_field:
        return spec.label, lambda r: short_date(r.recorded_on)
    return spec.label, lambda r: display_value(spec, r.values.get(spec.name), names)


class EntryTableModel(LazyRowsModel):
    def __init__(self, form: FormSpec, fetch_page: Callable[[object, int], list[EntryRow]],
                 count: Callable[[], int], names: dict[str, str], parent=None, sync=None):
        fields = _list_fields(form)
        self._base = [_column(form, spec, names) for spec in fields]
        self._extra = [sync.column()] if sync is not None else []  # "Status kirim"
        super().__init__(self._base + self._extra, fetch_page, count, parent,
                         right_aligned=[i for i, f in enumerate(fields) if f.type in _NUMERIC],
                         on_page=sync.on_page if sync is not None else None)

    def reload(self, trash: bool = False) -> None:
        self._columns = self._base + ([("Alasan Dihapus", lambda r: r.deleted_reason or "")]
                                      if trash else self._extra)
        super().reload()
