"""The Outcomes window's figures: the Kaplan-Meier step curve per agent and the aligned
trajectories with the grade bands (domain.grade_bands) and the median of the lines."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from irae_desktop.domain.grade_bands import grade_bands
from irae_desktop.domain.outcome_summary import AgentSummary
from irae_desktop.domain.trajectory import WINDOW, LineTrajectory, median_trajectory
from irae_desktop.reports.outcomes_charts import AGENT_COLOURS, LINEAR_TOP
from irae_desktop.ui.grade_style import band_color

LOG_FLOOR = 0.25  # x ULN: the lowest a log axis shows


def agent_qcolor(index: int) -> QColor:
    return QColor(AGENT_COLOURS[index % len(AGENT_COLOURS)])


def _plot(title: str, left: str, bottom: str) -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w", enableMenu=False)
    widget.setTitle(title, size="9pt", color="#1b1f24")
    widget.setLabel("left", left, **{"font-size": "8pt"})
    widget.setLabel("bottom", bottom, **{"font-size": "8pt"})
    widget.showGrid(x=True, y=True, alpha=0.15)
    widget.addLegend(offset=(-8, 8), labelTextSize="8pt", labelTextColor="#1b1f24")
    widget.setMouseEnabled(x=False, y=False)
    widget.hideButtons()
    return widget


def km_plot() -> pg.PlotWidget:
    return _plot("Back to grade ≤1 (Kaplan-Meier)", "proportion", "days since the line's start")


def fill_km(widget: pg.PlotWidget, summaries: Sequence[AgentSummary]) -> None:
    widget.clear()
    longest = max((s.km[-1].day for s in summaries if s.km), default=30)
    last_day = max(30, min(90, longest))
    for i, summary in enumerate(summaries):
        xs, ys = [0.0], [0.0]
        reached = 0.0
        for step in summary.km:
            xs += [float(step.day), float(step.day)]
            ys += [reached, step.reached]
            reached = step.reached
        end = summary.km[-1].day if summary.km else 0
        xs.append(float(end))
        ys.append(reached)
        n = summary.lines - summary.not_applicable
        pen = pg.mkPen(agent_qcolor(i), width=2)
        widget.plot(xs, ys, pen=pen, name=f"{summary.agent} (n={n})")
    widget.setXRange(0, last_day, padding=0.02)
    widget.setYRange(0, 1, padding=0.06)


def trajectory_plot(title: str, left: str) -> pg.PlotWidget:
    return _plot(title, left, "days since the line's start (day 0)")


def _bands(widget: pg.PlotWidget, analyte: str, relative: bool, criteria: str, top: float) -> None:
    if relative:
        bands = grade_bands(analyte, "U/L", uln=1.0, criteria_id=criteria).bands
    elif analyte == "GLUCOSE":
        bands = grade_bands(analyte, "mg/dL", uln=140.0, lln=70.0, criteria_id=criteria).bands
    else:
        return

    def y(value: float | None, default: float) -> float:
        value = default if value is None else value
        return math.log10(max(value, LOG_FLOOR)) if relative else value

    for band in bands:
        low = y(band.low, LOG_FLOOR if relative else 0.0)
        high = y(band.high, top)
        if high <= low:
            continue
        rect = QGraphicsRectItem(QRectF(WINDOW[0], low, WINDOW[1] - WINDOW[0], high - low))
        rect.setBrush(QBrush(band_color(band.grade)))
        rect.setPen(QPen(Qt.PenStyle.NoPen))
        rect.setZValue(-10)
        widget.addItem(rect)


def fill_trajectories(
    widget: pg.PlotWidget,
    lines: Sequence[LineTrajectory],
    agents: Sequence[str],
    *,
    analyte: str,
    relative: bool,
    criteria: str,
) -> None:
    """Every line thin in its agent's colour, the median thick and dark, on the grade bands."""
    widget.clear()
    widget.setLogMode(x=False, y=relative)
    values = [p.value for line in lines for p in line.points]
    top = max([20.0 * 1.3 if relative else LINEAR_TOP.get(analyte, 1.0), *values]) * 1.05
    _bands(widget, analyte, relative, criteria, top)
    # one curve and one set of dots per agent, the lines apart at a gap (NaN): hundreds of
    # separate plot items would hold the window for seconds while they are added
    by_agent: dict[str, tuple[list[float], list[float]]] = {}
    for line in lines:
        if not line.points:
            continue
        days, values_of_agent = by_agent.setdefault(line.agent, ([], []))
        if days:
            days.append(math.nan)
            values_of_agent.append(math.nan)
        days.extend(p.day for p in line.points)
        values_of_agent.extend(p.value for p in line.points)

    def colour_index(agent: str) -> int:
        return agents.index(agent) if agent in agents else len(AGENT_COLOURS) - 1

    # the legend in the summaries' order, as the Kaplan-Meier figure beside it
    for agent, (days, values_of_agent) in sorted(
        by_agent.items(), key=lambda a: colour_index(a[0])
    ):
        index = colour_index(agent)
        colour = agent_qcolor(index)
        widget.plot(
            days, values_of_agent, pen=pg.mkPen(colour, width=1), connect="finite", name=agent
        )
        dots = [(d, v) for d, v in zip(days, values_of_agent, strict=True) if not math.isnan(d)]
        widget.plot(
            [d for d, _ in dots],
            [v for _, v in dots],
            pen=None,
            symbol="o",
            symbolSize=3,
            symbolBrush=colour,
            symbolPen=None,
        )
    median = median_trajectory(lines)
    if len(median) > 1:
        widget.plot(
            [p.day for p in median],
            [p.value for p in median],
            pen=pg.mkPen("#1b1f24", width=3),
            name="median of the lines",
        )
    widget.addLine(x=0, pen=pg.mkPen("#1b1f24", width=1, style=Qt.PenStyle.DashLine))
    widget.setXRange(*WINDOW, padding=0.01)
    if relative:
        widget.setYRange(math.log10(LOG_FLOOR), math.log10(top), padding=0)
        # plain multiples of the ULN at the grade boundaries, not powers of ten
        ticks = [(math.log10(v), f"{v:g}") for v in (0.5, 1, 3, 5, 10, 20)]
        widget.getAxis("left").setTicks([ticks, []])
    else:
        widget.getAxis("left").setTicks(None)
        widget.setYRange(0, top, padding=0)
