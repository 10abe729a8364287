"""What a list shows in its "Status kirim" column, per record, at a kecamatan office:
belum dikirim / dalam perjalanan / diterima Dinas (from the record's last change, the bundles
written and the hub's receipts), konflik (an open sync conflict on the record) or ditolak with
the hub's reason (the hub refused the record's last change)."""
from __future__ import annotations

import json

from sqlalchemy import text
from sqlmodel import select

from pmks_desktop.storage.models import PeerAck, SyncConflict


class SyncStates:
    def __init__(self, db, office, export):
        self._db, self._office, self._export = db, office, export

    def enabled(self) -> bool:
        """Only offices send records; at the hub every record has arrived."""
        return self._office.office().mode == "kecamatan"

    def states(self, table: str, row_ids: list[str]) -> dict[str, str]:
        if not row_ids:
            return {}
        states = self._export.record_states(table, row_ids)
        with self._db.read() as s:
            for row_id in s.exec(select(SyncConflict.row_id).where(
                    SyncConflict.table_name == table, SyncConflict.row_id.in_(row_ids),
                    SyncConflict.resolved_at == None)):  # noqa: E711
                states[row_id] = "konflik"
            states.update(self._rejected(s, table, row_ids))
        return states

    def _rejected(self, s, table: str, row_ids: list[str]) -> dict[str, str]:
        refused = {(r["epoch"], r["seq"]): r.get("reason") or ""
                   for ack in s.exec(select(PeerAck)) for r in json.loads(ack.rejected)}
        if not refused:
            return {}
        marks = ",".join(f":r{i}" for i in range(len(row_ids)))
        rows = s.connection().execute(text(
            f"SELECT row_id, epoch, MAX(seq) FROM change_log WHERE table_name = :t AND row_id IN "
            f"({marks}) GROUP BY row_id, epoch"),
            {"t": table, **{f"r{i}": r for i, r in enumerate(row_ids)}}).all()
        return {row_id: f"ditolak ({refused[(epoch, seq)]})" for row_id, epoch, seq in rows
                if (epoch, seq) in refused}
