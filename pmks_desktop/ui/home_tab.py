"""Beranda: the office's real counts at a glance, as charts (per bidang, top PMKS types, per
desa), program figures (KUBE, UEP, Sembako, RS-RTLH, disasters, SLRT, LK3) and exact tables.

Counts cover cases and register entries with a PMKS type (DashboardService); all are aggregate,
so they are shown to every user whatever their permission for sensitive records.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from pmks_desktop.domain.catalogue import Catalogue
from pmks_desktop.domain.formatting import long_date_with_day, number_id, rupiah
from pmks_desktop.services.dashboard import DashboardService, Programs, Totals
from pmks_desktop.services.lookup import find_type
from pmks_desktop.ui.home_charts import (PALETTE, chart_view, show_bars,
                                         show_pie)

TOP_TYPES = 10
TOP_DESA = 20  # a kecamatan has fewer; at the hub only the desa with most PMKS fit a chart
# Program cards: (key, title, ((figure, caption), ...)); HomeTab.program_values["kube.aid"]...
PROGRAM_CARDS = (
    ("kube", "KUBE", (("groups", "kelompok"), ("members", "anggota"), ("aid", "nilai bantuan"))),
    ("uep", "UEP PRSE", (("groups", "kelompok"), ("members", "penerima"),
                         ("aid", "nilai bantuan"))),
    ("sembako", "KPM Program Sembako", (("active", "KPM aktif"), ("monthly", "nilai per bulan"),
                                        ("kpm", "KPM terdaftar"))),
    ("rtlh", "Validasi RS-RTLH", (("validated", "rumah divalidasi"),
                                  ("eligible", "layak menerima"), ("not_eligible", "tidak layak"))),
    ("bencana", "Bencana", (("events", "kejadian"), ("victims", "korban"),
                            ("aid", "penyerahan bantuan"), ("compensation", "santunan"))),
    ("slrt", "SLRT \u201cKule Bangkit\u201d", (("total", "pengaduan"),)),
    ("lk3", "Kasus LK3", (("total", "kasus"),)),
    ("lain", "Register lain", (("fakir_miskin", "keluarga fakir miskin"),
                               ("kat", "komunitas adat terpencil"), ("psks", "PSKS"),
                               ("kegiatan", "kegiatan"))),
)


def _card(title: str) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setStyleSheet("QFrame { background: palette(base); border-radius: 6px; }")
    value = QLabel("0")
    value.setStyleSheet("font-size: 18pt; font-weight: bold; color: #1f5f8b; border: none;")
    caption = QLabel(title)
    caption.setStyleSheet("color: #4a4a4a; border: none;")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(10, 4, 10, 6)
    layout.setSpacing(0)
    layout.addWidget(value)
    layout.addWidget(caption)
    return frame, value


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, int]]) -> None:
    table.setRowCount(len(rows))
    for r, (label, count) in enumerate(rows):
        table.setItem(r, 0, QTableWidgetItem(label))
        item = QTableWidgetItem(number_id(count))
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        table.setItem(r, 1, item)


def _boxed(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box


def _humanize(code: str) -> str:
    """`dalam_penanganan` -> `Dalam penanganan`: register statuses for the program panel."""
    return code.replace("_", " ").capitalize()


# ------------------------------------------------------------------ charts


class HomeTab(QWidget):
    def __init__(self, dashboard: DashboardService, catalogue: Catalogue, office_title: str,
                 parent=None):
        super().__init__(parent)
        self._dashboard = dashboard
        self._catalogue = catalogue
        self._chart_keys: dict[str, list[str]] = {}
        layout = QVBoxLayout(self)
        layout.addLayout(self._header(office_title))
        layout.addLayout(self._cards())
        self.views = QTabWidget()
        self.views.addTab(self._charts_page(), "&Grafik")
        self.views.addTab(self._programs_page(), "&Program")
        self.views.addTab(self._tables_page(), "Tab&el Angka")
        layout.addWidget(self.views, 1)
        self._stale = True

    def _header(self, office_title: str) -> QHBoxLayout:
        heading = QLabel(f"<h2>{office_title}</h2>")
        self.date_label = QLabel()
        refresh = QPushButton("Muat &Ulang")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.date_label)
        top.addWidget(refresh)
        return top

    def _cards(self) -> QGridLayout:
        cards = QGridLayout()
        self.cards: dict[str, QLabel] = {}
        for column, (key, title) in enumerate((
                ("persons", "orang terdaftar"),
                ("pmks", "PMKS tercatat (kasus + register)"),
                ("cases", "kasus PMKS perorangan"),
                ("baru", "kasus menunggu verifikasi"),
                ("dalam_penanganan", "kasus dalam penanganan"))):
            frame, self.cards[key] = _card(title)
            cards.addWidget(frame, 0, column)
        return cards

    def _charts_page(self) -> QWidget:
        self.charts = {"bidang": chart_view("PMKS per bidang"),
                       "types": chart_view("Jenis PMKS terbanyak"),
                       "desa": chart_view("PMKS per desa")}
        self.bidang_legend = QLabel()
        self.bidang_legend.setTextFormat(Qt.TextFormat.RichText)
        left = QVBoxLayout()
        left.addWidget(self.charts["bidang"], 1)
        left.addWidget(self.bidang_legend)
        page = QWidget()
        row = QHBoxLayout(page)
        row.addLayout(left, 5)
        row.addWidget(self.charts["types"], 6)
        row.addWidget(self.charts["desa"], 6)
        return page

    def _programs_page(self) -> QWidget:
        """Cards of program figures; `program_values["kube.aid"]` etc. hold the shown text."""
        self.program_values: dict[str, QLabel] = {}
        self.program_notes: dict[str, QLabel] = {}
        page = QWidget()
        grid = QGridLayout(page)
        for index, (key, title, lines) in enumerate(PROGRAM_CARDS):
            grid.addWidget(self._program_card(key, title, lines), index // 4, index % 4)
            grid.setColumnStretch(index % 4, 1)
        return page

    def _program_card(self, key: str, title: str, lines) -> QGroupBox:
        box = QGroupBox(title)
        box.setStyleSheet("QGroupBox { font-weight: bold; }")
        form = QGridLayout(box)
        form.setColumnStretch(1, 1)
        for row, (name, caption) in enumerate(lines):
            value = QLabel("0")
            value.setStyleSheet("font-size: 13pt; font-weight: bold; color: #1f5f8b;")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            text = QLabel(caption)
            text.setWordWrap(True)  # the cards must fit a 1024-pixel screen too
            text.setStyleSheet("font-weight: normal;")
            form.addWidget(value, row, 0)
            form.addWidget(text, row, 1)
            self.program_values[f"{key}.{name}"] = value
        note = QLabel()
        note.setWordWrap(True)
        note.setStyleSheet("font-weight: normal; color: #555555;")
        form.addWidget(note, len(lines), 0, 1, 2)
        form.setRowStretch(len(lines) + 1, 1)  # figures at the top, space below
        self.program_notes[key] = note
        return box

    def _tables_page(self) -> QWidget:
        self.by_type = _table(["Jenis PMKS", "Jumlah"])
        self.by_desa = _table(["Desa/Kelurahan", "Jumlah"])
        self.by_bidang = _table(["Bidang", "Jumlah"])
        self.by_status = _table(["Status kasus", "Jumlah"])
        side = QVBoxLayout()
        side.addWidget(_boxed("Per bidang", self.by_bidang))
        side.addWidget(_boxed("Per status kasus", self.by_status))
        page = QWidget()
        row = QHBoxLayout(page)
        row.addWidget(_boxed("Per jenis PMKS", self.by_type), 3)
        row.addWidget(_boxed("Per desa/kelurahan", self.by_desa), 2)
        row.addLayout(side, 2)
        return page

    # ------------------------------------------------------------- life

    def mark_stale(self) -> None:
        """Data changed elsewhere: recount when the tab is next shown (counting 100,000 cases
        takes a noticeable fraction of a second, so not after every save in another tab)."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        totals = self._dashboard.totals()
        programs = self._dashboard.programs()
        self.date_label.setText(long_date_with_day(date.today()))
        self._show(totals)
        self._show_programs(programs)

    def _show(self, totals: Totals) -> None:
        status_counts = dict(totals.by_status)
        self.cards["persons"].setText(number_id(totals.persons))
        self.cards["pmks"].setText(number_id(totals.pmks))
        self.cards["cases"].setText(number_id(totals.cases))
        for key in ("baru", "dalam_penanganan"):
            self.cards[key].setText(number_id(status_counts.get(key, 0)))
        _fill(self.by_type, [(self._type_label(code), n) for code, n in totals.by_type])
        _fill(self.by_desa, [(name, n) for _code, name, n in totals.by_desa])
        bidang = self._bidang_rows(totals)
        _fill(self.by_bidang, [(label, n) for _k, label, n in bidang])
        _fill(self.by_status, [(s.label, status_counts.get(s.code, 0))
                               for s in self._catalogue.statuses])
        self._show_charts(totals, bidang)

    def _bidang_rows(self, totals: Totals) -> list[tuple[str, str, int]]:
        counts = dict(totals.by_bidang)
        rows = [(b.code, b.name, counts.pop(b.code, 0)) for b in self._catalogue.bidang]
        return rows + [(code, _humanize(code), n) for code, n in sorted(counts.items())]

    def _show_charts(self, totals: Totals, bidang: list[tuple[str, str, int]]) -> None:
        shown = [row for row in bidang if row[2]]
        legend = show_pie(self.charts["bidang"].chart(), shown)
        self.bidang_legend.setText(f"<table cellspacing=3>{''.join(legend)}</table>" if legend
                                   else "Belum ada data PMKS.")
        types = sorted(totals.by_type, key=lambda r: (-r[1], r[0]))[:TOP_TYPES]
        type_rows = [(code, self._short_label(code), n) for code, n in types]
        desa = totals.by_desa
        if len(desa) > TOP_DESA:
            desa = sorted(desa, key=lambda r: (-r[2], r[1]))[:TOP_DESA]
        desa_rows = [(code, _desa_label(name), n) for code, name, n in desa]
        self.charts["types"].chart().setTitle(
            f"{len(types)} jenis PMKS terbanyak" if len(totals.by_type) > TOP_TYPES
            else "PMKS per jenis")
        self.charts["desa"].chart().setTitle(
            f"{TOP_DESA} desa dengan PMKS terbanyak" if len(totals.by_desa) > TOP_DESA
            else "PMKS per desa")
        show_bars(self.charts["types"].chart(), type_rows, PALETTE[0])
        show_bars(self.charts["desa"].chart(), desa_rows, PALETTE[2])
        self._chart_keys = {"bidang": [k for k, _l, _n in shown],
                            "types": [k for k, _l, _n in type_rows],
                            "desa": [k for k, _l, _n in desa_rows]}

    def _show_programs(self, p: Programs) -> None:
        values = {
            "kube.groups": p.kube.groups, "kube.members": p.kube.members,
            "kube.aid": rupiah(p.kube.aid_total, decimals=False),
            "uep.groups": p.uep.groups, "uep.members": p.uep.members,
            "uep.aid": rupiah(p.uep.aid_total, decimals=False),
            "sembako.active": p.sembako.active, "sembako.kpm": p.sembako.kpm,
            "sembako.monthly": rupiah(p.sembako.monthly_value, decimals=False),
            "rtlh.validated": p.rtlh.validated, "rtlh.eligible": p.rtlh.eligible,
            "rtlh.not_eligible": p.rtlh.not_eligible,
            "bencana.events": p.disasters.events, "bencana.victims": p.disasters.victims,
            "bencana.aid": p.disasters.aid_deliveries,
            "bencana.compensation": rupiah(p.disasters.compensation_total, decimals=False),
            "slrt.total": p.slrt, "lk3.total": p.lk3,
            **{f"lain.{code}": p.entries.get(code, 0)
               for code in ("fakir_miskin", "kat", "psks", "kegiatan")},
        }
        for key, value in values.items():
            self.program_values[key].setText(value if isinstance(value, str)
                                             else number_id(value))
        unjudged = p.rtlh.validated - p.rtlh.eligible - p.rtlh.not_eligible
        rejected = "{} usulan ditolak tidak dihitung"
        notes = {
            "kube": rejected.format(number_id(p.kube.rejected)) if p.kube.rejected else "",
            "uep": rejected.format(number_id(p.uep.rejected)) if p.uep.rejected else "",
            "sembako": "nilai = jumlah indeks bantuan KPM aktif",
            "rtlh": f"{number_id(unjudged)} belum dinilai" if unjudged else "",
            "bencana": _counts_line([(self._short_label(c), n)
                                     for c, n in p.disasters.victims_by_type]),
            "slrt": _counts_line([(_humanize(s), n) for s, n in p.slrt_by_status]),
            "lk3": _counts_line([(_humanize(s), n) for s, n in p.lk3_by_status]),
        }
        for key, note in self.program_notes.items():
            note.setText(notes.get(key, ""))

    # ------------------------------------------------------------- labels and read-back

    def _type_label(self, code: str) -> str:
        pmks_type = find_type(self._catalogue, code)
        return pmks_type.label if pmks_type else code

    def _short_label(self, code: str) -> str:
        """`23 PRSE`: short enough for a chart axis."""
        pmks_type = find_type(self._catalogue, code)
        return f"{code} {pmks_type.short_name}" if pmks_type else code

    def count_for_type(self, code: str) -> int:
        """The count shown for a type (0 when absent): used by tests and the status bar."""
        label = self._type_label(code)
        for r in range(self.by_type.rowCount()):
            if self.by_type.item(r, 0).text() == label:
                return int(self.by_type.item(r, 1).text().replace(".", ""))
        return 0

    def chart_values(self, name: str) -> dict[str, int]:
        """What a chart ("bidang", "types", "desa") draws, by code, read from its series."""
        series = self.charts[name].chart().series()
        if not series:
            return {}
        if name == "bidang":
            numbers = [piece.value() for piece in series[0].slices()]
        else:
            bars = series[0].barSets()[0]
            numbers = [bars.at(i) for i in range(bars.count())]
            numbers.reverse()  # drawn bottom-up
        return dict(zip(self._chart_keys[name], (int(n) for n in numbers)))


def _desa_label(name: str) -> str:
    """Region masters write names in capitals; a chart reads better in title case."""
    return name.title() if name.isupper() else name


def _counts_line(rows: list[tuple[str, int]]) -> str:
    return "\n".join(f"{label}: {number_id(n)}" for label, n in rows)
