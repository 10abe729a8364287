"""How a stored form value reads on screen and in exports (labels, dates, rupiah)."""
from __future__ import annotations

from datetime import date

from pmks_desktop.domain.formatting import number_id, rupiah, short_date
from pmks_desktop.domain.forms import FieldSpec


def display_value(spec: FieldSpec, value, names: dict[str, str] | None = None) -> str:
    """`names` maps ids (desa codes, person and household ids) to what a person reads."""
    if value is None or value == "" or value == []:
        return ""
    kind = spec.type
    if kind == "choice":
        return spec.choice_label(str(value))
    if kind == "multichoice":
        return ", ".join(spec.choice_label(str(v)) for v in value)
    if kind == "date" and isinstance(value, date):
        return short_date(value)
    if kind == "money":
        return rupiah(value, decimals=False)
    if kind in ("integer", "decimal"):
        return number_id(value)
    if kind == "bool":
        return "Ya" if value else "Tidak"
    if kind in ("desa", "person", "household"):
        return (names or {}).get(str(value), str(value))
    if kind == "photos":
        return f"{len(value)} foto"
    if kind == "items":
        return "; ".join(", ".join(str(v) for v in row.values()) for row in value)
    return str(value)
