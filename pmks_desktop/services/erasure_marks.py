"""Erasures remembered beside the database (`penghapusan.json`), so a restored backup cannot
bring an erased person back.

A backup taken before an erasure still holds the person. When such a backup is restored, the
database no longer knows about the erasure; this file does (ids, times and installs only, no
personal data and no reason), and start-up erases the person again. An erasure made on this
PC is also written to the change log again, so the Dinas Sosial receives it even if the restore
lost the original before it was sent. Same idea as `nomor-surat.json` for letter numbers.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from pmks_desktop.sync.purge import Erasure

MARK_FILE = "penghapusan.json"
REAPPLIED_REASON = "Diulang saat dibuka: basis data dipulihkan dari cadangan yang lebih lama."


def _path(root: Path) -> Path:
    return root / MARK_FILE


def recorded(root: Path) -> dict[str, dict]:
    """person id -> {"purged_at", "origin", "by"} of every erasure made or received here."""
    try:
        data = json.loads(_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    persons = data.get("persons") if isinstance(data, dict) else None
    return {k: v for k, v in persons.items() if isinstance(v, dict)} \
        if isinstance(persons, dict) else {}


def remember(root: Path, erasures: list[Erasure]) -> None:
    """Add erasures (after their transaction committed), written atomically."""
    if not erasures:
        return
    persons = recorded(root)
    for e in erasures:
        persons.setdefault(e.person_id, {"purged_at": e.purged_at, "origin": e.origin,
                                         "by": e.by})
    target = _path(root)
    tmp = target.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"format": "pmks-penghapusan/1", "persons": persons}, f, indent=1,
                  sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)


def after_erasures(db, erasures: list[Erasure]) -> None:
    """Once erasures have committed (made here, received, or re-applied): remember them beside
    the database and truncate the write-ahead log, which still holds the pages as they were."""
    if erasures:
        remember(db.paths.root, erasures)
        db.truncate_wal()


def to_reapply(root: Path, erased: set[str]) -> list[Erasure]:
    """Recorded erasures of persons the database does not list as erased."""
    return [Erasure(pid, str(m.get("purged_at", "")), str(m.get("origin", "")),
                    str(m.get("by", "")), REAPPLIED_REASON)
            for pid, m in sorted(recorded(root).items()) if pid not in erased]
