"""The RS-RTLH validation verdict (Permensos 20/2017), computed from an `rtlh` register entry.

The kecamatan only validates: is the house *tidak layak huni*, and may the household receive
Rehabilitasi Sosial Rumah Tidak Layak Huni? A house is tidak layak huni when any one of these
holds: roof or walls damaged or of perishable material; floor of earth, board or bamboo, or
damaged; no MCK; floor area below the minimum per occupant (7,2 m², a setting:
`rtlh.min_area_per_person`). The household is eligible only when the house is tidak layak huni
*and* the household is fakir miskin, owns the land and agrees not to sell or rent the house for
5 years. Every condition, met or not, is explained in a sentence the operator can read out.

Field names and choice values are those of forms/registers/rtlh.yaml. Values may be cleaned
(as check_entry returns them) or raw as typed ("24,5", "ya").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pmks_desktop.domain.form_validation import parse_number
from pmks_desktop.domain.formatting import number_id
from pmks_desktop.domain.forms import FieldSpec

DEFAULT_MIN_AREA_PER_PERSON = 7.2
MIN_AREA_SETTING = "rtlh.min_area_per_person"

_BAD_ROOF_WALLS = {"rusak", "bahan_mudah_lapuk"}
_BAD_FLOORS = {"tanah": "Lantai dari tanah.", "papan": "Lantai dari papan.",
               "bambu": "Lantai dari bambu.", "rusak": "Lantai rusak."}
_OWNED_LAND = {"sertifikat": "sertifikat", "girik": "girik", "letter_c": "letter C",
               "keterangan_desa": "surat keterangan desa"}


@dataclass(frozen=True)
class RtlhVerdict:
    eligible: bool  # may receive RS-RTLH
    uninhabitable: bool  # the house is tidak layak huni
    reasons: list[str] = field(default_factory=list)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _flag(value) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("ya", "y", "1", "true", "benar")


_DECIMAL = FieldSpec(name="number", label="Angka", type="decimal")


def _number(value) -> Decimal | None:
    """A positive number from a cleaned value or Indonesian text ("24,5"), read as forms read it."""
    if _blank(value):
        return None
    try:
        number = Decimal(str(parse_number(value, _DECIMAL)))
    except (ValueError, TypeError, InvalidOperation):
        return None
    return number if number > 0 else None


def _threshold(min_area) -> Decimal:
    """The setting as given (0 turns the area test off); the default when it is unreadable."""
    try:
        value = Decimal(str(parse_number(min_area, _DECIMAL)))
    except (ValueError, TypeError, InvalidOperation):
        value = Decimal(-1)
    return value if value >= 0 else Decimal(str(DEFAULT_MIN_AREA_PER_PERSON))


def _area_text(number: Decimal, threshold: Decimal) -> str:
    """One decimal, unless rounding would make a figure below the threshold read as equal."""
    shown = number_id(number, decimals=1)
    if number < threshold and shown == number_id(threshold, decimals=1):
        shown = number_id(number, decimals=2)
    return shown


def _roof_walls(values: dict, name: str, label: str) -> tuple[bool, str]:
    value = values.get(name)
    if _blank(value):
        return False, f"Kondisi {label.lower()} belum diisi."
    if value in _BAD_ROOF_WALLS:
        return True, f"{label} rusak atau dari bahan mudah lapuk."
    return False, f"{label} dalam kondisi layak."


def _floor(values: dict) -> tuple[bool, str]:
    value = values.get("floor")
    if _blank(value):
        return False, "Kondisi lantai belum diisi."
    if value in _BAD_FLOORS:
        return True, _BAD_FLOORS[value]
    return False, "Lantai dalam kondisi layak."


def _mck(values: dict) -> tuple[bool, str]:
    value = values.get("mck")
    if _blank(value):
        return False, "Keberadaan sarana MCK belum diisi."
    if value == "tidak_ada":
        return True, "Tidak ada sarana MCK."
    return False, "Ada sarana MCK."


def _area(values: dict, min_area) -> tuple[bool, str]:
    area, occupants = _number(values.get("floor_area")), _number(values.get("occupants"))
    if area is None or occupants is None:
        return False, ("Luas lantai per penghuni belum dapat dihitung: isi luas lantai dan "
                       "jumlah penghuni.")
    threshold = _threshold(min_area)
    per_person = area / occupants  # Decimal: 36 m² for 5 occupants is exactly 7,2
    shown, limit = _area_text(per_person, threshold), number_id(threshold, decimals=1)
    if per_person < threshold:
        return True, f"Luas lantai {shown} m² per orang, di bawah {limit} m²."
    return False, f"Luas lantai {shown} m² per orang, memenuhi batas {limit} m²."


def _house(values: dict, min_area) -> tuple[bool, list[str]]:
    checks = [_roof_walls(values, "roof", "Atap"), _roof_walls(values, "walls", "Dinding"),
              _floor(values), _mck(values), _area(values, min_area)]
    uninhabitable = any(hit for hit, _ in checks)
    reasons = [text for _, text in checks]
    reasons.append("Rumah tidak layak huni." if uninhabitable else "Rumah layak huni.")
    return uninhabitable, reasons


def _household(values: dict) -> tuple[bool, list[str]]:
    reasons, ok = [], True
    poor = _flag(values.get("registered_poor"))
    if poor:
        reasons.append("Keluarga terdaftar sebagai fakir miskin.")
    else:
        ok = False
        reasons.append("Keluarga tidak terdaftar sebagai fakir miskin: tidak memenuhi syarat.")
    land = values.get("land_status")
    if land in _OWNED_LAND:
        reasons.append(f"Tanah milik sendiri ({_OWNED_LAND[land]}).")
    else:
        ok = False
        reasons.append("Status tanah belum diisi: tidak memenuhi syarat." if _blank(land) else
                       "Status tanah tidak jelas: tidak memenuhi syarat.")
    if _flag(values.get("agrees_no_sale")):
        reasons.append("Bersedia tidak menjual atau menyewakan rumah selama 5 tahun.")
    else:
        ok = False
        reasons.append("Belum menyatakan bersedia tidak menjual atau menyewakan rumah selama "
                       "5 tahun: tidak memenuhi syarat.")
    return ok, reasons


def rtlh_verdict(values: dict, *,
                 min_area_per_person: float = DEFAULT_MIN_AREA_PER_PERSON) -> RtlhVerdict:
    """Is the house tidak layak huni, may the household receive RS-RTLH, and why.

    `min_area_per_person` comes from the setting `rtlh.min_area_per_person` when the office
    has changed it.
    """
    uninhabitable, reasons = _house(values, min_area_per_person)
    household_ok, household_reasons = _household(values)
    eligible = uninhabitable and household_ok
    reasons += household_reasons
    reasons.append("Memenuhi syarat RS-RTLH." if eligible else "Tidak memenuhi syarat RS-RTLH.")
    return RtlhVerdict(eligible=eligible, uninhabitable=uninhabitable, reasons=reasons)
