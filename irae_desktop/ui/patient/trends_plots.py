"""One lab panel's plot, made once and refilled per patient: curves, censored marks, grade bands."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.ui.grade_style import band_color
from irae_desktop.ui.patient.trends_axes import DateAxis, ValueAxis
from irae_desktop.ui.patient.trends_data import Band, Panel, PanelData, Series

# marker shapes by place in the panel; the colours are the analytes' own (domain.analytes)
SERIES_SYMBOLS = ("o", "s", "d")
UNKNOWN_ANALYTE_COLOUR = "#5B6572"  # never drawn today: every panel lists known analytes
# above this many points a series is drawn as a line alone: it reads better and draws faster
MARKER_LIMIT = 600
LOG_PANELS = ("enzymes", "alt", "ast", "bilirubin", "alp")
LEFT_AXIS_WIDTH = 72
_FAR = 3e9  # seconds: a century, the open end of a band that holds from or until a moment
# a lab panel is never drawn lower than this: its title, ticks and bands stay readable
PANEL_MIN_PX = 150


def set_left_label(plot: pg.PlotItem, text: str) -> None:
    plot.setLabel("left", text, **{"font-size": "8pt"})
    # pyqtgraph centres the label only when the axis resizes: a new text of another length
    # would sit off centre on a plot that is refilled rather than made anew
    plot.getAxis("left").resizeEvent(None)


def new_plot(title: str) -> pg.PlotItem:
    """A plot on the shared date axis, styled like every other row of the Trends tab."""
    # no context menu: building its widgets was a third of the cost of a plot
    plot = pg.PlotItem(axisItems={"bottom": DateAxis(), "left": ValueAxis()}, enableMenu=False)
    # never rescale tick values behind a "(x0.001)" suffix: a C-peptide of 0.06 ng/mL must
    # read 0.06 on the axis, not 60
    plot.getAxis("left").enableAutoSIPrefix(False)
    plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
    set_left_label(plot, title)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setClipToView(True)
    plot.setDownsampling(auto=True, mode="peak")
    plot.getViewBox().setMouseEnabled(x=True, y=False)
    return plot


class SeriesItems:
    """The items of one series slot: the line, exact-value markers, and censored markers."""

    def __init__(self, plot: pg.PlotItem, n: int) -> None:
        self.symbol = SERIES_SYMBOLS[n % len(SERIES_SYMBOLS)]
        self.colour = ""
        self.line = pg.PlotDataItem(symbolSize=6)
        # when some values are censored the line carries no markers: exact values get filled
        # ones here, the censored get open triangles below
        self.exact = pg.PlotDataItem(pen=None, symbol=self.symbol, symbolSize=6)
        self.censored = pg.ScatterPlotItem(size=13, brush=pg.mkBrush(None))
        for item in (self.line, self.exact, self.censored):
            plot.addItem(item)
            item.hide()

    def _paint(self, analyte: str) -> None:
        """The analyte's own colour, as on the PDF charts (a slot may show another analyte
        for the next patient)."""
        known = ANALYTES.get(analyte)
        colour = known.colour if known is not None else UNKNOWN_ANALYTE_COLOUR
        if colour == self.colour:
            return
        self.colour = colour
        self.line.setPen(pg.mkPen(colour, width=2))
        for item in (self.line, self.exact):
            item.setSymbolBrush(colour)
            item.setSymbolPen(colour)
        self.censored.setPen(pg.mkPen(colour, width=2))

    def show(self, series: Series, log: bool) -> None:
        self._paint(series.analyte)
        censored = bool(series.censored.any())
        dense = series.x.size > MARKER_LIMIT
        self.line.setSymbol(None if censored or dense else self.symbol)
        self.line.setData(series.x, series.y)
        self.line.show()
        if censored and not dense:
            exact = ~series.censored
            self.exact.setData(series.x[exact], series.y[exact])
            self.exact.show()
        else:
            self.exact.setData([], [])
            self.exact.hide()
        if censored:
            ys = series.y[series.censored]
            # a bare scatter item has no log mode of its own: place it in log coordinates
            if log:
                ys = np.log10(np.clip(ys, 1e-9, None))
            symbols = np.where(series.below[series.censored], "t", "t1").tolist()
            self.censored.setData(x=series.x[series.censored], y=ys, symbol=symbols)
            self.censored.show()
        else:
            self.censored.clear()
            self.censored.hide()

    def hide(self) -> None:
        for item in (self.line, self.exact):
            item.setData([], [])
            item.hide()
        self.censored.clear()
        self.censored.hide()


class PanelPlot:
    """A lab panel's PlotItem and everything on it, refilled by `show_data`.

    Made in parts (the plot here, then what goes on it by `furnish`), none more than a few
    tens of milliseconds, so that a caller can let the event loop run in between.
    """

    def __init__(self, panel: Panel) -> None:
        self.panel = panel
        self.plot = new_plot(panel.title)
        self.plot.setMinimumHeight(PANEL_MIN_PX)
        self._label = panel.title
        self._log = False
        self.furnished = False
        self.bands: list[pg.LinearRegionItem] = []
        # bands that hold for part of the time only (before or after the first ICI start)
        self.spans: list[QGraphicsRectItem] = []
        self.reference: pg.InfiniteLine | None = None
        self.reference_anchor: pg.PlotDataItem | None = None
        self.baseline_items: list[pg.InfiniteLine] = []
        self.slots: list[SeriesItems] = []
        self.legend: pg.LegendItem | None = None
        self._legend_names: tuple[str, ...] = ()

    def furnish(self) -> None:
        """Adds what goes on the plot, a part per call: the grade bands and reference line,
        then a slot for every series; `furnished` says when all is there."""
        if self.bands:
            if not self.furnished:
                self.slots = [SeriesItems(self.plot, n) for n in range(len(self.panel.analytes))]
                self.furnished = True
            return
        for _ in range(4):
            self._add_band()
        panel = self.panel
        if panel.reference_line is not None:
            self.reference = pg.InfiniteLine(
                pos=panel.reference_line,
                angle=0,
                pen=pg.mkPen("#666", style=Qt.PenStyle.DashLine),
                label=panel.reference_text,
                labelOpts={"position": 0.02, "color": "#555", "anchors": [(0, 0), (0, 0)]},
            )
            self.plot.addItem(self.reference, ignoreBounds=True)
        # keep the ULN (or a threshold) in view when the axis fits the data: normal noise
        # below it then stays flat, and values far below a threshold are the finding. An
        # undrawn point at each such value widens the automatic range.
        self.reference_anchor = pg.PlotDataItem(pen=pg.mkPen(0, 0, 0, 0))
        self.plot.addItem(self.reference_anchor)
        self.plot.enableAutoRange(axis="y")
        self.plot.setAutoVisible(y=True)

    def _add_band(self) -> pg.LinearRegionItem:
        band = pg.LinearRegionItem(
            (0.0, 1.0), orientation="horizontal", movable=False, pen=pg.mkPen(None)
        )
        band.setZValue(-10)
        band.hide()
        self.plot.addItem(band, ignoreBounds=True)
        self.bands.append(band)
        return band

    def show_data(self, data: PanelData, log: bool) -> list[pg.LinearRegionItem]:
        """Draws one patient's panel; returns the band items in use."""
        while not self.furnished:
            self.furnish()
        plot = self.plot
        if data.y_label != self._label:
            set_left_label(plot, data.y_label)
            self._label = data.y_label
        log = log and self.panel.key in LOG_PANELS
        if log != self._log:
            plot.setLogMode(x=False, y=log)
            self._log = log
        whole = [b for b in data.bands if b.x_from is None and b.x_to is None]
        self._show_spans([b for b in data.bands if b not in whole], log)
        while len(self.bands) < len(whole):
            self._add_band()
        shown = []
        for band_item, band in zip(self.bands, whole, strict=False):
            low, high = band.low, band.high
            if log:
                low, high = np.log10(max(low, 1e-6)), np.log10(max(high, 1e-6))
            band_item.setBrush(band_color(band.grade, 60))
            band_item.setRegion((low, high))
            band_item.show()
            shown.append(band_item)
        for band_item in self.bands[len(whole) :]:
            band_item.hide()
        while len(self.slots) < len(data.series):
            self.slots.append(SeriesItems(plot, len(self.slots)))
        for slot, series in zip(self.slots, data.series, strict=False):
            slot.show(series, log)
        for slot in self.slots[len(data.series) :]:
            slot.hide()
        self._show_legend(data.series)
        self._show_reference(data, log)
        self._show_baselines(data, log)
        return shown

    def _show_spans(self, bands: list[Band], log: bool) -> None:
        """Bands that hold from or until a moment, as rectangles behind the data."""
        while len(self.spans) < len(bands):
            rect = QGraphicsRectItem()
            rect.setPen(QPen(Qt.PenStyle.NoPen))
            rect.setZValue(-10)
            self.plot.addItem(rect, ignoreBounds=True)
            self.spans.append(rect)
        for rect, band in zip(self.spans, bands, strict=False):
            low, high = band.low, band.high
            if log:
                low, high = np.log10(max(low, 1e-6)), np.log10(max(high, 1e-6))
            x0 = band.x_from if band.x_from is not None else (band.x_to or 0.0) - _FAR
            x1 = band.x_to if band.x_to is not None else (band.x_from or 0.0) + _FAR
            rect.setRect(QRectF(x0, low, x1 - x0, high - low))
            rect.setBrush(QBrush(band_color(band.grade, 60)))
            rect.show()
        for rect in self.spans[len(bands) :]:
            rect.hide()

    def _show_baselines(self, data: PanelData, log: bool) -> None:
        """A dashed line at each abnormal baseline: the bands are multiples of it."""
        while len(self.baseline_items) < len(data.baselines):
            line = pg.InfiniteLine(
                angle=0,
                pen=pg.mkPen("#444", width=1, style=Qt.PenStyle.DashLine),
                label="",
                # under the line, where the data (which rises from the baseline) seldom is,
                # and on white so that a curve crossing it never strikes it through
                labelOpts={
                    "position": 0.01,
                    "color": "#333",
                    "anchors": [(0, 0), (0, 0)],
                    "fill": pg.mkBrush(255, 255, 255, 220),
                },
            )
            line.label.setZValue(20)
            self.plot.addItem(line, ignoreBounds=True)
            self.baseline_items.append(line)
        for line, (y, words) in zip(self.baseline_items, data.baselines, strict=False):
            line.setValue(np.log10(max(y, 1e-6)) if log else y)
            line.label.setFormat(words)
            line.label.setText(words)  # setFormat skips a label whose plot is not shown yet
            line.show()
        for line in self.baseline_items[len(data.baselines) :]:
            line.hide()

    def _show_legend(self, series: tuple[Series, ...]) -> None:
        names = tuple(s.label for s in series) if len(series) > 1 else ()
        if names == self._legend_names:
            return
        self._legend_names = names
        if self.legend is None and names:
            self.legend = self.plot.addLegend(offset=(8, 4), labelTextSize="8pt")
        if self.legend is not None:
            self.legend.clear()
            for slot, name in zip(self.slots, names, strict=False):
                self.legend.addItem(slot.line, name)
            self.legend.setVisible(bool(names))

    def _show_reference(self, data: PanelData, log: bool) -> None:
        if self.reference is not None:
            value = data.reference_line
            self.reference.setVisible(value is not None)
            if value is not None:
                self.reference.setValue(value)
        if self.reference_anchor is None:
            return
        keep = [v for v in data.keep_in_view if v > 0 or (v == 0 and not log)]
        xs = [s.x for s in data.series if len(s.x)]
        if not keep or not xs:
            self.reference_anchor.setData([], [])
            return
        # a point at every date that has a result: the automatic range counts only what is
        # in view, so whatever the zoom some of them are
        x = np.unique(np.concatenate(xs))
        self.reference_anchor.setData(np.tile(x, len(keep)), np.repeat(keep, x.size))
