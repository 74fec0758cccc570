"""Hand-entered labs, corrections, withdrawals, alert acknowledgements and baseline overrides."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.domain.alert_kinds import ALERT_KINDS, can_acknowledge, kind_of_key
from irae_desktop.domain.analytes import ANALYTES, lookup_analyte
from irae_desktop.domain.plausibility import Verdict, check_value
from irae_desktop.domain.records import ResultStatus
from irae_desktop.domain.units import UnitError, to_canonical, unit_for
from irae_desktop.domain.values import ValueTextError, parse_result_text
from irae_desktop.store.audit import record_event
from irae_desktop.store.concurrency import check_version, flush_or_conflict
from irae_desktop.store.errors import StoreError
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.models import AlertAcknowledgement, BaselineOverride, LabResult, Patient
from irae_desktop.store.patients import require_patient
from irae_desktop.store.types import utcnow

# a clock a few minutes fast on the lab system is not an error worth refusing a result for
FUTURE_TOLERANCE = timedelta(minutes=10)
VALUE_FIELDS = ("value", "comparator", "unit", "original_text", "original_unit", "lln", "uln")


class LabNotFoundError(StoreError):
    """No lab result with that id."""


def snapshot(lab: LabResult) -> dict[str, Any]:
    return {
        "analyte": lab.analyte,
        "collected_at": lab.collected_at,
        **{f: getattr(lab, f) for f in VALUE_FIELDS},
        "status": lab.status,
    }


def _lab(session: Session, lab_id: int) -> LabResult:
    lab = session.get(LabResult, lab_id, populate_existing=True)
    if lab is None:
        raise LabNotFoundError("This result no longer exists; someone may have removed it.")
    return lab


def analyte_code(text: str) -> str:
    """The analyte code for a code or a name as typed ("ALT", "SGPT"); StoreError if unknown."""
    cleaned = (text or "").strip()
    if cleaned.upper() in ANALYTES:
        return cleaned.upper()
    found = lookup_analyte(cleaned)
    if found is None:
        raise StoreError(f"Unknown test {cleaned!r}; choose one from the list.")
    return found.code


def _canonical(code: str, number: float | None, unit: str, what: str) -> float | None:
    if number is None:
        return None
    if not math.isfinite(float(number)):
        raise StoreError(f"The {what} {number} is not a number.")
    return to_canonical(code, float(number), unit)


def _parse(
    code: str, value_text: str, unit: str, lln: float | None, uln: float | None
) -> dict[str, Any]:
    """Value, comparator and range in the canonical unit, with what the user typed kept beside."""
    try:
        value, comparator = parse_result_text(value_text)
        spelled = unit_for(code, unit)
        canonical = _canonical(code, value, spelled, "value")
        low = _canonical(code, lln, spelled, "lower limit")
        high = _canonical(code, uln, spelled, "upper limit")
    except (ValueTextError, UnitError) as exc:
        raise StoreError(f"{code}: {exc}.") from exc
    if low is not None and high is not None and low > high:
        raise StoreError(f"{code}: the lower limit {lln} is above the upper limit {uln}.")
    for bound, what in ((low, "lower limit"), (high, "upper limit")):
        if bound is not None and bound < 0:
            raise StoreError(f"{code}: the {what} cannot be negative.")
    assert canonical is not None
    verdict, why = check_value(code, canonical, comparator)
    if verdict is Verdict.IMPOSSIBLE:
        raise StoreError(f"{why}; nothing was saved.")
    return {
        "value": canonical,
        "comparator": comparator,
        "unit": ANALYTES[code].canonical_unit,
        "original_text": value_text.strip(),
        "original_unit": unit.strip(),
        "lln": low,
        "uln": high,
    }


def _status_for(code: str, values: dict[str, Any], otherwise: ResultStatus) -> str:
    """Held for review when beyond values reported in a living patient (clinical reference,
    decision 11), else `otherwise`."""
    verdict, _ = check_value(code, values["value"], values["comparator"])
    return (ResultStatus.NEEDS_REVIEW if verdict is Verdict.NEEDS_REVIEW else otherwise).value


def _refuse_duplicate(
    session: Session,
    patient_id: int,
    code: str,
    at: datetime,
    v: dict[str, Any],
    except_id: int | None = None,
) -> None:
    query = select(LabResult.id).where(
        LabResult.patient_id == patient_id,
        LabResult.analyte == code,
        LabResult.collected_at == at,
        LabResult.value == v["value"],
        LabResult.comparator == v["comparator"],
    )
    if except_id is not None:
        query = query.where(LabResult.id != except_id)
    if session.scalar(query) is not None:
        raise StoreError(f"This {code} result at {at.isoformat()} is already recorded.")


def regrade(session: Session, patient_ids: Iterable[int]) -> None:
    """Recomputes stored grades after a change, in the same transaction (grading owns the rules)."""
    regrade_patients(session, list(patient_ids))


def _audit(
    session: Session,
    user: str,
    action: str,
    entity: str,
    entity_id: int | None,
    patient: Patient,
    **kw: Any,
) -> None:
    record_event(
        session,
        user=user,
        action=action,
        entity=entity,
        entity_id=entity_id,
        patient_id=patient.id,
        patient_mrn=patient.mrn,
        **kw,
    )


def add_manual_lab(
    session: Session,
    user: str,
    patient_id: int,
    analyte: str,
    collected_at: datetime,
    value_text: str,
    unit: str,
    lln: float | None = None,
    uln: float | None = None,
) -> LabResult:
    """A result typed in by a clinician: parsed, stored canonical + as typed, audited, graded."""
    patient = require_patient(session, patient_id)
    code = analyte_code(analyte)
    if collected_at.tzinfo is None:
        raise StoreError("The collection time carries no time zone.")
    if collected_at > utcnow() + FUTURE_TOLERANCE:
        raise StoreError(f"The collection time {collected_at.isoformat()} is in the future.")
    values = _parse(code, value_text, unit, lln, uln)
    _refuse_duplicate(session, patient.id, code, collected_at, values)
    lab = LabResult(
        patient_id=patient.id,
        analyte=code,
        collected_at=collected_at,
        status=_status_for(code, values, ResultStatus.FINAL),
        source_ref="manual entry",
        entered_by=user,
        **values,
    )
    session.add(lab)
    session.flush()
    _audit(session, user, "create", "lab_result", lab.id, patient, after=snapshot(lab))
    regrade(session, [patient.id])
    return lab


class ManualLabSaved(NamedTuple):
    """What the lab form shows after a save: the new result and the grade it received."""

    lab_id: int
    grade: int | None
    grade_reason: str


def save_manual_lab(
    session: Session,
    user: str,
    patient_id: int,
    analyte: str,
    collected_at: datetime,
    value_text: str,
    unit: str,
    lln: float | None = None,
    uln: float | None = None,
) -> ManualLabSaved:
    """The lab form's save (add_manual_lab), answered with plain values for the window."""
    lab = add_manual_lab(
        session, user, patient_id, analyte, collected_at, value_text, unit, lln=lln, uln=uln
    )
    return ManualLabSaved(lab.id, lab.grade, lab.grade_reason or "")


