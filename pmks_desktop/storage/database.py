"""Opening the database: checks, migrations with a backup first, node identity, sessions."""
from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlmodel import Session

from pmks_desktop.paths import DataPaths
from pmks_desktop.storage.changelog import install_change_capture
from pmks_desktop.storage.engine import make_engine
from pmks_desktop.storage.errors import CorruptDatabaseError, DatabaseError, NewerDatabaseError
from pmks_desktop.storage.schema import SCHEMA_HEAD, SCHEMA_REVISIONS

SQLITE_MAGIC = b"SQLite format 3\x00"
CLOCK_BEHIND_TOLERANCE_MS = 60_000
# The clock warning looks at this many of the PC's latest changes: the latest time among them
# survives one change made after the clock was set back.
_RECENT_CHANGES = 1000


def _new_epoch() -> str:
    return uuid.uuid4().hex[:12]


def _check_file(path: Path) -> str | None:
    """Integrity and schema revision of an existing file (plain sqlite3: no engine yet)."""
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise CorruptDatabaseError(
                f"Berkas {path.name} bukan basis data PMKS Desktop atau sudah rusak. "
                "Pulihkan dari cadangan di folder 'backup', atau hubungi administrator.")
    try:
        conn = sqlite3.connect(path)
        try:
            result = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            if result != ["ok"]:
                raise CorruptDatabaseError(
                    "Basis data rusak (pemeriksaan integritas gagal). Jangan memasukkan data "
                    "baru; pulihkan dari cadangan di folder 'backup'.", "; ".join(result[:5]))
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables:
                if tables:
                    raise CorruptDatabaseError(
                        f"Berkas {path.name} bukan basis data PMKS Desktop.")
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(
            "Basis data tidak dapat dibaca (berkas rusak). Pulihkan dari cadangan di folder "
            "'backup'.", str(exc)) from exc


