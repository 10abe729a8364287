"""Operations from a bundle written by an older schema, brought to the current one step by
step before they are merged (a newer schema is refused whole by the importer).

Each step names the schema revision that introduced the change and fixes the after-images
written before it. Keep one step per migration that changes a synced table's columns, and
move storage/schema.py's BUNDLE_SCHEMA to that revision.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from pmks_desktop.storage.schema import BUNDLE_SCHEMA, SCHEMA_REVISIONS
from pmks_desktop.sync.ops import OpFormatError, op_from_line, op_to_line


def _form_version(op: dict) -> dict:
    """0003: persons and households record the form version they were entered with."""
    if op.get("table_name") in ("person", "household") and isinstance(op.get("data"), dict):
        op["data"].setdefault("form_version", 1)
    return op


# revision that introduced the change -> what to do to an operation written before it
STEPS: tuple[tuple[str, Callable[[dict], dict]], ...] = (
    ("0003", _form_version),
)


def steps_for(schema: str) -> list[Callable[[dict], dict]]:
    """The steps an operation of `schema` needs, oldest first (none for the current one; the
    importer has already refused a schema it does not know)."""
    if schema not in SCHEMA_REVISIONS:
        return []
    position = SCHEMA_REVISIONS.index(schema)
    return [step for revision, step in STEPS if SCHEMA_REVISIONS.index(revision) > position]


def upgraded_lines(lines: Iterable[bytes], schema: str) -> Iterator[bytes]:
    """The bundle's operation lines at the current schema. A line that cannot be read is
    passed on unchanged, so the merge rejects it with its reason as usual."""
    steps = [] if schema == BUNDLE_SCHEMA else steps_for(schema)
    if not steps:  # the usual bundle: its lines as they are, with no layer in between
        return iter(lines)
    return _upgraded(lines, steps)


def _upgraded(lines: Iterable[bytes], steps: list[Callable[[dict], dict]]) -> Iterator[bytes]:
    for line in lines:
        if not line or line.isspace():
            yield line
            continue
        try:
            op = op_from_line(line)
        except OpFormatError:
            yield line
            continue
        for step in steps:
            op = step(op)
        op["schema_version"] = BUNDLE_SCHEMA
        yield op_to_line(op)
