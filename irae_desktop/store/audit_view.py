"""The audit trail as a person reads it: who changed what of which patient, from what to what."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.store.audit_query import AuditFilter, query_events
from irae_desktop.store.models import (
    AuditEvent,
    ConsultNote,
    DoseStep,
    IrAEEpisode,
    LabResult,
    Patient,
    TreatmentHold,
    TreatmentLine,
)

ACTION_WORDS = {
    "create": "added",
    "update": "changed",
    "delete": "deleted",
    "correct": "corrected",
    "entered_in_error": "marked entered in error",
    "acknowledge": "acknowledged",
    "hold": "held",
    "resume": "resumed",
    "stop": "stopped",
    "import": "imported",
    "export": "exported",
    "print": "printed",
    "backup": "backed up",
}
# fields whose value is an internal id or bookkeeping, shown only in the raw details
_HIDDEN_FIELDS = {"id", "line_id", "patient_id", "version", "lab_id"}


@dataclass(frozen=True, slots=True)
class AuditChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One audit event in words; `raw` keeps the stored record for whoever needs it."""

    event_id: int
    at: datetime
    user: str
    action: str  # in words: "changed", "corrected", ...
    patient: str  # "Name (MRN)", the MRN alone once the patient is gone, or ""
    what: str  # e.g. "ALT result of 2026-11-04 07:30"
    changes: tuple[AuditChange, ...]
    reason: str
    raw: str
    source: str = "app"  # "app": the app's own event; "database": the row history
    claimed_by: str = ""  # the name the client gave, when it differs from `user`


def _load(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"value": text}
    return value if isinstance(value, dict) else {"value": value}


