"""Recap benchmark: the main PMKS recap over N cases, as a ratio against a bare baseline.

- ours: RecapService.main_recap (aggregate queries, rows x types x L/P/Jml, totals, hash)
  plus render_recap (bands, repeated headers, footer "Halaman X dari Y", signatures);
- baseline: the bare aggregation in raw sqlite3 (one GROUP BY desa, type, sex over the same
  cases; once as a plain JOIN, once with the person-first join order the service forces) plus
  a plain reportlab platypus Table of the same size (same rows and number of cells, the same
  embedded font, the same bands on landscape A4, no styling).

Each figure is the best of --repeat runs, the jobs taking turns.

The cases come from the demo generator (benchmarks/bench_foundation.py does the same): N
persons, each with a Rehabilitasi Sosial case, in the 15 desa of Kramatwatu.

    python benchmarks/bench_recap.py [--cases 100000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import io
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pmks_desktop.paths import DataPaths  # noqa: E402

BARE_SQL = """
SELECT p.desa_code, c.type_code, p.sex, count(*)
FROM pmks_case c JOIN person p ON p.id = c.person_id
WHERE c.deleted_at IS NULL AND c.recorded_on <= ?
GROUP BY 1, 2, 3"""
# The same with the join order the service forces (person first): the fastest bare query.
TUNED_SQL = BARE_SQL.replace("FROM pmks_case c JOIN person p ON p.id = c.person_id",
                             "FROM person p CROSS JOIN pmks_case c ON p.id = c.person_id")


def build(data: DataPaths, cases: int, csv: Path | None):
    from pmks_desktop.services.container import build_services
    from pmks_desktop.services.demo import (DEMO_ADMIN, demo_office, demo_users,
                                            generate_records, load_region_master)
    from pmks_desktop.storage.database import open_database

    services = build_services(open_database(data))
    office = demo_office(load_region_master(csv))
    admin, _operator = demo_users()
    services.office.set_up(office.setup, admin)
    services.users.authenticate(*DEMO_ADMIN)
    start = time.perf_counter()
    generate_records(services.db, services.catalogue, office, cases)
    return services, time.perf_counter() - start


def ours(services, period) -> tuple:
    from pmks_desktop.reports.recap_pdf import render_recap

    sheet = services.recaps.main_recap(period)
    return sheet, render_recap(sheet)


def bare_sql(conn: sqlite3.Connection, period, sql: str = BARE_SQL) -> list:
    return conn.execute(sql, (period.end.isoformat(),)).fetchall()


def baseline(conn: sqlite3.Connection, period, shape: list[int], rows: int,
             sql: str = BARE_SQL) -> bytes:
    """Bare GROUP BY, then plain tables: one per band, `shape` number columns each."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from pmks_desktop.reports.fonts import REGULAR, register_fonts

    counts = bare_sql(conn, period, sql)
    register_fonts()
    per_desa: dict[str, int] = {}
    for desa, _type, _sex, n in counts:
        per_desa[desa] = per_desa.get(desa, 0) + n
    names = sorted(per_desa)[:rows] + [""] * max(0, rows - len(per_desa))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4))
    story = []
    for columns in shape:
        cells = [["No.", "Desa"] + [str(i) for i in range(columns)]]
        cells += [[str(i), name] + [str(per_desa.get(name, 0))] * columns
                  for i, name in enumerate(names, start=1)]
        table = Table(cells, repeatRows=1)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 7)]))
        story.append(table)
    doc.build(story)
    return out.getvalue()


def band_shape(sheet) -> list[int]:
    """Number columns per band, as our renderer cut them."""
    from pmks_desktop.reports.recap_pdf import MARGIN
    from pmks_desktop.reports.recap_pdf_table import _label_widths, _leaf_widths, split_bands

    table = sheet.tables[0]
    width = 297 * 72 / 25.4 - 2 * MARGIN
    leaves = _leaf_widths(table)
    bands = split_bands(table, leaves, width - sum(_label_widths(table)))
    slices = table.leaf_slices()
    return [sum(slices[g].stop - slices[g].start for g in band) for band in bands]


def interleaved(jobs: dict, repeat: int) -> dict[str, float]:
    """Best of `repeat` runs each, the jobs taking turns, so a busy moment on the machine
    slows every figure alike instead of one of them."""
    runs: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeat):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            runs[name].append(time.perf_counter() - start)
    return {name: min(times) for name, times in runs.items()}


def measure(services, conn, period, repeat: int) -> tuple:
    sheet, pdf = ours(services, period)  # warm: fonts, imports, SQLite cache
    shape, rows = band_shape(sheet), len(sheet.tables[0].rows)
    base_pdf = baseline(conn, period, shape, rows)
    times = interleaved({
        "ours": lambda: ours(services, period),
        "sheet": lambda: services.recaps.main_recap(period),
        "base": lambda: baseline(conn, period, shape, rows),
        "base_sql": lambda: bare_sql(conn, period),
        "tuned": lambda: baseline(conn, period, shape, rows, TUNED_SQL),
        "tuned_sql": lambda: bare_sql(conn, period, TUNED_SQL),
    }, repeat)
    return sheet, pdf, base_pdf, shape, times


def report(args, build_time: float, sheet, pdf, base_pdf, shape, t: dict) -> None:
    table = sheet.tables[0]
    print(f"\nPMKS Desktop recap benchmark: {args.cases:,} cases "
          f"(generated in {build_time:.1f} s), best of {args.repeat}")
    print(f"sheet: {len(table.rows)} rows x {len(table.leaves())} number columns in "
          f"{len(shape)} bands {shape}; total {table.totals[-1]:,}; PDF "
          f"{len(pdf) / 1024:.0f} KiB (baseline {len(base_pdf) / 1024:.0f} KiB)")
    print(f"{'what':58} {'ours':>7} {'base':>7} {'ratio':>6}")
    lines = [("rekap + PDF vs GROUP BY + plain table", "ours", "base"),
             ("  sheet only vs bare GROUP BY", "sheet", "base_sql"),
             ("rekap + PDF vs person-first GROUP BY + plain table", "ours", "tuned"),
             ("  sheet only vs person-first GROUP BY", "sheet", "tuned_sql")]
    for label, mine, theirs in lines:
        print(f"{label:58} {t[mine]:7.3f} {t[theirs]:7.3f} {t[mine] / t[theirs]:5.2f}x")
    render, plain = t["ours"] - t["sheet"], t["base"] - t["base_sql"]
    print(f"{'  PDF only vs plain table (differences)':58} {render:7.3f} {plain:7.3f} "
          f"{render / plain:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--regions-csv", type=Path,
                        default=ROOT.parent / "shared/data/wilayah-kepmendagri-2025.csv")
    args = parser.parse_args()
    from pmks_desktop.services.recap_queries import Period

    csv = args.regions_csv if args.regions_csv.exists() else None
    with tempfile.TemporaryDirectory() as tmp:
        data = DataPaths(Path(tmp) / "data")
        services, build_time = build(data, args.cases, csv)
        # One open connection with the read settings of storage/engine.py (page cache, mmap,
        # temp store in memory), as the service keeps its own: the ratio then measures our
        # code, not connection settings.
        conn = sqlite3.connect(data.database)
        for pragma in ("cache_size = -65536", "mmap_size = 268435456", "temp_store = MEMORY"):
            conn.execute(f"PRAGMA {pragma}")
        results = measure(services, conn, Period.of(date.today()), args.repeat)
        conn.close()
        services.db.close()
    report(args, build_time, *results)


if __name__ == "__main__":
    main()
