"""The treatment rows under the lab plots: the steroid dose curve and the swim lanes, refilled."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from irae_desktop.domain.chart_marks import LANE_COLOURS
from irae_desktop.ui.patient.lanes_data import Lane, SteroidCurve
from irae_desktop.ui.patient.trends_plots import new_plot, set_left_label

# the dose curve in the steroid lanes' colour
STEROID_COLOUR = LANE_COLOURS["steroid"]

LANE_PX = 34  # a lane's height: its name on one line, its bar under it


def _translucent(colour: str) -> QColor:
    """`colour` at about a quarter opacity: a filled area that lets grid lines show."""
    shade = QColor(colour)
    shade.setAlpha(70)
    return shade


def step_points(edges: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The corners of a step curve (value i from edges[i] to edges[i + 1]) as plain points."""
    x = np.repeat(edges, 2)[1:-1]
    y = np.repeat(values, 2)
    return x, y


class SteroidPlot:
    """The daily prednisone-equivalent dose as a filled step curve."""

    def __init__(self) -> None:
        self._label = "Steroid (mg/kg/d)"
        self.plot = new_plot(self._label)
        self.plot.setMinimumHeight(90)
        self.plot.setMaximumHeight(110)
        # the steps are drawn as corner points rather than with stepMode: clip-to-view cuts
        # x and y alike, which breaks stepMode's one-more-edge-than-value rule on a resize
        self.item = pg.PlotDataItem(
            fillLevel=0,
            brush=pg.mkBrush(_translucent(STEROID_COLOUR)),
            pen=pg.mkPen(STEROID_COLOUR, width=2),
        )
        self.plot.addItem(self.item)

    def show_curve(self, curve: SteroidCurve) -> None:
        label = f"Steroid ({'mg/kg/d' if curve.per_kg else 'mg/d'})"
        if label != self._label:
            set_left_label(self.plot, label)
            self._label = label
        x, y = step_points(curve.edges, curve.values)
        self.item.setData(x, y)
        top = max(float(curve.values.max()) * 1.15, 0.5)
        self.plot.setYRange(0, top, padding=0)


class LanePlot:
    """One bar per treatment line, with holds hatched, ICI infusions ticked, and a label."""

    def __init__(self) -> None:
        self.plot = new_plot("Lines")
        left = self.plot.getAxis("left")
        left.setStyle(showValues=False)
        left.setTicks([[]])
        self.plot.invertY(True)
        self.plot.showGrid(x=True, y=False, alpha=0.15)
        self.items: list[Any] = []
        self.labels: list[pg.TextItem] = []
        self._lanes: list[Lane] = []
        self.plot.getViewBox().sigXRangeChanged.connect(lambda *_: self.place_labels())

    def show_lanes(self, lanes: list[Lane], span: tuple[float, float]) -> None:
        """Redraws the lanes, each its name on a line of its own above its bar, so that no
        name covers a bar; `span` is the time the plots cover."""
        plot = self.plot
        for old in self.items:
            plot.removeItem(old)
        self.items, self.labels, self._lanes = [], [], lanes
        plot.setMinimumHeight(LANE_PX * len(lanes) + 40)
        plot.setMaximumHeight(LANE_PX * len(lanes) + 50)
        for i, lane in enumerate(lanes):
            colour = QColor(lane.colour)
            bar = QGraphicsRectItem(QRectF(lane.start, i + 0.62, lane.end - lane.start, 0.28))
            bar.setBrush(QBrush(colour))
            bar.setPen(QPen(Qt.PenStyle.NoPen))
            self._add(bar)
            for start, end in lane.holds:
                hatch = QGraphicsRectItem(QRectF(start, i + 0.55, end - start, 0.42))
                hatch.setBrush(QBrush(QColor("#B3261E"), Qt.BrushStyle.BDiagPattern))
                hatch.setPen(QPen(QColor("#B3261E"), 0))
                hatch.setToolTip("held")
                self._add(hatch)
            if lane.ticks.size:
                xs = np.repeat(lane.ticks, 2)
                ys = np.tile([i + 0.55, i + 0.97], lane.ticks.size)
                ticks = pg.PlotDataItem(xs, ys, connect="pairs", pen=pg.mkPen("#000", width=2))
                self._add(ticks)
            label = pg.TextItem(lane.label, color="#111", anchor=(0, 1))
            label.setToolTip(lane.label)
            self._add(label)
            self.labels.append(label)
        plot.setYRange(-0.05, len(lanes) + 0.05, padding=0)
        self.place_labels()

    def place_labels(self) -> None:
        """Puts each name where its bar is in view: at the bar's start, or at the left edge
        when the start is scrolled away, or right-aligned at its end when the bar is in the
        right half; a bar out of view hides its name."""
        if not self._lanes:
            return
        lo, hi = self.plot.getViewBox().viewRange()[0]
        middle = (lo + hi) / 2
        for i, (lane, label) in enumerate(zip(self._lanes, self.labels, strict=True)):
            visible = lane.end > lo and lane.start < hi
            label.setVisible(visible)
            if not visible:
                continue
            if lane.start >= middle:
                label.setAnchor((1, 1))
                label.setPos(QPointF(min(lane.end, hi), i + 0.6))
            else:
                label.setAnchor((0, 1))
                label.setPos(QPointF(max(lane.start, lo), i + 0.6))

    def _add(self, item: Any) -> None:
        self.plot.addItem(item)
        self.items.append(item)
