"""The Sinkron dialogs, driven offscreen over a real hub and two offices (tests/sync_world.py):
export wizard and cover sheet, hub import preview and apply, a tampered file, receipts (the first
one needs the fingerprint confirmed), enrolment, the office list, and the drive list.

Each dialog is also saved as a screenshot in /tmp/sync_ui/ to be looked at.
"""
from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QMainWindow, QMenu

from pmks_desktop.domain.roles import role_allows
from pmks_desktop.services.sync_sheets import short_id
from pmks_desktop.ui import office_list_dialog
from pmks_desktop.ui.bundle_import_dialog import BundleImportDialog
from pmks_desktop.ui.drives import Drive, candidate_folders, linux_mount_points, size_text
from pmks_desktop.ui.enrolment_dialogs import EnrolOfficeDialog, OwnEnrolmentDialog
from pmks_desktop.ui.export_wizard import ExportWizard
from pmks_desktop.ui.office_list_dialog import OfficeListDialog
from pmks_desktop.ui.receipt_dialogs import ReceiptImportDialog, WriteReceiptsDialog
from pmks_desktop.ui.sync_menu import SyncMenu
from pmks_desktop.ui.sync_widgets import RowsModel

from conftest import office_setup
from sync_world import build_world, open_site, person

SHOTS = Path("/tmp/sync_ui")
SITI = ("Siti Aminah", "3604054107800003")
BUDI = ("Budi Santoso", "3604050101800001")


@pytest.fixture(scope="module")
def world(tmp_path_factory, catalogue, regions):
    w = build_world(tmp_path_factory.mktemp("sync-ui"), catalogue, regions)
    yield w
    w.close()


@pytest.fixture
def fresh_office(tmp_path, catalogue, regions):
    """A kecamatan office not yet known to the hub, and not knowing it."""
    site = open_site(tmp_path / "kec-c", catalogue, regions, office_setup(regions, "36.04.07"))
    yield site
    site.db.close()


@pytest.fixture
def drive(tmp_path) -> Path:
    folder = tmp_path / "media" / "KINGSTON"
    folder.mkdir(parents=True)
    return folder


