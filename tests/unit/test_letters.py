"""Letters through the services: every template from a real record, the gapless register,
voids and reprints, the QR verification code, broken templates."""
from __future__ import annotations

import io
import shutil
import threading
from datetime import date

import pytest
from pypdf import PdfReader
from sqlmodel import select

from pmks_desktop.services.errors import (OperationCancelled, ServiceError, ValidationFailed)
from pmks_desktop.services.letters import LetterRequest
from pmks_desktop.storage.models import (LetterEvent, OutgoingLetter, Person, PmksCase,
                                         RegisterEntry)

from conftest import REGIONS_CSV

TODAY = date.today()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    import contextlib

    from pmks_desktop import cli

    folder = tmp_path_factory.mktemp("letters-demo")
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["--data-dir", str(folder), "demo", "--persons", "300",
                         "--regions-csv", str(REGIONS_CSV)]) == 0
    return folder


@pytest.fixture
def app(demo_folder, tmp_path, catalogue):
    """A fresh copy of the demo office for each test (letters change the register)."""
    from pmks_desktop.paths import DataPaths
    from pmks_desktop.services.container import build_services
    from pmks_desktop.storage.database import open_database

    folder = tmp_path / "office"
    shutil.copytree(demo_folder, folder)
    database = open_database(DataPaths(folder))
    services = build_services(database, catalogue)
    services.users.authenticate("admin", "demo-admin-123")
    yield services
    database.close()


def subject_of(app, subject_type: str) -> str:
    with app.db.read() as s:
        if subject_type == "person":
            return s.exec(select(Person.id).where(Person.nik != None)).first()  # noqa: E711
        if subject_type == "case":
            return s.exec(select(PmksCase.id).where(PmksCase.sensitive == False)  # noqa: E712
                          ).first()
        query = select(RegisterEntry.id).where(RegisterEntry.register_code == subject_type,
                                               RegisterEntry.deleted_at == None)  # noqa: E711
        if subject_type in ("kube", "uep"):
            query = query.where(RegisterEntry.status != "ditolak")
        return s.exec(query).first()


def request_for(app, template_id: str, subject_type: str, **inputs) -> LetterRequest:
    template = app.letters.templates()[template_id]
    values = {i.name: i.default or f"Isian {i.label}" for i in template.inputs
              if i.kind != "date"}
    values.update(inputs)
    return LetterRequest(template_id, subject_type, subject_of(app, subject_type), values,
                         TODAY)


def test_every_template_renders_from_every_record_it_declares(app):
    templates = app.letters.templates()
    assert len(templates) == 12
    for template in templates.values():
        for subject_type in template.subjects:
            req = request_for(app, template.id, subject_type)
            assert req.subject_id, (template.id, subject_type)
            draft = pdf_text(app.letters.preview(req))
            assert "DRAF" in draft or "diberikan saat surat diterbitkan" in draft
            issued = app.letters.issue(req)
            text = pdf_text(issued.pdf)
            assert issued.number in text.replace("\n", " "), template.id
            assert "Drs. H. Ahmad Fauzi" in text or "Camat" in text or "CAMAT" in text


def test_letter_shows_the_persons_facts(app):
    req = request_for(app, "keterangan_tidak_mampu", "person", keperluan="pendaftaran sekolah")
    with app.db.read() as s:
        person = s.get(Person, req.subject_id)
    text = pdf_text(app.letters.issue(req).pdf)
    flat = " ".join(text.split())
    assert person.name in flat and person.nik in flat
    assert "pendaftaran sekolah" in flat
    from pmks_desktop.domain.formatting import long_date

    assert long_date(TODAY) in flat


def test_numbers_are_gapless_and_follow_the_pattern(app):
    req = request_for(app, "rekomendasi_bansos", "person")
    numbers = [app.letters.issue(req).number for _ in range(3)]
    year = TODAY.year
    assert numbers == [f"400.9/{n:04d}/Kec.Contoh(DataDemo)/{year}".replace(
        "Kec.Contoh(DataDemo)", app.letter_settings.current().unit_code) for n in (1, 2, 3)]
    with app.db.read() as s:
        serials = s.exec(select(OutgoingLetter.serial).order_by(OutgoingLetter.serial)).all()
        events = s.exec(select(LetterEvent.action)).all()
    assert serials == [1, 2, 3] and events == ["terbit"] * 3


