"""Treatment lines (ICI, immunosuppression, insulin): add, edit, taper, hold, stop, delete."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from irae_desktop.domain.records import TreatmentCategory
from irae_desktop.store.audit import record_event
from irae_desktop.store.concurrency import bump_version, changed, check_version, flush_or_conflict
from irae_desktop.store.errors import StoreError
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.models import DoseStep, TreatmentHold, TreatmentLine
from irae_desktop.store.patients import require_patient

EDITABLE_FIELDS = (
    "category",
    "agent",
    "dose",
    "dose_unit",
    "frequency",
    "route",
    "start_date",
    "stop_date",
    "indication",
    "reason_stopped",
    "notes",
)
CATEGORIES = tuple(c.value for c in TreatmentCategory)


ICI = TreatmentCategory.ICI.value


class TreatmentNotFoundError(StoreError):
    """No treatment line (or hold) with that id; someone may have deleted it."""


def snapshot(line: TreatmentLine) -> dict[str, Any]:
    return {f: getattr(line, f) for f in EDITABLE_FIELDS}


def _line(session: Session, line_id: int) -> TreatmentLine:
    line = session.get(TreatmentLine, line_id, populate_existing=True)
    if line is None:
        raise TreatmentNotFoundError(
            "This treatment line no longer exists; someone may have deleted it."
        )
    return line


def _label(line: TreatmentLine) -> str:
    return f"The {line.agent} line"


def _validate(values: Mapping[str, Any]) -> None:
    category = values.get("category")
    if category is not None and category not in CATEGORIES:
        raise StoreError(
            f"Unknown treatment category {category!r}; expected {', '.join(CATEGORIES)}."
        )
    if "agent" in values and not str(values["agent"] or "").strip():
        raise StoreError("The drug (agent) is required.")
    if "start_date" in values and values["start_date"] is None:
        raise StoreError("The start date is required.")
    dose = values.get("dose")
    if dose is not None and (not math.isfinite(float(dose)) or float(dose) <= 0):
        raise StoreError(f"Dose {dose} is not a positive number.")
    start, stop = values.get("start_date"), values.get("stop_date")
    if start is not None and stop is not None and stop < start:
        raise StoreError(f"The stop date {stop} is before the start date {start}.")


def _audit(
    session: Session,
    user: str,
    action: str,
    entity: str,
    entity_id: int | None,
    line: TreatmentLine,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    patient = require_patient(session, line.patient_id)
    record_event(
        session,
        user=user,
        action=action,
        entity=entity,
        entity_id=entity_id,
        patient_id=patient.id,
        patient_mrn=patient.mrn,
        before=before,
        after=after,
        reason=reason,
    )


def list_lines(session: Session, patient_id: int) -> list[TreatmentLine]:
    """The patient's lines by start date, with dose steps and holds loaded."""
    query = (
        select(TreatmentLine)
        .where(TreatmentLine.patient_id == patient_id)
        .options(selectinload(TreatmentLine.dose_steps), selectinload(TreatmentLine.holds))
        .order_by(TreatmentLine.start_date, TreatmentLine.id)
    )
    return list(session.scalars(query))


def get_line(session: Session, line_id: int) -> TreatmentLine:
    return _line(session, line_id)


def add_line(
    session: Session,
    user: str,
    patient_id: int,
    *,
    category: str,
    agent: str,
    start_date: date,
    dose: float | None = None,
    dose_unit: str | None = None,
    frequency: str | None = None,
    route: str | None = None,
    indication: str | None = None,
    stop_date: date | None = None,
    reason_stopped: str | None = None,
    notes: str | None = None,
    regrade: bool = True,
) -> TreatmentLine:
    """Adds a line, audited; an ICI line regrades the patient's results (its start may be the
    first ICI start, which decides the baselines) unless `regrade` is False, for a caller that
    adds many lines and regrades once."""
    require_patient(session, patient_id)
    values: dict[str, Any] = {
        "category": str(category),
        "agent": (agent or "").strip(),
        "dose": dose,
        "dose_unit": dose_unit,
        "frequency": frequency,
        "route": route,
        "start_date": start_date,
        "stop_date": stop_date,
        "indication": indication,
        "reason_stopped": reason_stopped,
        "notes": notes,
    }
    _validate(values)
    line = TreatmentLine(patient_id=patient_id, **values)
    session.add(line)
    session.flush()
    _audit(session, user, "create", "treatment_line", line.id, line, after=snapshot(line))
    if regrade and line.category == ICI:
        regrade_patients(session, [patient_id])
    return line


