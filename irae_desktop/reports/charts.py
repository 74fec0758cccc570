"""Vector trend charts: lab panels over CTCAE grade bands, with treatment lanes on the same axis."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from irae_desktop.domain.analytes import ANALYTES, panel_title
from irae_desktop.domain.chart_marks import CPEPTIDE_DEFICIENT_BELOW_NG_ML, CPEPTIDE_LINE_WORDS
from irae_desktop.domain.criteria import DEFAULT_CRITERIA
from irae_desktop.domain.panel_bands import Override, PanelBands, panel_bands, same_bands
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
)
from irae_desktop.reports.layout import GRADE_FILL, INK, MUTED, RULE
from irae_desktop.reports.summary_data import LabPoint, PatientSummaryData

__all__ = ["chart_window", "trend_drawing"]

LABEL_W = 78.0
PANEL_H = 56.0
PANEL_GAP = 15.0
AXIS_H = 14.0
MAX_MARKERS = 120
BAND_LABEL_W = 12.0  # right of the plot: the grade of each band


@dataclass(frozen=True, slots=True)
class PanelSpec:
    analytes: tuple[str, ...]
    relative: bool  # plot value / ULN instead of the value
    graded: bool = True  # shade the grade bands (domain.panel_bands)
    log_scale: bool = False
    reference: tuple[float, str] | None = None  # a threshold line worth naming
    problem: str = "hepatitis"  # the irAE the panel follows

    @property
    def title(self) -> str:
        """From the analytes' labels in the one analyte table, as the Trends tab titles them."""
        scale = " (× ULN, log scale)" if self.log_scale else " (× ULN)"
        return panel_title(self.analytes) + (scale if self.relative else "")


# the grade bands are not typed here: they come from the criteria files through the same
# rules as the stored grades (clinical reference, decision 15)
PANELS: tuple[PanelSpec, ...] = (
    PanelSpec(("ALT", "AST"), True, log_scale=True),
    PanelSpec(("TBILI",), False),
    PanelSpec(("ALP",), False),
    PanelSpec(("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC"), False, problem="diabetes"),
    PanelSpec(("BHB",), False, graded=False, problem="diabetes"),
    PanelSpec(
        ("CPEPTIDE",),
        False,
        graded=False,
        reference=(CPEPTIDE_DEFICIENT_BELOW_NG_ML, CPEPTIDE_LINE_WORDS),
        problem="diabetes",
    ),
)
# the top of an open-ended band, far above any value drawn
_TOP = 1e7


def ordered_panels(episodes: Sequence[str]) -> list[PanelSpec]:
    """Diabetes panels first for a patient with ICI diabetes and no hepatitis."""
    problems = {e.strip().lower() for e in episodes}
    first = "diabetes" if "diabetes" in problems and "hepatitis" not in problems else "hepatitis"
    return sorted(PANELS, key=lambda p: (p.problem != first, PANELS.index(p)))


def chart_bands(
    spec: PanelSpec,
    points: Sequence[LabPoint],
    criteria: str | None,
    overrides: Mapping[str, Override] | None = None,
    *,
    before_start: bool = False,
) -> tuple[list[tuple[int, float, float]], PanelBands]:
    """(grade, low, high) in the plotted unit (or × ULN), from every result of the panel's
    analytes (not only those in the time window: the baseline may be older). `before_start`:
    the bands of results on or before the first ICI start (graded against the ULN)."""
    rows: dict[str, list[LabPoint]] = {}
    for p in points:
        if p.analyte in spec.analytes:
            rows.setdefault(p.analyte, []).append(p)
    ordered = {a: rows[a] for a in spec.analytes if a in rows}
    found = panel_bands(
        ordered,
        criteria or DEFAULT_CRITERIA,
        relative=spec.relative,
        overrides=overrides,
        before_start=before_start,
    )
    if not ordered or not spec.graded:
        return [], found
    first = next(iter(ordered))
    canonical = ANALYTES[first].canonical_unit

    def in_display(v: float) -> float:
        return v if spec.relative else shown(first, v, canonical)[0]

    return [
        (b.grade, in_display(b.low), in_display(b.high) if b.high is not None else _TOP)
        for b in found.bands
    ], found


_Bands = list[tuple[int, float, float]]
# the panel, its points, its bands, what they stand on, and the bands before the first ICI
# start where those differ (an abnormal baseline applies only after it)
_Drawn = tuple[PanelSpec, list[LabPoint], _Bands, PanelBands, _Bands]