def correct_lab(
    session: Session,
    user: str,
    lab_id: int,
    expected_version: int,
    new_value_text: str,
    unit: str,
    reason: str,
    lln: float | None = None,
    uln: float | None = None,
) -> LabResult:
    """Replaces a wrong value; the old one stays in the audit trail with who and why."""
    if not (reason or "").strip():
        raise StoreError("A correction needs a reason (for example: transcription error).")
    lab = _lab(session, lab_id)
    patient = require_patient(session, lab.patient_id)
    values = _parse(lab.analyte, new_value_text, unit, lln, uln)
    if lln is None and uln is None:  # keep the range the result came with
        values["lln"], values["uln"] = lab.lln, lab.uln
    current = snapshot(lab)
    check_version(lab, expected_version, current, values, f"This {lab.analyte} result")
    _refuse_duplicate(session, patient.id, lab.analyte, lab.collected_at, values, except_id=lab.id)
    for key, value in values.items():
        setattr(lab, key, value)
    lab.status = _status_for(lab.analyte, values, ResultStatus.CORRECTED)
    lab.entered_by = user
    flush_or_conflict(session, f"This {lab.analyte} result")
    after = snapshot(lab)
    keys = [k for k in after if after[k] != current[k]]
    _audit(
        session,
        user,
        "correct",
        "lab_result",
        lab.id,
        patient,
        before={k: current[k] for k in keys},
        after={k: after[k] for k in keys},
        reason=reason.strip(),
    )
    regrade(session, [patient.id])
    return lab


def mark_entered_in_error(
    session: Session, user: str, lab_id: int, expected_version: int, reason: str
) -> LabResult:
    """Withdraws a result (wrong patient, wrong test); it stays visible as withdrawn, ungraded."""
    if not (reason or "").strip():
        raise StoreError("Say why the result is withdrawn (for example: wrong patient).")
    lab = _lab(session, lab_id)
    patient = require_patient(session, lab.patient_id)
    what = f"This {lab.analyte} result"
    check_version(lab, expected_version, snapshot(lab), {}, what)
    if lab.status == ResultStatus.ENTERED_IN_ERROR.value:
        raise StoreError(f"{what} is already marked entered in error.")
    before = lab.status
    lab.status = ResultStatus.ENTERED_IN_ERROR.value
    lab.is_baseline = False
    flush_or_conflict(session, what)
    _audit(
        session,
        user,
        "entered_in_error",
        "lab_result",
        lab.id,
        patient,
        before={"status": before},
        after={"status": lab.status},
        reason=reason.strip(),
    )
    regrade(session, [patient.id])
    return lab


