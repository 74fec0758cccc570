"""The patient handoff summary PDF: identity on every page, status at a glance, trends, tables."""

from __future__ import annotations

import os
from datetime import datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from irae_desktop.domain.age import age_years
from irae_desktop.reports import summary_tables as tables
from irae_desktop.reports.charts import trend_drawing
from irae_desktop.reports.common import aware_now, reading, record_export, resolve_paper
from irae_desktop.reports.fonts import string_width
from irae_desktop.reports.formatting import (
    amount,
    analyte_label,
    criteria_label,
    date_text,
    datetime_text,
    display_timezone,
    display_units,
    grade_text,
    markup,
)
from irae_desktop.reports.layout import (
    FOOTER_HEIGHT,
    HEADER_HEIGHT,
    MARGIN,
    Identity,
    ReportDocument,
    build_atomically,
    page_size,
    styles,
)
from irae_desktop.reports.safety_tables import safety_flowables
from irae_desktop.reports.summary_data import (
    PatientSummaryData,
    load_patient_summary,
    recent_labs,
)
from irae_desktop.store.audit import acting_user
from irae_desktop.store.database import Database, StoreSession

ICI_COLOURS = {"on": "#1b5e20", "held": "#b3261e", "stopped": "#5b6570"}


def identity_for(data: PatientSummaryData, user: str) -> Identity:
    born = date_text(data.birth_date)
    age = age_years(data.birth_date, data.today)
    dob = f"DOB {born}" + (f" ({age} y)" if age is not None else "")
    line2 = f"MRN {data.mrn}   ·   {dob}   ·   Sex {data.sex or '–'}"
    if data.weight_kg:
        line2 += f"   ·   {amount(data.weight_kg)} kg"
    return Identity(
        title="Immunotherapy toxicity consult: patient handoff summary",
        line1=data.name or "(no name recorded)",
        line2=line2,
        right_lines=(
            f"Grades: {criteria_label(data.criteria)}"
            + (" · SI units" if data.units == "SI" else ""),
            f"Generated {datetime_text(data.now)} by {user}",
        ),
        footer_left=f"{data.name} · MRN {data.mrn} · DOB {born} · Confidential patient information",
        synthetic=data.is_synthetic,
        document_title=f"Handoff summary: {data.name}, MRN {data.mrn}",
    )


def _glance(
    data: PatientSummaryData, width: float, st: dict[str, ParagraphStyle]
) -> list[Flowable]:
    body, h2, h3, muted = st["body"], st["h2"], st["h3"], st["muted"]
    out: list[Flowable] = [Paragraph("At a glance", h2)]
    ici = "no ICI recorded"
    if data.ici_agent:
        colour = ICI_COLOURS.get(data.ici_status or "", "#1b1f24")
        word = (data.ici_status or "").upper()
        ici = f"{markup(data.ici_agent)} <font color='{colour}'><b>{word}</b></font>"
    facts = f"<b>Diagnosis:</b> {markup(data.diagnosis) or '–'}   ·   <b>ICI:</b> {ici}"
    if data.status != "active":
        facts += f"   ·   <b>Service status:</b> {markup(data.status)}"
    out.append(Paragraph(facts, body))
    active = [e for e in data.episodes if e.status != "resolved"]
    if active:
        words = []
        for e in active:
            current = grade_text(e.current_grade)
            if e.current_analyte:
                current += f" by {analyte_label(e.current_analyte)}"
            words.append(
                f"<b>{markup(e.organ)}</b> ({e.status}, onset {date_text(e.onset)}): "
                f"worst {grade_text(e.worst_grade)}, current {current}"
            )
        out.append(Paragraph("<b>Active irAEs:</b> " + "; ".join(words), body))
    else:
        out.append(Paragraph("<b>Active irAEs:</b> none recorded", body))
    # clinical reference, decision 13: current alerts count; older unacknowledged events and
    # acknowledged ones are listed after them, muted
    now_count = sum(a.standing == "current" for a in data.alerts)
    older = sum(a.standing == "unacknowledged" for a in data.alerts)
    acknowledged = sum(a.standing == "acknowledged" for a in data.alerts)
    title = f"Alerts ({now_count} current"
    title += f", {older} unacknowledged over 7 days" if older else ""
    title += f", {acknowledged} acknowledged)" if acknowledged else ")"
    out += heading(title, h3)
    if data.alerts:
        out.append(tables.alerts_table(data.alerts, width, st))
    else:
        out.append(Paragraph("No alerts.", muted))
    ongoing = data.current_treatments
    out += heading("Current immunosuppression and insulin", h3)
    if ongoing:
        out.append(tables.current_treatment_table(ongoing, width, st))
    else:
        out.append(Paragraph("None.", muted))
    if data.steroid_exposure:
        out.append(Paragraph(f"<b>Steroid exposure:</b> {data.steroid_exposure}", body))
    out += heading("Latest consult plan", h3)
    if data.plan is not None:
        label = f"{datetime_text(data.plan.written_at)}, {data.plan.author or ''}: "
        # the frame's width, less what the label takes on the first line, lets a right-to-left
        # plan wrap in reading order
        plan = markup(
            data.plan.plan,
            size=body.fontSize,
            width=width,
            font_name=body.fontName,
            taken=string_width(label, body.fontName, body.fontSize),
        )
        out.append(
            Paragraph(
                f"<font color='#5b6570'>{datetime_text(data.plan.written_at)}, "
                f"{markup(data.plan.author)}:</font> {plan}",
                body,
            )
        )
    else:
        out.append(Paragraph("No consult plan recorded.", muted))
    return out