def backup_file(source: Path, target_dir: Path, label: str) -> Path:
    """Consistent copy through SQLite's backup API (safe with WAL)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = target_dir / f"pmks-{stamp}-{label}.sqlite"
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _migrate(path: Path, backups: Path, current: str | None) -> Path | None:
    if current == SCHEMA_HEAD:
        return None
    if current is not None and current not in SCHEMA_REVISIONS:
        raise NewerDatabaseError(
            "Basis data ini ditulis oleh versi PMKS Desktop yang lebih baru "
            f"(skema {current}). Perbarui aplikasi terlebih dahulu; data tidak diubah.")
    backup = backup_file(path, backups, f"sebelum-migrasi-{current}") if current else None
    from pmks_desktop.storage.migrate import upgrade_to_head  # Alembic: only when needed

    upgrade_to_head(path)
    return backup


class Database:
    """One open database: a write engine (BEGIN IMMEDIATE) and a read engine."""

    def __init__(self, paths: DataPaths):
        self.paths = paths
        self.write_engine = make_engine(paths.database, immediate=True)
        self.read_engine = make_engine(paths.database, immediate=False)
        self.migration_backup: Path | None = None
        self._marker_written: dict | None = None  # what node.json holds since this process wrote it

    @classmethod
    def open(cls, paths: DataPaths) -> "Database":
        paths.ensure()
        current = _check_file(paths.database) if paths.database.exists() else None
        backup = _migrate(paths.database, paths.backups, current)
        db = cls(paths)
        db.migration_backup = backup
        db._ensure_node()
        return db

    def close(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()

    # ------------------------------------------------------------- sessions

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.read_engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self, user_id: str | None = None) -> Iterator[Session]:
        """One transaction: everything in it is committed together, or nothing is."""
        with Session(self.write_engine, expire_on_commit=False) as session:
            session.info["user_id"] = user_id
            install_change_capture(session)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
        self._save_marker()

    # ------------------------------------------------------------- node identity

    def node_state(self) -> tuple[str, str, int, int]:
        with self.write_engine.connect() as conn:
            return tuple(conn.exec_driver_sql(
                "SELECT node_id, epoch, last_seq, hlc FROM node_state WHERE id = 1").one())

    def _ensure_node(self) -> None:
        """Create the node on first open; start a new epoch for a restored or copied file.

        node.json beside the database remembers the node, epoch and highest sequence this
        install has committed. A database whose sequence is behind it was restored from a backup;
        one with another node id (or no marker) was copied in. Either way its old sequence numbers
        may already have been sent, so it continues under a fresh epoch.
        """
        marker = self._read_marker()
        with self.write_engine.begin() as conn:
            row = conn.exec_driver_sql(
                "SELECT node_id, epoch, last_seq FROM node_state WHERE id = 1").first()
            if row is None:
                conn.exec_driver_sql(
                    "INSERT INTO node_state (id, node_id, epoch, last_seq, hlc) "
                    "VALUES (1, ?, ?, 0, 0)", (str(uuid.uuid4()), _new_epoch()))
            elif self._needs_new_epoch(marker, row):
                conn.exec_driver_sql("UPDATE node_state SET epoch = ?, last_seq = 0 WHERE id = 1",
                                     (_new_epoch(),))
        self._save_marker()

    @staticmethod
    def _needs_new_epoch(marker: dict | None, row) -> bool:
        if marker is None or marker.get("node_id") != row[0]:
            return True
        return marker.get("epoch") == row[1] and int(marker.get("last_seq", 0)) > row[2]

    def _read_marker(self) -> dict | None:
        try:
            return json.loads(self.paths.node_marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _save_marker(self) -> None:
        node_id, epoch, last_seq, _hlc = self.node_state()
        marker = {"node_id": node_id, "epoch": epoch, "last_seq": last_seq}
        if marker == self._marker_written:  # reads commit nothing: no need to touch the file
            return
        tmp = self.paths.node_marker.with_suffix(".tmp")
        tmp.write_text(json.dumps(marker), encoding="utf-8")
        os.replace(tmp, self.paths.node_marker)
        self._marker_written = marker

    def truncate_wal(self) -> None:
        """Copy the write-ahead log into the database and empty it: after an erasure, the
        pages as they were before must not stay readable in the -wal file."""
        # A plain connection: the engines open a transaction first, and a checkpoint cannot
        # run inside one.
        conn = sqlite3.connect(self.paths.database, timeout=30)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()

    def clock_warning(self) -> str | None:
        """Warn when this PC's clock is behind the time it wrote on its own latest changes.

        The wall-clock times of this PC's own recent changes are compared, not the hybrid
        clock: importing a bundle from a PC whose clock runs ahead moves the hybrid clock past
        that PC's, and the warning must then name that PC (SyncStatus.offices), not this one.
        """
        with self.write_engine.connect() as conn:
            latest = conn.exec_driver_sql(
                "SELECT MAX(created_at) FROM (SELECT created_at FROM change_log "
                f"ORDER BY id DESC LIMIT {_RECENT_CHANGES})").scalar()
        if latest is None:
            return None
        last = datetime.fromisoformat(str(latest)).replace(tzinfo=timezone.utc)
        last_ms = int(last.timestamp() * 1000)
        if last_ms - int(time.time() * 1000) > CLOCK_BEHIND_TOLERANCE_MS:
            seen = last.astimezone().strftime("%d-%m-%Y %H:%M")
            return (f"Jam komputer ini mundur: data terakhir dicatat pada {seen}. "
                    "Periksa tanggal dan jam Windows sebelum memasukkan data.")
        return None


def raw_cursor(session: Session) -> sqlite3.Cursor:
    """A sqlite3 cursor inside the session's transaction: for the merge and the erasure, which
    write rows as they are stored, below the ORM and its change capture."""
    return session.connection().connection.driver_connection.cursor()


def open_database(paths: DataPaths) -> Database:
    try:
        return Database.open(paths)
    except sqlite3.OperationalError as exc:
        raise DatabaseError("Basis data tidak dapat dibuka. Pastikan folder data dapat ditulis "
                            "dan aplikasi tidak sedang dibuka dua kali.", str(exc)) from exc
