"""Shared fixtures. Every test runs on its own temporary data folder; Qt runs offscreen."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # without a display Qt would abort the run

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
REGIONS_CSV = SHARED_DATA / "wilayah-kepmendagri-2025.csv"
KRAMATWATU = "36.04.05"
ADMIN = ("admin", "rahasia-admin-1")


@pytest.fixture
def data_paths(tmp_path, monkeypatch):
    from pmks_desktop.paths import DataPaths

    monkeypatch.delenv("PMKS_DATA_DIR", raising=False)
    monkeypatch.delenv("PMKS_PASSWORD", raising=False)
    return DataPaths(tmp_path / "data")


@pytest.fixture(scope="session")
def regions():
    from pmks_desktop.domain.regions import load_region_csv

    return load_region_csv(REGIONS_CSV)


@pytest.fixture(scope="session")
def catalogue():
    from pmks_desktop.domain.catalogue import load_catalogue
    from pmks_desktop.paths import forms_dir

    return load_catalogue(forms_dir() / "pmks_catalogue.yaml")


def office_setup(regions, kecamatan_code: str = KRAMATWATU):
    from pmks_desktop.services.office import OfficeSetup

    kec = regions.get(kecamatan_code)
    return OfficeSetup(
        mode="kecamatan", province_code="36", province_name=regions.get("36").name,
        kabupaten_code="36.04", kabupaten_name=regions.get("36.04").name,
        kecamatan_code=kecamatan_code, kecamatan_name=kec.name,
        address="Jl. Raya Serang-Cilegon Km. 8", phone="(0254) 123456", postcode="42161",
        email="kec@example.invalid", place_name=kec.name.title(),
        signer_name="Drs. H. Ahmad Fauzi, M.Si.", signer_nip="197001011990031001",
        signer_rank="Pembina Tingkat I (IV/b)", signer_title=f"Camat {kec.name.title()}",
        desa=[(d.code, d.name) for d in regions.desa_of(kecamatan_code)],
        known_kabupaten=sorted(regions.kabupaten_codes()))


@pytest.fixture
def db(data_paths):
    from pmks_desktop.storage.database import open_database

    database = open_database(data_paths)
    yield database
    database.close()


@pytest.fixture
def services(db, regions, catalogue):
    """Services on a set-up Kramatwatu office with the administrator signed in."""
    from pmks_desktop.services.container import build_services
    from pmks_desktop.services.users import NewUser

    app = build_services(db, catalogue)
    app.office.set_up(office_setup(regions), NewUser(ADMIN[0], "Admin Kecamatan",
                                                     "administrator", ADMIN[1], True))
    app.users.authenticate(*ADMIN)
    return app