def test_concurrent_issuing_never_shares_or_skips_a_number(app, catalogue):
    from pmks_desktop.services.container import build_services
    from pmks_desktop.storage.database import open_database

    req = request_for(app, "rekomendasi_bansos", "person")
    apps = []
    for _ in range(4):
        other = build_services(open_database(app.db.paths), catalogue)
        other.users.authenticate("admin", "demo-admin-123")
        apps.append(other)
    results, errors = [], []

    def work(services):
        try:
            for _ in range(3):
                results.append(services.letters.issue(req).number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for other in apps:
        other.db.close()
    assert not errors
    assert len(set(results)) == 12
    with app.db.read() as s:
        serials = sorted(s.exec(select(OutgoingLetter.serial)).all())
    assert serials == list(range(1, 13))


def test_failed_render_takes_no_number(app, monkeypatch):
    import pmks_desktop.reports.letter_pdf as letter_pdf

    req = request_for(app, "rekomendasi_bansos", "person")

    def broken(*args, **kwargs):
        raise OSError("disk penuh")

    monkeypatch.setattr(letter_pdf, "render_letters", broken)
    with pytest.raises(OSError):
        app.letters.issue(req)
    monkeypatch.undo()
    assert app.letters.issue(req).number.split("/")[1] == "0001"


def test_cancelled_batch_uses_no_number_and_a_full_batch_numbers_in_order(app):
    reqs = [request_for(app, "rekomendasi_bansos", "person") for _ in range(5)]
    with pytest.raises(OperationCancelled):
        app.letters.issue_batch(reqs, cancelled=lambda: True)
    with app.db.read() as s:
        assert s.exec(select(OutgoingLetter)).all() == []
    seen = []
    pdf = app.letters.issue_batch(reqs, progress=lambda d, t: seen.append((d, t)))
    assert pages(pdf) == 5 and seen[-1] == (5, 5)
    text = pdf_text(pdf)
    assert all(f"/{n:04d}/" in text for n in range(1, 6))


def test_void_and_reprint_are_recorded_with_their_reasons(app):
    issued = app.letters.issue(request_for(app, "rekomendasi_bansos", "person"))
    with pytest.raises(ValidationFailed):
        app.letter_register.reprint(issued.letter_id, "")
    again = app.letter_register.reprint(issued.letter_id, "Kertas pertama rusak di printer")
    assert issued.number in pdf_text(again)
    app.letter_register.void(issued.letter_id, "Salah alamat tujuan")
    with pytest.raises(ServiceError):
        app.letter_register.reprint(issued.letter_id, "Coba lagi setelah batal")
    letter = app.letter_register.letters(TODAY.year)[0]
    assert (letter.status, letter.status_reason, letter.print_count) == \
        ("batal", "Salah alamat tujuan", 2)
    events = [(e.action, e.reason) for e in app.letter_register.events(issued.letter_id)]
    assert events == [("terbit", None), ("cetak_ulang", "Kertas pertama rusak di printer"),
                      ("batal", "Salah alamat tujuan")]
    # The number is not reused after a void.
    assert app.letters.issue(request_for(app, "rekomendasi_bansos", "person")).number \
        .split("/")[1] == "0002"


def test_a_restored_backup_never_reuses_a_number(app, catalogue):
    from pmks_desktop.services.container import build_services
    from pmks_desktop.storage.database import backup_file, open_database

    req = request_for(app, "rekomendasi_bansos", "person")
    app.letters.issue(req)
    backup = backup_file(app.db.paths.database, app.db.paths.backups, "uji")
    app.letters.issue(req)
    app.letters.issue(req)  # numbers 2 and 3 exist on paper only after the restore
    app.db.close()
    for suffix in ("-wal", "-shm"):
        app.db.paths.database.with_name(app.db.paths.database.name + suffix).unlink(
            missing_ok=True)
    shutil.copy(backup, app.db.paths.database)
    restored = build_services(open_database(app.db.paths), catalogue)
    restored.users.authenticate("admin", "demo-admin-123")
    assert restored.letters.issue(req).number.split("/")[1] == "0004"
    rows = restored.letter_register.letters(TODAY.year)
    assert [(r.serial, r.status) for r in rows] == [(1, "terbit"), (2, "batal"), (3, "batal"),
                                                    (4, "terbit")]
    assert "dipulihkan dari cadangan" in rows[1].status_reason
    restored.db.close()


def test_letter_date_before_the_last_letter_is_refused(app):
    req = request_for(app, "rekomendasi_bansos", "person")
    app.letters.issue(req)
    req.letter_date = date(TODAY.year, 1, 1) if TODAY.month > 1 or TODAY.day > 1 else TODAY
    if req.letter_date < TODAY:
        with pytest.raises(ValidationFailed) as err:
            app.letters.issue(req)
        assert "lebih awal" in str(err.value.issues[0].message)


def test_required_inputs_are_named(app):
    req = request_for(app, "rekomendasi_biaya_rs", "person", rumah_sakit="")
    with pytest.raises(ValidationFailed) as err:
        app.letters.issue(req)
    assert err.value.issues[0].field == "rumah_sakit"


def test_qr_payload_verifies_and_a_tampered_one_does_not(app):
    req = request_for(app, "keterangan_tidak_mampu", "person")
    issued = app.letters.issue(req)
    with app.db.read() as s:
        letter = s.get(OutgoingLetter, issued.letter_id)
        person = s.get(Person, req.subject_id)
    result = app.letter_register.verify(letter.qr_payload, person.nik, person.name.lower())
    assert result.valid and result.subject_matches and result.on_register
    assert result.number == issued.number
    wrong = app.letter_register.verify(letter.qr_payload, "3604050101800001", "ORANG LAIN")
    assert wrong.valid and wrong.subject_matches is False
    tampered = letter.qr_payload.replace(issued.number, issued.number.replace("0001", "0002"))
    assert not app.letter_register.verify(tampered).valid
    assert not app.letter_register.verify("bukan kode").valid
    app.letter_register.void(issued.letter_id, "Dibatalkan untuk uji")
    assert app.letter_register.verify(letter.qr_payload).on_register is False


def test_another_office_verifies_with_the_imported_public_key(app, tmp_path, services):
    issued = app.letters.issue(request_for(app, "rekomendasi_bansos", "person"))
    with app.db.read() as s:
        payload = s.get(OutgoingLetter, issued.letter_id).qr_payload
    assert not services.letter_register.verify(payload).valid  # key not known yet
    key_file = app.key_exchange.export_public(tmp_path / "kunci.json")
    fingerprints = services.key_exchange.import_public(key_file)
    assert len(fingerprints) == 2
    result = services.letter_register.verify(payload)
    assert result.valid and result.office_name.startswith("Kecamatan")
    assert result.on_register is None  # not our own letter: our register cannot tell


def test_broken_office_template_names_the_placeholder(app):
    folder = app.letters.template_folder()
    source = (folder.parent / "x").parent  # data folder
    assert source.exists()
    from pmks_desktop.paths import resources_dir

    text = (resources_dir() / "letters" / "rekomendasi_bansos.yaml").read_text(encoding="utf-8")
    (folder / "rekomendasi_bansos.yaml").write_text(text.replace("{desa}", "{dessa}"),
                                                    encoding="utf-8")
    with pytest.raises(ServiceError) as err:
        app.letters.templates()
    assert "{dessa}" in err.value.message and "rekomendasi_bansos.yaml" in err.value.message


def test_office_template_replaces_the_shipped_one(app):
    from pmks_desktop.paths import resources_dir

    text = (resources_dir() / "letters" / "rekomendasi_bansos.yaml").read_text(encoding="utf-8")
    (app.letters.template_folder() / "rekomendasi_bansos.yaml").write_text(
        text.replace("Demikian surat rekomendasi", "Demikian rekomendasi khusus kantor"),
        encoding="utf-8")
    text = pdf_text(app.letters.issue(request_for(app, "rekomendasi_bansos", "person")).pdf)
    assert "rekomendasi khusus kantor" in " ".join(text.split())


def test_very_long_name_and_address_stay_on_one_page(app):
    person_id = subject_of(app, "person")
    with app.db.write() as s:
        person = s.get(Person, person_id)
        person.name = ("Raden Roro Siti Nurhalizah Kusumawardhani Putri Ayu Ningrum "
                       "Prameswari Wulandari Kartika Sari Dewi Anggraeni")[:120]
        person.address = ("Perumahan Griya Permata Asri Blok C-12 No. 7 Jalan Raya Serang "
                          "Cilegon Km. 8 Gang Masjid Al-Ikhlas dekat Pos Ronda Kampung "
                          "Sukamaju Lingkungan Pasar Lama belakang Kantor Desa")[:200]
    req = request_for(app, "keterangan_tidak_mampu", "person")
    req.subject_id = person_id
    pdf = app.letters.issue(req).pdf
    assert pages(pdf) == 1
    assert "Kusumawardhani" in pdf_text(pdf)


def test_register_export_lists_every_letter(app, tmp_path):
    from openpyxl import load_workbook

    for _ in range(2):
        app.letters.issue(request_for(app, "rekomendasi_bansos", "person"))
    path = app.letter_register.export(TODAY.year, tmp_path / "agenda.xlsx")
    sheet = load_workbook(path).active
    serials = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert serials == [1, 2]


def test_users_made_by_the_admin_can_sign_and_others_get_a_clear_message(app):
    from pmks_desktop.services.users import NewUser

    app.users.create(NewUser("petugas2", "Petugas Dua", "operator", "sandi-petugas-2"))
    app.users.sign_out()
    app.users.authenticate("petugas2", "sandi-petugas-2")
    assert app.letters.issue(request_for(app, "rekomendasi_bansos", "person")).number
    app.users.change_own_password("sandi-petugas-2", "sandi-baru-petugas")
    app.users.sign_out()
    app.users.authenticate("petugas2", "sandi-baru-petugas")
    assert app.session.keyring_secret is not None
    # A session without the keyring secret (no slot) is refused before a number is taken.
    app.session.keyring_secret = None
    with pytest.raises(ServiceError) as err:
        app.letters.issue(request_for(app, "rekomendasi_bansos", "person"))
    assert "Kunci tanda tangan" in err.value.message
    with app.db.read() as s:
        assert len(s.exec(select(OutgoingLetter)).all()) == 1


def test_private_keys_are_not_stored_in_the_clear(app):
    from pmks_desktop.storage.models import NodeKey
    from pmks_desktop.sync import keys

    raw = app.db.paths.database.read_bytes()
    with app.db.read() as s:
        rows = s.exec(select(NodeKey)).all()
    key_id, seed = app.keyring.signing_key()
    assert {r.purpose for r in rows} == {"sign", "box"}
    assert seed not in raw and keys.b64(seed).encode() not in raw


def test_household_letter_names_the_head_of_the_family(app):
    from pmks_desktop.storage.models import Household

    req = request_for(app, "rekomendasi_rtlh", "rtlh", tahun_anggaran="2027")
    with app.db.read() as s:
        entry = s.get(RegisterEntry, req.subject_id)
        head = s.get(Person, s.get(Household, entry.household_id).head_person_id)
    text = " ".join(pdf_text(app.letters.issue(req).pdf).split())
    assert head.name in text and (head.nik or "-") in text
    assert "Tahun Anggaran 2027" in text


def test_aid_quantities_print_as_indonesian_numbers(app):
    text = pdf_text(app.letters.issue(request_for(app, "bast_bencana", "bencana")).pdf)
    assert ".0 " not in text


def test_indonesian_names_print_and_unprintable_characters_are_refused(app):
    from pmks_desktop.reports.fonts import missing_glyphs

    names = ("Ni Luh Putu Ayu Sri Wahyuni", "Ma'ruf Amin", "Abdul Mu’thi", "Nur'aini",
             "I Gusti Ngurah Rai", "Théresia Ôktaviani", "Fransiskus Xaverius Ñ", "Zaenal Ülum",
             "Siti Ḥalimah", "Ahmad Ṣaleh")
    assert missing_glyphs(" ".join(names)) == set()
    req = request_for(app, "keterangan_tidak_mampu", "person", keperluan="ꦱꦼꦏꦺꦴꦭꦃ")
    with pytest.raises(ServiceError) as err:
        app.letters.issue(req)
    assert "tidak dapat dicetak" in err.value.message
    with app.db.read() as s:
        assert s.exec(select(OutgoingLetter)).all() == []
