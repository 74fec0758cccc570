"""Vector trend charts: lab panels over CTCAE grade bands, with treatment lanes on the same axis."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.reports.chart_lanes import LANE_H, draw_lane, lane_rows
from irae_desktop.reports.chart_time import TimeAxis, chart_window, draw_time_axis
from irae_desktop.reports.fonts import CONDENSED, SANS, SANS_BOLD
from irae_desktop.reports.formatting import (
    analyte_label,
    display_unit_for,
    lab_text,
    local_time,
    number,
    shown,
    shown_bound,
)
from irae_desktop.reports.layout import GRADE_FILL, INK, MUTED, RULE
from irae_desktop.reports.summary_data import LabPoint, PatientSummaryData

__all__ = ["chart_window", "trend_drawing"]

LABEL_W = 78.0
PANEL_H = 56.0
PANEL_GAP = 15.0
AXIS_H = 14.0
MAX_MARKERS = 120

SERIES_COLOURS = {
    "ALT": colors.HexColor("#1f5fa8"),
    "AST": colors.HexColor("#c2571a"),
    "TBILI": colors.HexColor("#6a3d9a"),
    "ALP": colors.HexColor("#2e7d32"),
    "GLUCOSE": colors.HexColor("#1f5fa8"),
    "GLUCOSE_FASTING": colors.HexColor("#00838f"),
    "GLUCOSE_POC": colors.HexColor("#8d6e63"),
    "CPEPTIDE": colors.HexColor("#ad1457"),
}


@dataclass(frozen=True, slots=True)
class PanelSpec:
    title: str
    analytes: tuple[str, ...]
    relative: bool  # plot value / ULN instead of the value
    band_multiples: tuple[float, ...]  # lower edges of grades 1..4, as multiples of ULN
    absolute_bands: tuple[float, ...] = ()  # lower edges of grades 2..4 in the unit (glucose)
    log_scale: bool = False
    reference: tuple[float, str] | None = None  # a threshold line worth naming


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("ALT / AST (× ULN, log scale)", ("ALT", "AST"), True, (1, 3, 5, 20), log_scale=True),
    PanelSpec("Bilirubin", ("TBILI",), False, (1, 1.5, 3, 10)),
    PanelSpec("ALP", ("ALP",), False, (1, 2.5, 5, 20)),
    PanelSpec(
        "Glucose",
        ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC"),
        False,
        (1,),
        absolute_bands=(160, 250, 500),
    ),
    PanelSpec(
        "C-peptide",
        ("CPEPTIDE",),
        False,
        (),
        reference=(0.6, "insulin deficiency below"),
    ),
)


def _panel(
    drawing: Drawing, axis: TimeAxis, y: float, spec: PanelSpec, points: Sequence[LabPoint]
) -> None:
    w = axis.width
    # absolute thresholds and plotted values in the team's unit system (ratios are unit-free)
    canonical = ANALYTES[spec.analytes[0]].canonical_unit
    latest_uln = next((p for p in reversed(points) if p.uln), None)
    uln = shown_bound(latest_uln.analyte, latest_uln.uln, latest_uln.unit) if latest_uln else None

    def in_display(v: float) -> float:
        return shown(spec.analytes[0], v, canonical)[0]

    def val(p: LabPoint) -> float | None:
        if spec.relative:
            return p.value / p.uln if p.uln else None
        return shown(p.analyte, p.value, p.unit)[0]

    values = [v for v in (val(p) for p in points) if v is not None]
    edges: list[tuple[float, int]] = []
    if spec.relative:
        edges = [(m, g) for g, m in enumerate(spec.band_multiples, start=1)]
    elif uln:
        edges = [(m * uln, g) for g, m in enumerate(spec.band_multiples, start=1)]
    edges += [(in_display(v), g) for g, v in enumerate(spec.absolute_bands, start=2)]
    reference = (in_display(spec.reference[0]), spec.reference[1]) if spec.reference else None
    top_needed = max(values, default=1.0)
    if spec.relative:
        lo, hi = 0.3, max(25.0, top_needed * 1.3)
    else:
        lo = 0.0
        visible = [e for e, g in edges if g <= 2] + ([reference[0]] if reference else [])
        hi = max([top_needed * 1.15, *[e * 1.25 for e in visible]], default=1.0)

    def yv(v: float) -> float:
        if spec.log_scale:
            v = max(v, lo)
            span = math.log10(hi) - math.log10(lo)
            return y + (math.log10(v) - math.log10(lo)) / span * PANEL_H
        return y + (min(v, hi) - lo) / (hi - lo) * PANEL_H

    drawing.add(
        Rect(axis.x0, y, w, PANEL_H, fillColor=colors.white, strokeColor=RULE, strokeWidth=0.6)
    )
    edges.sort()
    last_label_y = -1e9
    for i, (edge, grade) in enumerate(edges):
        upper = edges[i + 1][0] if i + 1 < len(edges) else hi
        if edge >= hi:
            continue
        y0, y1 = yv(edge), yv(min(upper, hi))
        drawing.add(Rect(axis.x0, y0, w, y1 - y0, fillColor=GRADE_FILL[grade], strokeColor=None))
        if y1 - y0 >= 7:
            drawing.add(
                String(
                    axis.x0 + w - 5,
                    y0 + 2,
                    f"G{grade}",
                    fontName=SANS,
                    fontSize=6,
                    fillColor=MUTED,
                    textAnchor="end",
                )
            )
        if y0 - last_label_y >= 6.5:
            drawing.add(
                String(
                    axis.x0 - 3,
                    y0 - 2,
                    number(edge),
                    fontName=CONDENSED,
                    fontSize=5.5,
                    fillColor=MUTED,
                    textAnchor="end",
                )
            )
            last_label_y = y0
    if reference:
        ref, text = reference
        text = f"{number(ref)}: {text}"
        drawing.add(
            Line(
                axis.x0,
                yv(ref),
                axis.x0 + w,
                yv(ref),
                strokeColor=colors.red,
                strokeWidth=0.6,
                strokeDashArray=[3, 2],
            )
        )
        drawing.add(
            String(
                axis.x0 + w - 2,
                yv(ref) + 2,
                text,
                fontName=SANS,
                fontSize=6,
                fillColor=colors.red,
                textAnchor="end",
            )
        )
    title = spec.title
    if not spec.relative:
        title += f" ({display_unit_for(spec.analytes[0], canonical)})"
    drawing.add(
        String(axis.x0, y + PANEL_H + 3, title, fontName=SANS_BOLD, fontSize=7, fillColor=INK)
    )
    legend_y = y + PANEL_H - 8
    for analyte in spec.analytes:
        series: list[tuple[LabPoint, float]] = []
        for p in points:
            v = val(p) if p.analyte == analyte else None
            if v is not None:
                series.append((p, v))
        if not series:
            continue
        colour = SERIES_COLOURS.get(analyte, INK)
        coords: list[float] = []
        for p, v in series:
            coords += [axis.clamp(axis.x(p.collected_at)), yv(v)]
        if len(series) > 1:
            drawing.add(PolyLine(coords, strokeColor=colour, strokeWidth=1.1))
        if len(series) <= MAX_MARKERS:
            for p, v in series:
                hollow = bool(p.comparator)
                cx, cy = axis.clamp(axis.x(p.collected_at)), yv(v)
                drawing.add(
                    Rect(
                        cx - 1.6,
                        cy - 1.6,
                        3.2,
                        3.2,
                        strokeColor=colour,
                        strokeWidth=0.7,
                        fillColor=colors.white if hollow else colour,
                    )
                )
        last_p = series[-1][0]
        last_text = lab_text(last_p.analyte, last_p.value, last_p.unit, last_p.comparator)[0]
        label = f"■ {analyte_label(analyte)}"
        drawing.add(String(4, legend_y, label, fontName=SANS, fontSize=6.5, fillColor=colour))
        drawing.add(
            String(
                10,
                legend_y - 7,
                f"last {last_text}",
                fontName=CONDENSED,
                fontSize=6,
                fillColor=MUTED,
            )
        )
        legend_y -= 16
        _baseline_line(drawing, axis, spec, [p for p, _ in series], yv, colour)
    note = ""
    if spec.absolute_bands:
        note = "fasting grade bands"
    elif spec.relative and edges:
        note = "grade bands: × ULN"
    elif uln and edges:
        note = f"bands from ULN {number(uln)}"
    if note:
        drawing.add(String(4, y + 2, note, fontName=SANS, fontSize=5.5, fillColor=MUTED))


def _baseline_line(
    drawing: Drawing,
    axis: TimeAxis,
    spec: PanelSpec,
    points: Sequence[LabPoint],
    yv: Callable[[float], float],
    colour: colors.Color,
) -> None:
    """An abnormal baseline is drawn as a dashed line: grades are then multiples of it."""
    base = next((p for p in reversed(points) if p.is_baseline), None)
    if base is None or not base.uln or base.value <= base.uln:
        return
    value, unit = shown(base.analyte, base.value, base.unit)
    level = base.value / base.uln if spec.relative else value
    drawing.add(
        Line(
            axis.x0,
            yv(level),
            axis.x0 + axis.width,
            yv(level),
            strokeColor=colour,
            strokeWidth=0.7,
            strokeDashArray=[4, 2],
        )
    )
    drawing.add(
        String(
            axis.x0 + 3,
            yv(level) + 2,
            f"{analyte_label(base.analyte)} abnormal baseline "
            f"{lab_text(base.analyte, base.value, base.unit)[0]} {unit}: grades relative to it",
            fontName=SANS,
            fontSize=5.5,
            fillColor=colour,
        )
    )


def trend_drawing(
    data: PatientSummaryData, width: float, *, max_days: int = 365, max_height: float = 600.0
) -> Drawing:
    """All panels that have data, stacked, then one lane per treatment, then the date axis.

    Lanes of courses wholly outside the window are left out (the treatment table lists every
    line); a drawing taller than `max_height` is scaled down so it always fits on one page.
    """
    start, end = chart_window(data, max_days)
    panels = [
        (spec, [p for p in data.labs if p.analyte in spec.analytes and start <= p.collected_at])
        for spec in PANELS
    ]
    panels = [(spec, pts) for spec, pts in panels if pts]
    first_day, last_day = local_time(start).date(), local_time(end).date()
    lanes = [
        lane
        for lane in lane_rows(data)
        if any(t.start <= last_day and (t.stop or data.today) >= first_day for t in lane[2])
    ]
    height = len(panels) * (PANEL_H + PANEL_GAP) + len(lanes) * LANE_H + AXIS_H + 8
    drawing = Drawing(width, height)
    axis = TimeAxis(start, end, LABEL_W, width - LABEL_W - 2)
    y = height - PANEL_H - 12
    for spec, pts in panels:
        _panel(drawing, axis, y, spec, pts)
        y -= PANEL_H + PANEL_GAP
    y += PANEL_H + PANEL_GAP - LANE_H - 6
    for label, colour_key, lines in lanes:
        draw_lane(drawing, axis, y, label, colour_key, lines, data.today)
        y -= LANE_H
    draw_time_axis(drawing, axis, y + LANE_H, start, end, height, data.now)
    if height > max_height:
        factor = max_height / height
        drawing.scale(factor, factor)
        drawing.width, drawing.height = width * factor, max_height
    return drawing
