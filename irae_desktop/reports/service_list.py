"""The service handoff list PDF: every active patient on one landscape table, sickest first."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from irae_desktop.domain.age import age_years
from irae_desktop.reports.common import aware_now, reading, record_export, resolve_paper
from irae_desktop.reports.formatting import (
    analyte_label,
    criteria_label,
    date_text,
    datetime_text,
    display_timezone,
    display_units,
    grade_text,
    lab_text,
    local_time,
    markup,
    rule_text,
    short_date,
    times_uln,
)
from irae_desktop.reports.layout import (
    GRADE_FILL,
    MARGIN,
    MUTED,
    RULE,
    Identity,
    ReportDocument,
    build_atomically,
    page_size,
    styles,
)
from irae_desktop.reports.service_data import ServiceRow, load_service_rows
from irae_desktop.reports.summary_tables import dose_text, make_table
from irae_desktop.store.audit import acting_user
from irae_desktop.store.database import Database, StoreSession
from irae_desktop.store.settings import get_settings

PLAN_LIMIT = 320
COLUMNS = (
    ("Patient", 0.13),
    ("irAE and grade now", 0.13),
    ("Key latest values", 0.16),
    ("ICI", 0.09),
    ("Immunosuppression, insulin", 0.14),
    ("Alerts (!! critical, ! warning)", 0.13),
    ("Plan", 0.16),
    ("Labs due", 0.06),
)
ICI_COLOURS = {"on": "#1b5e20", "held": "#b3261e", "stopped": "#5b6570"}


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _patient_cell(row: ServiceRow, today_age: int | None) -> str:
    parts = [f"<b>{markup(row.name) or '(no name)'}</b>", f"MRN {markup(row.mrn)}"]
    dob = date_text(row.birth_date)
    parts.append(f"DOB {dob}" + (f" ({today_age} y)" if today_age is not None else ""))
    if row.diagnosis:
        parts.append(f"<font color='#5b6570'>{markup(_clip(row.diagnosis, 60))}</font>")
    if row.is_synthetic:
        parts.append("<font color='#b3261e'><b>SYNTHETIC DATA</b></font>")
    return "<br/>".join(parts)


def _irae_cell(row: ServiceRow) -> str:
    lines = []
    for e in row.episodes:
        current = grade_text(e.current_grade)
        if e.current_analyte:
            current += f" ({analyte_label(e.current_analyte)})"
        lines.append(
            f"<b>{markup(e.organ)}</b> {markup(e.status)}<br/>worst {grade_text(e.worst_grade)}, "
            f"now {current}<br/><font color='#5b6570'>onset {short_date(e.onset)}</font>"
        )
    covered = {e.current_analyte for e in row.episodes}
    for organ, status in row.organs.items():
        note = row.ungraded.get(organ)
        if (status.analyte not in covered and status.grade > 0) or note:
            text = f"{organ}: {grade_text(status.grade)} ({analyte_label(status.analyte)})"
            lines.append(
                text + (f" <font color='#b3261e'>\u00b7 {markup(note)}</font>" if note else "")
            )
    for organ, note in row.ungraded.items():
        if organ not in row.organs:
            lines.append(
                f"{organ}: no graded result <font color='#b3261e'>\u00b7 {markup(note)}</font>"
            )
    return "<br/>".join(lines) or "none recorded"


def _values_cell(row: ServiceRow) -> str:
    lines = []
    for lv in row.latest:
        pt = lv.point
        ratio = times_uln(pt.value, pt.uln, pt.analyte)
        ratio = "" if ratio == "–" else f" ({ratio})"
        lines.append(
            f"{analyte_label(pt.analyte)} "
            f"<b>{lab_text(pt.analyte, pt.value, pt.unit, pt.comparator)[0]}</b>{ratio} "
            f"{lv.trend} {grade_text(pt.grade)} <font color='#5b6570'>{short_date(pt.collected_at)}"
            "</font>"
        )
    return "<br/>".join(lines) or "no results"


def _ici_cell(row: ServiceRow) -> str:
    if not row.ici_agent:
        return "none recorded"
    colour = ICI_COLOURS.get(row.ici_status or "", "#1b1f24")
    return (
        f"{markup(row.ici_agent)}<br/><font color='{colour}'><b>{(row.ici_status or '').upper()}"
        "</b></font>"
    )


SEVERITY_MARK = {
    "critical": ("#b3261e", "!!"),
    "warning": ("#b26a00", "!"),
    "info": ("#1f5fa8", "i"),
}
ALERTS_SHOWN = 3
MUTED_HEX = MUTED.hexval().replace("0x", "#")


def _alerts_cell(row: ServiceRow) -> str:
    """Current alerts in full; older unacknowledged events muted, counted apart (clinical
    reference, decision 13)."""
    shown = []
    for a in row.alerts[:ALERTS_SHOWN]:
        colour, mark = SEVERITY_MARK.get(a.severity, ("#1b1f24", "·"))
        shown.append(f"<font color='{colour}'><b>{mark}</b></font> {markup(rule_text(a.title))}")
    if len(row.alerts) > ALERTS_SHOWN:
        shown.append(f"<i>+ {len(row.alerts) - ALERTS_SHOWN} more</i>")
    if row.unacknowledged:
        titles = "; ".join(markup(a.title) for a in row.unacknowledged[:ALERTS_SHOWN])
        more = len(row.unacknowledged) - ALERTS_SHOWN
        titles += f"; + {more} more" if more > 0 else ""
        shown.append(
            f"<font color='{MUTED_HEX}'><i>{len(row.unacknowledged)} unacknowledged "
            f"(over 7 days): {titles}</i></font>"
        )
    if row.safety:
        flags = "; ".join(markup(f) for f in row.safety)
        shown.append(f"<font color='#b3261e'><b>Safety:</b></font> {flags}")
    return "<br/>".join(shown) or "none"


def _due_cell(row: ServiceRow, now: datetime) -> str:
    if row.labs_due is None:
        return "–"
    today = local_time(now).date()
    if row.labs_due < today:
        return f"<font color='#b3261e'><b>OVERDUE</b><br/>since {short_date(row.labs_due)}</font>"
    if row.labs_due == today:
        return "<b>today</b>"
    return short_date(row.labs_due)


def _row_cells(row: ServiceRow, now: datetime, cell: ParagraphStyle) -> list[object]:
    today = local_time(now).date()
    plan = "–"
    if row.plan is not None:
        plan = (
            f"{markup(_clip(row.plan.plan, PLAN_LIMIT))}<br/><font color='#5b6570'>"
            f"{short_date(row.plan.written_at)}, {markup(row.plan.author)}</font>"
        )
    treatments = "<br/>".join(
        f"<b>{markup(t.line.agent)}</b> {markup(dose_text(t))}" for t in row.treatments
    )
    return [
        Paragraph(_patient_cell(row, age_years(row.birth_date, today)), cell),
        Paragraph(_irae_cell(row), cell),
        Paragraph(_values_cell(row), cell),
        Paragraph(_ici_cell(row), cell),
        Paragraph(treatments or "none", cell),
        Paragraph(_alerts_cell(row), cell),
        Paragraph(plan, cell),
        Paragraph(_due_cell(row, now), cell),
    ]


def column_headings(width: float) -> Table:
    """The column titles, drawn at the top of every page by the page template."""
    return make_table([[name for name, _ in COLUMNS]], [width * f for _, f in COLUMNS])


def service_rows(
    rows: Sequence[ServiceRow], width: float, now: datetime, st: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """One small table per patient: a patient's row never splits across pages, and long lists
    lay out in linear time (one big table is re-measured on every page break)."""
    widths = [width * f for _, f in COLUMNS]
    out: list[Flowable] = []
    for row in rows:
        table = Table([_row_cells(row, now, st["cell"])], colWidths=widths, hAlign="LEFT")
        style: list[tuple[object, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if row.worst_grade > 0:
            style.append(("BACKGROUND", (1, 0), (1, 0), GRADE_FILL[min(row.worst_grade, 4)]))
        table.setStyle(TableStyle(style))
        out.append(table)
    return out


def write_service_list(
    source: Database | StoreSession,
    path: str | os.PathLike[str],
    *,
    paper: str | None = None,
    now: datetime | None = None,
    user: str | None = None,
) -> int:
    """Writes the handoff list of all active patients (landscape) to `path`; returns the pages.

    Sorted by acuity: highest current grade, then number of current alerts, then name.
    The export is written to the audit trail. No file is left behind on error.
    """
    moment = aware_now(now)
    with reading(source) as session:
        who = user or acting_user(session)  # the login on a team's database, as audited
        settings = get_settings(session)
        paper_name = resolve_paper(session, paper)
        with display_timezone(settings.clinical_timezone):
            rows = load_service_rows(session, now=moment)
    units_note = " · lab values in SI units" if settings.units_system == "SI" else ""
    size = page_size(paper_name, landscape_mode=True)
    synthetic = sum(r.is_synthetic for r in rows)
    with display_timezone(settings.clinical_timezone), display_units(settings.units_system):
        identity = Identity(
            title="Immunotherapy toxicity consult: service handoff list",
            line1="Service handoff list",
            line2=f"{len(rows)} active patients · sickest first (current grade, then alerts)"
            + (f" · {synthetic} SYNTHETIC (demonstration) patients" if synthetic else "")
            + units_note,
            right_lines=(
                f"Grades: {criteria_label(settings.criteria_set)}",
                f"Generated {datetime_text(moment)} by {who}",
            ),
            footer_left=f"Service handoff list · {len(rows)} active patients · "
            "Confidential patient information",
            synthetic=bool(rows) and synthetic == len(rows),
        )
        st = styles(base_size=8.0)
        width = size[0] - 2 * MARGIN
        story: list[Flowable] = []
        if rows:
            story += service_rows(rows, width, moment, st)
        else:
            story.append(Paragraph("No active patients on the service.", st["body"]))
        story.append(Spacer(1, 6))
        story.append(
            Paragraph(
                "Grade now: worst grade among the latest graded result of each liver or glucose "
                "analyte (results within 30 days of the organ's newest); a newer result without "
                "a grade is shown beside it as 'latest ungraded' with the reason. Labs due: the "
                "organ's last "
                "result plus the interval its current grade calls for (ASCO 2021; the team's "
                "overdue-labs alert settings). Alerts: conditions that hold now and events of "
                "the last 7 days not yet acknowledged; older unacknowledged events are listed "
                "in grey and not counted; acknowledged ones are not listed. Safety: the "
                "immunosuppression checks whose label's action applies and the monitoring labs "
                "overdue (each line in full in the patient summary's Treatment safety section).",
                st["muted"],
            )
        )
        headings = column_headings(width) if rows else None

        def audit(pages: int) -> None:
            record_export(
                source,
                user=who,
                entity="service_list",
                path=path,
                details={"pages": pages, "paper": paper_name, "patients": [r.mrn for r in rows]},
            )

        pages = build_atomically(
            path,
            lambda f: ReportDocument(f, identity, size, page_top=headings),
            story,
            before_publish=audit,
        )
    return pages
