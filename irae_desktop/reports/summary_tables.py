"""The tables of the patient summary, each built from the gathered records as a platypus Table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from irae_desktop.domain.grade_display import result_grade_text
from irae_desktop.domain.screening_names import calls_for_attention
from irae_desktop.reports.clinical import AlertLine
from irae_desktop.reports.formatting import (
    DASH,
    amount,
    analyte_label,
    analyte_sort_key,
    date_text,
    datetime_text,
    display_unit_for,
    grade_text,
    lab_range,
    lab_text,
    markup,
    rule_text,
    short_date,
    times_uln,
)
from irae_desktop.reports.layout import GRADE_FILL, INK, MUTED, RULE, SHADE
from irae_desktop.reports.summary_data import EpisodeInfo, LabPoint, LatestValue
from irae_desktop.reports.treatment_view import PrintedLine
from irae_desktop.store.screenings import ScreeningRecord

SEVERITY_FILL = {
    "critical": colors.HexColor("#f8d0cd"),
    "warning": colors.HexColor("#ffe7b3"),
    "info": colors.HexColor("#e3ecf7"),
}
HOLD_RED = "#b3261e"
STATUS_WORD = {"on": "ON", "held": "HELD", "stopped": "STOPPED", "planned": "PLANNED"}


def base_style(header_rows: int = 1) -> list[tuple[object, ...]]:
    return [
        ("FONT", (0, 0), (-1, header_rows - 1), "DejaVuSans-Bold", 7.2),
        ("FONT", (0, header_rows), (-1, -1), "DejaVuSansCondensed", 7.5),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LINEBELOW", (0, 0), (-1, header_rows - 1), 0.6, INK),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
    ]


HEADER = ParagraphStyle(
    "table_header", fontName="DejaVuSans-Bold", fontSize=7.2, leading=8.6, textColor=INK
)

HEADER_RIGHT = ParagraphStyle("table_header_right", parent=HEADER, alignment=TA_RIGHT)


def make_table(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    extra: Sequence[tuple[object, ...]] = (),
) -> Table:
    body = [list(r) for r in rows]
    # header words wrap inside their column instead of running into the next one
    body[0] = [Paragraph(markup(c), HEADER) if isinstance(c, str) else c for c in body[0]]
    table = Table(body, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([*base_style(), *extra]))
    return table


def _grade_cell_style(col: int, row: int, grade: int | None) -> list[tuple[object, ...]]:
    if grade is None or grade <= 0:
        return []
    return [("BACKGROUND", (col, row), (col, row), GRADE_FILL[min(grade, 4)])]


def p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text, style)


def latest_table(
    latest: Sequence[LatestValue], width: float, st: dict[str, ParagraphStyle]
) -> Table:
    head: list[object] = ["Analyte", "Latest", "Unit", "Range", "× ULN", "Grade", "Trend"]
    head += ["Collected", "Worst"]
    rows: list[list[object]] = [head]
    extra: list[tuple[object, ...]] = [("ALIGN", (1, 1), (6, -1), "RIGHT")]
    for i, lv in enumerate(latest, start=1):
        pt = lv.point
        value, unit = lab_text(pt.analyte, pt.value, pt.unit, pt.comparator)
        label = analyte_label(pt.analyte) + (" (baseline)" if pt.is_baseline else "")
        rows.append(
            [
                p(label, st["cell"]),
                value,
                unit,
                lab_range(pt.analyte, pt.lln, pt.uln, pt.unit),
                times_uln(pt.value, pt.uln, pt.analyte),
                _grade_cell(result_grade_text(pt.grade, pt.grade_reason), st),
                lv.trend or DASH,
                datetime_text(pt.collected_at),
                grade_text(lv.worst_grade),
            ]
        )
        extra += _grade_cell_style(5, i, pt.grade) + _grade_cell_style(8, i, lv.worst_grade)
    # "Trend" needs its whole word (it wrapped as "Tren d" at 0.05 of the width)
    fr = [0.17, 0.09, 0.08, 0.10, 0.08, 0.10, 0.07, 0.22, 0.09]
    extra.append(("FONT", (1, 1), (-1, -1), "DejaVuSansCondensed", 7.5))
    return make_table(rows, [f * width for f in fr], extra)


def dose_text(t: PrintedLine) -> str:
    if t.current_dose is None:
        return DASH
    text = f"{amount(t.current_dose)} {t.current_unit or ''}".strip()
    if t.line.frequency:
        text += f" {t.line.frequency}"
    if t.line.route:
        text += f" {t.line.route}"
    if t.prednisone_mg is not None:
        text += f": prednisone-eq {amount(t.prednisone_mg)} mg/day"
        if t.mg_per_kg is not None:
            text += f" ({t.mg_per_kg:.2f} mg/kg/day)"
    elif t.mg_per_kg is not None:
        text += f" ({t.mg_per_kg:.2f} mg/kg)"
    return text


def taper_text(t: PrintedLine) -> str:
    """The dose steps as a plan: past steps greyed, the current one bold, planned ones plain."""
    parts = []
    for s in t.steps:
        piece = f"{amount(s.dose)} {s.unit} from {short_date(s.start)}"
        if s.state == "current":
            piece = f"<b>{piece} (now)</b>"
        elif s.state == "past":
            piece = f"<font color='#8a939c'>{piece}</font>"
        parts.append(piece)
    return " → ".join(parts) if parts else DASH


def current_treatment_table(
    treatments: Sequence[PrintedLine], width: float, st: dict[str, ParagraphStyle]
) -> Table:
    rows: list[list[object]] = [["Agent", "Current dose", "Since", "Dose steps / taper plan"]]
    for t in treatments:
        name = t.line.agent + (" (HELD)" if t.status == "held" else "")
        rows.append(
            [
                p(f"<b>{markup(name)}</b>", st["cell"]),
                p(markup(dose_text(t)), st["cell"]),
                date_text(t.dose_since or t.line.start),
                p(taper_text(t), st["cell"]),
            ]
        )
    return make_table(rows, [width * f for f in (0.17, 0.30, 0.12, 0.41)])


def alerts_table(alerts: Sequence[AlertLine], width: float, st: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[object]] = [["Severity", "Alert", "Rule", "Source"]]
    extra: list[tuple[object, ...]] = []
    muted = ParagraphStyle("cell_muted", parent=st["cell"], textColor=MUTED)
    for i, a in enumerate(alerts, start=1):
        status = "holds now" if a.lifecycle == "condition" else "new"
        if a.standing == "unacknowledged":
            status = "unacknowledged (over 7 days)"
        elif a.acknowledged_by:
            status = f"acknowledged by {markup(a.acknowledged_by)}"
        raised = a.raised_at or a.evidence_at
        when = f"<br/>{datetime_text(raised)}" if raised else ""
        cell = st["cell"] if a.standing == "current" else muted
        rows.append(
            [
                p(f"<b>{a.severity.upper()}</b>", cell),
                p(f"<b>{markup(rule_text(a.title))}</b>{when}<br/><i>{status}</i>", cell),
                p(markup(rule_text(a.rule)), cell),
                p(markup(a.source), cell),
            ]
        )
        fill = SEVERITY_FILL.get(a.severity)
        if fill is not None and a.standing == "current":
            extra.append(("BACKGROUND", (0, i), (0, i), fill))
    return make_table(rows, [width * f for f in (0.10, 0.30, 0.38, 0.22)], extra)


def episodes_table(
    episodes: Sequence[EpisodeInfo], width: float, st: dict[str, ParagraphStyle]
) -> Table:
    rows: list[list[object]] = [
        ["irAE", "Onset", "Resolved", "Worst grade", "Current grade", "Status", "Notes"]
    ]
    extra: list[tuple[object, ...]] = []
    fractions = (0.14, 0.12, 0.12, 0.10, 0.17, 0.10, 0.25)
    notes_width = width * fractions[-1]
    for i, e in enumerate(episodes, start=1):
        current = grade_text(e.current_grade)
        if e.current_analyte:
            current += f" ({analyte_label(e.current_analyte)})"
        rows.append(
            [
                p(f"<b>{markup(e.organ)}</b>", st["cell"]),
                date_text(e.onset),
                date_text(e.resolution),
                grade_text(e.worst_grade),
                current,
                e.status,
                # the cell's width lets right-to-left notes wrap in reading order
                p(_cell_markup(e.notes, notes_width, st["cell"]), st["cell"]),
            ]
        )
        extra += _grade_cell_style(3, i, e.worst_grade) + _grade_cell_style(4, i, e.current_grade)
    return make_table(rows, [width * f for f in fractions], extra)


# how a result that calls for attention is printed: bold, in the alert's colour, its word always
# written (domain.screening_names.calls_for_attention; anti-HBs is a mark of immunity)
SCREENING_RESULT_COLOUR = {"positive": "#b3261e", "indeterminate": "#8a5a00"}


def screening_table(
    results: Sequence[ScreeningRecord], width: float, st: dict[str, ParagraphStyle]
) -> Table:
    """The infection screening results, as gathered (newest first): test, day, result, note
    and where each came from."""
    rows: list[list[object]] = [["Test", "Taken", "Result", "Note", "Source"]]
    fractions = (0.22, 0.10, 0.12, 0.31, 0.25)
    note_width, source_width = width * fractions[3], width * fractions[4]
    for record in results:
        result = markup(record.result)
        colour = SCREENING_RESULT_COLOUR.get(record.result)
        if colour is not None and calls_for_attention(record.test, record.result):
            result = f"<font color='{colour}'><b>{result}</b></font>"
        rows.append(
            [
                p(markup(record.label), st["cell"]),
                date_text(record.taken_on),
                p(result, st["cell"]),
                p(_cell_markup(record.note, note_width, st["cell"]) or DASH, st["cell"]),
                p(_cell_markup(record.source, source_width, st["cell"]), st["cell"]),
            ]
        )
    return make_table(rows, [width * f for f in fractions])


def _cell_markup(text: str | None, column: float, style: ParagraphStyle) -> str:
    """Text for a table cell of `column` points, less the cell's padding on both sides."""
    return markup(text, size=style.fontSize, width=column - 6, font_name=style.fontName)


