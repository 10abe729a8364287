"""Two kecamatan offices and the Dinas Sosial hub in temporary folders, enrolled with each
other through files, as the sync tests need them."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pmks_desktop.domain.regions import kabupaten_areas
from pmks_desktop.paths import DataPaths
from pmks_desktop.services.container import build_services
from pmks_desktop.services.office import OfficeSetup
from pmks_desktop.services.person_input import PersonInput
from pmks_desktop.services.users import NewUser
from pmks_desktop.storage.database import open_database
from pmks_desktop.sync.bundle import read_header

from conftest import ADMIN, office_setup

SYNCED = ("person", "household", "household_member", "pmks_case", "register_entry",
          "register_member", "person_merge", "letter", "letter_event")


def hub_setup(regions) -> OfficeSetup:
    kecamatan, desa = kabupaten_areas(regions, "36.04")
    return OfficeSetup(
        mode="kabupaten", province_code="36", province_name=regions.get("36").name,
        kabupaten_code="36.04", kabupaten_name=regions.get("36.04").name,
        address="Jl. Veteran No. 1 Serang", place_name="Serang",
        signer_name="Dr. Hj. Siti Rahmah, M.Si.", signer_nip="197203031995032002",
        signer_rank="Pembina Utama Muda (IV/c)", signer_title="Kepala Dinas Sosial",
        known_kabupaten=sorted(regions.kabupaten_codes()), kecamatan=kecamatan, desa=desa)


def open_site(folder: Path, catalogue, regions, setup: OfficeSetup | None = None):
    services = build_services(open_database(DataPaths(folder)), catalogue)
    if setup is not None:
        services.office.set_up(setup, NewUser(ADMIN[0], "Admin", "administrator", ADMIN[1],
                                              True))
    services.users.authenticate(*ADMIN)
    return services


@dataclass
class World:
    hub: object
    a: object
    b: object
    stick: Path

    def hub_fingerprint(self) -> str:
        return self.hub.enrolment.own().fingerprints[0]

    def send(self, office) -> list[Path]:
        return [b.path for b in office.sync_export.export(self.stick)]

    def receipts(self, *offices) -> None:
        """The hub writes a receipt per office PC; each office applies its own."""
        by_node = {o.db.node_state()[0]: o for o in offices}
        for path in self.hub.sync_receipts.write_receipts(self.stick):
            header = read_header(path.read_bytes())[0]
            if header.to_node in by_node:
                by_node[header.to_node].sync_receipts.import_receipt(
                    path, confirmed_fingerprint=self.hub_fingerprint())
            path.unlink()

    def close(self) -> None:
        for site in (self.hub, self.a, self.b):
            site.db.close()


def build_world(root: Path, catalogue, regions) -> World:
    stick = root / "flashdisk"
    stick.mkdir(parents=True)
    hub = open_site(root / "dinsos", catalogue, regions, hub_setup(regions))
    a = open_site(root / "kec-a", catalogue, regions, office_setup(regions, "36.04.05"))
    b = open_site(root / "kec-b", catalogue, regions, office_setup(regions, "36.04.06"))
    world = World(hub, a, b, stick)
    for office in (a, b):
        enrolment = office.enrolment.export_file(stick / "enrolmen.json")
        hub.enrolment.enrol(enrolment)
    world.receipts(a, b)
    return world


def person(site, name: str, nik: str = "", desa: str = "36.04.05.2001", sex: str = "P"):
    return site.persons.register(PersonInput(name=name, sex=sex, desa_code=desa, nik=nik,
                                             birth_date=date(1980, 7, 1)),
                                 allow_duplicate=True)


def same_nik_world(root: Path, catalogue, regions, nik: str) -> World:
    """The world with one "Siti Rohmah" of the same NIK at each office, both at the hub
    (`world.ids`: office A's, then office B's)."""
    w = build_world(root, catalogue, regions)
    one = person(w.a, "Siti Rohmah", nik)
    two = person(w.b, "Siti Rohmah", nik, desa="36.04.06.2001")
    for office in (w.a, w.b):
        w.hub.sync_import.apply(w.send(office)[0])
    w.ids = (one.id, two.id)
    return w


def dump(site, tables=SYNCED) -> dict[str, list[tuple]]:
    """Every row of the synced tables, sorted: equal dumps mean identical databases."""
    with sqlite3.connect(site.db.paths.database) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in tables}
