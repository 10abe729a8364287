"""Health checks that need no signed-in user (start-up, self-test, `pmks audit-verify`)."""
from __future__ import annotations

from pmks_desktop.storage.audit import ChainReport, verify_chain
from pmks_desktop.storage.database import Database


def verify_audit_trail(db: Database) -> ChainReport:
    with db.read() as s:
        return verify_chain(s)