def heading(title: str, style: ParagraphStyle) -> list[Flowable]:
    """A section title that never sits alone at the foot of a page."""
    return [CondPageBreak(72), Paragraph(title, style)]


def build_story(
    data: PatientSummaryData,
    width: float,
    *,
    lab_days: int,
    chart_days: int,
    page_height: float = 600.0,
) -> list[Flowable]:
    st = styles()
    h2, muted = st["h2"], st["muted"]
    story: list[Flowable] = _glance(data, width, st)
    story += heading("Latest value of every tracked analyte", h2)
    if data.latest:
        story.append(tables.latest_table(data.latest, width, st))
        story.append(
            Paragraph(
                "Trend: ↑/↓ change of more than 10 % from the previous result. "
                "&lt; ≤ &gt; ≥ mark censored results: graded with the lowest grade every value "
                "they stand for reaches, and G0–1 where they could be as high as grade 1. "
                "&lt;G3, non-fasting: no grade (grades 1-2 need a fasting glucose). Worst: highest "
                "grade on record for that analyte.",
                muted,
            )
        )
    else:
        story.append(Paragraph("No lab results recorded.", muted))
    story += heading("irAE episodes", h2)
    if data.episodes:
        story.append(tables.episodes_table(data.episodes, width, st))
    else:
        story.append(Paragraph("No irAE episodes recorded.", muted))
    if data.labs or data.treatments:
        # room for the section title and the caption on the same page as the chart
        drawing = trend_drawing(data, width, max_days=chart_days, max_height=page_height - 70)
        # the chart is never split: its panels and lanes share one time axis
        story.append(
            KeepTogether(
                [
                    Paragraph("Trends with CTCAE grade bands and treatments", h2),
                    drawing,
                    Paragraph(
                        "Bands show the grades as the stored grades are computed: multiples of "
                        "the ULN, or of an abnormal baseline where a dashed line marks it (from "
                        "the day after the first ICI start; before it, of the ULN); "
                        "ALT and AST are drawn apart when their bands differ. Hollow "
                        "markers: censored values. Lanes: bar = course, ▼ = ICI dose, red dashed "
                        "box = hold, numbers = dose from that date (steroids: prednisone-"
                        "equivalent mg/day). Dashed vertical line: now.",
                        muted,
                    ),
                ]
            )
        )
    story += heading("Treatment lines", h2)
    if data.treatments:
        story.append(tables.treatment_lines_table(data.treatments, width, st))
    else:
        story.append(Paragraph("No treatments recorded.", muted))
    # the tests a JAK inhibitor or infliximab calls for before its start, beside the lines
    story += heading("Infection screening (tuberculosis and hepatitis B)", h2)
    if data.screenings:
        story.append(tables.screening_table(data.screenings, width, st))
    else:
        story.append(Paragraph("None recorded.", muted))
    # what each immunosuppression line's label checks, where the patient stands, labs due
    story += heading("Treatment safety", h2)
    story += safety_flowables(data.safety, width, st)
    window = recent_labs(data, lab_days)
    title = "All lab results" if lab_days <= 0 else f"Lab results, last {lab_days} days"
    story += heading(f"{title} ({len(window)} results)", h2)
    if window:
        for grid in tables.lab_grids(window, width, st):
            story += [grid, Spacer(1, 4)]
    else:
        story.append(Paragraph("No results in this period.", muted))
    story.append(Spacer(1, 6))
    story.append(
        Paragraph(
            f"Grades by {criteria_label(data.criteria)} as stored with each result; each grade "
            "carries the rule that produced it in the application. This summary supports, and "
            "does not replace, clinical judgement; check values against the source laboratory "
            "report before acting.",
            muted,
        )
    )
    return story


def write_patient_summary(
    source: Database | StoreSession,
    patient: str | int,
    path: str | os.PathLike[str],
    *,
    paper: str | None = None,
    lab_days: int = 14,
    chart_days: int = 365,
    now: datetime | None = None,
    user: str | None = None,
) -> int:
    """Writes the handoff summary of one patient (MRN or id) to `path`; returns the page count.

    `paper` is "letter" or "a4" (default: the team's "paper_size" setting, else letter).
    `lab_days` limits the lab table to the last N days (0: all results). The export is written to
    the audit trail. Raises store.patients.PatientNotFoundError for an unknown patient and
    reports.layout.PaperSizeError for an unknown paper size; no file is left behind on error.
    """
    moment = aware_now(now)
    with reading(source) as session:
        who = user or acting_user(session)  # the login on a team's database, as audited
        data = load_patient_summary(session, patient, now=moment)
        paper_name = resolve_paper(session, paper)
    size = page_size(paper_name)
    with display_timezone(data.timezone), display_units(data.units):
        identity = identity_for(data, who)
        width = size[0] - 2 * MARGIN
        body_height = size[1] - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT
        story = build_story(
            data, width, lab_days=lab_days, chart_days=chart_days, page_height=body_height
        )

        def audit(pages: int) -> None:
            record_export(
                source,
                user=who,
                entity="patient_summary",
                path=path,
                details={"pages": pages, "paper": paper_name, "lab_days": lab_days},
                patient_id=data.patient_id,
                patient_mrn=data.mrn,
            )

        pages = build_atomically(
            path, lambda f: ReportDocument(f, identity, size), story, before_publish=audit
        )
    return pages
