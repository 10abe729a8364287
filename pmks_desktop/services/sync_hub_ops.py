"""Changes the Dinas Sosial made to an office's own records (a conflict resolved, a correction
after verification) travel back to that office with its receipt, so hub and office converge.

Which records are the office's: those whose operations arrived from that office's PCs
(received_op keeps the table and row of every operation). An office never receives another
office's records. Hub-owned rows that point at several offices' persons (person_link) are not
sent as operations: the row names the other office's person, which never arrives at the office
(its foreign key could not be satisfied, and the row would tell the office who that person
is). Instead each receipt's reference data carries link notices: the decision about the
office's own persons, naming only the other person's office (services/link_notices.py).
"""
from __future__ import annotations

from sqlalchemy import text

from pmks_desktop.storage.models import ChangeLog
from pmks_desktop.sync.ops import op_from_changelog, op_to_line

_HUB_OPS = """
SELECT c.id FROM change_log c
WHERE c.origin = :hub AND c.table_name NOT IN ('person_link')
  AND EXISTS (SELECT 1 FROM received_op r
              WHERE r.table_name = c.table_name AND r.row_id = c.row_id AND r.origin = :office)
ORDER BY c.epoch, c.seq
"""


def hub_ops_for(s, hub_node: str, office_node: str) -> bytes:
    """The hub's operations on the office's records, as ops.jsonl; importing them again at the
    office changes nothing (the merge is idempotent), so all of them are sent every time."""
    ids = [row[0] for row in s.connection().execute(
        text(_HUB_OPS), {"hub": hub_node, "office": office_node})]
    lines = (op_to_line(op_from_changelog(s.get(ChangeLog, i))) for i in ids)
    return b"".join(lines)
