"""The case-series PDF: the lines table, the summaries by agent, the Kaplan-Meier curve, the
aligned trajectories, and the definitions and criteria set they were measured by."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from irae_desktop.domain.outcome_summary import SUMMARY_DAYS, AgentSummary, Spread
from irae_desktop.domain.outcomes import IRAES
from irae_desktop.reports.common import aware_now
from irae_desktop.reports.formatting import criteria_label, datetime_text, markup
from irae_desktop.reports.layout import (
    MARGIN,
    Identity,
    ReportDocument,
    build_atomically,
    page_size,
    styles,
)
from irae_desktop.reports.outcomes_charts import km_drawing, trajectory_drawing
from irae_desktop.reports.outcomes_export import export_table
from irae_desktop.reports.summary_tables import make_table
from irae_desktop.store.outcomes_read import OutcomeCohort

# (heading, export column, share of the width)
TABLE = (
    ("Patient", "patient", 0.125),
    ("Age", "age_at_start", 0.03),
    ("ICI", "ici", 0.095),
    ("Agent", "agent", 0.115),
    ("#", "line_position", 0.03),
    ("Day*", "start_day", 0.035),
    ("Peak G", "peak_grade_before", 0.04),
    ("Earlier lines", "prior_lines", 0.11),
    ("CS days before", "prior_steroid_days", 0.045),
    ("Pred-eq mg before", "prior_prednisone_mg", 0.045),
    ("Days to G<=1", "days_to_grade_le1", 0.04),
    ("Days to 50% fall", "days_to_50pct_fall", 0.04),
    ("Pred-eq mg after", "steroid_mg_after", 0.045),
    ("Line days", "line_duration_days", 0.035),
    ("Follow-up days", "followup_days", 0.04),
    ("Day 30", "outcome_30", 0.055),
    ("Day 90", "outcome_90", 0.055),
)
FIGURE_TITLES = {
    "ALT": ("ALT around the line's start", "ALT (x ULN, log scale)"),
    "GLUCOSE": ("Glucose around the line's start", "glucose (mg/dL)"),
    "CPEPTIDE": ("C-peptide around the line's start", "C-peptide (ng/mL)"),
}
DEFINITIONS = (
    "Day 0 is the line's start; days are calendar days in the team's clinical time zone.",
    "Days to G<=1: to the first draw on or after day 0 at which the latest graded result of "
    "each followed analyte (ALT and AST; glucose for diabetes) is grade <= 1. 'n/a' marks a line "
    "started when they already were.",
    "Days to 50% fall: to the first draw after the peak (highest value from 3 days before day 0) "
    "at or below half of it.",
    "A line that has not reached grade <= 1 is censored at its last draw. The proportion back to "
    "grade <= 1 by day 7, 14 and 30 is a Kaplan-Meier estimate (lines started at grade <= 1 left "
    "out); '-' where no line was still followed. Median and IQR: observed days, inclusive "
    "quartiles.",
    "Outcome at day 30 and 90, first that applies: flared (grade >= 2 again after coming down), "
    "ICI resumed, resolved, ongoing (followed that long), censored (followed less).",
    "Earlier lines and steroid exposure: the irAE's lines before this one; prednisone-equivalent "
    "mg of every systemic corticosteroid (empty when a dose could not be read).",
    "#: the line's position for the irAE. * Day: the line's start, days since the first ICI "
    "start. Peak G: the organ's highest grade after the first ICI start up to day 0. CS days: "
    "days on a systemic corticosteroid. Pred-eq: prednisone-equivalent.",
)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return str(value).replace("_", " ")


def _spread(found: Spread | None) -> str:
    if found is None:
        return "-"
    return f"{found.median:g} ({found.q1:g}-{found.q3:g}), n={found.n}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _summary_table(summaries: tuple[AgentSummary, ...], width: float) -> Flowable:
    head: list[object] = ["Agent", "Lines", "Patients", "Reached G<=1", "Started at G<=1"]
    head += ["Days to G<=1: median (IQR)", "Days to 50% fall: median (IQR)", "KM median days"]
    head += [f"By day {d}" for d in SUMMARY_DAYS]
    rows: list[list[object]] = [head]
    for s in summaries:
        rows.append(
            [s.agent, s.lines, s.patients, s.reached, s.not_applicable]
            + [_spread(s.days_to_grade_le1), _spread(s.days_to_50pct_fall)]
            + ["-" if s.km_median_days is None else s.km_median_days]
            + [_share(s.reached_by[d]) for d in SUMMARY_DAYS]
        )
    shares = [0.15, 0.05, 0.06, 0.07, 0.07, 0.16, 0.16, 0.07] + [0.07] * len(SUMMARY_DAYS)
    return make_table(rows, [width * f for f in shares])


def outcomes_story(
    cohort: OutcomeCohort, records: list[dict[str, Any]], width: float
) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = []
    story.append(Paragraph(f"Lines ({len(records)})", st["h2"]))
    if records:
        rows: list[list[object]] = [[h for h, _c, _w in TABLE]]
        for record in records:
            cells = [_cell(record.get(column)) for _h, column, _w in TABLE]
            if record.get("grade_le1_at_start") == "true":
                cells[10] = "n/a"
            rows.append([Paragraph(markup(c), st["cell"]) for c in cells])
        story.append(make_table(rows, [width * w for _h, _c, w in TABLE]))
    else:
        story.append(Paragraph("No line matches the choice.", st["body"]))
    story.append(CondPageBreak(140))
    story.append(Paragraph("Summaries by agent", st["h2"]))
    story.append(_summary_table(cohort.summaries, width))
    agents = [s.agent for s in cohort.summaries]
    figure_h = 190.0
    story.append(Spacer(1, 8))
    story.append(KeepTogether([km_drawing(cohort.summaries, width * 0.8, figure_h)]))
    relative = dict(IRAES[cohort.irae].trajectories)
    for analyte, lines in cohort.trajectories.items():
        title, label = FIGURE_TITLES.get(analyte, (analyte, analyte))
        drawing = trajectory_drawing(
            lines, agents, width * 0.8, figure_h + 30, analyte=analyte,
            relative=relative[analyte], title=title, y_label=label, criteria_id=cohort.criteria,
        )  # fmt: skip
        story.append(Spacer(1, 8))
        story.append(KeepTogether([drawing]))
    story.append(CondPageBreak(120))
    story.append(Paragraph("Definitions", st["h2"]))
    story.append(
        Paragraph(
            f"Grades as stored under the team's criteria set: {criteria_label(cohort.criteria)}."
            " Grade bands in the figures are those of a normal baseline.",
            st["body"],
        )
    )
    for text in DEFINITIONS:
        story.append(Paragraph(markup(text), st["small"]))
    return story


def write_outcomes_pdf(
    path: str | os.PathLike[str],
    cohort: OutcomeCohort,
    *,
    study_key: bytes | None,
    free_text: bool = False,
    paper: str = "letter",
    now: datetime | None = None,
) -> int:
    """Writes the case series (de-identified with a `study_key`); returns the page count."""
    _columns, records = export_table(cohort.rows, study_key=study_key, free_text=free_text)
    size = page_size(paper, landscape_mode=True)
    width = size[0] - 2 * MARGIN
    patients = len({r.patient_id for r in cohort.rows})
    identity = Identity(
        title="Case series",
        line1=f"Outcomes of immunosuppression lines: {cohort.irae}",
        line2=f"{patients} patients, {len(records)} lines"
        + (" \u00b7 de-identified (Safe Harbor)" if study_key is not None else ""),
        # a de-identified copy carries no calendar date at all, not even when it was made
        right_lines=(criteria_label(cohort.criteria),)
        + (() if study_key is not None else (f"Generated {datetime_text(aware_now(now))}",)),
        footer_left="irae-desktop case series \u00b7 not for use outside the team without review",
        synthetic=bool(cohort.synthetic_patients),
        document_title=f"Case series: {cohort.irae}",
    )
    story = outcomes_story(cohort, records, width)
    # invariant: the file's metadata gets reportlab's fixed date, not today's
    return build_atomically(
        path,
        lambda name: ReportDocument(name, identity, size, invariant=study_key is not None),
        story,
    )
