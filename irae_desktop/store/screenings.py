"""Infection screening results (latent tuberculosis and hepatitis B tests): add, correct and
delete (each with who and why in the audit trail, version-checked), list a patient's, and read
them as the clinical rules take them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.domain.clinical_day import clinical_day
from irae_desktop.domain.screening_names import (
    listing_position,
    screening_label,
    screening_short_label,
)
from irae_desktop.domain.timeline import SCREENING_RESULTS, SCREENING_TESTS, ScreeningPoint
from irae_desktop.store.audit import record_event
from irae_desktop.store.clinical_zone import team_zone
from irae_desktop.store.concurrency import changed, check_version, flush_or_conflict
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import Patient, ScreeningResult
from irae_desktop.store.patients import require_patient

EDITABLE_FIELDS = ("test", "taken_on", "result", "note")
NOTE_MOST = 500  # characters: the column's length
REASON_MOST = 500
ENTITY = "screening_result"


class ScreeningNotFoundError(StoreError):
    """No standing screening result with that id; someone may have deleted it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ScreeningRecord(ScreeningPoint):
    """A stored screening result: the timeline's point, where it came from (typed by whom, or
    the file and line) and its version for the optimistic lock."""

    source: str
    version: int

    @property
    def label(self) -> str:
        """The test's name in full ("TB interferon-gamma release assay")."""
        return screening_label(self.test)

    @property
    def short_label(self) -> str:
        """The test's name as a table column shows it ("TB IGRA")."""
        return screening_short_label(self.test)


def newest_first(records: Iterable[ScreeningRecord]) -> list[ScreeningRecord]:
    """As the window and the printed summary list them: newest first; on one day, the
    tuberculosis tests then the hepatitis B ones, the latest recorded first."""
    return sorted(records, key=lambda r: (-r.taken_on.toordinal(), listing_position(r.test), -r.id))


def _source(row: ScreeningResult) -> str:
    if row.source_file:
        return f"{row.source_file}, {row.source_ref}" if row.source_ref else row.source_file
    return f"entered by {row.entered_by}"


def record_of(row: ScreeningResult) -> ScreeningRecord:
    return ScreeningRecord(
        id=row.id,
        test=row.test,
        taken_on=row.taken_on,
        result=row.result,
        note=row.note,
        source=_source(row),
        version=row.version,
    )


def snapshot(row: ScreeningResult) -> dict[str, Any]:
    return {f: getattr(row, f) for f in EDITABLE_FIELDS}


def clinical_today(session: Session, now: datetime | None = None) -> date:
    """Today on the team's clinical day (clinical reference, decision 10)."""
    return clinical_day(now or datetime.now(UTC), team_zone(session))


def screening_problem(
    values: Mapping[str, Any], today: date, birth_date: date | None = None
) -> str | None:
    """What is wrong with a screening result's values, in words for the person who gave them;
    None when nothing is."""
    test, result, taken_on = values.get("test"), values.get("result"), values.get("taken_on")
    if test not in SCREENING_TESTS:
        known = ", ".join(SCREENING_TESTS.values())
        return f"unknown screening test {test!r}; expected one of {known}"
    if result not in SCREENING_RESULTS:
        return f"unknown result {result!r}; expected {', '.join(SCREENING_RESULTS)}"
    if not isinstance(taken_on, date) or isinstance(taken_on, datetime):
        return "the date the test was taken is required"
    if taken_on > today:
        return f"the test date {taken_on.isoformat()} is in the future (today is {today})"
    if birth_date is not None and taken_on < birth_date:
        return (
            f"the test date {taken_on.isoformat()} is before the patient's birth "
            f"({birth_date.isoformat()})"
        )
    note = values.get("note")
    if note is not None and len(note) > NOTE_MOST:
        return f"the note is longer than {NOTE_MOST} characters"
    return None


def _validate(session: Session, values: Mapping[str, Any], patient: Patient) -> None:
    problem = screening_problem(values, clinical_today(session), patient.birth_date)
    if problem is not None:
        raise StoreError(problem[0].upper() + problem[1:] + ".")


def standing_result(
    session: Session, patient_id: int, test: str, taken_on: date
) -> ScreeningResult | None:
    """The patient's standing result of `test` on `taken_on`, if there is one."""
    return session.scalar(
        select(ScreeningResult).where(
            ScreeningResult.patient_id == patient_id,
            ScreeningResult.test == test,
            ScreeningResult.taken_on == taken_on,
            ScreeningResult.standing.is_(True),
        )
    )


def _refuse_second(session: Session, patient_id: int, values: Mapping[str, Any], own: int) -> None:
    other = standing_result(session, patient_id, values["test"], values["taken_on"])
    if other is not None and other.id != own:
        raise StoreError(
            f"{screening_label(other.test)} of {other.taken_on.isoformat()} is already "
            f"recorded ({other.result}); correct that result rather than adding a second one."
        )


def _audit(session: Session, user: str, action: str, row: ScreeningResult, **kw: Any) -> None:
    patient = session.get(Patient, row.patient_id)
    record_event(
        session,
        user=user,
        action=action,
        entity=ENTITY,
        entity_id=row.id,
        patient_id=row.patient_id,
        patient_mrn=patient.mrn if patient else None,
        **kw,
    )


