"""The holding area for treatment rows whose MRN matched no patient: a whole line from a file of
lines (Synthea and FHIR medications included) or one dose from a file of doses given. Keep
(once), list, assign to a patient (written as the import would have written it, regraded when
the first ICI start moves) or discard with a reason, every step audited."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from irae_desktop.domain.administrations import Given
from irae_desktop.domain.agents import AgentNotFound, SeveralAgents, find_agent
from irae_desktop.store.audit import record_event
from irae_desktop.store.errors import StoreError
from irae_desktop.store.held_assignment import (
    assignment_reason,
    drop_held_rows,
    patient_for_assignment,
)
from irae_desktop.store.models import HeldTreatmentRow, ImportBatch

if TYPE_CHECKING:
    from irae_desktop.store.treatment_import import GivenLineWriter, LineRecord

# a held row is a whole treatment line, or one dose given (doses become lines when assigned)
LINE, GIVEN = "line", "given"


@dataclass(frozen=True, slots=True)
class HeldTreatment:
    """One held treatment row as the review screen shows it: what the file said and where."""

    id: int
    kind: str  # LINE or GIVEN
    mrn: str
    agent: str
    category: str
    start: date  # a line's start, or the day a dose was given
    stop: date | None
    dose: float | None
    dose_unit: str | None
    frequency: str | None
    route: str | None
    indication: str | None
    source_file: str | None
    source_ref: str | None
    batch_id: int | None
    imported_at: datetime | None
    imported_by: str | None


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


def _fingerprint(kind: str, mrn: str, record: dict[str, Any]) -> str:
    # where the row was read (file, line) is left out: the same row read again is the same row
    what = {k: v for k, v in record.items() if k not in ("ref", "mrn")}
    text = json.dumps([kind, mrn.strip(), what], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hold(
    session: Session,
    kind: str,
    mrn: str,
    record: dict[str, Any],
    *,
    batch_id: int | None,
    source_file: str | None,
    source_ref: str,
) -> bool:
    fingerprint = _fingerprint(kind, mrn, record)
    already = session.scalar(
        select(func.count())
        .select_from(HeldTreatmentRow)
        .where(HeldTreatmentRow.fingerprint == fingerprint)
    )
    if already:
        return False
    session.add(
        HeldTreatmentRow(
            batch_id=batch_id,
            mrn=mrn.strip()[:64],
            kind=kind,
            agent=str(record["agent"])[:120],
            start_date=date.fromisoformat(record["start"]),
            fingerprint=fingerprint,
            record_json=json.dumps(record, ensure_ascii=False, sort_keys=True),
            source_file=source_file[:500] if source_file else None,
            source_ref=source_ref[:200],
        )
    )
    # flushed now so that the same row twice in one file is held once
    session.flush()
    return True


def hold_line(
    session: Session,
    record: LineRecord,
    *,
    batch_id: int | None,
    source_file: str | None,
    source_ref: str,
) -> bool:
    """Keeps a treatment line whose MRN is unknown; False if the same line is already held, or
    was held and assigned."""
    data = _jsonable(asdict(record))
    return _hold(
        session,
        LINE,
        record.mrn,
        data,
        batch_id=batch_id,
        source_file=source_file,
        source_ref=source_ref,
    )


def hold_given(
    session: Session,
    mrn: str,
    agent: str,
    given: Given,
    route: str | None,
    *,
    batch_id: int | None,
    source_file: str | None,
) -> bool:
    """Keeps one dose of `agent` (its generic name) given to an unknown MRN; False if the same
    dose is already held, or was held and assigned."""
    category = find_agent(agent).category
    data = {
        "agent": agent,
        "category": category,
        "start": given.day.isoformat(),
        "dose": given.dose,
        "dose_unit": given.unit,
        "route": route,
    }
    return _hold(
        session, GIVEN, mrn, data, batch_id=batch_id, source_file=source_file, source_ref=given.ref
    )


_WAITING = HeldTreatmentRow.assigned_mrn.is_(None)


def count_held_treatments(session: Session) -> int:
    """Held rows waiting for a person (assigned ones are kept, but wait no more)."""
    query = select(func.count()).select_from(HeldTreatmentRow).where(_WAITING)
    return int(session.scalar(query) or 0)


def _held(row: HeldTreatmentRow, imported_at: datetime | None, by: str | None) -> HeldTreatment:
    data = json.loads(row.record_json)
    stop = data.get("stop")
    return HeldTreatment(
        id=row.id,
        kind=row.kind,
        mrn=row.mrn,
        agent=row.agent,
        category=str(data.get("category") or ""),
        start=row.start_date,
        stop=date.fromisoformat(stop) if stop else None,
        dose=data.get("dose"),
        dose_unit=data.get("dose_unit"),
        frequency=data.get("frequency"),
        route=data.get("route"),
        indication=data.get("indication"),
        source_file=row.source_file,
        source_ref=row.source_ref,
        batch_id=row.batch_id,
        imported_at=imported_at,
        imported_by=by,
    )


def held_treatments(session: Session) -> list[HeldTreatment]:
    """Every held treatment row waiting to be assigned, with its import batch, by MRN, agent,
    then start."""
    query = (
        select(HeldTreatmentRow, ImportBatch.started_at, ImportBatch.imported_by)
        .outerjoin(ImportBatch, ImportBatch.id == HeldTreatmentRow.batch_id)
        .where(_WAITING)
        .order_by(
            HeldTreatmentRow.mrn,
            HeldTreatmentRow.agent,
            HeldTreatmentRow.start_date,
            HeldTreatmentRow.id,
        )
    )
    return [_held(row, at, by) for row, at, by in session.execute(query)]


def _load_rows(session: Session, row_ids: Sequence[int]) -> list[HeldTreatmentRow]:
    rows = list(
        session.scalars(
            select(HeldTreatmentRow)
            .where(HeldTreatmentRow.id.in_(row_ids), _WAITING)
            .order_by(HeldTreatmentRow.start_date, HeldTreatmentRow.id)
        )
    )
    missing = set(row_ids) - {r.id for r in rows}
    if missing:
        raise StoreError(
            f"{len(missing)} held treatment row(s) no longer exist; someone may have assigned "
            "or discarded them already."
        )
    return rows


def _before(row: HeldTreatmentRow) -> dict[str, Any]:
    return {
        "held_mrn": row.mrn,
        "kind": row.kind,
        **json.loads(row.record_json),
        "source_file": row.source_file,
        "source_ref": row.source_ref,
        "batch_id": row.batch_id,
    }


def assign_held_treatments(
    session: Session,
    row_ids: Sequence[int],
    mrn: str,
    *,
    user: str,
    reason: str = "",
    patient_id: int | None = None,
) -> int:
    """Writes held treatment rows onto the patient with `mrn` (which must exist) exactly as an
    import of the file would have, then regrades the patient if the first ICI start moved (it
    decides every baseline). Returns how many rows added something (a line, or a dose); the
    rest were already stored.

    As for held results, a patient whose MRN is not the file's needs a `reason` (audited), and
    `patient_id` is the patient the user confirmed: if the MRN now belongs to someone else,
    nothing is assigned."""
    rows = _load_rows(session, row_ids)
    patient = patient_for_assignment(
        session, mrn, patient_id, (row.mrn for row in rows), reason, "these treatment rows"
    )
    # imported here: the window counts held rows at start-up, and these pull in the write path
    from irae_desktop.store.treatment_import import IMPORTED, GivenLineWriter

    writer = GivenLineWriter(session, user)
    added = 0
    for row in rows:
        if row.kind == LINE:
            added += writer.add(patient.id, _line_record(row, patient.mrn)).outcome == IMPORTED
    added += _write_doses(writer, patient.id, [r for r in rows if r.kind == GIVEN])
    for row in rows:
        source = f"{row.source_file} ({row.source_ref})"
        why = assignment_reason("held treatment row", row, source, patient.mrn, reason)
        record_event(
            session,
            user=user,
            action="assign",
            entity="held_treatment_row",
            entity_id=row.id,
            patient_id=patient.id,
            patient_mrn=patient.mrn,
            before=_before(row),
            after={"mrn": patient.mrn, "mrn_differs": row.mrn.strip() != patient.mrn},
            reason=why[:500],
        )
        row.assigned_mrn = patient.mrn
    session.flush()
    writer.finish()
    return added


def _line_record(row: HeldTreatmentRow, mrn: str) -> LineRecord:
    from irae_desktop.store.treatment_import import LineRecord

    data = json.loads(row.record_json)
    data["mrn"] = mrn
    data["start"] = date.fromisoformat(data["start"])
    data["stop"] = date.fromisoformat(data["stop"]) if data.get("stop") else None
    return LineRecord(**data)


def _write_doses(writer: GivenLineWriter, patient_id: int, rows: list[HeldTreatmentRow]) -> int:
    """Groups held doses by agent into lines as the administration import does; the number of
    doses that were new to the patient."""
    from irae_desktop.domain.administrations import group_given

    by_agent: dict[str, list[HeldTreatmentRow]] = defaultdict(list)
    for row in rows:
        by_agent[row.agent].append(row)
    new = 0
    for generic, doses in sorted(by_agent.items()):
        try:
            agent = find_agent(generic)
        except (AgentNotFound, SeveralAgents) as exc:
            raise StoreError(f"held doses of {generic!r}: {exc}") from exc
        data = [json.loads(r.record_json) for r in doses]
        route = next((d["route"] for d in data if d.get("route")), None)
        given = [
            Given(r.start_date, d.get("dose"), d.get("dose_unit"), r.source_ref or "")
            for r, d in zip(doses, data, strict=True)
        ]
        file_name = Path(doses[0].source_file or "a held file").name
        for group in group_given(given, agent.cycle_days):
            note = f"imported from {file_name} ({group.given[0].ref} onwards)"
            new += writer.add_given(patient_id, agent, group, route, note).new
    return new


def drop_held_treatments(
    session: Session, row_ids: Sequence[int], *, user: str, reason: str
) -> int:
    """Discards held treatment rows, keeping what they were in the audit trail."""
    if not reason.strip():
        raise StoreError("Give a reason for discarding held treatment rows.")
    rows = _load_rows(session, row_ids)
    return drop_held_rows(
        session,
        rows,
        HeldTreatmentRow,
        _before,
        entity="held_treatment_row",
        user=user,
        reason=reason,
    )