def update_line(
    session: Session,
    user: str,
    line_id: int,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
    reason: str | None = None,
) -> TreatmentLine:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise StoreError(f"Not editable: {', '.join(sorted(unknown))}")
    line = _line(session, line_id)
    current = snapshot(line)
    check_version(line, expected_version, current, changes, _label(line))
    values = dict(changes)
    if "agent" in values:
        values["agent"] = str(values["agent"] or "").strip()
    _validate({**current, **values})
    for key, value in values.items():
        setattr(line, key, value)
    flush_or_conflict(session, _label(line))
    before, after = changed(current, snapshot(line))
    if ICI in (current["category"], line.category) and {"category", "start_date"} & set(after):
        # the first ICI start decides each analyte's baseline (clinical reference, decision 3)
        regrade_patients(session, [line.patient_id])
    if after:
        _audit(
            session,
            user,
            "update",
            "treatment_line",
            line.id,
            line,
            before=before,
            after=after,
            reason=reason,
        )
    return line


def _check_line(line: TreatmentLine, expected_version: int | None, what: dict[str, Any]) -> None:
    if expected_version is not None:
        check_version(line, expected_version, snapshot(line), {}, _label(line))
    day = what.get("date")
    if day is not None and day < line.start_date:
        raise StoreError(f"{day} is before the line started ({line.start_date}).")


