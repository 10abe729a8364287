"""Sync through the services with two offices and a hub in temporary folders: enrolment, full
round trip, duplicate import, any order, lost stick, conflicts, bad bundles, killed import."""
from __future__ import annotations

import itertools
import shutil
from datetime import date

import pytest
from sqlmodel import select

from pmks_desktop.services.errors import ServiceError
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.services.sync_import import BundleRejected
from pmks_desktop.storage.models import BundleRecord, Person, SyncConflict

from sync_world import build_world, dump, open_site, person

DESA_B = "36.04.06.2001"


@pytest.fixture
def world(tmp_path, catalogue, regions):
    w = build_world(tmp_path, catalogue, regions)
    yield w
    w.close()


def hub_persons(world) -> dict[str, str]:
    with world.hub.db.read() as s:
        return {p.id: p.name for p in s.exec(select(Person))}


def test_enrolment_gives_both_sides_the_keys(world):
    peers = {p.office_code: p for p in world.hub.enrolment.peers()}
    assert set(peers) == {"36.04.05", "36.04.06"}
    assert world.a.enrolment.peers()[0].role == "hub"


def test_round_trip_and_receipt_settle_the_outbox(world):
    siti = person(world.a, "Siti Aminah", "3604054107800003")
    files = world.send(world.a)
    assert len(files) == 1 and files[0].name.endswith(".pmksb")
    preview = world.hub.sync_import.preview(files[0])
    assert preview.result.total("baru") >= 1 and hub_persons(world) == {}
    done = world.hub.sync_import.apply(files[0])
    assert done.result.total("baru") == preview.result.total("baru")
    assert hub_persons(world) == {siti.id: "Siti Aminah"}
    assert world.a.sync_export.record_states("person", [siti.id]) == \
        {siti.id: "dalam perjalanan"}
    world.receipts(world.a)
    assert world.a.sync_export.record_states("person", [siti.id]) == {siti.id: "diterima Dinas"}
    assert world.send(world.a) == []  # everything acknowledged
    with world.a.db.read() as s:
        assert [r.status for r in s.exec(select(BundleRecord))] == ["diakui"]


def test_importing_the_same_bundle_again_changes_nothing(world):
    person(world.a, "Budi Santoso", "3604050101800001", sex="L")
    path = world.send(world.a)[0]
    world.hub.sync_import.apply(path)
    before = dump(world.hub)
    again = world.hub.sync_import.apply(path)
    assert again.already_imported and dump(world.hub) == before


def test_lost_stick_heals_with_the_next_export(world):
    first = person(world.a, "Anis Mulyani", "3604054107800011")
    lost = world.send(world.a)[0]
    lost.unlink()  # the stick was lost on the way
    second = person(world.a, "Dedi Kurnia", "3604050101800021", sex="L")
    files = world.send(world.a)
    for path in files:
        world.hub.sync_import.apply(path)
    assert set(hub_persons(world)) == {first.id, second.id}


def test_every_order_of_three_bundles_gives_the_same_hub(world, tmp_path, catalogue, regions):
    person(world.a, "Rina Kartika", "3604054107800031")
    bundles = [world.send(world.a)[0]]
    person(world.b, "Yanto Supriyadi", "3604060101800041", desa=DESA_B, sex="L")
    bundles.append(world.send(world.b)[0])
    person(world.a, "Lilis Suryani", "3604054107800051")
    bundles.append(world.send(world.a)[0])
    world.hub.db.close()
    original = world.hub.db.paths.root
    dumps = []
    for n, order in enumerate(itertools.permutations(bundles)):
        copy = tmp_path / f"hub-{n}"
        shutil.copytree(original, copy)
        hub = open_site(copy, catalogue, regions)
        for path in order + order[:1]:  # and one bundle twice
            hub.sync_import.apply(path)
        dumps.append(dump(hub))
        hub.db.close()
    assert all(d == dumps[0] for d in dumps[1:])
    assert len(dumps[0]["person"]) == 3
    world.hub = open_site(original, catalogue, regions)