def shown_value(value: Any) -> str:
    """A stored field's value as the audit trail shows it (an en dash for none)."""
    if value is None or value == "":
        return "\u2013"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _when(value: Any) -> str:
    """A stored time (ISO text or datetime) in this computer's zone, to the minute."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return shown_value(value)


def _changes(action: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[AuditChange]:
    keys = [k for k in (*before, *(k for k in after if k not in before))]
    out = []
    for key in keys:
        if key in _HIDDEN_FIELDS or key in ("dose_steps", "holds"):
            continue
        old, new = before.get(key), after.get(key)
        if action in ("create", "import") and new in (None, ""):
            continue
        if action == "delete" and old in (None, ""):
            continue
        out.append(AuditChange(key.replace("_", " "), shown_value(old), shown_value(new)))
    return out


class _Lookup:
    """The records the events name, read in one query per kind."""

    def __init__(self, session: Session, events: Sequence[AuditEvent]) -> None:
        def ids(entity: str) -> set[int]:
            return {e.entity_id for e in events if e.entity == entity and e.entity_id}

        self.patients = {
            p.id: p
            for p in session.scalars(
                select(Patient).where(
                    Patient.id.in_({e.patient_id for e in events if e.patient_id})
                )
            )
        }
        self.labs = {
            r.id: (r.analyte, r.collected_at)
            for r in session.execute(
                select(LabResult.id, LabResult.analyte, LabResult.collected_at).where(
                    LabResult.id.in_(ids("lab_result"))
                )
            )
        }
        line_ids = ids("treatment_line") | {
            int(_load(e.after_json or e.before_json).get("line_id") or 0)
            for e in events
            if e.entity in ("dose_step", "treatment_hold")
        }
        step_lines = {
            s.id: s.line_id
            for s in session.scalars(select(DoseStep).where(DoseStep.id.in_(ids("dose_step"))))
        }
        hold_lines = {
            h.id: (h.line_id, h.start_date)
            for h in session.scalars(
                select(TreatmentHold).where(TreatmentHold.id.in_(ids("treatment_hold")))
            )
        }
        line_ids |= set(step_lines.values()) | {v[0] for v in hold_lines.values()}
        self.lines: dict[int, tuple[str, Any]] = {
            t.id: (t.agent, t.start_date)
            for t in session.scalars(select(TreatmentLine).where(TreatmentLine.id.in_(line_ids)))
        }
        # a deleted line is named from its own events (the create and delete keep its agent)
        for e in session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity == "treatment_line",
                AuditEvent.entity_id.in_(line_ids - set(self.lines)),
            )
        ):
            data = {**_load(e.before_json), **_load(e.after_json)}
            if e.entity_id is not None and data.get("agent"):
                self.lines[e.entity_id] = (data["agent"], data.get("start_date"))
        self.step_lines, self.hold_lines = step_lines, hold_lines
        self.episodes = {
            e.id: (e.organ, e.onset)
            for e in session.scalars(select(IrAEEpisode).where(IrAEEpisode.id.in_(ids("episode"))))
        }
        self.notes = {
            n.id: n.written_at
            for n in session.scalars(select(ConsultNote).where(ConsultNote.id.in_(ids("note"))))
        }


def _what(
    e: AuditEvent, found: _Lookup, data: Mapping[str, Any], label: Callable[[str], str]
) -> str:
    kind, eid = e.entity, e.entity_id or 0
    if kind == "lab_result":
        analyte, at = found.labs.get(eid, (data.get("analyte"), data.get("collected_at")))
        name = label(str(analyte)) if analyte else "Lab"
        return f"{name} result of {_when(at)}" if at else f"{name} result"
    if kind == "treatment_line":
        agent, start = found.lines.get(eid, (data.get("agent"), data.get("start_date")))
        return f"{agent or 'treatment'} line from {_when(start)}"
    if kind in ("dose_step", "treatment_hold"):
        line_id = data.get("line_id") or found.step_lines.get(eid)
        if kind == "treatment_hold" and eid in found.hold_lines:
            line_id = found.hold_lines[eid][0]
        agent = found.lines.get(int(line_id or 0), (None, None))[0] or "treatment"
        if kind == "dose_step":
            return f"{agent} dose from {_when(data.get('start_date'))}"
        start = data.get("start_date") or found.hold_lines.get(eid, (None, None))[1]
        return f"hold of {agent}" + (f" from {_when(start)}" if start else "")
    if kind == "episode":
        organ, onset = found.episodes.get(eid, (data.get("organ"), data.get("onset")))
        return f"{organ or 'irAE'} episode from {_when(onset)}"
    if kind == "note":
        written = found.notes.get(eid, data.get("written_at"))
        return f"consult note of {_when(written)}" if written else "consult note"
    if kind == "patient":
        return "patient record"
    if kind == "alert":
        return f"alert {data.get('alert_key', '')}".strip()
    if kind == "setting":
        return "team setting " + " ".join(str(k).replace("_", " ") for k in data)
    if kind == "site_reference_range":
        analyte = data.get("analyte")
        return f"{label(str(analyte))} reference range" if analyte else "reference range"
    words = {
        "patient_summary": "patient summary (PDF)",
        "audit_trail": "audit trail",
        "import_batch": "lab import",
        "database": "database",
        "unmatched_lab_row": "held lab result",
        "mapping_profile": "import column mapping",
    }
    return words.get(kind, kind.replace("_", " "))


def _raw(e: AuditEvent) -> str:
    parts = [f"entity: {e.entity} {e.entity_id if e.entity_id is not None else ''}".rstrip()]
    parts.append(f"action: {e.action}")
    if e.patient_id is not None:
        parts.append(f"patient id: {e.patient_id}")
    for name, text in (("before", e.before_json), ("after", e.after_json)):
        if text:
            try:
                pretty = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
            except ValueError:
                pretty = text
            parts.append(f"{name}:\n{pretty}")
    return "\n".join(parts)


def readable_events(
    session: Session,
    flt: AuditFilter | None = None,
    *,
    newest: int | None = None,
    label: Callable[[str], str] = lambda code: code,
) -> tuple[list[AuditLine], int]:
    """The matching events in words, newest first (at most `newest`), and how many matched.

    `label` names an analyte from its code (the caller's display names)."""
    events = query_events(session, flt)
    total = len(events)
    shown = events[-newest:] if newest else events
    shown = list(reversed(shown))
    found = _Lookup(session, shown)
    out = []
    for e in shown:
        before, after = _load(e.before_json), _load(e.after_json)
        patient = found.patients.get(e.patient_id or 0)
        if patient is not None:
            who = f"{patient.name} ({patient.mrn})" if patient.name else patient.mrn
        else:
            who = e.patient_mrn or ""
        out.append(
            AuditLine(
                event_id=e.id,
                at=e.at,
                user=e.user,
                action=ACTION_WORDS.get(e.action, e.action),
                patient=who,
                what=_what(e, found, {**before, **after}, label),
                changes=tuple(_changes(e.action, before, after)),
                reason=e.reason or "",
                raw=_raw(e),
                claimed_by=e.claimed_by or "",
            )
        )
    return out, total
