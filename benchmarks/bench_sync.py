"""Sync benchmark: export and import of many changes through the services, as ratios.

A hub and two offices are enrolled in a temporary folder (tests/sync_world.py). Office A gets
persons and cases written in bulk with their change-log rows (services/demo.generate_records),
then:
- export: SyncExport.export to a "stick" (bundles of PART_SIZE operations);
- import: SyncImport.apply of every part at the hub, in order;
- re-import: the same files again (already imported: checked, then nothing is written);
- baseline: plain sqlite3 executemany of the same person and pmks_case rows (as stored at the
  office) into an empty database with the hub's schema, one transaction, same pragmas.
Every time is reported as a ratio against that baseline, measured in the same run (goal:
import <= 3x).

Memory is measured in fresh child processes, on copies of the office and hub taken before the
timed runs (so the timings carry no tracemalloc overhead): the tracemalloc peak per part and
overall, and the growth of the RSS high-water mark (VmHWM, reset in the child: ru_maxrss would
carry the parent's over fork + exec), against the uncompressed size of the operations in all
bundles. A streaming import or export holds about one part, not all of them.

    python benchmarks/bench_sync.py [--changes 100000] [--repeat 3] [--profile]

--profile also imports the bundles into another hub copy under cProfile and prints where the
time goes.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # sync_world: the enrolled hub + offices of the tests

REGIONS_CSV = ROOT.parent / "shared/data/wilayah-kepmendagri-2025.csv"
MB = 1024 * 1024


# ----------------------------------------------------------------------------- set-up

def load_catalogue():
    from pmks_desktop.domain.catalogue import load_catalogue as load
    from pmks_desktop.paths import forms_dir

    return load(forms_dir() / "pmks_catalogue.yaml")


def fill_office(office, catalogue, regions, changes: int) -> int:
    """Persons + one case each, both with change-log rows: `changes` rows in all."""
    from pmks_desktop.services.demo import demo_office, generate_records

    generate_records(office.db, catalogue, demo_office(regions, "36.04.05"), changes // 2)
    with sqlite3.connect(office.db.paths.database) as conn:
        return conn.execute("SELECT count(*) FROM change_log").fetchone()[0]


def copy_sites(world, root: Path, catalogue, regions, names: dict[str, str]) -> None:
    """Close office A and the hub, copy their folders, reopen them (as the tests do)."""
    from sync_world import open_site

    for attr in ("a", "hub"):
        getattr(world, attr).db.close()
    for source, target in names.items():
        shutil.copytree(root / source, root / target)
    world.a = open_site(root / "kec-a", catalogue, regions)
    world.hub = open_site(root / "dinsos", catalogue, regions)


# ----------------------------------------------------------------------------- baseline

def baseline_rows(office_db: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    with sqlite3.connect(office_db) as conn:
        out = {}
        for table in ("person", "pmks_case"):
            cur = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
            out[table] = ([d[0] for d in cur.description], cur.fetchall())
    return out


def baseline_once(empty: Path, target: Path, rows) -> float:
    """The floor: the same stored rows, plain executemany, one transaction, the app's pragmas."""
    src, dst = sqlite3.connect(empty), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    conn = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode = WAL", "foreign_keys = ON", "synchronous = FULL",
                   "cache_size = -65536", "temp_store = MEMORY"):
        conn.execute(f"PRAGMA {pragma}")
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for table, (columns, values) in rows.items():
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                         f"({', '.join('?' * len(columns))})", values)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    count = conn.execute("SELECT (SELECT count(*) FROM person) + "
                         "(SELECT count(*) FROM pmks_case)").fetchone()[0]
    conn.close()
    assert count == sum(len(v) for _c, v in rows.values()), count
    return elapsed


class Baseline:
    """Runs of the floor, interleaved with the measured steps so that load on the machine
    weighs on both alike; the median of the runs is the denominator."""

    def __init__(self, root: Path, office_db: Path):
        from pmks_desktop.paths import DataPaths
        from pmks_desktop.storage.database import open_database

        empty_db = open_database(DataPaths(root / "baseline-empty"))  # hub schema, empty
        self.empty, self.root = empty_db.paths.database, root
        empty_db.close()
        self.rows = baseline_rows(office_db)
        self.count = sum(len(v) for _c, v in self.rows.values())
        self.runs: list[float] = []

    def run(self) -> None:
        target = self.root / f"baseline-{len(self.runs)}.sqlite"
        self.runs.append(baseline_once(self.empty, target, self.rows))
        target.unlink()

    @property
    def seconds(self) -> float:
        return statistics.median(self.runs)


