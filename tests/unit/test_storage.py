"""Storage: migrations, start-up checks, change capture, audit chain, node epochs."""
from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlmodel import SQLModel, select

from pmks_desktop.storage import database as database_module
from pmks_desktop.storage.audit import append_audit, verify_chain
from pmks_desktop.storage.database import open_database
from pmks_desktop.storage.errors import CorruptDatabaseError, NewerDatabaseError
from pmks_desktop.storage.models import (LOCAL_TABLES, OTHER_TABLES, SYNCED_TABLES, ChangeLog,
                                         Household, HouseholdMember, Person, PersonMerge,
                                         LetterEvent, OutgoingLetter, PmksCase, RegisterEntry,
                                         RegisterMember)
from pmks_desktop.storage.link_models import PersonLink
from pmks_desktop.storage.schema import BUNDLE_SCHEMA, SCHEMA_HEAD, SCHEMA_REVISIONS


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}


def test_migrates_from_empty_to_head_with_pragmas(db, data_paths):
    tables = _tables(data_paths.database)
    expected = {m.__tablename__ for m in SYNCED_TABLES + LOCAL_TABLES} | set(OTHER_TABLES)
    assert tables == expected
    with db.write_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() \
            == SCHEMA_HEAD


def test_schema_list_matches_alembic_scripts():
    from pmks_desktop.storage.migrate import script_revisions

    assert tuple(script_revisions()) == SCHEMA_REVISIONS


# The synced tables' columns (what an operation's after-image holds) and the revision that
# last changed them.
SYNCED_SHAPE = ("0008", "6f43db777e405d2a")


def test_a_change_to_synced_columns_moves_the_bundle_schema():
    """Bundles may stay at an older BUNDLE_SCHEMA while later revisions only add local tables
    (0009); a changed synced column must move it, or an older install would merge
    after-images it cannot read."""
    import hashlib

    revision, recorded = SYNCED_SHAPE
    shape = sorted((m.__tablename__, c.name, str(c.type))
                   for m in SYNCED_TABLES for c in m.__table__.columns)
    digest = hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]
    assert digest == recorded, (
        "A synced table's columns changed: add an upgrade step (sync/upgrade.py), move "
        "storage/schema.py's BUNDLE_SCHEMA to the new revision and record the revision and "
        f"{digest} in SYNCED_SHAPE.")
    assert SCHEMA_REVISIONS.index(BUNDLE_SCHEMA) >= SCHEMA_REVISIONS.index(revision)