def treatment_lines_table(
    treatments: Sequence[PrintedLine], width: float, st: dict[str, ParagraphStyle]
) -> Table:
    rows: list[list[object]] = [
        [
            "Line",
            "Starting dose",
            "Start",
            "Stop",
            "Status",
            "Indication / reason stopped",
            "Response (days from start)",
        ]
    ]
    for t in treatments:
        line = t.line
        reason = markup(line.indication)
        if line.reason_stopped:
            reason += ("<br/>" if reason else "") + f"<i>stopped: {markup(line.reason_stopped)}</i>"
        # a hold's dates on lines of their own, never broken inside ("28 No / v")
        holds = "".join(
            f"<br/><font color='{HOLD_RED}'>held {short_date(hold.start)}–<br/>"
            + (short_date(hold.end) if hold.end else "ongoing")
            + "</font>"
            for hold in t.line.holds
        )
        dose = f"{amount(t.line.dose)} {t.line.dose_unit or ''} {t.line.frequency or ''}".strip()
        rows.append(
            [
                p(f"<b>{markup(t.line.agent)}</b><br/>{markup(t.line.category)}", st["cell"]),
                p(markup(dose), st["cell"]),
                date_text(t.line.start),
                date_text(t.line.stop),
                p(STATUS_WORD.get(t.status, t.status) + holds, st["cell"]),
                p(reason, st["cell"]),
                p(markup(t.response) or DASH, st["cell"]),
            ]
        )
    return make_table(rows, [width * f for f in (0.16, 0.12, 0.09, 0.09, 0.11, 0.18, 0.25)])


