"""The Trends tab: stacked lab plots with grade bands on one date axis, and treatment swim lanes."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QCursor, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.ui.grade_style import GRADE_COLORS, band_color, grade_label
from irae_desktop.ui.patient.display import format_number, local_time_text
from irae_desktop.ui.patient.lanes_data import Lane, build_lanes, steroid_curve
from irae_desktop.ui.patient.snapshot import PatientSnapshot
from irae_desktop.ui.patient.trends_data import PanelData, build_panels

# series colours that stay apart from the grade band hues (Okabe-Ito blue, bluish green, black)
SERIES_STYLE: list[tuple[str, str]] = [("#0072B2", "o"), ("#009E73", "s"), ("#000000", "d")]
LANE_COLORS = {"ici": "#0072B2", "immunosuppression": "#009E73", "insulin": "#CC79A7"}
DAY = 86400.0
MARKER_LIMIT = 600


class TrendsView(QWidget):
    """Plots for one patient; `set_snapshot` redraws, `set_units` switches US/SI."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._snapshot: PatientSnapshot | None = None
        self._system = "US"
        self._criteria = "ctcae-5.0"
        self.panels: list[PanelData] = []
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.censored_items: dict[str, pg.ScatterPlotItem] = {}
        self.band_items: dict[str, list[pg.LinearRegionItem]] = {}
        self.lanes: list[Lane] = []
        self.lane_plot: pg.PlotItem | None = None
        self.steroid_plot: pg.PlotItem | None = None
        self.steroid_item: pg.PlotDataItem | None = None
        self.lane_labels: list[pg.TextItem] = []

        self.times_uln = QCheckBox("ALT/AST as \u00d7 ULN")
        self.times_uln.setChecked(True)
        self.times_uln.setToolTip("Show ALT and AST as multiples of the upper limit of normal")
        self.log_y = QCheckBox("Log scale")
        self.log_y.setToolTip("Logarithmic value axis for the liver plots")
        self.times_uln.toggled.connect(self._redraw)
        self.log_y.toggled.connect(self._redraw)
        self.range_buttons = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        for text, days in (("2 weeks", 14), ("3 months", 91), ("All", 0)):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setProperty("days", days)
            button.clicked.connect(lambda _=False, d=days: self.show_last_days(d))
            self.range_buttons.addButton(button)
            bar.addWidget(button)
        bar.addSpacing(16)
        bar.addWidget(self.times_uln)
        bar.addWidget(self.log_y)
        bar.addStretch(1)
        self.legend = QLabel(self._legend_html())
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        bar.addWidget(self.legend)

        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setBackground("w")
        self.canvas.ci.layout.setSpacing(2)
        self.empty_label = QLabel("No lab results or treatments recorded for this patient yet.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        self.note_label = QLabel()
        self.note_label.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.note_label)
        self._hover = pg.SignalProxy(
            self.canvas.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse_moved
        )

    @staticmethod
    def _legend_html() -> str:
        chips = []
        for grade in range(1, 5):
            colour = GRADE_COLORS[grade]
            text = "#fff" if grade >= 3 else "#000"
            chips.append(
                f'<span style="background:{colour}; color:{text};">&nbsp;G{grade}&nbsp;</span>'
            )
        return (
            "Grade bands: "
            + " ".join(chips)
            + " &nbsp; \u25cf exact &nbsp; \u25bd below/above limit (censored)"
        )

    # public API -------------------------------------------------------------------------
    def set_snapshot(self, snapshot: PatientSnapshot, *, criteria: str = "ctcae-5.0") -> None:
        first = self._snapshot is None or self._snapshot.header.id != snapshot.header.id
        self._snapshot = snapshot
        self._criteria = criteria
        self._redraw()
        if first:
            self.show_last_days(0)

    def set_units(self, system: str) -> None:
        if system != self._system:
            self._system = system
            self._redraw()

    def show_last_days(self, days: int) -> None:
        """Zooms every plot together: the last `days` days, or everything when days is 0."""
        anchor = self._anchor_plot()
        if anchor is None:
            return
        now = datetime.now(UTC).timestamp()
        if days:
            anchor.setXRange(now - days * DAY, now + DAY, padding=0)
        else:
            lo, hi = self._data_span()
            anchor.setXRange(lo - 2 * DAY, max(hi, now) + 2 * DAY, padding=0)
        for button in self.range_buttons.buttons():
            button.setChecked(button.property("days") == days)

    def x_range(self) -> tuple[float, float]:
        anchor = self._anchor_plot()
        if anchor is None:
            return (0.0, 0.0)
        lo, hi = anchor.viewRange()[0]
        return float(lo), float(hi)

    # drawing ----------------------------------------------------------------------------
    def _anchor_plot(self) -> pg.PlotItem | None:
        return self.lane_plot or next(iter(self.plots.values()), None)

    def _data_span(self) -> tuple[float, float]:
        xs = [s.x for p in self.panels for s in p.series if s.x.size]
        spans = [(ln.start, ln.end) for ln in self.lanes]
        lo = min([float(x.min()) for x in xs] + [a for a, _ in spans], default=0.0)
        hi = max([float(x.max()) for x in xs] + [b for _, b in spans], default=0.0)
        return lo, hi

    def _redraw(self) -> None:
        snapshot = self._snapshot
        keep = self.x_range() if self.plots or self.lane_plot else None
        self.canvas.clear()
        self.plots.clear()
        self.curves.clear()
        self.censored_items.clear()
        self.band_items.clear()
        self.lane_labels.clear()
        self.lane_plot = self.steroid_plot = self.steroid_item = None
        if snapshot is None:
            return
        today = datetime.now(UTC).astimezone().date()
        self.panels = build_panels(
            snapshot.labs,
            system=self._system,
            times_uln=self.times_uln.isChecked(),
            criteria=self._criteria,
        )
        self.lanes = build_lanes(snapshot.treatments, today, snapshot.response_labels)
        curve = steroid_curve(snapshot.treatments, today, snapshot.header.weight_kg)
        empty = not self.panels and not self.lanes
        self.canvas.setVisible(not empty)
        self.empty_label.setVisible(empty)
        row = 0
        for data in self.panels:
            self._add_panel(row, data)
            row += 1
        if curve is not None:
            self._add_steroid_plot(row, curve.edges, curve.values, curve.per_kg)
            row += 1
        if self.lanes:
            self._add_lane_plot(row)
        plots = [*self.plots.values(), *(p for p in (self.steroid_plot, self.lane_plot) if p)]
        anchor = self._anchor_plot()
        for plot in plots:
            if plot is not anchor:
                plot.setXLink(anchor)
            plot.getAxis("left").setWidth(72)
            plot.getAxis("bottom").setStyle(showValues=plot is plots[-1])
        notes = [f"{d.panel.title}: {d.band_note}" for d in self.panels if d.band_note]
        self.note_label.setText("   \u2022   ".join(notes))
        if keep is not None and keep[1] > keep[0] and anchor is not None:
            anchor.setXRange(*keep, padding=0)

    def _new_plot(self, row: int, title: str) -> pg.PlotItem:
        plot = self.canvas.addPlot(row=row, col=0, axisItems={"bottom": pg.DateAxisItem()})
        # never rescale tick values behind a "(x0.001)" suffix: a C-peptide of 0.06 ng/mL must
        # read 0.06 on the axis, not 60
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.setLabel("left", title, **{"font-size": "8pt"})
        plot.showGrid(x=True, y=True, alpha=0.15)
        plot.setMenuEnabled(False)
        plot.setClipToView(True)
        plot.setDownsampling(auto=True, mode="peak")
        plot.getViewBox().setMouseEnabled(x=True, y=False)
        return plot

    def _add_panel(self, row: int, data: PanelData) -> None:
        plot = self._new_plot(row, data.y_label)
        log = self.log_y.isChecked() and data.panel.key in ("enzymes", "bilirubin", "alp")
        plot.setLogMode(x=False, y=log)
        self.plots[data.panel.key] = plot
        bands = []
        for band in data.bands:
            low, high = band.low, band.high
            if log:
                low, high = np.log10(max(low, 1e-6)), np.log10(max(high, 1e-6))
            item = pg.LinearRegionItem(
                (low, high),
                orientation="horizontal",
                movable=False,
                brush=band_color(band.grade, 60),
                pen=pg.mkPen(None),
            )
            item.setZValue(-10)
            plot.addItem(item, ignoreBounds=True)
            bands.append(item)
        self.band_items[data.panel.key] = bands
        if len(data.series) > 1:
            plot.addLegend(offset=(8, 4), labelTextSize="8pt")
        if data.reference_line is not None:
            line = pg.InfiniteLine(
                pos=data.reference_line,
                angle=0,
                pen=pg.mkPen("#666", style=Qt.PenStyle.DashLine),
                label=data.panel.reference_text,
                labelOpts={"position": 0.02, "color": "#555", "anchors": [(0, 0), (0, 0)]},
            )
            plot.addItem(line, ignoreBounds=True)
            # keep the threshold in view when the axis fits the data: values far below it are
            # the finding. An undrawn point at the threshold widens the automatic range.
            first_x = min(float(s.x[0]) for s in data.series if len(s.x))
            anchor = pg.PlotDataItem([first_x], [data.reference_line], pen=pg.mkPen(0, 0, 0, 0))
            plot.addItem(anchor)
        for n, series in enumerate(data.series):
            colour, symbol = SERIES_STYLE[n % len(SERIES_STYLE)]
            exact = ~series.censored
            # the line runs through censored bounds too; only exact values get filled markers
            censored = bool(series.censored.any())
            if series.x.size > MARKER_LIMIT:  # dense: the line alone reads better, draws faster
                symbol = None
            curve = plot.plot(
                series.x,
                series.y,
                pen=pg.mkPen(colour, width=2),
                symbol=None if censored else symbol,
                symbolSize=6,
                symbolBrush=colour,
                symbolPen=colour,
                name=series.label,
            )
            if censored and symbol is not None:
                exact = ~series.censored
                plot.plot(
                    series.x[exact],
                    series.y[exact],
                    pen=None,
                    symbol=symbol,
                    symbolSize=6,
                    symbolBrush=colour,
                    symbolPen=colour,
                )
            self.curves[series.analyte] = curve
            if series.censored.any():
                below = np.array([c.startswith("<") for c in series.comparators], dtype=bool)
                xs, ys = series.x[series.censored], series.y[series.censored]
                symbols = ["t" if b else "t1" for b in below[series.censored]]
                scatter = pg.ScatterPlotItem(
                    x=xs,
                    y=ys,
                    symbol=symbols,
                    size=13,
                    brush=pg.mkBrush(None),
                    pen=pg.mkPen(colour, width=2),
                )
                plot.addItem(scatter)
                self.censored_items[series.analyte] = scatter
        plot.enableAutoRange(axis="y")
        plot.setAutoVisible(y=True)

    def _add_steroid_plot(
        self, row: int, edges: np.ndarray, values: np.ndarray, per_kg: bool
    ) -> None:
        unit = "mg/kg/d" if per_kg else "mg/d"
        plot = self._new_plot(row, f"Steroid ({unit})")
        plot.setMaximumHeight(95)
        item = plot.plot(
            edges,
            values,
            stepMode="center",
            fillLevel=0,
            brush=pg.mkBrush(0, 158, 115, 70),
            pen=pg.mkPen("#009E73", width=2),
        )
        plot.setYRange(0, max(float(values.max()) * 1.15, 0.5), padding=0)
        plot.getViewBox().setMouseEnabled(x=True, y=False)
        self.steroid_plot, self.steroid_item = plot, item

    def _add_lane_plot(self, row: int) -> None:
        plot = self._new_plot(row, "Lines")
        plot.getAxis("left").setStyle(showValues=False)
        plot.getAxis("left").setTicks([[]])
        plot.setMinimumHeight(22 * len(self.lanes) + 40)
        plot.setMaximumHeight(26 * len(self.lanes) + 50)
        plot.invertY(True)
        plot.showGrid(x=True, y=False, alpha=0.15)
        span = self._data_span()
        for i, lane in enumerate(self.lanes):
            colour = QColor(LANE_COLORS.get(lane.category, "#666666"))
            bar = QGraphicsRectItem(QRectF(lane.start, i + 0.55, lane.end - lane.start, 0.3))
            bar.setBrush(QBrush(colour))
            bar.setPen(QPen(Qt.PenStyle.NoPen))
            plot.addItem(bar)
            for start, end in lane.holds:
                hatch = QGraphicsRectItem(QRectF(start, i + 0.45, end - start, 0.5))
                hatch.setBrush(QBrush(QColor("#B3261E"), Qt.BrushStyle.BDiagPattern))
                hatch.setPen(QPen(QColor("#B3261E"), 0))
                hatch.setToolTip("held")
                plot.addItem(hatch)
            if lane.ticks.size:
                xs = np.repeat(lane.ticks, 2)
                ys = np.tile([i + 0.35, i + 1.0], lane.ticks.size)
                ticks = pg.PlotDataItem(xs, ys, connect="pairs", pen=pg.mkPen("#000", width=2))
                plot.addItem(ticks)
            # lines that start late are labelled right-aligned at their end so the text fits
            late = lane.start > (span[0] + span[1]) / 2
            label = pg.TextItem(lane.label, color="#111", anchor=(1, 1) if late else (0, 1))
            label.setPos(QPointF(lane.end if late else lane.start, i + 0.55))
            plot.addItem(label)
            self.lane_labels.append(label)
        plot.setYRange(-0.15, len(self.lanes) + 0.2, padding=0)
        plot.getViewBox().setMouseEnabled(x=True, y=False)
        self.lane_plot = plot

    # hover ------------------------------------------------------------------------------
    def _on_mouse_moved(self, event: tuple[QPointF]) -> None:
        pos = event[0]
        for key, plot in self.plots.items():
            if plot.sceneBoundingRect().contains(pos):
                point = plot.getViewBox().mapSceneToView(pos)
                text = self.hover_text(key, point.x(), point.y())
                if text:
                    QToolTip.showText(QCursor.pos(), text, self.canvas)
                else:
                    QToolTip.hideText()
                return

    def hover_text(self, panel_key: str, x: float, y: float, pixels: float = 8.0) -> str | None:
        """The description of the point nearest (x, y) in view coordinates, if close enough."""
        snapshot = self._snapshot
        plot = self.plots.get(panel_key)
        data = next((d for d in self.panels if d.panel.key == panel_key), None)
        if snapshot is None or plot is None or data is None:
            return None
        xs, ys = plot.getViewBox().viewPixelSize()
        log = plot.ctrl.logYCheck.isChecked()
        best: tuple[float, int, int] | None = None
        for n, series in enumerate(data.series):
            if not series.x.size:
                continue
            sy = np.log10(np.clip(series.y, 1e-9, None)) if log else series.y
            d = np.hypot((series.x - x) / max(xs, 1e-12), (sy - y) / max(ys, 1e-12))
            d = np.where(np.isnan(d), np.inf, d)
            i = int(np.argmin(d))
            if d[i] <= pixels and (best is None or d[i] < best[0]):
                best = (float(d[i]), n, i)
        if best is None:
            return None
        series = data.series[best[1]]
        lab = snapshot.labs[series.lab_index[best[2]]]
        shown = f"{lab.comparator}{format_number(series.y[best[2]])} {series.unit}"
        grade = grade_label(lab.grade)
        lines = [
            f"<b>{series.label} {shown}</b>",
            local_time_text(lab.collected_at),
            f"Grade: {grade}" + (" (baseline)" if lab.is_baseline else ""),
            f"Rule: {lab.grade_reason or 'not graded'}",
            f"Source: {lab.source}",
        ]
        if lab.comparator:
            lines.insert(1, "Censored result: the true value is beyond the reported limit")
        return "<br>".join(lines)
