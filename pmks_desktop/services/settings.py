"""Office settings with defaults: the figures DOMAIN.md marks configurable (group sizes, aid
values and indexes, the RS-RTLH floor-area threshold). Stored in app_setting as JSON."""
from __future__ import annotations

import json

from sqlmodel import select

from pmks_desktop.domain.roles import MANAGE_OFFICE
from pmks_desktop.services.errors import Issue, ValidationFailed
from pmks_desktop.services.session import UserSession
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.database import Database
from pmks_desktop.storage.models import AppSetting

PREFIX = "setting."

# key: (default, label, minimum)
DEFAULTS: dict[str, tuple[float, str, float]] = {
    "kube.group_size_min": (10, "Jumlah anggota KUBE paling sedikit", 2),
    "kube.group_size_max": (10, "Jumlah anggota KUBE paling banyak", 2),
    "kube.aid_value": (20_000_000, "Nilai bantuan KUBE per kelompok (Rp)", 0),
    "uep.group_size_min": (5, "Jumlah anggota kelompok UEP paling sedikit", 1),
    "uep.group_size_max": (5, "Jumlah anggota kelompok UEP paling banyak", 1),
    "uep.aid_value": (3_500_000, "Nilai bantuan UEP per orang (Rp)", 0),
    "kpm.aid_index": (150_000, "Indeks bantuan Program Sembako per KPM per bulan (Rp)", 0),
    "rtlh.min_area_per_person": (7.2, "Luas lantai minimum per penghuni RS-RTLH (m²)", 0),
    "bencana.santunan_meninggal": (15_000_000, "Santunan ahli waris korban meninggal (Rp)", 0),
    "bencana.santunan_luka_berat": (5_000_000, "Santunan korban luka berat (Rp)", 0),
}


class SettingsService:
    def __init__(self, db: Database, session: UserSession):
        self._db = db
        self._session = session

    def all(self) -> dict[str, float]:
        values = {key: default for key, (default, _label, _min) in DEFAULTS.items()}
        with self._db.read() as s:
            for row in s.exec(select(AppSetting).where(AppSetting.key.startswith(PREFIX))):
                key = row.key[len(PREFIX):]
                if key in values:
                    values[key] = json.loads(row.value)
        return values

    def get(self, key: str) -> float:
        return self.all()[key]

    def update(self, changes: dict[str, float]) -> None:
        actor = self._session.require(MANAGE_OFFICE)
        issues = []
        for key, value in changes.items():
            if key not in DEFAULTS:
                issues.append(Issue(key, f"Pengaturan '{key}' tidak dikenal."))
            elif not isinstance(value, (int, float)) or value < DEFAULTS[key][2]:
                issues.append(Issue(key, f"{DEFAULTS[key][1]}: nilai {value} tidak sah."))
        if issues:
            raise ValidationFailed(issues)
        with self._db.write(actor.user_id) as s:
            for key, value in changes.items():
                row = s.get(AppSetting, PREFIX + key) or AppSetting(key=PREFIX + key, value="")
                row.value = json.dumps(value)
                s.add(row)
            append_audit(s, action="setup", entity="setting", detail=changes,
                         user_id=actor.user_id, username=actor.username)
