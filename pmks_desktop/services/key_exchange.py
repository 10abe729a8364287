"""Public key files: an office hands its public signing key to another office (or the Dinas
Sosial) on a stick, so that office can check its letters offline. Only public halves travel.

    {"format": "pmks-kunci-publik/1", "office_code": "36.04.05", "office_name": "...",
     "keys": [{"key_id": "...", "purpose": "sign", "public_key": "<base64>"}]}
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from pmks_desktop.domain.roles import MANAGE_OFFICE
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.models import TrustedKey
from pmks_desktop.sync import keys

FORMAT = "pmks-kunci-publik/1"


class KeyExchange:
    def __init__(self, db, session, office, keyring):
        self._db, self._session, self._office, self._keyring = db, session, office, keyring

    def export_public(self, target: Path) -> Path:
        self._session.require(MANAGE_OFFICE)
        office = self._office.office()
        data = {"format": FORMAT, "office_code": office.kecamatan_code or office.kabupaten_code,
                "office_name": f"Kecamatan {office.kecamatan_name}" if office.kecamatan_name
                else f"Dinas Sosial {office.kabupaten_name}",
                "keys": [{"key_id": k.key_id, "purpose": k.purpose, "public_key": k.public_key}
                         for k in self._keyring.own_keys()]}
        tmp = target.with_name(target.name + ".part")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
        return target

    @staticmethod
    def read(path: Path) -> dict:
        """The file's content, checked: every key id must be the fingerprint of its key."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ServiceError(f"Berkas kunci {path.name} tidak dapat dibaca ({exc}).") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ServiceError(f"Berkas {path.name} bukan berkas kunci publik PMKS Desktop.")
        for entry in data.get("keys") or []:
            try:
                public = keys.unb64(entry["public_key"])
            except (KeyError, TypeError, ValueError):
                raise ServiceError(f"Berkas kunci {path.name} rusak.") from None
            if keys.fingerprint(public) != entry.get("key_id") or len(public) != 32:
                raise ServiceError(f"Berkas kunci {path.name} rusak: sidik kunci tidak cocok.")
        if not data.get("keys") or not data.get("office_code"):
            raise ServiceError(f"Berkas kunci {path.name} tidak memuat kunci atau kode kantor.")
        return data

    def import_public(self, path: Path) -> list[str]:
        """Trusts the keys of another office; returns their fingerprints (grouped) to compare
        with what that office printed."""
        actor = self._session.require(MANAGE_OFFICE)
        data = self.read(path)
        own = {k.key_id for k in self._keyring.own_keys()}
        added = []
        with self._db.write(actor.user_id) as s:
            for entry in data["keys"]:
                if entry["key_id"] in own:
                    raise ServiceError("Berkas ini memuat kunci kantor Anda sendiri.")
                row = s.get(TrustedKey, entry["key_id"]) or TrustedKey(
                    key_id=entry["key_id"], office_code=data["office_code"],
                    office_name=data.get("office_name") or data["office_code"],
                    purpose=entry["purpose"], public_key=entry["public_key"],
                    added_by=actor.user_id)
                s.add(row)
                added.append(keys.grouped(entry["key_id"]))
            append_audit(s, action="import", entity="trusted_key",
                         detail={"office": data["office_code"], "keys": added},
                         user_id=actor.user_id, username=actor.username)
        return added
