"""Merge benchmark: operations from an office's real change log applied at a hub.

Persons are written at an "office" through the ORM (change capture fills change_log), exported
as JSON lines, and merged into an empty "hub" in one transaction: inserts, then an update of
every person, then the same lines again (all already received), then children whose parents
arrive in a later import (parked, then applied). Reported as milliseconds per operation.

    python benchmarks/bench_merge.py [--persons 20000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from pmks_desktop.paths import DataPaths  # noqa: E402
from pmks_desktop.storage.database import open_database  # noqa: E402
from pmks_desktop.storage.models import ChangeLog, Person, PmksCase  # noqa: E402
from pmks_desktop.sync.merge import apply_lines  # noqa: E402
from pmks_desktop.sync.ops import op_from_changelog, op_to_line  # noqa: E402

BATCH = 2000


def office_changes(office, persons: int) -> list[str]:
    ids = []
    for start in range(0, persons, BATCH):
        with office.write("u1") as s:
            batch = [Person(name=f"Warga {i}", sex="L" if i % 2 else "P", nik=f"36040501{i:08d}",
                            desa_code="36.04.05.2001", birth_date=date(1970 + i % 40, 1, 1),
                            address="Jl. Raya Serang", rt="001", rw="002")
                     for i in range(start, min(start + BATCH, persons))]
            s.add_all(batch)
        ids += [p.id for p in batch]
    return ids


def edit_all(office, ids: list[str]) -> None:
    for start in range(0, len(ids), BATCH):
        with office.write("u2") as s:
            for pid in ids[start:start + BATCH]:
                s.get(Person, pid).notes = "diverifikasi"


def lines_after(office, seq: int) -> tuple[list[bytes], int]:
    with office.read() as s:
        rows = s.exec(select(ChangeLog).where(ChangeLog.seq > seq).order_by(ChangeLog.seq)).all()
    return [op_to_line(op_from_changelog(r)) for r in rows], (rows[-1].seq if rows else seq)


def timed_apply(hub, lines, label: str) -> None:
    start = time.perf_counter()
    with hub.write() as s:
        result = apply_lines(s, lines, bundle_id=label)
    elapsed = time.perf_counter() - start
    counts = {o: n for o in ("baru", "diperbarui", "tidak berubah", "konflik", "menunggu",
                             "ditolak") if (n := result.total(o))}
    print(f"{label:<28} {len(lines):>7} ops  {elapsed:7.2f} s  "
          f"{1000 * elapsed / max(len(lines), 1):.3f} ms/op  {counts}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        office = open_database(DataPaths(Path(tmp) / "office"))
        hub = open_database(DataPaths(Path(tmp) / "hub"))
        ids = office_changes(office, args.persons)
        inserts, seq = lines_after(office, 0)
        timed_apply(hub, inserts, "insert persons")
        edit_all(office, ids)
        updates, seq = lines_after(office, seq)
        timed_apply(hub, updates, "update persons")
        timed_apply(hub, inserts + updates, "re-import (already received)")
        with office.write("u1") as s:
            parents = [Person(name=f"Kepala {i}", sex="L", desa_code="36.04.05.2001")
                       for i in range(args.persons // 10)]
            s.add_all(parents)
            s.flush()
            s.add_all(PmksCase(person_id=p.id, type_code="23", bidang="rehsos",
                               recorded_on=date(2024, 7, 27)) for p in parents)
        mixed, seq = lines_after(office, seq)
        cases = [line for line in mixed if b'"table_name":"pmks_case"' in line]
        timed_apply(hub, cases, "children first (parked)")
        timed_apply(hub, [line for line in mixed if line not in cases], "parents (+ unparked)")
        office.close()
        hub.close()


if __name__ == "__main__":
    main()