def shot(qtbot, widget, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    widget.show()
    qtbot.waitExposed(widget)
    path = SHOTS / f"{name}.png"
    widget.grab().save(str(path))
    return path


def wait_job(qtbot, job) -> None:
    """Until the job's result or error came back on the GUI thread."""
    qtbot.waitUntil(lambda: job.result is not None or job.exception is not None, timeout=30000)
    assert job.exception is None, job.exception


def pdf_text(data: bytes, name: str = "") -> str:
    """The text of every page, line breaks made spaces (paragraphs wrap anywhere); kept in
    /tmp/sync_ui/<name>.pdf to be looked at when a name is given."""
    if name:
        SHOTS.mkdir(exist_ok=True)
        (SHOTS / f"{name}.pdf").write_bytes(data)
    return " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(data)).pages)


def send_and_apply(world, office) -> list[Path]:
    paths = world.send(office)
    for path in paths:
        world.hub.sync_import.apply(path)
    return paths


def enrol_at_hub(world, office, folder: Path) -> None:
    world.hub.enrolment.enrol(office.enrolment.export_file(folder / "enrolmen-c.json"))


# ---------------------------------------------------------------- drives


def test_drives_list_removable_mounts_first_from_proc_mounts(tmp_path):
    mounts = ("/dev/sda1 / ext4 rw 0 0\n"
              "proc /proc proc rw 0 0\n"
              "/dev/sdb1 /media/budi/KINGSTON vfat rw,nosuid 0 0\n"
              "/dev/sdc1 /media/budi/DATA\\040KANTOR exfat rw 0 0\n"
              "/dev/sdd1 /run/media/budi/SANDISK vfat rw 0 0\n"
              "/dev/sde1 /mnt/usb vfat rw 0 0\n"
              "/dev/sdf1 /media/other/THEIRS vfat rw 0 0\n"
              "tmpfs /mnt tmpfs rw 0 0\n")
    points = linux_mount_points(mounts, "budi")
    assert points == [Path("/media/budi/KINGSTON"), Path("/media/budi/DATA KANTOR"),
                      Path("/run/media/budi/SANDISK"), Path("/mnt/usb")]
    (tmp_path / "Documents").mkdir()

    class Usage:
        free = 7 * 1024 ** 3 + 300 * 1024 ** 2

    drives = candidate_folders(platform="linux", mounts_text=mounts, user="budi",
                               home=tmp_path, usage=lambda path: Usage)
    assert [d.removable for d in drives] == [True] * 4 + [False]
    assert drives[-1].path == tmp_path / "Documents"
    assert drives[0].text == "KINGSTON (/media/budi/KINGSTON) — 7,3 GB kosong"
    assert size_text(512) == "512 B" and size_text(1536) == "1,5 KB"
    assert Drive(Path("/x"), "X", None, True).text == "X (/x)"


def test_rows_model_is_a_proper_table_model(qtmodeltester):
    model = RowsModel(("Register", "Baru"), numeric=(1,))
    model.set_rows([("Data orang", "2"), ("Kasus PMKS", "1")], {1: "#b3261e"})
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.row(1) == ("Kasus PMKS", "1")


# ---------------------------------------------------------------- export at the office


def test_export_wizard_writes_to_the_drive_and_prints_a_cover_sheet(qtbot, world, drive):
    person(world.a, *SITI)
    wizard = ExportWizard(world.a)
    qtbot.addWidget(wizard)
    assert wizard.send_button.isEnabled()
    assert ("Data orang", "1") in [wizard.counts.row(i) for i in range(wizard.counts.rowCount())]
    assert "Dinas Sosial" in wizard.heading.text()
    wizard.drive.reload([Drive(drive, "FLASHDISK", 8 * 2**30, True)])  # a flashdisk
    shot(qtbot, wizard, "export_1_summary")
    wait_job(qtbot, wizard.start_export(drive, show_dialog=False))
    assert wizard.pages.currentIndex() == 1
    assert "flashdisk AMAN DICABUT" in wizard.safe.text()
    files = sorted(p.name for p in drive.iterdir())
    assert files == [b.path.name for b in wizard.written] and files[0].endswith(".pmksb")
    shot(qtbot, wizard, "export_2_result")
    text = pdf_text(wizard.cover_sheet_pdf(), "cover_sheet")
    assert "LEMBAR PENGANTAR KIRIMAN DATA PMKS" in text and "Data orang" in text
    assert short_id(wizard.written[0].bundle_id) in text
    assert "Ahmad Fauzi" in text  # the Camat signs
    assert "Siti" not in text and SITI[1] not in text  # no personal data on the paper
    wizard.print_cover_sheet()
    assert wizard.preview_dialog is not None
    wizard.preview_dialog.close()


def test_export_without_the_hub_explains_enrolment(qtbot, fresh_office):
    wizard = ExportWizard(fresh_office)
    qtbot.addWidget(wizard)
    assert not wizard.send_button.isEnabled()
    assert "Berkas Enrolmen Komputer Ini" in wizard.status.text()
    assert "tanda terima pertama" in wizard.status.text()
    shot(qtbot, wizard, "export_no_hub")


# ---------------------------------------------------------------- import at the hub


def test_hub_previews_then_applies_a_kiriman(qtbot, world):
    person(world.a, *BUDI, sex="L")
    paths = world.send(world.a)
    dialog = BundleImportDialog(world.hub)
    qtbot.addWidget(dialog)
    wait_job(qtbot, dialog.load_files(paths, show_dialog=False))
    entry = dialog.entries[0]
    assert entry.good and entry.preview.result.total("baru") >= 1
    rows = {dialog.table.row(i)[0]: dialog.table.row(i) for i in range(dialog.table.rowCount())}
    assert int(rows["Data orang"][1]) >= 1  # column 1: baru
    assert not world.hub.persons.find("Budi Santoso")  # a preview writes nothing
    assert dialog.apply_button.isEnabled()
    shot(qtbot, dialog, "import_1_preview")
    wait_job(qtbot, dialog.apply_all(show_dialog=False))
    assert [p.name for p in world.hub.persons.find("Budi Santoso")] == ["Budi Santoso"]
    assert "baru" in dialog.status.text() and "Laporan impor" in dialog.status.text()
    assert not dialog.apply_button.isEnabled()
    shot(qtbot, dialog, "import_2_applied")

    again = BundleImportDialog(world.hub)
    qtbot.addWidget(again)
    wait_job(qtbot, again.load_files(paths, show_dialog=False))
    assert again.entries[0].preview.already_imported
    wait_job(qtbot, again.apply_all(show_dialog=False))
    assert "sudah pernah diimpor; tidak ada yang berubah" in again.status.text()


def test_a_tampered_file_is_refused_with_its_reason(qtbot, world, tmp_path):
    person(world.a, "Ani Suryani", "3604054507900002")
    path = world.send(world.a)[0]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad = tmp_path / path.name
    bad.write_bytes(bytes(data))
    dialog = BundleImportDialog(world.hub)
    qtbot.addWidget(dialog)
    wait_job(qtbot, dialog.load_files([bad], show_dialog=False))
    entry = dialog.entries[0]
    assert not entry.good and entry.quarantined is not None and entry.quarantined.exists()
    assert dialog.problem.isVisibleTo(dialog) and entry.error in dialog.problem.text()
    assert "karantina" in dialog.problem.text()
    assert not dialog.apply_button.isEnabled()
    shot(qtbot, dialog, "import_rejected")


# ---------------------------------------------------------------- receipts


def receipt_for(paths: list[Path], code: str) -> Path:
    return next(p for p in paths if p.name.startswith(f"pmks-{code}-receipt-"))


def test_receipts_written_at_the_hub_and_taken_at_offices(qtbot, world, fresh_office, drive,
                                                          tmp_path):
    enrol_at_hub(world, fresh_office, tmp_path)
    person(world.a, "Rina Marlina", "3604054808850004")
    send_and_apply(world, world.a)
    writer = WriteReceiptsDialog(world.hub)
    qtbot.addWidget(writer)
    writer.drive.set_folder(drive)  # a folder of this PC, not a flashdisk
    wait_job(qtbot, writer.write_to(drive, show_dialog=False))
    assert len(writer.written) == 3 and "AMAN DICABUT" not in writer.status.text()
    assert "Salin berkasnya ke flashdisk untuk dibawa ke kantor kecamatan" in \
        writer.status.text()
    assert "Kecamatan Bojonegara" in [writer.files.row(i)[1] for i in range(3)]
    shot(qtbot, writer, "receipts_write")

    first = ReceiptImportDialog(fresh_office)
    qtbot.addWidget(first)
    assert first.load(receipt_for(writer.written, "36.04.07"))
    assert first.first and first.confirmed.isVisibleTo(first)
    assert first.fingerprint_shown.text() == world.hub_fingerprint()
    assert not first.apply_button.isEnabled()
    shot(qtbot, first, "receipt_first")
    assert not first.apply()  # not confirmed against the paper: refused
    assert "Cocokkan dulu sidik kunci" in first.result.text()
    shot(qtbot, first, "receipt_first_refused")
    assert not any(p.role == "hub" for p in fresh_office.enrolment.peers())
    first.confirmed.setChecked(True)
    assert first.apply_button.isEnabled() and first.apply()
    assert "0 kiriman diakui Dinas Sosial" in first.result.text()
    assert [p.role for p in fresh_office.enrolment.peers()] == ["hub"]

    later = ReceiptImportDialog(world.a)
    qtbot.addWidget(later)
    assert later.load(receipt_for(writer.written, "36.04.05")) and not later.first
    assert later.apply_button.isEnabled() and later.apply()
    acknowledged = int(later.result.text().split(" kiriman diakui")[0].split()[-1])
    assert acknowledged >= 1 and "masih menunggu" not in later.result.text()
    shot(qtbot, later, "receipt_applied")


def test_a_damaged_receipt_is_refused(qtbot, world, tmp_path):
    bad = tmp_path / "pmks-36.04.05-receipt-rusak.pmksb"
    bad.write_bytes(b"bukan tanda terima")
    dialog = ReceiptImportDialog(world.a)
    qtbot.addWidget(dialog)
    assert not dialog.load(bad)
    assert "ditolak" in dialog.result.text() and not dialog.apply_button.isEnabled()


# ---------------------------------------------------------------- enrolment


def test_enrolment_needs_the_fingerprints_confirmed(qtbot, world, fresh_office, tmp_path):
    own = OwnEnrolmentDialog(fresh_office)
    qtbot.addWidget(own)
    shot(qtbot, own, "enrol_own_office")
    saved = own.save_to(tmp_path / own.default_name())
    assert saved is not None and saved.exists() and "disimpan" in own.status.text()
    sign_fp, box_fp = fresh_office.enrolment.own().fingerprints
    text = pdf_text(own.enrolment_sheet_pdf(), "enrolment_sheet")
    assert "LEMBAR ENROLMEN KOMPUTER" in text and sign_fp in text and box_fp in text
    assert "bandingkan sidik kunci ini dengan yang tampil di layar Dinas Sosial" in text
    assert fresh_office.db.node_state()[0] in text

    dialog = EnrolOfficeDialog(world.hub)
    qtbot.addWidget(dialog)
    assert dialog.load(saved)
    assert not dialog.enrol_button.isEnabled()
    shot(qtbot, dialog, "enrol_office")
    before = len(world.hub.enrolment.peers())
    assert not dialog.register()
    assert "centang" in dialog.status.text() and len(world.hub.enrolment.peers()) == before
    shot(qtbot, dialog, "enrol_office_refused")
    dialog.confirmed.setChecked(True)
    assert dialog.enrol_button.isEnabled() and dialog.register()
    assert "Kecamatan Bojonegara terdaftar" in dialog.status.text()
    shot(qtbot, dialog, "enrol_office_done")
    assert len(world.hub.enrolment.peers()) == before + 1

    hub_own = OwnEnrolmentDialog(world.hub)
    qtbot.addWidget(hub_own)
    assert not hub_own.save_button.isVisibleTo(hub_own)
    assert world.hub_fingerprint() in pdf_text(hub_own.enrolment_sheet_pdf())
    shot(qtbot, hub_own, "enrol_own_hub")


def test_a_damaged_enrolment_file_is_refused(qtbot, world, tmp_path):
    bad = tmp_path / "enrolmen.json"
    bad.write_text("{}", encoding="utf-8")
    dialog = EnrolOfficeDialog(world.hub)
    qtbot.addWidget(dialog)
    assert not dialog.load(bad)
    assert "bukan berkas enrolmen" in dialog.status.text()
    assert not dialog.details.isVisibleTo(dialog) and not dialog.enrol_button.isEnabled()


# ---------------------------------------------------------------- office list


def test_office_list_shows_offices_and_revokes_with_a_reason(qtbot, world, fresh_office,
                                                             tmp_path, monkeypatch):
    person(world.a, "Dewi Lestari", "3604054909920005")
    send_and_apply(world, world.a)
    enrol_at_hub(world, fresh_office, tmp_path)
    dialog = OfficeListDialog(world.hub)
    qtbot.addWidget(dialog)
    rows = [dialog.model.row(i) for i in range(dialog.model.rowCount())]
    by_code = {r[1]: r for r in rows if r[1] in ("36.04.05", "36.04.06")}
    assert "pukul" in by_code["36.04.05"][4] and "lengkap" in by_code["36.04.05"][6]
    assert by_code["36.04.06"][4] == "-" and by_code["36.04.06"][6] == "belum ada kiriman"
    assert by_code["36.04.05"][0] == "Kecamatan Kramatwatu"
    shot(qtbot, dialog, "office_list")

    answers = [("", True), ("laptop hilang", True)]
    errors = []
    monkeypatch.setattr(office_list_dialog, "ask_text", lambda *a, **k: answers.pop(0))
    monkeypatch.setattr(office_list_dialog, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(office_list_dialog, "show_error", lambda p, e, *a: errors.append(str(e)))
    node = fresh_office.db.node_state()[0]
    dialog.view.selectRow(next(i for i, o in enumerate(dialog.offices) if o.node_id == node))
    assert not dialog.revoke_selected() and errors == ["Alasan pencabutan wajib diisi."]
    assert dialog.revoke_selected()
    revoked = next(o for o in dialog.offices if o.node_id == node)
    assert revoked.revoked_reason == "laptop hilang"
    assert "dicabut: laptop hilang" in dialog.model.row(dialog.offices.index(revoked))[8]


# ---------------------------------------------------------------- the menu


def menu_texts(services) -> list[str]:
    window = QMainWindow()
    menu = QMenu()
    SyncMenu(window, services).build(menu)
    texts = [a.text() for a in menu.actions()]
    assert all(a.isEnabled() for a in menu.actions())  # the administrator may do all of it
    window.deleteLater()
    return texts


def test_menu_items_at_an_office_and_at_the_hub(qtbot, world):
    assert menu_texts(world.a) == ["&Kirim Data ke Dinas Sosial…",
                                   "&Terima Tanda Terima Dinas…",
                                   "Tinjau &Konflik Sinkron…", "",
                                   "Berkas &Enrolmen Komputer Ini…"]
    assert menu_texts(world.hub) == ["&Impor Kiriman Kantor…",
                                     "&Tulis Tanda Terima untuk Kantor…",
                                     "&Daftar Kantor dan Kiriman…",
                                     "Tinjau &Konflik Sinkron…", "",
                                     "Daftarkan &Komputer Kantor…", "Berkas &Enrolmen Dinas…"]


def test_an_operator_may_send_but_not_administer(qtbot, world):
    operator = SimpleNamespace(office=world.a.office,
                               session=SimpleNamespace(allows=lambda p: role_allows("operator", p)))
    menu = QMenu()
    SyncMenu(QMainWindow(), operator).build(menu)
    enabled = {a.text(): a.isEnabled() for a in menu.actions() if a.text()}
    assert enabled == {"&Kirim Data ke Dinas Sosial…": True,
                       "&Terima Tanda Terima Dinas…": False,
                       "Tinjau &Konflik Sinkron…": True,  # looking; deciding needs VERIFY
                       "Berkas &Enrolmen Komputer Ini…": False}


def test_main_window_has_the_sinkron_menu(qtbot, world):
    from pmks_desktop.ui.main_window import MainWindow

    window = MainWindow(world.a)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert "Si&nkron" in titles and titles.index("Si&nkron") == titles.index("&Surat") + 1
