"""Reference data the Dinas Sosial sends with each receipt, and how an office takes it in:

- the desa of the office's own kecamatan from the hub's region master (new desa are added,
  names corrected; none is removed, records may point at them);
- the kabupaten's letter templates (the hub's `templat-surat/` folder): each is checked like a
  template the office wrote itself, and only a template that loads is saved;
- the kabupaten's form and catalogue files (services/form_overrides.py), checked the same way;
- the signing keys of offices whose enrolment was revoked, so their letters stop verifying;
- link notices: the hub's duplicate-person decisions about the office's own persons, naming
  the other person's office but nothing of the other person (services/link_notices.py).

An office never receives another office's records: only these lists and its own receipt.
"""
from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import yaml
from sqlmodel import select

from pmks_desktop.domain.letter_templates import TemplateError, parse_template
from pmks_desktop.services import link_notices
from pmks_desktop.services.enrolment import office_identity
from pmks_desktop.services.form_overrides import reference_files
from pmks_desktop.services.office import KECAMATAN_NAMES_KEY
from pmks_desktop.storage.models import AppSetting, Desa, Office, SyncPeer, TrustedKey

TEMPLATE_FOLDER = "templat-surat"
_SAFE_NAME = re.compile(r"^[a-z0-9_]{1,60}\.yaml$")


def reference_for(db, s, peer: SyncPeer) -> dict:
    """What the hub sends one office (called inside the hub's read session)."""
    desa = s.exec(select(Desa).where(Desa.kecamatan_code == peer.office_code)
                  .order_by(Desa.code)).all()
    folder = db.paths.root / TEMPLATE_FOLDER
    templates = {p.name: p.read_text(encoding="utf-8")
                 for p in sorted(folder.glob("*.yaml")) if _SAFE_NAME.match(p.name)} \
        if folder.is_dir() else {}
    revoked = s.exec(select(SyncPeer).where(SyncPeer.revoked_at != None)).all()  # noqa: E711
    return {"desa": [[d.code, d.name] for d in desa], "templates": templates,
            "forms": reference_files(db.paths.root),
            "revoked_keys": [k for p in revoked for k in (p.sign_key_id, p.box_key_id)],
            link_notices.REFERENCE_KEY: _link_notices(s, peer)}


def _link_notices(s, peer: SyncPeer) -> list[dict]:
    setting = s.get(AppSetting, KECAMATAN_NAMES_KEY)
    names = link_notices.hub_office_names(s, json.loads(setting.value) if setting else {})
    return link_notices.notices_for(s, peer, names, office_identity(s.get(Office, 1))[2])


def apply_reference(s, office, reference: dict) -> dict:
    """Desa, revoked keys and link notices, inside the office's receipt transaction."""
    prefix = f"{office.kecamatan_code}."
    added = renamed = 0
    for code, name in reference.get("desa", []):
        if not str(code).startswith(prefix) or not str(name).strip():
            continue  # another kecamatan's desa is not this office's business
        row = s.get(Desa, code)
        if row is None:
            s.add(Desa(code=code, name=name.strip(), kecamatan_code=office.kecamatan_code))
            added += 1
        elif row.name != name.strip():
            row.name, renamed = name.strip(), renamed + 1
    revoked = 0
    for key_id in reference.get("revoked_keys", []):
        key = s.get(TrustedKey, key_id)
        if key is not None and key.revoked_at is None:
            key.revoked_at, revoked = datetime.now(timezone.utc), revoked + 1
    return {"desa_added": added, "desa_renamed": renamed, "keys_revoked": revoked,
            "link_notices": link_notices.apply_notices(s, reference)}


def write_templates(root: Path, reference: dict) -> dict:
    """After the commit: saves each template that loads; reports the ones refused and why."""
    folder = root / TEMPLATE_FOLDER
    saved, refused = [], {}
    for name, text in (reference.get("templates") or {}).items():
        if not _SAFE_NAME.match(name):
            refused[name] = "nama berkas tidak sah"
            continue
        try:
            parse_template(yaml.safe_load(text), name)
        except (TemplateError, yaml.YAMLError, TypeError, ValueError, AttributeError) as exc:
            refused[name] = getattr(exc, "message", str(exc))
            continue
        folder.mkdir(exist_ok=True)
        tmp = folder / f"{name}.partial"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, folder / name)
        saved.append(name)
    return {"saved": saved, "refused": refused}
