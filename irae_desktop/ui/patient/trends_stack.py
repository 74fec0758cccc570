"""The stack of plots in the Trends tab: each made once, then placed, linked or hidden."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from irae_desktop.ui.patient.trends_data import PANELS
from irae_desktop.ui.patient.trends_lanes import LanePlot, SteroidPlot
from irae_desktop.ui.patient.trends_plots import LEFT_AXIS_WIDTH, PanelPlot

STEROID, LANES = "steroid", "lanes"
PANEL_BY_KEY = {panel.key: panel for panel in PANELS}


def plot_is_steroid(plot: pg.PlotItem, plots: list[pg.PlotItem]) -> bool:
    """The steroid row sits directly above the lanes: they carry the dates for it."""
    i = plots.index(plot)
    return i + 1 < len(plots) and plot.getAxis("left").labelText.startswith("Steroid")


class PlotStack:
    """Owns every plot made so far; only the placed ones are in the layout and visible."""

    def __init__(self, canvas: pg.GraphicsLayoutWidget) -> None:
        self.canvas = canvas
        self.panels: dict[str, PanelPlot] = {}
        self.steroid: SteroidPlot | None = None
        self.lanes: LanePlot | None = None
        self.placed: list[pg.PlotItem] = []

    def exists(self, key: str) -> bool:
        if key == STEROID:
            return self.steroid is not None
        if key == LANES:
            return self.lanes is not None
        return key in self.panels and self.panels[key].furnished

    def make(self, key: str) -> None:
        """Takes one step towards the plot for `key`; each step is some tens of milliseconds,
        the reason to let the event loop run between them."""
        plot: pg.PlotItem
        if key in self.panels:
            self.panels[key].furnish()
            return
        if key == STEROID:
            self.steroid = SteroidPlot()
            plot = self.steroid.plot
        elif key == LANES:
            self.lanes = LanePlot()
            plot = self.lanes.plot
        else:
            panel_plot = PanelPlot(PANEL_BY_KEY[key])
            self.panels[key] = panel_plot
            plot = panel_plot.plot
        # in the scene, but out of the layout and hidden until a patient needs it
        plot.hide()
        plot.setParentItem(self.canvas.ci)

    def all_plots(self) -> list[pg.PlotItem]:
        plots = [p.plot for p in self.panels.values()]
        plots += [holder.plot for holder in (self.steroid, self.lanes) if holder is not None]
        return plots

    def place(self, plots: list[pg.PlotItem], anchor: pg.PlotItem | None) -> None:
        """Puts `plots` in the layout top to bottom, x-linked to `anchor`; hides the others."""
        layout = self.canvas.ci.layout
        if plots != self.placed:
            for plot in self.placed:
                layout.removeItem(plot)
            for plot in self.all_plots():
                if plot not in plots:
                    plot.hide()
                    plot.setXLink(None)
            for row, plot in enumerate(plots):
                layout.addItem(plot, row, 0)
                plot.show()
                # an axis sizes itself to nothing while hidden: size it again now it shows
                plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
                plot.getAxis("bottom").setHeight(None)
            self.placed = plots
            # lay out now, so the linked ranges line up with the final geometry
            layout.activate()
        for plot in plots:
            target = None if plot is anchor or anchor is None else anchor
            linked = plot.getViewBox().linkedView(pg.ViewBox.XAxis)
            if linked is not (None if target is None else target.getViewBox()):
                plot.setXLink(target)
            # every plot carries its dates: with the stack scrolled, the last one may be out
            # of sight; the steroid row sits on the lanes, which carry them
            bottom = plot.getAxis("bottom")
            dated = plot is plots[-1] or not (plot_is_steroid(plot, plots))
            if bottom.style["showValues"] != dated:
                bottom.setStyle(showValues=dated)

    def prerender(self, plot: pg.PlotItem) -> None:
        """Does the work of one plot's first paint that a later paint reuses.

        After a refill, pyqtgraph settles the automatic ranges and lays out every axis with
        its ticks, labels and grid lines when it first paints: for a stack of plots, more than
        the rest of the paint. Done plot by plot, one per turn of the event loop, the paint
        that shows the patient only replays it.
        """
        plot.getViewBox().prepareForPaint()
        # axes and curves cache what they draw when they paint (the tick layout, the line
        # segments); a 1x1 image takes the paint itself for next to nothing
        image = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        option = QStyleOptionGraphicsItem()
        try:
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                if axis.isVisible():
                    axis.paint(painter, option, None)
            for item in plot.listDataItems():
                if isinstance(item, pg.PlotDataItem) and item.isVisible():
                    item.curve.paint(painter, option, None)
        finally:
            painter.end()