# ----------------------------------------------------------------------------- measuring

def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def ops_sizes(hub, files: list[Path]) -> list[int]:
    """Uncompressed bytes of ops.jsonl in each bundle (from the verified manifest)."""
    from pmks_desktop.sync.bundle import open_bundle, read_header

    sizes = []
    for path in files:
        data = path.read_bytes()
        header = read_header(data)[0]
        with open_bundle(data, header, hub.enrolment.box_private()) as contents:
            sizes.append(contents.size("ops.jsonl"))
    return sizes


def import_all(hub, files: list[Path]) -> tuple[list[float], int, int, bool]:
    """Applies every part in order: (seconds per part, new, rejected, all already imported)."""
    times, new, rejected, already = [], 0, 0, True
    for path in files:
        seconds, done = timed(lambda path=path: hub.sync_import.apply(path))
        times.append(seconds)
        new += done.result.total("baru")
        rejected += len(done.result.rejected)
        already = already and done.already_imported
    return times, new, rejected, already


def rss_now_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() // 1024


def reset_high_water() -> None:
    """ru_maxrss survives fork + exec (a child starts with the parent's high-water mark), so
    reset the kernel's peak RSS (Linux >= 4.0) and read VmHWM instead."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def high_water_kb() -> int:
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_measure(kind: str, site: Path, files: list[Path], stick: Path | None) -> dict:
    """In a fresh process: tracemalloc peak per step and growth of the RSS high-water mark."""
    from sync_world import open_site

    services = open_site(site, load_catalogue(), None)
    reset_high_water()
    rss_before, hwm_before = rss_now_kb(), high_water_kb()
    tracemalloc.start()
    peaks, hwms, sizes = [], [], []  # sizes: database file + WAL after each part
    if kind == "import":
        for path in files:
            tracemalloc.reset_peak()
            services.sync_import.apply(path)
            peaks.append(tracemalloc.get_traced_memory()[1])
            hwms.append(high_water_kb())
            sizes.append(sum(f.stat().st_size for f in services.db.paths.database.parent.glob(
                services.db.paths.database.name + "*")))
    else:
        services.sync_export.export(stick)
        peaks.append(tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    hwm_after = high_water_kb()
    services.db.close()
    return {"peaks": peaks, "rss_before_kb": rss_before, "hwm_before_kb": hwm_before,
            "hwm_after_kb": hwm_after, "hwm_per_step_kb": hwms, "db_bytes": sizes}


def run_child(kind: str, site: Path, files: list[Path], stick: Path | None = None) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--site", str(site)]
    if stick is not None:
        cmd += ["--stick", str(stick)]
    cmd += ["--files", *map(str, files)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def profile_import(site: Path, catalogue, files: list[Path], top: int = 25) -> str:
    from sync_world import open_site

    services = open_site(site, catalogue, None)
    profiler = cProfile.Profile()
    profiler.enable()
    for path in files:
        services.sync_import.apply(path)
    profiler.disable()
    services.db.close()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return text.getvalue()


# ----------------------------------------------------------------------------- report

def report(n_changes: int, figures: dict, base: float, sizes: list[int], mem_import: dict,
           mem_export: dict, parts: int) -> None:
    print(f"\nPMKS Desktop sync benchmark: {n_changes:,} changes from office A "
          f"({parts} bundles of <= 20,000)")
    print(f"{'what':46} {'seconds':>9} {'vs baseline':>12}")
    print(f"{'baseline: executemany person+pmks_case rows':46} {base:9.3f} {'1.00x':>12}")
    for label, seconds in figures.items():
        print(f"{label:46} {seconds:9.3f} {seconds / base:11.2f}x")
    goal = figures["import at the hub (all parts, in order)"] / base
    print(f"import goal <= 3x: {'met' if goal <= 3 else 'NOT met'} ({goal:.2f}x)")
    total, largest = sum(sizes), max(sizes)
    print(f"\nops.jsonl uncompressed: {total / MB:.1f} MB in all bundles, "
          f"largest part {largest / MB:.1f} MB")
    for kind, mem in (("import (all parts)", mem_import), ("export", mem_export)):
        peak = max(mem["peaks"])
        growth = max(0, mem["hwm_after_kb"] - max(mem["hwm_before_kb"], mem["rss_before_kb"]))
        print(f"{kind:20} tracemalloc peak {peak / MB:7.1f} MB = {peak / total:5.2f}x all ops, "
              f"{peak / largest:5.2f}x one part; RSS high-water +{growth / 1024:.0f} MB "
              f"(RSS {mem['rss_before_kb'] / 1024:.0f} MB before, high-water "
              f"{mem['hwm_before_kb'] / 1024:.0f} -> {mem['hwm_after_kb'] / 1024:.0f} MB)")
    print("import, after each part: tracemalloc peak (MB) "
          + ", ".join(f"{p / MB:.1f}" for p in mem_import["peaks"])
          + "; RSS high-water (MB) "
          + ", ".join(f"{k / 1024:.0f}" for k in mem_import["hwm_per_step_kb"])
          + "; hub database + WAL (MB) "
          + ", ".join(f"{k / MB:.0f}" for k in mem_import["db_bytes"]))
    print("  (RSS also holds SQLite's page cache, up to 64 MB, and the database pages it reads "
          "through mmap, up to 256 MB: it follows the database, not the bundles)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--repeat", type=int, default=1,
                        help="import into this many hub copies; the median is reported")
    parser.add_argument("--child", choices=("import", "export"))
    parser.add_argument("--site", type=Path)
    parser.add_argument("--stick", type=Path)
    parser.add_argument("--files", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_measure(args.child, args.site, args.files, args.stick)))
        return

    from pmks_desktop.domain.regions import load_region_csv

    catalogue, regions = load_catalogue(), load_region_csv(REGIONS_CSV)
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), catalogue, regions, args)


def run(root: Path, catalogue, regions, args) -> None:
    from sync_world import build_world

    world = build_world(root, catalogue, regions)
    n_changes = fill_office(world.a, catalogue, regions, args.changes)
    hubs = [f"dinsos-{i}" for i in range(2, args.repeat + 1)]
    copy_sites(world, root, catalogue, regions, {"kec-a": "kec-a-mem", "dinsos": "dinsos-mem"})
    for extra in hubs + (["dinsos-prof"] if args.profile else []):
        shutil.copytree(root / "dinsos-mem", root / extra)
    base = Baseline(root, world.a.db.paths.database)
    figures, files, times, imports = timed_steps(world, root, catalogue, base, hubs, n_changes)
    (root / "stick-mem").mkdir()
    mem_export = run_child("export", root / "kec-a-mem", [], root / "stick-mem")
    mem_import = run_child("import", root / "dinsos-mem", files)
    report(n_changes, figures, base.seconds, ops_sizes_at(root, catalogue, files), mem_import,
           mem_export, len(files))
    print("import seconds per part (first run): " + ", ".join(f"{t:.2f}" for t in times))
    print("import runs (s): " + ", ".join(f"{t:.2f}" for t in imports)
          + "; baseline runs (s): " + ", ".join(f"{t:.2f}" for t in base.runs)
          + f" over {base.count:,} rows")
    if args.profile:
        print("\ncProfile of the import (all parts, fresh hub copy):")
        print(profile_import(root / "dinsos-prof", catalogue, files))


def timed_steps(world, root: Path, catalogue, base: Baseline, hubs: list[str], n_changes: int):
    """Export, import, re-import (and --repeat imports), with baseline runs in between."""
    from sync_world import open_site

    base.run()
    export_s, written = timed(lambda: world.a.sync_export.export(world.stick))
    files = [b.path for b in written]
    base.run()
    times, new, rejected, _ = import_all(world.hub, files)
    assert new == n_changes and rejected == 0, (new, rejected, n_changes)
    base.run()
    again, _, _, already = import_all(world.hub, files)
    assert already
    world.close()
    imports = [sum(times)]
    for hub_dir in hubs:  # --repeat: the same import into fresh copies of the hub
        hub = open_site(root / hub_dir, catalogue, None)
        imports.append(sum(import_all(hub, files)[0]))
        hub.db.close()
        base.run()
    figures = {"export (all parts, written + verified)": export_s,
               "import at the hub (all parts, in order)": statistics.median(imports),
               "re-import of the same files (no-op)": sum(again)}
    return figures, files, times, imports


def ops_sizes_at(root: Path, catalogue, files: list[Path]) -> list[int]:
    from sync_world import open_site

    hub = open_site(root / "dinsos", catalogue, None)
    try:
        return ops_sizes(hub, files)
    finally:
        hub.db.close()


if __name__ == "__main__":
    main()
