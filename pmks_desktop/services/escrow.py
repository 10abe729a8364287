"""The Dinas Sosial's offline escrow key: every office bundle is also encrypted to it, so the
kiriman stay readable if the hub PC and its keys are lost. Only the public half stays on the
hub PC; the private half goes into a file protected by a passphrase (Argon2id + SecretBox),
to be kept offline (a stick in the safe), and is used with `open_with_escrow`.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from sqlmodel import select

from pmks_desktop.domain.roles import MANAGE_OFFICE
from pmks_desktop.services.errors import ServiceError
from pmks_desktop.storage.audit import append_audit
from pmks_desktop.storage.models import NodeKey, utc_now
from pmks_desktop.sync import keys

FORMAT = "pmks-kunci-cadangan/1"
MIN_PASSPHRASE = 12


def create_escrow(db, session, office, target: Path, passphrase: str) -> str:
    actor = session.require(MANAGE_OFFICE)
    if office.office().mode == "kecamatan":
        raise ServiceError("Kunci cadangan hanya dibuat di Dinas Sosial.")
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise ServiceError(f"Frasa sandi kunci cadangan minimal {MIN_PASSPHRASE} karakter.")
    pair = keys.generate("box")
    wrapped = keys.wrap_secret(pair.private, passphrase)
    data = {"format": FORMAT, "key_id": pair.key_id, "public_key": keys.b64(pair.public),
            "salt": keys.b64(wrapped.salt), "opslimit": wrapped.opslimit,
            "memlimit": wrapped.memlimit, "wrapped": keys.b64(wrapped.wrapped)}
    tmp = target.with_name(target.name + ".partial")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, target)
    with db.write(actor.user_id) as s:
        for old in s.exec(select(NodeKey).where(NodeKey.purpose == "escrow",
                                                NodeKey.retired_at == None)):  # noqa: E711
            old.retired_at = utc_now()
        # The private half is not kept here: sealed_private stays empty on purpose.
        s.add(NodeKey(key_id=pair.key_id, purpose="escrow", public_key=keys.b64(pair.public),
                      sealed_private=""))
        append_audit(s, action="setup", entity="node_key", entity_id=pair.key_id,
                     detail={"escrow": target.name}, user_id=actor.user_id,
                     username=actor.username)
    return pair.key_id


def current_escrow(db) -> NodeKey | None:
    with db.read() as s:
        return s.exec(select(NodeKey).where(NodeKey.purpose == "escrow",
                                            NodeKey.retired_at == None)).first()  # noqa: E711


def open_escrow_file(path: Path, passphrase: str) -> dict[str, bytes]:
    """{key id: private key} for bundle.open_bundle, from the offline file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError
        slot = keys.WrappedSecret(keys.unb64(data["salt"]), data["opslimit"], data["memlimit"],
                                  keys.unb64(data["wrapped"]))
    except (OSError, ValueError, KeyError, TypeError):
        raise ServiceError(f"Berkas {Path(path).name} bukan berkas kunci cadangan.") from None
    try:
        return {data["key_id"]: keys.unwrap_secret(slot, passphrase)}
    except keys.KeyUnavailable:
        raise ServiceError("Frasa sandi kunci cadangan salah.") from None