def _with_early(
    spec: PanelSpec,
    bands: _Bands,
    found: PanelBands,
    every: Sequence[LabPoint],
    criteria: str | None,
) -> tuple[PanelSpec, _Bands, PanelBands, _Bands]:
    early, before = chart_bands(spec, every, criteria, before_start=True)
    return spec, bands, found, ([] if same_bands(found, before) else early)


def split_panel(
    spec: PanelSpec,
    shown_points: list[LabPoint],
    every: Sequence[LabPoint],
    criteria: str | None,
    overrides: Mapping[str, Override] | None = None,
) -> list[_Drawn]:
    """The panel with its bands; or, where its analytes are graded with different bands
    (ALT and AST with their own abnormal baselines), one panel per analyte, each with the
    bands that are true for it."""
    bands, found = chart_bands(spec, every, criteria, overrides)
    present = [a for a in spec.analytes if any(p.analyte == a for p in shown_points)]
    if not found.disagree or len(present) < 2:
        _s, _b, _f, early = _with_early(spec, bands, found, every, criteria)
        return [(spec, shown_points, bands, found, early)]
    out: list[_Drawn] = []
    for analyte in present:
        one = replace(spec, analytes=(analyte,))
        own_bands, own = chart_bands(one, every, criteria, overrides)
        _s, _b, _f, early = _with_early(one, own_bands, own, every, criteria)
        out.append((one, [p for p in shown_points if p.analyte == analyte], own_bands, own, early))
    return out


def _panel(
    drawing: Drawing,
    axis: TimeAxis,
    y: float,
    spec: PanelSpec,
    points: Sequence[LabPoint],
    bands: list[tuple[int, float, float]],
    found: PanelBands,
    early: _Bands | None = None,
    boundary: float | None = None,
) -> None:
    w = axis.width
    canonical = ANALYTES[spec.analytes[0]].canonical_unit
    first = next(iter(found.uln), spec.analytes[0])
    uln_canonical = found.uln.get(first)
    uln = shown(first, uln_canonical, canonical)[0] if uln_canonical else None

    def in_display(v: float) -> float:
        return shown(spec.analytes[0], v, canonical)[0]

    def val(p: LabPoint) -> float | None:
        if spec.relative:
            return p.value / p.uln if p.uln else None
        return shown(p.analyte, p.value, p.unit)[0]

    values = [v for v in (val(p) for p in points) if v is not None]
    reference = (in_display(spec.reference[0]), spec.reference[1]) if spec.reference else None
    top_needed = max(values, default=1.0)
    # the ULN and where grades 1-2 start stay in view, so normal noise stays flat
    visible = [lo for g, lo, _hi in bands if g <= 2 and lo > 0]
    visible += [reference[0]] if reference else []
    visible += [1.0 if spec.relative else uln] if uln else []
    if spec.relative:
        lo, hi = 0.3, max(25.0, top_needed * 1.3)
    else:
        lo = 0.0
        hi = max([top_needed * 1.15, *[e * 1.25 for e in visible]], default=1.0)

    def yv(v: float) -> float:
        if spec.log_scale:
            v = max(v, lo)
            span = math.log10(hi) - math.log10(lo)
            return y + (math.log10(v) - math.log10(lo)) / span * PANEL_H
        return y + (min(max(v, lo), hi) - lo) / (hi - lo) * PANEL_H

    drawing.add(
        Rect(axis.x0, y, w, PANEL_H, fillColor=colors.white, strokeColor=RULE, strokeWidth=0.6)
    )
    last_label_y = -1e9
    # with early bands, the later ones start at the first ICI start (x `boundary`)
    split = axis.clamp(boundary) if early and boundary is not None else axis.x0
    for grade, low, high in sorted(early or [], key=lambda b: b[1]) if split > axis.x0 else []:
        if low < hi and high > lo:
            y0, y1 = yv(max(low, lo)), yv(min(high, hi))
            drawing.add(
                Rect(
                    axis.x0,
                    y0,
                    split - axis.x0,
                    y1 - y0,
                    fillColor=GRADE_FILL[grade],
                    strokeColor=None,
                )
            )
    for grade, low, high in sorted(bands, key=lambda b: b[1]):
        if low >= hi or high <= lo:
            continue
        y0, y1 = yv(max(low, lo)), yv(min(high, hi))
        drawing.add(
            Rect(
                split,
                y0,
                axis.x0 + w - split,
                y1 - y0,
                fillColor=GRADE_FILL[grade],
                strokeColor=None,
            )
        )
        if y1 - y0 >= 6:
            # in the margin right of the plot, where no point can hide it
            drawing.add(
                String(
                    axis.x0 + w + 2,
                    (y0 + y1) / 2 - 2,
                    f"G{grade}",
                    fontName=SANS,
                    fontSize=5.5,
                    fillColor=MUTED,
                )
            )
        for edge in (low, high):
            ye = yv(edge)
            if lo < edge < hi and abs(ye - last_label_y) >= 6.5:
                drawing.add(
                    String(
                        axis.x0 - 3,
                        ye - 2,
                        number(edge),
                        fontName=CONDENSED,
                        fontSize=5.5,
                        fillColor=MUTED,
                        textAnchor="end",
                    )
                )
                last_label_y = ye
    if not bands:
        # no band edges to read the scale by: the ends of the axis, rounded and placed there
        for edge in (lo, float(f"{hi * 0.95:.2g}")):
            drawing.add(
                String(
                    axis.x0 - 3,
                    yv(edge) - 2,
                    number(edge),
                    fontName=CONDENSED,
                    fontSize=5.5,
                    fillColor=MUTED,
                    textAnchor="end",
                )
            )
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
    captions: list[str] = []
    legend_y = y + PANEL_H - 8
    for analyte in spec.analytes:
        series: list[tuple[LabPoint, float]] = []
        for p in points:
            v = val(p) if p.analyte == analyte else None
            if v is not None:
                series.append((p, v))
        if not series:
            continue
        known = ANALYTES.get(analyte)
        colour = colors.HexColor(known.colour) if known is not None else INK
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
        caption = _baseline_line(drawing, axis, spec, found, analyte, yv, colour)
        if caption:
            captions.append(caption)
    note = ""
    if bands:
        first_bands = next(iter(found.by_analyte.values()), None)
        note = f"bands: {first_bands.criteria_label}" if first_bands else "grade bands"
        if found.disagree:
            note += ", where all agree"
    if note:
        drawing.add(String(4, y + 2, note, fontName=SANS, fontSize=5.5, fillColor=MUTED))
    if captions:
        # above the panel, beside its title: never under the data line
        drawing.add(
            String(
                axis.x0 + w,
                y + PANEL_H + 3,
                "; ".join(captions),
                fontName=SANS,
                fontSize=6,
                fillColor=MUTED,
                textAnchor="end",
            )
        )


