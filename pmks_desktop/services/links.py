"""Keeping a list of linked persons (household members, group members) in step with a form."""
from __future__ import annotations

from typing import Callable, Iterable

from pmks_desktop.storage.models import utc_now


def sync_people(session, current_rows: Iterable, wanted: dict[str, str], attr: str,
                make_row: Callable[[str, str], object], left_reason: str) -> None:
    """Rows of persons no longer listed go to the trash (the change syncs); changed roles or
    relations (`attr`) are updated; newly listed persons get a row from make_row."""
    current = {row.person_id: row for row in current_rows}
    for person_id, row in current.items():
        if person_id not in wanted:
            row.deleted_at, row.deleted_reason = utc_now(), left_reason
        elif getattr(row, attr) != wanted[person_id]:
            setattr(row, attr, wanted[person_id])
    for person_id, value in wanted.items():
        if person_id not in current:
            session.add(make_row(person_id, value))