def test_models_match_the_migrated_schema(db):
    """Alembic's autogenerate finds nothing to add: the models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.write_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_every_table_is_classified_synced_or_local():
    all_tables = set(SQLModel.metadata.tables)
    synced = {m.__tablename__ for m in SYNCED_TABLES}
    local = {m.__tablename__ for m in LOCAL_TABLES}
    assert synced.isdisjoint(local)
    assert all_tables == synced | local, "a new table must be declared synced or local"


def _sample_rows(session):
    """One row of every synced table, parents flushed before children."""
    person = Person(name="Siti Aminah", sex="P", desa_code="36.04.05.2001",
                    birth_date=date(1980, 5, 12))
    other = Person(name="Sitti Aminah", sex="P", desa_code="36.04.05.2001")
    household = Household(no_kk="3604050101100001", desa_code="36.04.05.2001")
    entry = RegisterEntry(register_code="kube", title="KUBE Mekar", desa_code="36.04.05.2001")
    letter = OutgoingLetter(series="node-1", year=2024, serial=12, kind="keterangan_pmks",
                            number="400.9.1/0012/Kec.Kmt/2024", letter_date=date(2024, 7, 27))
    session.add_all([person, other, household, entry])
    session.flush()
    rows = {
        "person": person, "household": household, "register_entry": entry,
        "household_member": HouseholdMember(household_id=household.id, person_id=person.id,
                                            relation="kepala"),
        "register_member": RegisterMember(entry_id=entry.id, person_id=person.id),
        "person_merge": PersonMerge(kept_person_id=person.id, merged_person_id=other.id),
        "person_link": PersonLink(person_a_id=person.id, person_b_id=other.id, status="sama",
                                  reason="NIK sama", decided_by="verifikator"),
        "pmks_case": PmksCase(person_id=person.id, type_code="23", bidang="rehsos",
                              recorded_on=date(2024, 7, 27)),
        "letter": letter,
    }
    session.add(letter)
    session.flush()
    rows["letter_event"] = LetterEvent(letter_id=letter.id, action="terbit")
    session.add_all(rows.values())
    return rows


def test_every_synced_table_has_change_capture(db):
    """Fails for a synced table whose inserts, edits or deletes do not reach the change log."""
    with db.write("user-1") as s:
        rows = _sample_rows(s)
    assert set(rows) == {m.__tablename__ for m in SYNCED_TABLES}
    with db.write("user-2") as s:
        for table, row in rows.items():
            obj = s.get(type(row), row.id)
            obj.deleted_reason = "diubah"
    with db.write("user-2") as s:
        for table, row in rows.items():
            obj = s.get(type(row), row.id)
            obj.deleted_at = obj.updated_at
    with db.read() as s:
        log = s.exec(select(ChangeLog).order_by(ChangeLog.seq)).all()
    for table, row in rows.items():
        ops = [c.op for c in log if c.table_name == table and c.row_id == row.id]
        assert ops == ["insert", "update", "delete"], table
    assert [c.seq for c in log] == list(range(1, len(log) + 1))  # gap-free
    assert all(a.hlc < b.hlc for a, b in zip(log, log[1:]))  # clock moves forward


def test_change_log_holds_version_base_and_after_image(db):
    with db.write("u1") as s:
        person = _sample_rows(s)["person"]
    with db.write("u2") as s:
        p = s.get(Person, person.id)
        first_version = (p.version_hlc, p.version_origin)
        p.name = "Siti Aminah Binti Ahmad"
    with db.read() as s:
        update = s.exec(select(ChangeLog).where(ChangeLog.op == "update")).one()
        stored = s.get(Person, person.id)
    node_id, epoch, last_seq, _ = db.node_state()
    image = json.loads(update.data)
    assert image["name"] == "Siti Aminah Binti Ahmad"
    assert (update.base_hlc, update.base_origin) == first_version
    assert (update.origin, update.epoch, update.seq) == (node_id, epoch, last_seq)
    assert (image["version_hlc"], stored.version_hlc) == (update.hlc, update.hlc)
    assert update.user_id == "u2" and update.schema_version == BUNDLE_SCHEMA


def test_failed_transaction_writes_neither_row_nor_change(db):
    with pytest.raises(RuntimeError):
        with db.write("u1") as s:
            _sample_rows(s)
            raise RuntimeError("gagal di tengah jalan")
    with db.read() as s:
        assert s.exec(select(Person)).all() == []
        assert s.exec(select(ChangeLog)).all() == []
    assert db.node_state()[2] == 0  # the sequence did not move


def test_hard_delete_of_synced_row_is_refused(db):
    with db.write() as s:
        person = _sample_rows(s)["person"]
    with pytest.raises(PermissionError):
        with db.write() as s:
            s.delete(s.get(Person, person.id))


def test_audit_chain_verifies_and_names_first_broken_link(db, data_paths):
    with db.write() as s:
        for i in range(5):
            append_audit(s, action="view", entity="person", entity_id=str(i), username="ani")
    with db.read() as s:
        assert verify_chain(s).ok and verify_chain(s).checked == 5
    conn = sqlite3.connect(data_paths.database)
    with pytest.raises(sqlite3.IntegrityError):  # the trigger refuses edits
        conn.execute("UPDATE audit_log SET username = 'budi' WHERE id = 3")
    conn.execute("DROP TRIGGER audit_log_no_update")  # an attacker with file access
    conn.execute("UPDATE audit_log SET username = 'budi' WHERE id = 3")
    conn.commit()
    conn.close()
    with db.read() as s:
        report = verify_chain(s)
    assert not report.ok and report.first_broken_id == 3
    assert "nomor 3" in report.message()


def test_audit_chain_detects_a_removed_entry(db, data_paths):
    with db.write() as s:
        for i in range(4):
            append_audit(s, action="print", entity="letter", entity_id=str(i))
    conn = sqlite3.connect(data_paths.database)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = 2")
    conn.commit()
    conn.close()
    with db.read() as s:
        assert verify_chain(s).first_broken_id == 3


def test_newer_database_is_refused_untouched(db, data_paths):
    db.close()
    with sqlite3.connect(data_paths.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = data_paths.database.read_bytes()
    with pytest.raises(NewerDatabaseError) as caught:
        open_database(data_paths)
    assert "lebih baru" in caught.value.message
    assert data_paths.database.read_bytes() == before


def test_non_database_file_gets_clear_message(data_paths):
    data_paths.ensure()
    data_paths.database.write_bytes(b"ini bukan basis data" * 100)
    with pytest.raises(CorruptDatabaseError) as caught:
        open_database(data_paths)
    assert "bukan basis data" in caught.value.message


def test_damaged_database_fails_integrity_check(db, data_paths):
    with db.write() as s:
        for i in range(300):
            s.add(Person(name=f"Orang {i}", sex="L", desa_code="36.04.05.2001"))
    db.close()
    with sqlite3.connect(data_paths.database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'person'").fetchone()[0]
    raw = bytearray(data_paths.database.read_bytes())
    start = (root - 1) * page_size
    raw[start: start + 200] = b"\xff" * 200  # scribble over the person table's b-tree root
    data_paths.database.write_bytes(bytes(raw))
    with pytest.raises(CorruptDatabaseError) as caught:
        open_database(data_paths)
    assert "rusak" in caught.value.message


def test_database_is_backed_up_before_migrating(db, data_paths, monkeypatch):
    db.close()
    upgraded = []
    monkeypatch.setattr(database_module, "SCHEMA_REVISIONS", SCHEMA_REVISIONS + ("9000",))
    monkeypatch.setattr(database_module, "SCHEMA_HEAD", "9000")
    monkeypatch.setattr("pmks_desktop.storage.migrate.upgrade_to_head",
                        lambda path: upgraded.append(path))
    reopened = open_database(data_paths)
    reopened.close()
    backups = list(data_paths.backups.glob(f"pmks-*-sebelum-migrasi-{SCHEMA_HEAD}.sqlite"))
    assert upgraded == [data_paths.database] and len(backups) == 1
    assert "alembic_version" in _tables(backups[0])


def test_restored_backup_continues_under_a_new_epoch(db, data_paths):
    with db.write() as s:
        _sample_rows(s)
    node_id, first_epoch, _, _ = db.node_state()
    copy = data_paths.root / "salinan.sqlite"
    database_module.backup_file(data_paths.database, data_paths.root, "uji").rename(copy)
    with db.write() as s:
        s.add(Person(name="Budi", sex="L", desa_code="36.04.05.2001"))
    db.close()
    copy.replace(data_paths.database)  # put the older copy back, as a restore would
    for suffix in ("-wal", "-shm"):
        data_paths.database.with_name(data_paths.database.name + suffix).unlink(missing_ok=True)
    restored = open_database(data_paths)
    same_node, new_epoch, seq, _ = restored.node_state()
    restored.close()
    assert same_node == node_id and new_epoch != first_epoch and seq == 0


def test_reopening_keeps_node_and_epoch(db, data_paths):
    with db.write() as s:
        _sample_rows(s)
    state = db.node_state()
    db.close()
    again = open_database(data_paths)
    assert again.node_state() == state
    again.close()


def test_synced_models_carry_version_columns():
    for model in SYNCED_TABLES:
        columns = {c.key for c in sa_inspect(model).columns}
        assert {"id", "version_hlc", "version_origin", "deleted_at"} <= columns


def test_real_upgrade_from_first_schema_keeps_data_and_backs_up(data_paths):
    """A database left at revision 0001 by the first release opens, is backed up, migrates."""
    from alembic import command

    from pmks_desktop.storage.migrate import alembic_config

    data_paths.ensure()
    command.upgrade(alembic_config(data_paths.database), "0001")
    with sqlite3.connect(data_paths.database) as conn:
        conn.execute("INSERT INTO person (id, created_at, updated_at, version_hlc, version_origin,"
                     " name, name_key, sex, desa_code) VALUES ('p1', '2024-07-27 00:00:00',"
                     " '2024-07-27 00:00:00', 0, '', 'Siti', 'siti', 'P', '36.04.05.2001')")
    db = open_database(data_paths)
    with db.read() as s:
        assert s.get(Person, "p1").name == "Siti"
    db.close()
    assert list(data_paths.backups.glob("pmks-*-sebelum-migrasi-0001.sqlite"))
    assert "register_entry" in _tables(data_paths.database)