def _baseline_line(
    drawing: Drawing,
    axis: TimeAxis,
    spec: PanelSpec,
    found: PanelBands,
    analyte: str,
    yv: Callable[[float], float],
    colour: colors.Color,
) -> str:
    """An abnormal baseline is drawn as a dashed line (grades are then multiples of it);
    returns the caption that names it, for the title line."""
    bands = found.by_analyte.get(analyte)
    if bands is None or not bands.abnormal_baseline or bands.baseline is None:
        return ""
    canonical = ANALYTES[analyte].canonical_unit
    value, unit = shown(analyte, bands.baseline, canonical)
    uln = found.uln.get(analyte)
    if spec.relative and not uln:
        return ""
    level = bands.baseline / uln if spec.relative and uln else value
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
    name = analyte_label(analyte)
    shown_value = lab_text(analyte, bands.baseline, canonical)[0]
    return f"{name} abnormal baseline {shown_value} {unit} (dashed): grades relative to it"


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
        for spec in ordered_panels([e.organ for e in data.episodes])
    ]
    drawn = [
        part
        for spec, pts in panels
        if pts
        for part in split_panel(spec, pts, data.labs, data.criteria, data.baseline_overrides)
    ]
    first_day, last_day = local_time(start).date(), local_time(end).date()
    lanes = [
        lane
        for lane in lane_rows(data)
        if any(
            t.line.start <= last_day and (t.line.stop or data.today) >= first_day for t in lane[2]
        )
    ]
    height = len(drawn) * (PANEL_H + PANEL_GAP) + len(lanes) * LANE_H + AXIS_H + 8
    drawing = Drawing(width, height)
    axis = TimeAxis(start, end, LABEL_W, width - LABEL_W - BAND_LABEL_W)
    y = height - PANEL_H - 12
    first_ici = min(
        (t.line.start for t in data.treatments if t.line.category == "ici"), default=None
    )
    boundary = None
    if first_ici is not None:  # the first moment of the day after it, local time
        after = first_ici + timedelta(days=1)
        boundary = axis.x(datetime(after.year, after.month, after.day).astimezone())
    for spec, pts, bands, found, early in drawn:
        _panel(drawing, axis, y, spec, pts, bands, found, early, boundary)
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
