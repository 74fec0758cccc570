"""The case series' two figures as reportlab drawings: the Kaplan-Meier step curve per agent
and the aligned trajectories with the grade bands (domain.grade_bands) and the median."""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors

from irae_desktop.domain.grade_bands import grade_bands
from irae_desktop.domain.outcome_summary import AgentSummary
from irae_desktop.domain.trajectory import WINDOW, LineTrajectory, median_trajectory
from irae_desktop.reports.fonts import SANS, SANS_BOLD
from irae_desktop.reports.layout import GRADE_FILL, INK, MUTED, RULE

# one colour per agent: Paul Tol's "bright" scheme (told apart with the common colour-vision
# deficiencies), apart from the analytes' own colours so an agent never reads as an analyte
AGENT_COLOURS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#555555")
LEFT, BOTTOM, RIGHT_LEGEND, TOP = 38.0, 26.0, 160.0, 16.0


def agent_colour(index: int) -> colors.Color:
    return colors.HexColor(AGENT_COLOURS[index % len(AGENT_COLOURS)])


def _axes(
    d: Drawing, x0: float, y0: float, w: float, h: float, title: str, x_label: str, y_label: str
) -> None:
    d.add(Line(x0, y0, x0 + w, y0, strokeColor=INK, strokeWidth=0.6))
    d.add(Line(x0, y0, x0, y0 + h, strokeColor=INK, strokeWidth=0.6))
    d.add(String(x0, y0 + h + 5, title, fontName=SANS_BOLD, fontSize=8, fillColor=INK))
    d.add(
        String(
            x0 + w / 2, 4, x_label, fontName=SANS, fontSize=7, fillColor=MUTED, textAnchor="middle"
        )
    )
    label = String(0, 0, y_label, fontName=SANS, fontSize=7, fillColor=MUTED, textAnchor="middle")
    # turned a quarter to read bottom to top
    d.add(Group(label, transform=(0, 1, -1, 0, 9, y0 + h / 2)))


def _legend(
    d: Drawing, x: float, y: float, entries: Sequence[tuple[str, colors.Color, float]]
) -> None:
    for text, colour, width in entries:
        d.add(Line(x, y + 3, x + 14, y + 3, strokeColor=colour, strokeWidth=width))
        d.add(String(x + 18, y, text[:40], fontName=SANS, fontSize=7, fillColor=INK))
        y -= 11


def km_drawing(summaries: Sequence[AgentSummary], width: float, height: float) -> Drawing:
    """Per agent, the Kaplan-Meier proportion back to grade <= 1 against days since day 0."""
    d = Drawing(width, height)
    w, h = width - LEFT - RIGHT_LEGEND, height - BOTTOM - TOP
    longest = max((s.km[-1].day for s in summaries if s.km), default=30)
    last_day = max(30, min(90, longest))
    sx, sy = w / last_day, h
    _axes(
        d,
        LEFT,
        BOTTOM,
        w,
        h,
        "Back to grade <= 1 (Kaplan-Meier)",
        "days since the line's start",
        "proportion",
    )
    for tick in range(0, last_day + 1, 10 if last_day <= 60 else 15):
        x = LEFT + tick * sx
        d.add(Line(x, BOTTOM, x, BOTTOM - 3, strokeColor=INK, strokeWidth=0.5))
        d.add(String(x, BOTTOM - 11, str(tick), fontName=SANS, fontSize=6.5, textAnchor="middle"))
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = BOTTOM + share * sy
        d.add(Line(LEFT, y, LEFT + w, y, strokeColor=RULE, strokeWidth=0.3))
        d.add(
            String(LEFT - 3, y - 2, f"{share:.0%}", fontName=SANS, fontSize=6.5, textAnchor="end")
        )
    entries = []
    for i, summary in enumerate(summaries):
        colour = agent_colour(i)
        points = [LEFT, BOTTOM]
        reached = 0.0
        for step in summary.km:
            x = LEFT + min(step.day, last_day) * sx
            points += [x, BOTTOM + reached * sy]
            reached = step.reached
            points += [x, BOTTOM + reached * sy]
            if step.censored and step.day <= last_day:  # a tick where lines were censored
                d.add(Line(x, BOTTOM + reached * sy - 2, x, BOTTOM + reached * sy + 2,
                           strokeColor=colour, strokeWidth=0.8))  # fmt: skip
        end = max((s.day for s in summary.km), default=0)
        points += [LEFT + min(end, last_day) * sx, BOTTOM + reached * sy]
        d.add(PolyLine(points, strokeColor=colour, strokeWidth=1.4))
        entries.append(
            (f"{summary.agent} (n={summary.lines - summary.not_applicable})", colour, 1.4)
        )
    _legend(d, LEFT + w + 10, BOTTOM + h - 8, entries)
    return d