def test_a_gap_in_the_sequence_is_reported(world):
    person(world.a, "Satu", "3604054107800061")
    early = world.send(world.a)[0]
    person(world.a, "Dua", "3604054107800071")
    shutil.move(early, early.with_suffix(".disimpan"))
    late = world.send(world.a)  # also carries the first change: nothing acknowledged yet
    preview = world.hub.sync_import.preview(late[0])
    assert preview.gaps == []
    # A bundle holding only later changes (the earlier one still on its way) shows the gap.
    world.hub.sync_import.apply(late[0])
    world.receipts(world.a)
    person(world.a, "Tiga", "3604054107800081")
    third = world.send(world.a)[0]
    assert world.hub.sync_import.preview(third).gaps == []


def test_same_nik_at_two_offices_keeps_both_records(world):
    nik = "3604054107800091"
    one = person(world.a, "Siti Rohmah", nik)
    two = person(world.b, "Siti Rohmah", nik, desa=DESA_B)
    for office in (world.a, world.b):
        world.hub.sync_import.apply(world.send(office)[0])
    assert set(hub_persons(world)) == {one.id, two.id}
    pairs = world.hub.duplicates.pairs()
    assert any({p.a.id, p.b.id} == {one.id, two.id} for p in pairs)


def test_concurrent_edit_is_kept_as_a_conflict(world):
    siti = person(world.a, "Siti Aminah", "3604054107800003")
    world.hub.sync_import.apply(world.send(world.a)[0])
    world.receipts(world.a)
    # The hub corrects the name while the office, not knowing, edits the address.
    with world.hub.db.write("verifikator-dinas") as s:  # a correction recorded at the hub
        s.get(Person, siti.id).name = "Siti Aminah Binti Ahmad"
    office_row = world.a.persons.get(siti.id)
    world.a.persons.update(siti.id, PersonInput(name="Siti Aminah", sex="P",
                                                desa_code=office_row.desa_code,
                                                nik=office_row.nik, address="Kp. Baru",
                                                birth_date=office_row.birth_date),
                           expected_version=office_row.version_hlc)
    done = world.hub.sync_import.apply(world.send(world.a)[0])
    assert done.result.total("konflik") == 1
    with world.hub.db.read() as s:
        conflicts = s.exec(select(SyncConflict)).all()
    assert len(conflicts) == 1 and conflicts[0].row_id == siti.id


