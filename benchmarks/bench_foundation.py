"""Foundation benchmark: demo data, case list and search at scale, main window start.

Every figure is a ratio against a baseline measured in the same run:
- bulk write: `pmks demo` (persons + cases + change log + FTS index + audit) against plain
  sqlite3 executemany of the same person and case rows into bare tables;
- case list: the service's count + first page (joins, masking, keyset) against the same rows
  read with one raw SQL statement; the same for a search as you type;
- window: building and showing the main window on that database against a bare QMainWindow
  holding a QTableView.

    python benchmarks/bench_foundation.py [--persons 100000]
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pmks_desktop.paths import DataPaths  # noqa: E402


def timed(fn, repeat: int = 1) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def baseline_bulk(path: Path, persons: int) -> float:
    """The floor: the same number of person and case rows, plain executemany, no capture."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE person (id TEXT PRIMARY KEY, name TEXT, nik TEXT, sex TEXT,"
                 " birth_date TEXT, desa_code TEXT, address TEXT)")
    conn.execute("CREATE TABLE pmks_case (id TEXT PRIMARY KEY, person_id TEXT, type_code TEXT,"
                 " recorded_on TEXT, status TEXT, criteria TEXT)")
    import uuid

    start = time.perf_counter()
    people = [(str(uuid.uuid4()), f"Orang {i}", f"36040512058{i:05d}", "L", "1980-05-12",
               "36.04.05.2001", "Kp. Sukamaju") for i in range(persons)]
    cases = [(str(uuid.uuid4()), p[0], "02", "2024-07-27", "baru", '["c1"]') for p in people]
    with conn:
        conn.executemany("INSERT INTO person VALUES (?,?,?,?,?,?,?)", people)
        conn.executemany("INSERT INTO pmks_case VALUES (?,?,?,?,?,?)", cases)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def product_bulk(data: DataPaths, persons: int, csv: Path | None) -> tuple[float, float, int]:
    """Persons + cases in bulk (timed against the baseline), then the registers the demo saves
    one by one through the services (timed per record)."""
    import random

    from pmks_desktop.services.container import build_services
    from pmks_desktop.services.demo import (DEMO_ADMIN, demo_office, demo_users,
                                            generate_records, load_region_master)
    from pmks_desktop.services.demo_registers import generate_registers
    from pmks_desktop.storage.database import open_database

    services = build_services(open_database(data))
    office = demo_office(load_region_master(csv))
    admin, _operator = demo_users()
    services.office.set_up(office.setup, admin)
    services.users.authenticate(*DEMO_ADMIN)
    start = time.perf_counter()
    generate_records(services.db, services.catalogue, office, persons)
    bulk = time.perf_counter() - start
    start = time.perf_counter()
    counts = generate_registers(services, random.Random(2024), persons_total=persons)
    saved = sum(counts.values())
    return bulk, (time.perf_counter() - start), saved


def list_figures(data: DataPaths) -> dict[str, tuple[float, float]]:
    from pmks_desktop.services.case_queries import CaseQuery
    from pmks_desktop.services.container import build_services
    from pmks_desktop.storage.database import open_database

    services = build_services(open_database(data))
    services.users.authenticate("admin", "demo-admin-123")
    raw = sqlite3.connect(data.database)
    figures = {}
    for label, query, where in (
            ("daftar kasus (hitung + halaman 1)", CaseQuery(bidang="rehsos"), ""),
            ("cari 'siti' (hitung + halaman 1)", CaseQuery(bidang="rehsos", text="siti"),
             "AND p.name LIKE '%siti%'")):
        ours = timed(lambda: (services.case_queries.count(query),
                              services.case_queries.page(query)), repeat=5)
        sql_count = ("SELECT count(*) FROM pmks_case c JOIN person p ON p.id = c.person_id "
                     f"WHERE c.deleted_at IS NULL AND c.bidang = 'rehsos' {where}")
        sql_page = ("SELECT c.*, p.name, p.nik FROM pmks_case c JOIN person p ON "
                    f"p.id = c.person_id WHERE c.deleted_at IS NULL AND c.bidang = 'rehsos' "
                    f"{where} ORDER BY c.recorded_on DESC, c.id DESC LIMIT 200")
        base = timed(lambda: (raw.execute(sql_count).fetchone(),
                              raw.execute(sql_page).fetchall()), repeat=5)
        figures[label] = (ours, base)
    from pmks_desktop.services.register_queries import EntryQuery

    kpm = EntryQuery(register="kpm")
    figures["daftar KPM Sembako (hitung + halaman 1)"] = (
        timed(lambda: (services.register_queries.count(kpm), services.register_queries.page(kpm)),
              repeat=5),
        timed(lambda: (raw.execute("SELECT count(*) FROM register_entry WHERE register_code="
                                   "'kpm' AND deleted_at IS NULL").fetchone(),
                       raw.execute("SELECT * FROM register_entry WHERE register_code='kpm' AND "
                                   "deleted_at IS NULL ORDER BY recorded_on DESC, id DESC "
                                   "LIMIT 200").fetchall()), repeat=5))
    figures["daftar orang (hitung + halaman 1)"] = (
        timed(lambda: (services.people.count_persons(), services.people.persons()), repeat=5),
        timed(lambda: (raw.execute("SELECT count(*) FROM person WHERE deleted_at IS NULL")
                       .fetchone(),
                       raw.execute("SELECT * FROM person WHERE deleted_at IS NULL ORDER BY "
                                   "name_key, id LIMIT 200").fetchall()), repeat=5))
    raw.close()
    return figures, services


def window_figures(services) -> tuple[float, float]:
    from PySide6.QtWidgets import QMainWindow, QTableView

    from pmks_desktop.ui.app import make_application
    from pmks_desktop.ui.main_window import MainWindow

    app = make_application([])

    def ours():
        window = MainWindow(services)
        window.show()
        app.processEvents()
        window.close()
        window.deleteLater()

    def bare():
        window = QMainWindow()
        window.setCentralWidget(QTableView())
        window.show()
        app.processEvents()
        window.close()
        window.deleteLater()

    return timed(ours, repeat=3), timed(bare, repeat=3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--regions-csv", type=Path,
                        default=ROOT.parent / "shared/data/wilayah-kepmendagri-2025.csv")
    args = parser.parse_args()
    csv = args.regions_csv if args.regions_csv.exists() else None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base_bulk = baseline_bulk(tmp / "baseline.sqlite", args.persons)
        data = DataPaths(tmp / "data")
        our_bulk, registers_time, registers_saved = product_bulk(data, args.persons, csv)
        lists, services = list_figures(data)
        win = window_figures(services)
        size_mb = data.database.stat().st_size / 1e6
    print(f"\nPMKS Desktop foundation benchmark, {args.persons:,} persons/cases")
    print(f"{'what':40} {'ours':>9} {'baseline':>9} {'ratio':>7}")
    rows = [("orang+kasus massal (vs executemany)", our_bulk, base_bulk)]
    rows += [(k, *v) for k, v in lists.items()]
    rows.append(("buka jendela utama (vs QMainWindow)", *win))
    for label, ours, base in rows:
        print(f"{label:40} {ours:9.3f} {base:9.3f} {ours / base:7.2f}x")
    print(f"register demo through the services: {registers_saved:,} records in "
          f"{registers_time:.1f} s ({registers_time / max(registers_saved, 1) * 1000:.1f} ms "
          "per record: validation, change log, audit, one transaction each)")
    print(f"database size: {size_mb:.1f} MB")


if __name__ == "__main__":
    main()