# analyte columns per table: more would break "Hemoglobin" or "10^3/µL" mid-word on letter paper
LAB_GRID_COLUMNS = 7


def lab_grids(
    points: Sequence[LabPoint], width: float, st: dict[str, ParagraphStyle]
) -> list[Table]:
    """Recent results as tables of at most LAB_GRID_COLUMNS analytes each, in display order (the
    liver and glucose tests first, then the treatment-safety labs), each with its own times."""
    analytes = sorted({pt.analyte for pt in points}, key=analyte_sort_key)
    groups = [analytes[i : i + LAB_GRID_COLUMNS] for i in range(0, len(analytes), LAB_GRID_COLUMNS)]
    return [lab_grid([pt for pt in points if pt.analyte in group], width, st) for group in groups]


def lab_grid(points: Sequence[LabPoint], width: float, st: dict[str, ParagraphStyle]) -> Table:
    """Recent results, one row per collection time and one column per analyte, with grades."""
    analytes = sorted({pt.analyte for pt in points}, key=analyte_sort_key)
    by_time: dict[datetime, dict[str, LabPoint]] = defaultdict(dict)
    for pt in points:
        by_time[pt.collected_at][pt.analyte] = pt
    units = {pt.analyte: pt.unit for pt in points}
    head: list[object] = ["Collected"]
    for a in analytes:
        unit = display_unit_for(a, units[a])
        head.append(Paragraph(f"{markup(analyte_label(a))}<br/>{markup(unit)}", HEADER_RIGHT))
    rows: list[list[object]] = [head]
    extra: list[tuple[object, ...]] = [
        ("FONT", (0, 1), (-1, -1), "DejaVuSansCondensed", 7.2),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
    ]
    for r, moment in enumerate(sorted(by_time, reverse=True), start=1):
        row: list[object] = [datetime_text(moment)]
        for c, analyte in enumerate(analytes, start=1):
            found = by_time[moment].get(analyte)
            if found is None:
                row.append("")
                continue
            pt = found
            text = lab_text(pt.analyte, pt.value, pt.unit, pt.comparator)[0]
            grade = result_grade_text(pt.grade, pt.grade_reason)
            row.append(text if grade == DASH else f"{text}  {grade}")
            extra += _grade_cell_style(c, r, pt.grade)
        rows.append(row)
    first = min(0.22 * width, 110.0)
    rest = (width - first) / max(len(analytes), 1)
    return make_table(rows, [first] + [rest] * len(analytes), extra)


def _grade_cell(text: str, st: dict[str, ParagraphStyle]) -> object:
    """A grade as shown; words such as "<G3, non-fasting" wrap inside the narrow column."""
    if ", " not in text:
        return text
    return Paragraph(markup(text).replace(", ", ",<br/>").replace("-", "\u2011"), st["cell"])
