"""Beranda: cards, charts and program figures show what DashboardService counts, and follow new
data when marked stale."""
from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCharts import QBarCategoryAxis

from pmks_desktop.storage.models import Person, PmksCase, RegisterEntry, RegisterMember, utc_now
from pmks_desktop.ui.home_tab import TOP_TYPES, HomeTab

DESA_A = "36.04.05.2001"
DESA_B = "36.04.05.2002"


def add_case(s, type_code: str, bidang: str = "rehsos", desa: str = DESA_A,
             status: str = "baru") -> None:
    person = Person(name="Warga", sex="P", desa_code=desa)
    s.add(person)
    s.flush()
    s.add(PmksCase(person_id=person.id, type_code=type_code, bidang=bidang,
                   recorded_on=date(2024, 7, 1), status=status))


def add_entry(s, register: str, desa: str = DESA_A, status=None, pmks_type=None, members=0,
              deleted=False, **data) -> RegisterEntry:
    entry = RegisterEntry(register_code=register, title=register, desa_code=desa, status=status,
                          pmks_type=pmks_type, recorded_on=date(2024, 7, 1),
                          data=json.dumps(data), deleted_at=utc_now() if deleted else None)
    s.add(entry)
    s.flush()
    for _ in range(members):
        person = Person(name="Anggota", sex="L", desa_code=desa)
        s.add(person)
        s.flush()
        s.add(RegisterMember(entry_id=entry.id, person_id=person.id))
    return entry


@pytest.fixture
def office(services):
    with services.db.write() as s:
        for code in ("23", "23", "08", "09", "16"):
            add_case(s, code)
        add_case(s, "23", desa=DESA_B, status="dalam_penanganan")
        for _ in range(3):
            add_entry(s, "fakir_miskin", desa=DESA_B, status="didata", pmks_type="24")
        add_entry(s, "fakir_miskin", pmks_type="24", deleted=True)
        add_entry(s, "kat", pmks_type="26", persons=120)
        add_entry(s, "kube", status="disetujui", aid_value=20_000_000, members=10)
        add_entry(s, "kube", status="disalurkan", aid_value=20_000_000, members=10)
        add_entry(s, "uep", status="diusulkan", aid_per_person=3_500_000, members=5)
        add_entry(s, "kpm", status="aktif", aid_index=150_000)
        add_entry(s, "kpm", status="aktif", aid_index=150_000)
        add_entry(s, "rtlh", status="divalidasi", _verdict={"eligible": True})
        add_entry(s, "lk3", status="baru", desa=None)
    return services


@pytest.fixture
def tab(qtbot, office):
    widget = HomeTab(office.dashboard, office.catalogue, "Kecamatan Kramatwatu")
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    return widget


def test_cards_and_tables_show_the_counts(tab, office):
    totals = office.dashboard.totals()
    assert (totals.cases, totals.register_pmks) == (6, 4)
    assert tab.cards["pmks"].text() == "10"
    assert tab.cards["cases"].text() == "6"
    assert tab.cards["persons"].text() == number(totals.persons)
    assert tab.cards["baru"].text() == "5" and tab.cards["dalam_penanganan"].text() == "1"
    assert tab.count_for_type("23") == 3
    assert tab.count_for_type("24") == 3  # trashed household not counted
    assert tab.count_for_type("26") == 1 and tab.count_for_type("21") == 0


def test_charts_hold_the_service_numbers(tab, office):
    totals = office.dashboard.totals()
    assert tab.chart_values("bidang") == {"fakir_miskin": 3, "rehsos": 6, "dayasos": 1}
    assert tab.chart_values("bidang") == {k: n for k, n in totals.by_bidang}
    top = sorted(totals.by_type, key=lambda r: (-r[1], r[0]))[:TOP_TYPES]
    assert tab.chart_values("types") == dict(top)
    assert list(tab.chart_values("types")) == ["23", "24", "08", "09", "16", "26"]
    assert tab.chart_values("desa") == {code: n for code, _name, n in totals.by_desa}
    assert tab.chart_values("desa")[DESA_B] == 4
    # Short labels on the axis, largest on top (a category axis is drawn bottom-up).
    axis = next(a for a in tab.charts["types"].chart().axes()
                if isinstance(a, QBarCategoryAxis))
    assert axis.categories()[-1] == "23 PRSE" and "24 Fakir Miskin" in axis.categories()
    assert "Rehabilitasi Sosial" in tab.bidang_legend.text()


def test_program_panel_shows_figures_in_rupiah(tab):
    values = {key: label.text() for key, label in tab.program_values.items()}
    assert (values["kube.groups"], values["kube.members"], values["kube.aid"]) == \
        ("2", "20", "Rp40.000.000")
    assert (values["uep.groups"], values["uep.members"], values["uep.aid"]) == \
        ("1", "5", "Rp17.500.000")
    assert (values["sembako.active"], values["sembako.monthly"]) == ("2", "Rp300.000")
    assert (values["rtlh.validated"], values["rtlh.eligible"]) == ("1", "1")
    assert values["lk3.total"] == "1" and values["lain.fakir_miskin"] == "3"
    assert values["bencana.compensation"] == "Rp0"


def test_refresh_follows_new_data(tab, office):
    with office.db.write() as s:
        add_entry(s, "korban_bencana", status="mengungsi", pmks_type="21")
        add_entry(s, "kube", status="diusulkan", aid_value=15_000_000, members=10)
    assert tab.count_for_type("21") == 0  # not yet recounted
    tab.mark_stale()  # visible: recounts now
    assert tab.count_for_type("21") == 1
    assert tab.chart_values("types")["21"] == 1
    assert tab.chart_values("bidang")["linjamsos"] == 1
    assert tab.cards["pmks"].text() == "11"
    assert tab.program_values["kube.aid"].text() == "Rp55.000.000"


def test_hidden_tab_recounts_when_shown(tab, office):
    tab.hide()
    with office.db.write() as s:
        add_case(s, "02")
    tab.mark_stale()
    assert tab.count_for_type("02") == 0
    tab.show()
    assert tab.count_for_type("02") == 1


def test_empty_office_shows_empty_charts(qtbot, services):
    widget = HomeTab(services.dashboard, services.catalogue, "Kecamatan Kramatwatu")
    qtbot.addWidget(widget)
    widget.show()
    assert widget.chart_values("types") == {} and widget.chart_values("bidang") == {}
    assert set(widget.chart_values("desa").values()) == {0}
    assert widget.bidang_legend.text() == "Belum ada data PMKS."
    assert widget.program_values["kube.aid"].text() == "Rp0"


def number(n: int) -> str:
    from pmks_desktop.domain.formatting import number_id

    return number_id(n)