# the least a linear axis shows, so an empty or flat figure still reads (canonical units)
LINEAR_TOP = {"GLUCOSE": 600.0, "CPEPTIDE": 5.0}


def _scale(values: Sequence[float], log: bool, analyte: str) -> tuple[float, float]:
    if log:
        top = max([20.0, *values]) * 1.3
        return 0.25, top
    top = max([LINEAR_TOP.get(analyte, 1.0), *values]) * 1.05
    return 0.0, top


def trajectory_drawing(
    lines: Sequence[LineTrajectory],
    agents: Sequence[str],
    width: float,
    height: float,
    *,
    analyte: str,
    relative: bool,
    title: str,
    y_label: str,
    criteria_id: str,
) -> Drawing:
    """Every line's results against days since its start, the grade bands behind them (for a
    normal baseline), and the median of the lines on top."""
    d = Drawing(width, height)
    w, h = width - LEFT - RIGHT_LEGEND, height - BOTTOM - TOP
    first, last = WINDOW
    values = [p.value for line in lines for p in line.points]
    low, high = _scale(values, relative, analyte)

    def y_of(value: float) -> float:
        if relative:
            value = min(max(value, low), high)
            return BOTTOM + h * (math.log10(value / low) / math.log10(high / low))
        return BOTTOM + h * (min(max(value, low), high) - low) / (high - low)

    def x_of(day: float) -> float:
        return LEFT + w * (day - first) / (last - first)

    bands = (
        grade_bands(analyte, "U/L", uln=1.0, criteria_id=criteria_id).bands
        if relative
        else grade_bands(analyte, "mg/dL", uln=140.0, lln=70.0, criteria_id=criteria_id).bands
        if analyte == "GLUCOSE"
        else ()
    )
    for band in bands:
        bottom = y_of(band.low if band.low is not None else low)
        top = y_of(band.high if band.high is not None else high)
        if top > bottom:
            d.add(
                Rect(
                    LEFT,
                    bottom,
                    w,
                    top - bottom,
                    fillColor=GRADE_FILL[band.grade],
                    strokeColor=None,
                )
            )
            d.add(
                String(
                    LEFT + w - 2,
                    bottom + 2,
                    f"G{band.grade}",
                    fontName=SANS,
                    fontSize=6,
                    fillColor=MUTED,
                    textAnchor="end",
                )
            )
    _axes(d, LEFT, BOTTOM, w, h, title, "days since the line's start (day 0)", y_label)
    for tick in range(first, last + 1, 7 if last - first <= 80 else 14):
        x = x_of(tick)
        d.add(Line(x, BOTTOM, x, BOTTOM - 3, strokeColor=INK, strokeWidth=0.5))
        d.add(String(x, BOTTOM - 11, str(tick), fontName=SANS, fontSize=6.5, textAnchor="middle"))
    d.add(
        Line(
            x_of(0),
            BOTTOM,
            x_of(0),
            BOTTOM + h,
            strokeColor=INK,
            strokeWidth=0.6,
            strokeDashArray=[2, 2],
        )
    )
    ticks: list[float] = (
        [0.5, 1, 3, 5, 20] if relative else [round(low + (high - low) * k / 4) for k in range(5)]
    )
    for level in ticks:
        if low <= level <= high:
            y = y_of(level)
            d.add(
                String(LEFT - 3, y - 2, f"{level:g}", fontName=SANS, fontSize=6.5, textAnchor="end")
            )
    for line in lines:
        if not line.points:
            continue
        colour = agent_colour(agents.index(line.agent)) if line.agent in agents else MUTED
        coords = [c for p in line.points for c in (x_of(p.day), y_of(p.value))]
        if len(line.points) == 1:
            coords += [coords[0] + 0.8, coords[1]]
        d.add(PolyLine(coords, strokeColor=colour, strokeWidth=0.7))
    median = median_trajectory(lines)
    if len(median) > 1:
        coords = [c for p in median for c in (x_of(p.day), y_of(p.value))]
        d.add(PolyLine(coords, strokeColor=INK, strokeWidth=2.2))
    entries = [(a, agent_colour(i), 0.7) for i, a in enumerate(agents)]
    _legend(d, LEFT + w + 10, BOTTOM + h - 8, [*entries, ("median of the lines", INK, 2.2)])
    return d
