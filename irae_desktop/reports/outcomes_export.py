"""The case series as a table to export (CSV, JSON) and its data dictionary in REDCap's
layout, identified or de-identified (domain.deidentify): the command line and the window
write the same columns."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from irae_desktop.domain.deidentify import age_text, relative_day, study_id
from irae_desktop.domain.outcomes import (
    CENSORED,
    FLARED,
    ICI_RESUMED,
    ONGOING,
    OUTCOME_DAYS,
    RESOLVED,
    OutcomeRow,
)


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # a REDCap variable name: lower case, digits and underscores
    label: str
    kind: str  # "text", "integer", "number", "boolean"
    identifying: bool = False  # only in identified exports
    free_text: bool = False  # only when free text is asked for
    choices: str = ""


def _outcome_code(text: str) -> str:
    return text.lower().replace(" ", "_")


_OUTCOMES = " | ".join(
    f"{_outcome_code(o)}, {o}" for o in (RESOLVED, ONGOING, FLARED, ICI_RESUMED, CENSORED)
)


COLUMNS: tuple[Column, ...] = (
    Column(
        "record_id", "Patient and line position (study ID or MRN, then the line's position)", "text"
    ),
    Column("patient", "Patient: MRN, or study ID when de-identified", "text"),
    Column("age_at_start", "Age in completed years when the line started (90+ above 89)", "text"),
    Column("irae", "irAE", "text"),
    Column("irae_onset_day", "Onset of the irAE, days since the first ICI start", "integer"),
    Column("ici", "ICI the team was acting on when the line started", "text"),
    Column("agent", "Agent of the line (generic name)", "text"),
    Column("line_position", "Position among the irAE's lines (1 = first)", "integer"),
    Column("start_date", "Start date of the line", "text", identifying=True),
    Column("start_day", "Start of the line, days since the first ICI start", "integer"),
    Column(
        "stop_day",
        "Stop of the line, days since the first ICI start (empty: not stopped)",
        "integer",
    ),
    Column(
        "peak_grade_before",
        "Highest grade of the organ's results after the first ICI start up to day 0",
        "integer",
    ),
    Column("prior_lines", "Agents of the irAE's earlier lines, in order ('; ' between)", "text"),
    Column("prior_steroid_days", "Days on a systemic corticosteroid before day 0", "integer"),
    Column(
        "prior_prednisone_mg",
        "Prednisone-equivalent mg before day 0 (empty: a dose could not be read)",
        "number",
    ),
    Column("prior_mmf", "Mycophenolate mofetil among the earlier lines", "boolean"),
    Column(
        "concurrent_agents", "Later lines started before this line's response was reached", "text"
    ),
    Column(
        "days_to_grade_le1",
        "Days from day 0 to grade <= 1 (empty: not reached or not applicable)",
        "integer",
    ),
    Column(
        "grade_le1_at_start",
        "Already grade <= 1 at the start: days to grade <= 1 does not apply",
        "boolean",
    ),
    Column(
        "days_to_50pct_fall",
        "Days from day 0 to the first draw at or below half the peak",
        "integer",
    ),
    Column("steroid_mg_after", "Prednisone-equivalent mg from day 0 to the last draw", "number"),
    Column(
        "line_duration_days",
        "Days from the start to the stop (or to the last draw when not stopped)",
        "integer",
    ),
    Column("line_ongoing", "The line has no stop date", "boolean"),
    Column("followup_days", "Days from day 0 to the last draw", "integer"),
    Column("reached_grade_le1", "Reached grade <= 1 during follow-up", "boolean"),
    *(
        Column(f"outcome_{days}", f"Outcome at day {days}", "text", choices=_OUTCOMES)
        for days in OUTCOME_DAYS
    ),
    Column("indication", "Indication as written on the line (free text)", "text", free_text=True),
)


def export_columns(*, deidentified: bool, free_text: bool) -> tuple[Column, ...]:
    return tuple(
        c
        for c in COLUMNS
        if not (deidentified and c.identifying) and (free_text or not c.free_text)
    )


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _values(row: OutcomeRow, patient: str) -> dict[str, Any]:
    stop_day = relative_day(row.stop, row.first_ici_start)
    return {
        "record_id": f"{patient}-{row.position}",
        "patient": patient,
        "age_at_start": age_text(row.birth_date, row.start),
        "irae": row.irae,
        "irae_onset_day": relative_day(row.irae_onset, row.first_ici_start),
        "ici": row.ici,
        "agent": row.agent,
        "line_position": row.position,
        "start_date": row.start.isoformat(),
        "start_day": row.start_day,
        "stop_day": stop_day,
        "peak_grade_before": row.peak_grade_before,
        "prior_lines": "; ".join(row.prior_agents),
        "prior_steroid_days": row.prior_steroid_days,
        "prior_prednisone_mg": row.prior_prednisone_mg,
        "prior_mmf": _bool(row.prior_mmf),
        "concurrent_agents": "; ".join(row.concurrent_agents),
        "days_to_grade_le1": row.days_to_grade_le1,
        "grade_le1_at_start": _bool(row.already_grade_le1_at_start),
        "days_to_50pct_fall": row.days_to_50pct_fall,
        "steroid_mg_after": row.steroid_mg_after,
        "line_duration_days": row.line_duration_days,
        "line_ongoing": _bool(row.line_ongoing),
        "followup_days": row.followup_days,
        "reached_grade_le1": _bool(row.reached_grade_le1),
        "outcome_30": _outcome_code(row.outcome_30),
        "outcome_90": _outcome_code(row.outcome_90),
        "indication": row.indication,
    }


def export_table(
    rows: Iterable[OutcomeRow], *, study_key: bytes | None, free_text: bool = False
) -> tuple[tuple[Column, ...], list[dict[str, Any]]]:
    """The columns and one record per row; a `study_key` de-identifies (study IDs, no dates)."""
    columns = export_columns(deidentified=study_key is not None, free_text=free_text)
    name: Callable[[OutcomeRow], str] = (
        (lambda r: r.mrn) if study_key is None else (lambda r: study_id(study_key, r.mrn))
    )
    records = []
    for row in rows:
        values = _values(row, name(row))
        records.append({c.name: values[c.name] for c in columns})
    return columns, records


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


REDCAP_HEADER = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
_FORM = "irae_line_outcomes"


def data_dictionary(columns: Iterable[Column], *, deidentified: bool) -> list[tuple[str, ...]]:
    """REDCap data-dictionary rows (header first) describing each exported column; the first
    column, record_id, is the REDCap record ID."""
    out: list[tuple[str, ...]] = [REDCAP_HEADER]
    for c in columns:
        if c.kind == "boolean":
            field, choices, validation = "radio", "true, true | false, false", ""
        elif c.choices:
            field, choices, validation = "radio", c.choices, ""
        else:
            field, choices = "text", ""
            validation = {"integer": "integer", "number": "number"}.get(c.kind, "")
        names_patient = c.name in ("record_id", "patient") and not deidentified
        identifier = "y" if c.identifying or names_patient else ""
        out.append(
            (c.name, _FORM, "", field, c.label, choices, "", validation, "", "", identifier)
            + ("",) * 7
        )
    return out