def test_bad_bundles_are_refused_whole_and_quarantined(world):
    person(world.a, "Eka Putri", "3604054107800101")
    path = world.send(world.a)[0]
    data = bytearray(path.read_bytes())
    cases = {}
    flipped = path.with_name("rusak.pmksb")
    data[len(data) // 2] ^= 0x10
    flipped.write_bytes(bytes(data))
    cases["flipped"] = flipped
    truncated = path.with_name("terpotong.pmksb")
    truncated.write_bytes(path.read_bytes()[:-100])
    cases["truncated"] = truncated
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(path.read_bytes()[: len(data) // 3])
    cases["partial"] = partial
    before = dump(world.hub)
    for name, bad in cases.items():
        with pytest.raises(BundleRejected) as err:
            world.hub.sync_import.apply(bad)
        assert err.value.quarantined is not None and err.value.quarantined.exists(), name
        assert err.value.message
    assert dump(world.hub) == before
    # The office's bundle at the other office: not addressed to it, and an unknown sender.
    with pytest.raises(BundleRejected) as err:
        world.b.sync_import.apply(path)
    assert err.value.code in ("unknown_sender", "not_for_us")


def test_revoked_or_unknown_sender_is_refused(world):
    person(world.a, "Fajar", "3604050101800111", sex="L")
    path = world.send(world.a)[0]
    node = world.a.db.node_state()[0]
    world.hub.enrolment.revoke(node, "Laptop hilang")
    with pytest.raises(BundleRejected) as err:
        world.hub.sync_import.apply(path)
    assert "dicabut" in err.value.message


def test_bundle_from_a_newer_schema_is_refused_and_imports_after_upgrade(world, monkeypatch):
    import pmks_desktop.services.sync_export as export_module

    person(world.a, "Gita", "3604054107800121")
    monkeypatch.setattr(export_module, "BUNDLE_SCHEMA", "9999")
    path = world.send(world.a)[0]
    with pytest.raises(BundleRejected) as err:
        world.hub.sync_import.apply(path)
    assert "Perbarui aplikasi" in err.value.message
    import pmks_desktop.services.sync_import as import_module

    monkeypatch.setattr(import_module, "SCHEMA_REVISIONS", (*import_module.SCHEMA_REVISIONS,
                                                            "9999"))
    assert world.hub.sync_import.apply(path).result.total("baru") >= 1


def test_import_killed_midway_leaves_nothing_and_the_retry_works(world, monkeypatch):
    import pmks_desktop.services.sync_import as import_module

    for i, name in enumerate(("Warga Satu", "Warga Dua", "Warga Tiga")):
        person(world.a, name, f"36040541078001{30 + i}")
    path = world.send(world.a)[0]
    real = import_module.apply_lines

    def dying(session, lines, *, bundle_id):
        real(session, lines, bundle_id=bundle_id)
        raise KeyboardInterrupt  # the process is stopped after the rows were written

    monkeypatch.setattr(import_module, "apply_lines", dying)
    before = dump(world.hub)
    with pytest.raises(KeyboardInterrupt):
        world.hub.sync_import.apply(path)
    assert dump(world.hub) == before
    monkeypatch.setattr(import_module, "apply_lines", real)
    assert len(world.hub.sync_import.apply(path).result.rejected) == 0
    assert len(hub_persons(world)) == 3


def test_export_without_the_hub_keys_says_what_to_do(tmp_path, catalogue, regions):
    from conftest import office_setup

    lone = open_site(tmp_path / "lone", catalogue, regions, office_setup(regions))
    (tmp_path / "stick").mkdir()
    with pytest.raises(ServiceError) as err:
        lone.sync_export.export(tmp_path / "stick")
    assert "enrolmen" in err.value.message
    lone.db.close()
    assert date.today()


def test_record_states_follow_the_record_to_the_hub(world):
    import json as _json

    from pmks_desktop.storage.models import PeerAck

    siti = person(world.a, "Siti Aminah", "3604054107800003")
    states = world.a.sync_states
    assert states.enabled() and not world.hub.sync_states.enabled()
    assert states.states("person", [siti.id]) == {siti.id: "belum dikirim"}
    world.hub.sync_import.apply(world.send(world.a)[0])
    assert states.states("person", [siti.id]) == {siti.id: "dalam perjalanan"}
    world.receipts(world.a)
    assert states.states("person", [siti.id]) == {siti.id: "diterima Dinas"}
    # A change the hub refused shows with the hub's reason.
    with world.a.db.write() as s:
        ack = s.exec(select(PeerAck)).first()
        last = s.connection().exec_driver_sql(
            "SELECT epoch, MAX(seq) FROM change_log WHERE row_id = ?", (siti.id,)).one()
        ack.rejected = _json.dumps([{"epoch": last[0], "seq": last[1],
                                     "reason": "desa tidak dikenal"}])
    assert states.states("person", [siti.id]) == {siti.id: "ditolak (desa tidak dikenal)"}


def test_hub_lists_and_recaps_by_kecamatan(world):
    import io

    from pypdf import PdfReader

    from pmks_desktop.services.cases import CaseInput
    from pmks_desktop.services.recap_queries import Period

    for office, desa, nik in ((world.a, "36.04.05.2001", "3604054107800003"),
                              (world.b, DESA_B, "3604064107800003")):
        p = person(office, "Warga Lansia", nik, desa=desa)
        office.cases.record(CaseInput(person_id=p.id, type_code="13",
                                      recorded_on=date.today(), criteria=["c1"]))
        world.hub.sync_import.apply(world.send(office)[0])
    areas = world.hub.office.filter_areas()
    kramatwatu = next(a for a in areas if a.code == "36.04.05")
    assert kramatwatu.name == "Kec. Kramatwatu" and len(areas) > 20
    assert world.hub.people.count_persons("", "36.04.05") == 1
    assert world.hub.people.count_persons("", None) == 2
    sheet = world.hub.recaps.main_recap(Period.of(date.today()), only_with_data=True)
    pdf = world.hub.recaps.write(sheet, world.stick / "rekap.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "KABUPATEN SERANG" in text and "Kramatwatu" in text and "Waringinkurung" in text


def test_a_bundle_from_an_older_schema_is_upgraded_step_by_step(world, monkeypatch):
    """Schema 0002 knew no form_version on persons: the 0003 step fills it in."""
    import pmks_desktop.services.sync_export as export_module
    import pmks_desktop.sync.ops as ops_module

    real = ops_module.op_from_changelog

    def as_written_by_0002(row):
        op = real(row)
        op["data"].pop("form_version", None)
        op["schema_version"] = "0002"
        return op

    monkeypatch.setattr(export_module, "op_from_changelog", as_written_by_0002)
    monkeypatch.setattr(export_module, "BUNDLE_SCHEMA", "0002")
    old = person(world.a, "Hana Lestari", "3604054107800141")
    path = world.send(world.a)[0]
    done = world.hub.sync_import.apply(path)
    assert done.result.total("baru") == 1 and not done.result.rejected
    with world.hub.db.read() as s:
        assert s.get(Person, old.id).form_version == 1


def test_a_local_only_revision_does_not_lock_out_installs_not_yet_upgraded(world, monkeypatch):
    """A hub that knows BUNDLE_SCHEMA but none of the later revisions (local tables only, such
    as 0009's link_notice) takes this version's kiriman."""
    import pmks_desktop.services.sync_import as import_module
    from pmks_desktop.storage.schema import BUNDLE_SCHEMA, SCHEMA_REVISIONS

    older = SCHEMA_REVISIONS[:SCHEMA_REVISIONS.index(BUNDLE_SCHEMA) + 1]
    monkeypatch.setattr(import_module, "SCHEMA_REVISIONS", older)
    person(world.a, "Indah Lestari", "3604054107800131")
    assert world.hub.sync_import.apply(world.send(world.a)[0]).result.total("baru") == 1


def test_upgrade_steps_fill_what_older_schemas_lacked():
    import json as _json

    from pmks_desktop.storage.schema import BUNDLE_SCHEMA
    from pmks_desktop.sync.upgrade import upgraded_lines

    line = (_json.dumps({"origin": "n", "epoch": "e", "seq": 1, "table_name": "person",
                         "row_id": "r", "op": "insert", "hlc": 1, "base_hlc": None,
                         "base_origin": None, "schema_version": "0002", "user_id": None,
                         "data": {"id": "r", "name": "Hana"},
                         "created_at": "2024-07-27T00:00:00+00:00"}) + "\n").encode()
    upgraded = _json.loads(next(upgraded_lines([line], "0002")))
    assert upgraded["data"]["form_version"] == 1
    assert upgraded["schema_version"] == BUNDLE_SCHEMA
    assert next(upgraded_lines([line], BUNDLE_SCHEMA)) == line  # current bundles pass through


def test_receipts_carry_reference_data_to_the_office(world, tmp_path):
    from pmks_desktop.paths import resources_dir
    from pmks_desktop.storage.models import Desa, TrustedKey

    folder = world.hub.db.paths.root / "templat-surat"
    folder.mkdir()
    text = (resources_dir() / "letters" / "rekomendasi_bansos.yaml").read_text(encoding="utf-8")
    (folder / "rekomendasi_bansos.yaml").write_text(
        text.replace("Demikian surat rekomendasi", "Demikian rekomendasi standar kabupaten"),
        encoding="utf-8")
    (folder / "rusak.yaml").write_text(text.replace("{desa}", "{dessa}"), encoding="utf-8")
    with world.hub.db.write() as s:
        s.get(Desa, "36.04.05.2001").name = "Kramatwatu Baru"
        s.get(Desa, "36.04.06.2001").name = "Bukan Urusan Kantor A"
    key_file = world.b.key_exchange.export_public(tmp_path / "kunci-b.json")
    world.a.key_exchange.import_public(key_file)
    world.hub.enrolment.revoke(world.b.db.node_state()[0], "Komputer diganti")

    world.receipts(world.a)
    saved = world.a.db.paths.root / "templat-surat"
    assert (saved / "rekomendasi_bansos.yaml").exists() and not (saved / "rusak.yaml").exists()
    assert "standar kabupaten" in world.a.letters.templates()["rekomendasi_bansos"].closing
    with world.a.db.read() as s:
        assert s.get(Desa, "36.04.05.2001").name == "Kramatwatu Baru"
        assert s.get(Desa, "36.04.06.2001") is None  # another kecamatan's desa stays away
        assert all(k.revoked_at is not None for k in s.exec(select(TrustedKey)))


def test_a_rotated_signing_key_is_announced_by_the_old_one(world, monkeypatch):
    from pmks_desktop.services.keyring import ROTATION_KEY, rotate_signing_key
    from pmks_desktop.storage.models import AppSetting, SyncPeer, TrustedKey
    from pmks_desktop.sync import keys

    node = world.a.db.node_state()[0]
    old_id = world.a.keyring.signing_key()[0]
    new_id = rotate_signing_key(world.a.db, world.a.session)
    assert world.a.keyring.signing_key()[0] == new_id != old_id
    person(world.a, "Intan Permata", "3604054107800151")
    path = world.send(world.a)[0]
    assert world.hub.sync_import.apply(path).result.total("baru") == 1
    with world.hub.db.read() as s:
        assert s.get(SyncPeer, node).sign_key_id == new_id
        assert s.get(TrustedKey, new_id) is not None and s.get(TrustedKey, old_id) is not None
    # A forged announcement (signed by a key the hub never knew) is refused.
    forged_old = keys.generate("sign")
    rotate_signing_key(world.a.db, world.a.session)
    with world.a.db.write() as s:
        row = s.get(AppSetting, ROTATION_KEY)
        cert = __import__("json").loads(row.value)
        cert["old_key_id"] = forged_old.key_id
        row.value = __import__("json").dumps(cert)
    person(world.a, "Joko Susilo", "3604050101800161", sex="L")
    with pytest.raises(BundleRejected) as err:
        world.hub.sync_import.apply(world.send(world.a)[0])
    assert err.value.code == "unknown_sender"


def test_the_hubs_changes_to_an_office_record_travel_back_with_the_receipt(world):
    siti = person(world.a, "Siti Aminah", "3604054107800003")
    other = person(world.b, "Orang Kantor B", "3604064107800171", desa=DESA_B)
    for office in (world.a, world.b):
        world.hub.sync_import.apply(world.send(office)[0])
    with world.hub.db.write("verifikator-dinas") as s:
        s.get(Person, siti.id).address = "Diperiksa Dinas: Kp. Baru RT 1"
        s.get(Person, other.id).address = "Urusan kantor B"
    world.receipts(world.a)
    with world.a.db.read() as s:
        assert s.get(Person, siti.id).address == "Diperiksa Dinas: Kp. Baru RT 1"
        assert s.get(Person, other.id) is None  # never another office's records
    world.receipts(world.a)  # the same changes again: nothing moves
    assert world.send(world.a) == []


KILLED_IMPORT = r'''
import sys, time
from pathlib import Path
from pmks_desktop.paths import DataPaths
from pmks_desktop.services.container import build_services
import pmks_desktop.services.sync_import as module
from pmks_desktop.storage.database import open_database
real = module.apply_lines
def slow(session, lines, *, bundle_id):
    result = real(session, lines, bundle_id=bundle_id)
    session.flush()
    print("applied, not committed", flush=True)
    time.sleep(60)  # killed here, inside the transaction
    return result
module.apply_lines = slow
hub = build_services(open_database(DataPaths(Path(sys.argv[1]))))
hub.users.authenticate(sys.argv[3], sys.argv[4])
hub.sync_import.apply(Path(sys.argv[2]))
'''


def test_an_import_killed_for_real_leaves_the_database_intact(world):
    import signal
    import subprocess
    import sys

    from conftest import ADMIN

    for name in ("Kiki Amelia", "Lala Puspita"):
        person(world.a, name, f"36040541078001{80 + len(name)}")
    path = world.send(world.a)[0]
    before = dump(world.hub)
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(world.hub.db.paths.root), str(path), *ADMIN],
        stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().startswith("applied")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert dump(world.hub) == before
    assert world.hub.sync_import.apply(path).result.total("baru") >= 2


def test_receipts_carry_the_kabupatens_forms_and_catalogue(world, catalogue, regions):
    from pmks_desktop.paths import forms_dir

    hub_forms = world.hub.db.paths.root / "formulir" / "registers"
    hub_forms.mkdir(parents=True)
    text = (forms_dir() / "registers" / "kube.yaml").read_text(encoding="utf-8")
    newer = text.replace("version: 1", "version: 2").replace(
        "label: Nama kelompok", "label: Nama kelompok usaha")
    (hub_forms / "kube.yaml").write_text(newer, encoding="utf-8")
    (hub_forms / "uep.yaml").write_text("id: uep\nversion: 9\n", encoding="utf-8")  # broken
    world.receipts(world.a)
    office_folder = world.a.db.paths.root / "formulir" / "registers"
    assert (office_folder / "kube.yaml").exists() and not (office_folder / "uep.yaml").exists()
    reopened = open_site(world.a.db.paths.root, catalogue, regions)
    assert reopened.forms["kube"].version == 2
    assert reopened.forms["kube"].field("group_name").label == "Nama kelompok usaha"
    assert reopened.forms["uep"].version == 1
    reopened.db.close()


def test_the_offline_escrow_key_opens_every_office_bundle(world, tmp_path):
    from pmks_desktop.services.errors import ServiceError as Refused
    from pmks_desktop.services.escrow import create_escrow, open_escrow_file
    from pmks_desktop.sync.bundle import open_bundle, read_header

    key_file = tmp_path / "kunci-cadangan.json"
    with pytest.raises(Refused):
        create_escrow(world.hub.db, world.hub.session, world.hub.office, key_file, "pendek")
    create_escrow(world.hub.db, world.hub.session, world.hub.office, key_file,
                  "frasa sandi lemari besi")
    world.receipts(world.a)
    person(world.a, "Mira Handayani", "3604054107800191")
    path = world.send(world.a)[0]
    data = path.read_bytes()
    header = read_header(data)[0]
    private = open_escrow_file(key_file, "frasa sandi lemari besi")
    contents = open_bundle(data, header, private)
    assert b"Mira Handayani" in contents.read("ops.jsonl")
    with pytest.raises(Refused):
        open_escrow_file(key_file, "salah")
    raw = world.hub.db.paths.database.read_bytes()
    assert list(private.values())[0] not in raw  # the private half never stays on the hub PC


def test_encryption_keys_can_be_replaced_at_both_ends(world):
    from pmks_desktop.services.keyring import rotate_box_key
    from pmks_desktop.storage.models import SyncPeer

    node = world.a.db.node_state()[0]
    new_office_key = rotate_box_key(world.a.db, world.a.session)
    person(world.a, "Nina Kurniasih", "3604054107800201")
    world.hub.sync_import.apply(world.send(world.a)[0])
    with world.hub.db.read() as s:
        assert s.get(SyncPeer, node).box_key_id == new_office_key
    new_hub_key = rotate_box_key(world.hub.db, world.hub.session)
    world.receipts(world.a)  # encrypted to the office's new key, carrying the hub's new key
    with world.a.db.read() as s:
        assert s.exec(select(SyncPeer)).one().box_key_id == new_hub_key
    person(world.a, "Oki Setiawan", "3604050101800211", sex="L")
    path = world.send(world.a)[0]
    assert new_hub_key in path.read_bytes().split(b"\n")[1].decode()
    assert world.hub.sync_import.apply(path).result.total("baru") == 1
