"""Treatment swim lanes under the trend charts: ICI doses and holds, steroid and other courses."""

from __future__ import annotations

from datetime import date

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from irae_desktop.domain.chart_marks import LANE_COLOURS, lane_colour_key
from irae_desktop.reports.chart_time import TimeAxis
from irae_desktop.reports.fonts import CONDENSED, chart_strings, string_width
from irae_desktop.reports.formatting import amount
from irae_desktop.reports.layout import INK, RULE
from irae_desktop.reports.summary_data import PatientSummaryData
from irae_desktop.reports.treatment_view import PrintedLine

LANE_H = 12.0
LABEL_LEFT = 4.0
LABEL_SIZE = 6.5
# the smallest type a printed label stays legible at; below it the label takes two lines
LABEL_MIN_SIZE = 5.5


def fit_label(label: str, width: float) -> tuple[list[str], float]:
    """A lane label whole (never cut: an agent's name is what the lane means), as lines and a
    font size: one line, made smaller if needed, else two lines split at a space."""
    natural = string_width(label, CONDENSED, LABEL_SIZE)
    if natural <= width:
        return [label], LABEL_SIZE
    size = LABEL_SIZE * width / natural
    if size >= LABEL_MIN_SIZE:
        return [label], size
    words = label.split(" ")
    best: tuple[list[str], float] | None = None
    for cut in range(1, len(words)):
        parts = [" ".join(words[:cut]), " ".join(words[cut:])]
        widest = max(string_width(part, CONDENSED, LABEL_SIZE) for part in parts)
        fitted = min(LABEL_SIZE, LABEL_SIZE * width / widest)
        if best is None or fitted > best[1]:
            best = (parts, fitted)
    if best is None:  # one long word: smaller type rather than a cut name
        return [label], size
    return best


def lane_rows(data: PatientSummaryData) -> list[tuple[str, str, list[PrintedLine]]]:
    """(label, colour key, lines) per lane: one lane per agent, the corticosteroids pooled."""
    lanes: dict[str, tuple[str, str, list[PrintedLine]]] = {}
    for t in data.treatments:
        if t.is_steroid:
            key, label, colour = "steroid", "Steroid (pred-eq mg)", "steroid"
        else:
            colour = lane_colour_key(t.line.category, t.line.agent)
            key, label = f"{colour}:{t.line.agent}", t.line.agent
        lanes.setdefault(key, (label, colour, []))[2].append(t)
    return list(lanes.values())


def draw_lane(
    drawing: Drawing,
    axis: TimeAxis,
    y: float,
    label: str,
    colour_key: str,
    lines: list[PrintedLine],
    end_day: date,
) -> None:
    colour = colors.HexColor(LANE_COLOURS[colour_key])
    lines_of_label, size = fit_label(label, axis.x0 - LABEL_LEFT - 2)
    top = y + 3.5 + (len(lines_of_label) - 1) * size / 2
    for n, text in enumerate(lines_of_label):
        for piece in chart_strings(LABEL_LEFT, top - n * size, text, CONDENSED, size, INK):
            drawing.add(piece)
    drawing.add(Line(axis.x0, y, axis.x0 + axis.width, y, strokeColor=RULE, strokeWidth=0.3))
    last_label_end = -1e9
    for t in lines:
        x0 = axis.clamp(axis.xd(t.line.start))
        x1 = axis.clamp(axis.xd(t.line.stop or end_day))
        if x1 <= axis.x0 or x0 >= axis.x0 + axis.width:
            continue
        bar_h = 3.0 if colour_key == "ici" else 8.0
        bar_y = y + 2 if colour_key != "ici" else y + 4.5
        drawing.add(
            Rect(
                x0,
                bar_y,
                max(x1 - x0, 1.0),
                bar_h,
                fillColor=colour,
                strokeColor=None,
                fillOpacity=0.30,
            )
        )
        for hold in t.line.holds:
            hx0 = axis.clamp(axis.xd(hold.start))
            hx1 = axis.clamp(axis.xd(hold.end or end_day))
            drawing.add(
                Rect(
                    hx0,
                    y + 1.5,
                    max(hx1 - hx0, 1.0),
                    LANE_H - 3,
                    fillColor=None,
                    strokeColor=colors.red,
                    strokeWidth=0.6,
                    strokeDashArray=[1.5, 1.5],
                )
            )
        if colour_key == "ici":
            for s in t.steps:
                sx = axis.xd(s.start)
                if axis.x0 <= sx <= axis.x0 + axis.width:
                    drawing.add(
                        Polygon(
                            [sx - 2.4, y + LANE_H - 1.5, sx + 2.4, y + LANE_H - 1.5, sx, y + 3],
                            fillColor=colour,
                            strokeColor=None,
                        )
                    )
            continue
        marks: list[tuple[date, float | None]] = [
            (s.start, s.prednisone_mg if colour_key == "steroid" else s.dose) for s in t.steps
        ] or [(t.line.start, None if colour_key == "steroid" else t.line.dose)]
        for day, dose in marks:
            if dose is None:
                continue
            mx = axis.clamp(axis.xd(day))
            drawing.add(Line(mx, bar_y, mx, bar_y + bar_h, strokeColor=colour, strokeWidth=0.8))
            text = amount(dose)
            # a label is skipped only when it would overprint the previous one
            if mx + 1.5 < last_label_end + 1 or mx > axis.x0 + axis.width - 8:
                continue
            drawing.add(
                String(
                    mx + 1.5,
                    bar_y + 2.2,
                    text,
                    fontName=CONDENSED,
                    fontSize=5.5,
                    fillColor=INK,
                )
            )
            last_label_end = mx + 1.5 + stringWidth(text, CONDENSED, 5.5)
