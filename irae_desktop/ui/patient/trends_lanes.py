"""The treatment rows under the lab plots: the steroid dose curve and the swim lanes, refilled."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from irae_desktop.ui.patient.lanes_data import Lane, SteroidCurve
from irae_desktop.ui.patient.trends_plots import new_plot, set_left_label

LANE_COLORS = {"ici": "#0072B2", "immunosuppression": "#009E73", "insulin": "#CC79A7"}


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
        self.plot.setMaximumHeight(95)
        # the steps are drawn as corner points rather than with stepMode: clip-to-view cuts
        # x and y alike, which breaks stepMode's one-more-edge-than-value rule on a resize
        self.item = pg.PlotDataItem(
            fillLevel=0,
            brush=pg.mkBrush(0, 158, 115, 70),
            pen=pg.mkPen("#009E73", width=2),
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

    def show_lanes(self, lanes: list[Lane], span: tuple[float, float]) -> None:
        """Redraws the lanes; `span` is the time the plots cover, to place the labels."""
        plot = self.plot
        for old in self.items:
            plot.removeItem(old)
        self.items, self.labels = [], []
        plot.setMinimumHeight(22 * len(lanes) + 40)
        plot.setMaximumHeight(26 * len(lanes) + 50)
        for i, lane in enumerate(lanes):
            colour = QColor(LANE_COLORS.get(lane.category, "#666666"))
            bar = QGraphicsRectItem(QRectF(lane.start, i + 0.55, lane.end - lane.start, 0.3))
            bar.setBrush(QBrush(colour))
            bar.setPen(QPen(Qt.PenStyle.NoPen))
            self._add(bar)
            for start, end in lane.holds:
                hatch = QGraphicsRectItem(QRectF(start, i + 0.45, end - start, 0.5))
                hatch.setBrush(QBrush(QColor("#B3261E"), Qt.BrushStyle.BDiagPattern))
                hatch.setPen(QPen(QColor("#B3261E"), 0))
                hatch.setToolTip("held")
                self._add(hatch)
            if lane.ticks.size:
                xs = np.repeat(lane.ticks, 2)
                ys = np.tile([i + 0.35, i + 1.0], lane.ticks.size)
                ticks = pg.PlotDataItem(xs, ys, connect="pairs", pen=pg.mkPen("#000", width=2))
                self._add(ticks)
            # lines that start late are labelled right-aligned at their end so the text fits
            late = lane.start > (span[0] + span[1]) / 2
            label = pg.TextItem(lane.label, color="#111", anchor=(1, 1) if late else (0, 1))
            label.setPos(QPointF(lane.end if late else lane.start, i + 0.55))
            self._add(label)
            self.labels.append(label)
        plot.setYRange(-0.15, len(lanes) + 0.2, padding=0)

    def _add(self, item: Any) -> None:
        self.plot.addItem(item)
        self.items.append(item)
