"""Chart helpers for the Beranda tab (QtCharts): bars with readable labels, a doughnut."""
from __future__ import annotations

from PySide6.QtCharts import (QAbstractBarSeries, QBarCategoryAxis, QBarSet, QChart,
                              QChartView, QHorizontalBarSeries, QPieSeries, QValueAxis)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QPainter

from pmks_desktop.domain.formatting import number_id

PALETTE = ("#1f5f8b", "#e08e0b", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d")
LOCALE = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)


def chart_view(title: str) -> QChartView:
    chart = QChart()
    chart.setTitle(title)
    font = chart.titleFont()
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(2, 2, 8, 2))
    chart.layout().setContentsMargins(0, 0, 0, 0)  # no grey band around the white chart
    chart.legend().setVisible(False)
    chart.setLocalizeNumbers(True)  # 1.234, not 1234
    chart.setLocale(LOCALE)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(260, 240)
    return view


def clear(chart: QChart) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


def scale(largest: int) -> tuple[int, int]:
    """(axis maximum, tick count) with whole-number ticks and room for the value labels."""
    target = max(1, int(largest * 1.18) + 1)
    step = 1
    while target / step > 5:
        for factor in (2, 5, 10):
            if target / (step * factor) <= 5 or factor == 10:
                step *= factor
                break
    top = -(-target // step) * step
    return top, top // step + 1


def unique(labels: list[str], keys: list[str]) -> list[str]:
    """Category axes merge equal labels: same-named desa (at the hub) get their code added."""
    seen, out = set(), []
    for label, key in zip(labels, keys):
        out.append(f"{label} ({key})" if label in seen else label)
        seen.add(label)
    return out


def show_bars(chart: QChart, rows: list[tuple[str, str, int]], color: str) -> None:
    """Horizontal bars of (key, label, count), the first row on top."""
    clear(chart)
    if not rows:
        return
    bars = QBarSet("Jumlah")
    bars.setColor(QColor(color))
    bars.setLabelColor(QColor("#222222"))
    rows = list(reversed(rows))  # a category axis starts at the bottom
    bars.append([float(n) for _k, _l, n in rows])
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setBarWidth(0.7)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsPrecision(12)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append(unique([label for _k, label, _n in rows], [k for k, _l, _n in rows]))
    categories.setGridLineVisible(False)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    values = QValueAxis()
    top, ticks = scale(max(n for _k, _l, n in rows))
    values.setRange(0, top)
    values.setTickCount(ticks)
    values.setLabelsVisible(False)  # the bars carry their numbers; the grid stays as a guide
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(values)


def show_pie(chart: QChart, rows: list[tuple[str, str, int]]) -> list[str]:
    """A doughnut of (key, label, count); returns the legend lines (colour, label, share)."""
    clear(chart)
    series = QPieSeries()
    series.setHoleSize(0.45)
    series.setPieSize(0.9)
    total = sum(n for _k, _l, n in rows) or 1
    legend = []
    for index, (_key, label, n) in enumerate(rows):
        color = PALETTE[index % len(PALETTE)]
        piece = series.append(label, float(n))
        piece.setColor(QColor(color))
        piece.setBorderColor(QColor("white"))
        legend.append(f'<tr><td><span style="color:{color}; font-size:13pt">&#9632;</span>'
                      f'</td><td>{label}</td><td align="right"><b>{number_id(n)}</b></td>'
                      f'<td align="right">&nbsp;{number_id(100 * n / total, 1)}%</td></tr>')
    chart.addSeries(series)
    return legend


# ------------------------------------------------------------------ the tab