def add_dose_step(
    session: Session,
    user: str,
    line_id: int,
    *,
    start_date: date,
    dose: float,
    dose_unit: str,
    frequency: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> DoseStep:
    """A dated dose (a taper step, or one infusion); the line's version moves with it."""
    line = _line(session, line_id)
    _check_line(line, expected_version, {"date": start_date})
    if line.stop_date is not None and start_date > line.stop_date:
        raise StoreError(f"{start_date} is after the line was stopped ({line.stop_date}).")
    if dose is None or not math.isfinite(float(dose)) or float(dose) < 0:
        raise StoreError(f"Dose {dose} is not a number of zero or more.")
    if not (dose_unit or "").strip():
        raise StoreError("The dose unit is required.")
    step = DoseStep(
        line_id=line.id,
        start_date=start_date,
        dose=float(dose),
        dose_unit=dose_unit.strip(),
        frequency=frequency,
        note=note,
    )
    session.add(step)
    bump_version(line, "agent")
    flush_or_conflict(session, _label(line))
    after = {
        "line_id": line.id,
        "start_date": start_date,
        "dose": step.dose,
        "dose_unit": step.dose_unit,
        "frequency": frequency,
        "note": note,
    }
    _audit(session, user, "create", "dose_step", step.id, line, after=after)
    return step


def delete_dose_step(
    session: Session, user: str, step_id: int, *, reason: str | None = None
) -> None:
    step = session.get(DoseStep, step_id)
    if step is None:
        raise TreatmentNotFoundError("This dose step no longer exists.")
    line = step.line
    before = {
        "line_id": line.id,
        "start_date": step.start_date,
        "dose": step.dose,
        "dose_unit": step.dose_unit,
    }
    _audit(session, user, "delete", "dose_step", step.id, line, before=before, reason=reason)
    session.delete(step)
    bump_version(line, "agent")
    flush_or_conflict(session, _label(line))


def open_hold(line: TreatmentLine) -> TreatmentHold | None:
    return next((h for h in line.holds if h.end_date is None), None)


def hold_line(
    session: Session,
    user: str,
    line_id: int,
    *,
    start_date: date,
    reason: str | None = None,
    expected_version: int | None = None,
) -> TreatmentHold:
    """Starts a hold (ICI held for toxicity, for example); a line has at most one open hold."""
    line = _line(session, line_id)
    _check_line(line, expected_version, {"date": start_date})
    if line.stop_date is not None:
        raise StoreError(f"{line.agent} was stopped on {line.stop_date}; it cannot be held.")
    if open_hold(line) is not None:
        raise StoreError(f"{line.agent} is already on hold.")
    hold = TreatmentHold(line_id=line.id, start_date=start_date, reason=reason)
    session.add(hold)
    line.holds.append(hold)
    bump_version(line, "agent")
    flush_or_conflict(session, _label(line))
    after = {"line_id": line.id, "start_date": start_date, "reason": reason}
    _audit(session, user, "hold", "treatment_hold", hold.id, line, after=after, reason=reason)
    return hold


def resume_line(
    session: Session,
    user: str,
    line_id: int,
    *,
    end_date: date,
    expected_version: int | None = None,
) -> TreatmentHold:
    """Ends the open hold on `end_date`."""
    line = _line(session, line_id)
    _check_line(line, expected_version, {})
    hold = open_hold(line)
    if hold is None:
        raise StoreError(f"{line.agent} is not on hold.")
    if end_date < hold.start_date:
        raise StoreError(f"{end_date} is before the hold started ({hold.start_date}).")
    hold.end_date = end_date
    bump_version(line, "agent")
    flush_or_conflict(session, _label(line))
    _audit(
        session,
        user,
        "resume",
        "treatment_hold",
        hold.id,
        line,
        before={"end_date": None},
        after={"end_date": end_date},
    )
    return hold


def stop_line(
    session: Session,
    user: str,
    line_id: int,
    *,
    stop_date: date,
    reason: str,
    expected_version: int | None = None,
) -> TreatmentLine:
    """Stops the line for good (the reason is required); an open hold ends the same day."""
    if not (reason or "").strip():
        raise StoreError("Say why the treatment was stopped.")
    line = _line(session, line_id)
    _check_line(line, expected_version, {"date": stop_date})
    if line.stop_date is not None:
        raise StoreError(f"{line.agent} was already stopped on {line.stop_date}.")
    before = snapshot(line)
    hold = open_hold(line)
    if hold is not None:
        hold.end_date = max(stop_date, hold.start_date)
    line.stop_date = stop_date
    line.reason_stopped = reason.strip()
    flush_or_conflict(session, _label(line))
    b, a = changed(before, snapshot(line))
    _audit(session, user, "stop", "treatment_line", line.id, line, before=b, after=a, reason=reason)
    return line


def delete_line(
    session: Session,
    user: str,
    line_id: int,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Deletes a line entered by mistake, with its dose steps and holds (kept in the audit)."""
    line = _line(session, line_id)
    if expected_version is not None:
        check_version(line, expected_version, snapshot(line), {}, _label(line))
    before = snapshot(line)
    before["dose_steps"] = [
        {"start_date": s.start_date.isoformat(), "dose": s.dose, "dose_unit": s.dose_unit}
        for s in line.dose_steps
    ]
    before["holds"] = [
        {
            "start_date": h.start_date.isoformat(),
            "end_date": h.end_date.isoformat() if h.end_date else None,
            "reason": h.reason,
        }
        for h in line.holds
    ]
    _audit(session, user, "delete", "treatment_line", line.id, line, before=before, reason=reason)
    patient_id, was_ici = line.patient_id, line.category == ICI
    session.delete(line)
    flush_or_conflict(session, _label(line))
    if was_ici:
        regrade_patients(session, [patient_id])