def confirm_held_lab(
    session: Session, user: str, lab_id: int, expected_version: int, reason: str
) -> LabResult:
    """A clinician confirms a result held for review as true: it is graded from now on."""
    if not (reason or "").strip():
        raise StoreError("Say why the value is right (for example: checked with the laboratory).")
    lab = _lab(session, lab_id)
    patient = require_patient(session, lab.patient_id)
    what = f"This {lab.analyte} result"
    check_version(lab, expected_version, snapshot(lab), {}, what)
    if lab.status != ResultStatus.NEEDS_REVIEW.value:
        raise StoreError(f"{what} is not waiting for review.")
    lab.status = ResultStatus.FINAL.value
    flush_or_conflict(session, what)
    _audit(
        session,
        user,
        "confirm",
        "lab_result",
        lab.id,
        patient,
        before={"status": ResultStatus.NEEDS_REVIEW.value},
        after={"status": lab.status},
        reason=reason.strip(),
    )
    regrade(session, [patient.id])
    return lab


def acknowledge_alert(
    session: Session, user: str, patient_id: int, alert_key: str, note: str | None = None
) -> AlertAcknowledgement:
    """Records that `user` has seen this alert; acknowledging twice keeps the first record.

    Only events (a new maximum grade, a flare, ...) are acknowledged; a condition holds for as
    long as the data show it and clears by itself (clinical reference, decision 13)."""
    patient = require_patient(session, patient_id)
    key = (alert_key or "").strip()
    if not key:
        raise StoreError("No alert was chosen to acknowledge.")
    if kind_of_key(key) not in ALERT_KINDS:
        raise StoreError(f"No alert of the kind named in {key!r} exists; nothing acknowledged.")
    if not can_acknowledge(kind_of_key(key)):
        raise StoreError(
            "This alert describes a condition that holds now; it cannot be acknowledged and "
            "clears by itself once the data no longer show it."
        )
    existing = session.scalars(
        select(AlertAcknowledgement).where(
            AlertAcknowledgement.patient_id == patient.id, AlertAcknowledgement.alert_key == key
        )
    ).one_or_none()
    if existing is not None:
        return existing
    ack = AlertAcknowledgement(
        patient_id=patient.id, alert_key=key, acknowledged_by=user, note=note
    )
    session.add(ack)
    session.flush()
    _audit(
        session,
        user,
        "acknowledge",
        "alert",
        ack.id,
        patient,
        after={"alert_key": key, "note": note},
    )
    return ack


def acknowledged_keys(session: Session, patient_id: int) -> set[str]:
    query = select(AlertAcknowledgement.alert_key).where(
        AlertAcknowledgement.patient_id == patient_id
    )
    return set(session.scalars(query))


def baseline_overrides(session: Session, patient_id: int) -> dict[str, BaselineOverride]:
    query = select(BaselineOverride).where(BaselineOverride.patient_id == patient_id)
    return {o.analyte: o for o in session.scalars(query)}


def _override_snapshot(o: BaselineOverride) -> dict[str, Any]:
    return {"analyte": o.analyte, "value": o.value, "uln": o.uln, "reason": o.reason}


def set_baseline_override(
    session: Session,
    user: str,
    patient_id: int,
    analyte: str,
    value: float,
    uln: float | None,
    reason: str,
    unit: str | None = None,
) -> BaselineOverride:
    """The clinician's baseline for one analyte, replacing the automatic one.

    Clinical reference, decision 3.
    """
    patient = require_patient(session, patient_id)
    code = analyte_code(analyte)
    if not (reason or "").strip():
        raise StoreError("A baseline override needs a reason.")
    try:
        spelled = unit_for(code, unit) if unit else ANALYTES[code].canonical_unit
        canonical = _canonical(code, value, spelled, "baseline")
        high = _canonical(code, uln, spelled, "upper limit")
    except UnitError as exc:
        raise StoreError(f"{code}: {exc}.") from exc
    assert canonical is not None
    if canonical < 0:
        raise StoreError(f"The baseline {value} is negative.")
    existing = baseline_overrides(session, patient.id).get(code)
    before = _override_snapshot(existing) if existing else None
    if existing is None:
        existing = BaselineOverride(patient_id=patient.id, analyte=code)
        session.add(existing)
    existing.value, existing.uln, existing.reason = canonical, high, reason.strip()
    existing.set_by, existing.set_at = user, utcnow()
    session.flush()
    _audit(
        session,
        user,
        "update" if before else "create",
        "baseline_override",
        existing.id,
        patient,
        before=before,
        after=_override_snapshot(existing),
        reason=reason.strip(),
    )
    regrade(session, [patient.id])
    return existing


def clear_baseline_override(
    session: Session, user: str, patient_id: int, analyte: str, reason: str | None = None
) -> bool:
    """Goes back to the automatic baseline; False when there was no override."""
    patient = require_patient(session, patient_id)
    code = analyte_code(analyte)
    existing = baseline_overrides(session, patient.id).get(code)
    if existing is None:
        return False
    _audit(
        session,
        user,
        "delete",
        "baseline_override",
        existing.id,
        patient,
        before=_override_snapshot(existing),
        reason=reason,
    )
    session.delete(existing)
    session.flush()
    regrade(session, [patient.id])
    return True