def _get(session: Session, screening_id: int) -> ScreeningResult:
    row = session.get(ScreeningResult, screening_id, populate_existing=True)
    if row is None or not row.standing:
        raise ScreeningNotFoundError(
            "This screening result no longer exists; someone may have deleted it."
        )
    return row


def _what(row: ScreeningResult) -> str:
    return f"The {screening_label(row.test)} result of {row.taken_on.isoformat()}"


def _clean_note(note: str | None) -> str | None:
    return (note or "").strip() or None


def add_screening(
    session: Session,
    user: str,
    patient_id: int,
    *,
    test: str,
    taken_on: date,
    result: str,
    note: str | None = None,
    source: tuple[int | None, str, str] | None = None,
    reason: str | None = None,
) -> ScreeningRecord:
    """Records a result, audited. `source` is (import batch, file name, line) for an imported
    one; without it the result was typed by `user`."""
    patient = require_patient(session, patient_id)
    values = {"test": test, "taken_on": taken_on, "result": result, "note": _clean_note(note)}
    _validate(session, values, patient)
    _refuse_second(session, patient_id, values, own=0)
    batch_id, source_file, source_ref = source if source is not None else (None, None, None)
    row = ScreeningResult(
        patient_id=patient_id,
        **values,
        standing=True,
        batch_id=batch_id,
        source_file=source_file[:500] if source_file else None,
        source_ref=source_ref[:200] if source_ref else None,
        entered_by=user[:120],
    )
    session.add(row)
    session.flush()
    _audit(session, user, "create", row, after=snapshot(row), reason=reason)
    return record_of(row)


def correct_screening(
    session: Session,
    user: str,
    screening_id: int,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
    reason: str,
) -> ScreeningRecord:
    """Corrects a result; the reason is required and, with the values before, kept in the
    audit trail."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise StoreError(f"Not editable: {', '.join(sorted(unknown))}")
    if not (reason or "").strip():
        raise StoreError("Give the reason for the correction: it is kept in the audit trail.")
    row = _get(session, screening_id)
    current = snapshot(row)
    check_version(row, expected_version, current, changes, _what(row))
    values = {**current, **changes}
    values["note"] = _clean_note(values.get("note"))
    patient = require_patient(session, row.patient_id)
    _validate(session, values, patient)
    _refuse_second(session, row.patient_id, values, own=row.id)
    before, after = changed(current, values)
    if not after:
        return record_of(row)
    what = _what(row)
    for key, value in after.items():
        setattr(row, key, value)
    flush_or_conflict(session, what)
    _audit(session, user, "correct", row, before=before, after=after, reason=reason.strip())
    return record_of(row)


def delete_screening(
    session: Session, user: str, screening_id: int, *, reason: str, expected_version: int
) -> None:
    """Takes a result out of every list, keeping it (and the reason) so that an import of the
    same file does not bring it back; the audit trail keeps what it was, who and why."""
    if not (reason or "").strip():
        raise StoreError("Give the reason for deleting the result: it is kept in the audit trail.")
    row = _get(session, screening_id)
    what = _what(row)
    check_version(row, expected_version, snapshot(row), {}, what)
    row.standing = None
    row.deleted_reason = reason.strip()[:REASON_MOST]
    flush_or_conflict(session, what)
    _audit(session, user, "delete", row, before=snapshot(row), reason=reason.strip())


def _standing_query() -> Any:
    return select(ScreeningResult).where(ScreeningResult.standing.is_(True))


def list_screenings(session: Session, patient_id: int) -> list[ScreeningRecord]:
    """The patient's standing results, oldest first (then in the order they were recorded)."""
    query = _standing_query().where(ScreeningResult.patient_id == patient_id)
    rows = session.scalars(query.order_by(ScreeningResult.taken_on, ScreeningResult.id))
    return [record_of(r) for r in rows]


def screenings_by_patient(
    session: Session, patient_ids: Iterable[int]
) -> dict[int, list[ScreeningRecord]]:
    """Standing results of several patients, each patient's oldest first (the timelines)."""
    ids = list(dict.fromkeys(patient_ids))
    found: dict[int, list[ScreeningRecord]] = defaultdict(list)
    if not ids:
        return found
    query = _standing_query().where(ScreeningResult.patient_id.in_(ids))
    order = (ScreeningResult.patient_id, ScreeningResult.taken_on, ScreeningResult.id)
    for row in session.scalars(query.order_by(*order)):
        found[row.patient_id].append(record_of(row))
    return found


def screening_rows(
    session: Session, mrn: str | None = None
) -> Iterator[tuple[str, ScreeningRecord]]:
    """(MRN, result) for every standing result, or one patient's, by MRN, day and test."""
    query = (
        select(Patient.mrn, ScreeningResult)
        .join(ScreeningResult, ScreeningResult.patient_id == Patient.id)
        .where(ScreeningResult.standing.is_(True))
        .order_by(Patient.mrn, ScreeningResult.taken_on, ScreeningResult.test, ScreeningResult.id)
    )
    if mrn is not None:
        query = query.where(Patient.mrn == mrn)
    for patient_mrn, row in session.execute(query):
        yield patient_mrn, record_of(row)
