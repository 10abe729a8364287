"""The RS-RTLH verdict (Permensos 20/2017): tidak layak huni, eligibility, and the reasons."""
from __future__ import annotations

from datetime import date

import pytest

from pmks_desktop.domain.form_validation import EntryContext, check_entry
from pmks_desktop.domain.forms import load_form
from pmks_desktop.domain.rtlh import MIN_AREA_SETTING, rtlh_verdict
from pmks_desktop.paths import forms_dir

# A sound house (9 m² per occupant) of a household that meets every other condition.
SOUND = {"roof": "layak", "walls": "layak", "floor": "layak", "mck": "ada", "floor_area": 45,
         "occupants": 5, "land_status": "sertifikat", "agrees_no_sale": True,
         "registered_poor": True}


def verdict(**changes):
    return rtlh_verdict({**SOUND, **changes})


def test_a_sound_house_is_not_eligible():
    result = verdict()
    assert not result.uninhabitable and not result.eligible
    assert result.reasons == [
        "Atap dalam kondisi layak.", "Dinding dalam kondisi layak.",
        "Lantai dalam kondisi layak.", "Ada sarana MCK.",
        "Luas lantai 9,0 m² per orang, memenuhi batas 7,2 m².", "Rumah layak huni.",
        "Keluarga terdaftar sebagai fakir miskin.", "Tanah milik sendiri (sertifikat).",
        "Bersedia tidak menjual atau menyewakan rumah selama 5 tahun.",
        "Tidak memenuhi syarat RS-RTLH.",
    ]


@pytest.mark.parametrize("changes,reason", [
    ({"roof": "rusak"}, "Atap rusak atau dari bahan mudah lapuk."),
    ({"roof": "bahan_mudah_lapuk"}, "Atap rusak atau dari bahan mudah lapuk."),
    ({"walls": "rusak"}, "Dinding rusak atau dari bahan mudah lapuk."),
    ({"walls": "bahan_mudah_lapuk"}, "Dinding rusak atau dari bahan mudah lapuk."),
    ({"floor": "tanah"}, "Lantai dari tanah."),
    ({"floor": "papan"}, "Lantai dari papan."),
    ({"floor": "bambu"}, "Lantai dari bambu."),
    ({"floor": "rusak"}, "Lantai rusak."),
    ({"mck": "tidak_ada"}, "Tidak ada sarana MCK."),
    ({"floor_area": 25}, "Luas lantai 5,0 m² per orang, di bawah 7,2 m²."),
])
def test_each_criterion_alone_makes_the_house_uninhabitable(changes, reason):
    result = verdict(**changes)
    assert result.uninhabitable and result.eligible
    assert reason in result.reasons
    assert "Rumah tidak layak huni." in result.reasons
    assert result.reasons[-1] == "Memenuhi syarat RS-RTLH."


def test_area_threshold_boundary():
    assert not verdict(floor_area=36, occupants=5).uninhabitable  # exactly 7,2 m²: layak
    assert "Luas lantai 7,2 m² per orang, memenuhi batas 7,2 m²." in \
        verdict(floor_area=36).reasons
    below = verdict(floor_area="35,9", occupants=5)  # 7,18 m²: shown with 2 decimals
    assert below.uninhabitable
    assert "Luas lantai 7,18 m² per orang, di bawah 7,2 m²." in below.reasons


def test_area_threshold_is_a_setting():
    assert MIN_AREA_SETTING == "rtlh.min_area_per_person"
    result = rtlh_verdict({**SOUND, "floor_area": 40}, min_area_per_person=9)  # 8 m² each
    assert result.uninhabitable
    assert "Luas lantai 8,0 m² per orang, di bawah 9,0 m²." in result.reasons
    assert not rtlh_verdict({**SOUND, "floor_area": 40}).uninhabitable


@pytest.mark.parametrize("land", ["sertifikat", "girik", "letter_c", "keterangan_desa"])
def test_owned_land(land):
    assert verdict(roof="rusak", land_status=land).eligible


def test_land_not_owned_is_not_eligible_even_when_uninhabitable():
    result = verdict(roof="rusak", floor="tanah", land_status="tidak_jelas")
    assert result.uninhabitable and not result.eligible
    assert "Status tanah tidak jelas: tidak memenuhi syarat." in result.reasons
    assert result.reasons[-1] == "Tidak memenuhi syarat RS-RTLH."


def test_household_conditions():
    not_poor = verdict(mck="tidak_ada", registered_poor=False)
    assert not_poor.uninhabitable and not not_poor.eligible
    assert "Keluarga tidak terdaftar sebagai fakir miskin: tidak memenuhi syarat." in \
        not_poor.reasons
    no_pledge = verdict(mck="tidak_ada", agrees_no_sale=False)
    assert not no_pledge.eligible
    assert ("Belum menyatakan bersedia tidak menjual atau menyewakan rumah selama 5 tahun: "
            "tidak memenuhi syarat.") in no_pledge.reasons


def test_missing_data_is_said_and_never_eligible():
    result = rtlh_verdict({"roof": "rusak"})
    assert result.uninhabitable and not result.eligible
    assert "Kondisi dinding belum diisi." in result.reasons
    assert ("Luas lantai per penghuni belum dapat dihitung: isi luas lantai dan jumlah penghuni."
            in result.reasons)
    assert "Status tanah belum diisi: tidak memenuhi syarat." in result.reasons


def test_raw_typed_values_are_read():
    result = rtlh_verdict({**SOUND, "floor_area": "24,5", "occupants": "5",
                           "agrees_no_sale": "ya", "registered_poor": "Ya"})
    assert result.eligible
    assert "Luas lantai 4,9 m² per orang, di bawah 7,2 m²." in result.reasons


def test_verdict_uses_the_form_s_fields_and_choices():
    form = load_form(forms_dir() / "registers" / "rtlh.yaml")
    assert form.verdict == "rtlh"
    values = {f.name for f in form.fields}
    assert set(SOUND) <= values
    assert {c.value for c in form.field("roof").choices} == {"layak", "rusak", "bahan_mudah_lapuk"}
    assert {c.value for c in form.field("walls").choices} == {"layak", "rusak",
                                                              "bahan_mudah_lapuk"}
    assert {c.value for c in form.field("floor").choices} == {"layak", "tanah", "papan", "bambu",
                                                              "rusak"}
    assert {c.value for c in form.field("mck").choices} == {"ada", "tidak_ada"}
    assert {c.value for c in form.field("land_status").choices} == {
        "sertifikat", "girik", "letter_c", "keterangan_desa", "tidak_jelas"}
    # The cleaned values of a checked entry go straight into the verdict.
    raw = {**SOUND, "household": "hh-1", "desa": "36.04.05.2001", "floor_area": "30",
           "validated_on": "27-07-2024", "validator": "Ahmad", "status": "divalidasi"}
    checked = check_entry(form, raw, EntryContext(today=date(2024, 7, 27),
                                                  desa_codes=frozenset({"36.04.05.2001"})))
    assert checked.errors == []
    assert rtlh_verdict(checked.values).eligible  # 6,0 m² per orang
