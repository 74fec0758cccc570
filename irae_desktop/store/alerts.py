"""Each patient's alerts as they stand now: the rules' findings with the acknowledgements and
the condition/event lifecycle applied (clinical reference, decision 13). The worklist, the
patient view, the printed lists and the command line all read alerts through here."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.domain.alert_kinds import Lifecycle, Standing, lifecycle_of, standing
from irae_desktop.domain.alert_types import SEVERITY_ORDER, Alert, AlertSettings
from irae_desktop.domain.alerts import evaluate_alerts
from irae_desktop.domain.timeline import PatientTimeline
from irae_desktop.store.models import AlertAcknowledgement, Patient
from irae_desktop.store.patients import require_by_mrn
from irae_desktop.store.settings import get_settings
from irae_desktop.store.timeline import load_timeline, load_timelines

log = logging.getLogger(__name__)

_STANDING_ORDER = {"current": 0, "unacknowledged": 1, "acknowledged": 2}


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    by: str
    at: datetime
    note: str | None


@dataclass(frozen=True, slots=True)
class PatientAlert:
    """One alert of one patient as it stands now."""

    patient_id: int
    mrn: str
    key: str
    kind: str
    lifecycle: Lifecycle
    severity: str
    title: str
    rule: str
    source: str
    raised_at: datetime
    evidence_at: datetime
    organ: str
    standing: Standing
    acknowledgement: Acknowledgement | None = None

    @property
    def is_current(self) -> bool:
        """Counts on the worklist: a condition, or an unacknowledged event of the last 7 days."""
        return self.standing == "current"

    @property
    def is_open(self) -> bool:
        """Not closed: current, or an older event nobody has acknowledged yet."""
        return self.standing != "acknowledged"


def team_alert_settings(session: Session) -> AlertSettings:
    """The domain's AlertSettings with the team's saved thresholds: the one way the window, the
    worklist, the reports and the command line read them.

    Stored thresholds the rules cannot use (not a table of numbers, a negative number, a
    fraction where whole days are counted) never stop a reader: the built-in thresholds are
    used instead and a warning is logged."""
    saved = get_settings(session).alert_thresholds
    try:
        return AlertSettings.from_dict(dict(saved))
    except ValueError:
        log.warning("saved alert thresholds unusable; built-in ones used")
        return AlertSettings()


def acknowledgements(
    session: Session, patient_ids: Iterable[int] | None = None
) -> dict[int, dict[str, Acknowledgement]]:
    """{patient id: {alert key: acknowledgement}} for these patients (None: everyone)."""
    query = select(
        AlertAcknowledgement.patient_id,
        AlertAcknowledgement.alert_key,
        AlertAcknowledgement.acknowledged_by,
        AlertAcknowledgement.acknowledged_at,
        AlertAcknowledgement.note,
    )
    if patient_ids is not None:
        query = query.where(AlertAcknowledgement.patient_id.in_(list(patient_ids)))
    out: dict[int, dict[str, Acknowledgement]] = {}
    for pid, key, by, at, note in session.execute(query):
        out.setdefault(pid, {})[key] = Acknowledgement(by, at, note)
    return out


def _sort_key(a: PatientAlert) -> tuple[int, int, float]:
    return (_STANDING_ORDER[a.standing], SEVERITY_ORDER[a.severity], -a.raised_at.timestamp())


def with_standing(
    timeline: PatientTimeline,
    alerts: Iterable[Alert],
    acks: dict[str, Acknowledgement],
    now: datetime,
) -> list[PatientAlert]:
    """The rules' alerts with their lifecycle and standing on the clinical day of `now`:
    current first, then older unacknowledged events, then acknowledged ones; most severe and
    newest first within each."""
    today = timeline.day_of(now)
    out = []
    for a in alerts:
        # an acknowledgement only ever closes an event; one stored against a condition's key
        # (before conditions stopped taking them) is not shown as closing anything
        ack = acks.get(a.key) if lifecycle_of(a.kind) == "event" else None
        out.append(
            PatientAlert(
                patient_id=timeline.patient_id,
                mrn=timeline.mrn,
                key=a.key,
                kind=a.kind,
                lifecycle=lifecycle_of(a.kind),
                severity=a.severity,
                title=a.title,
                rule=a.rule,
                source=a.source,
                raised_at=a.raised_at,
                evidence_at=a.evidence_at,
                organ=a.organ,
                standing=standing(a, ack is not None, timeline.day_of(a.raised_at), today),
                acknowledgement=ack,
            )
        )
    out.sort(key=_sort_key)
    return out


def timeline_alerts(
    timeline: PatientTimeline,
    now: datetime,
    settings: AlertSettings,
    acks: dict[str, Acknowledgement],
) -> list[PatientAlert]:
    """Every alert of an already loaded timeline as it stands at `now` (aware)."""
    return with_standing(timeline, evaluate_alerts(timeline, now, settings), acks, now)


def patient_alerts(session: Session, patient_id: int, now: datetime) -> list[PatientAlert]:
    """One patient's alerts (acknowledged ones included); PatientNotFoundError if gone."""
    timeline = load_timeline(session, patient_id)
    acks = acknowledgements(session, [patient_id]).get(patient_id, {})
    return timeline_alerts(timeline, now, team_alert_settings(session), acks)


def alerts_by_patient(
    session: Session, patient_ids: Iterable[int], now: datetime
) -> dict[int, list[PatientAlert]]:
    """Several patients' alerts in a few queries (printed lists, the command line)."""
    ids = list(patient_ids)
    timelines = load_timelines(session, ids)
    acks = acknowledgements(session, ids)
    settings = team_alert_settings(session)
    return {
        pid: timeline_alerts(timelines[pid], now, settings, acks.get(pid, {}))
        for pid in ids
        if pid in timelines
    }


def open_alerts(
    session: Session, now: datetime, *, mrn: str | None = None, chunk: int = 500
) -> Iterator[PatientAlert]:
    """The open alerts (conditions, and events not acknowledged, however old) of one patient
    (by MRN) or of everyone, by MRN; PatientNotFoundError for an unknown MRN."""
    if mrn is not None:
        ids = [require_by_mrn(session, mrn).id]
    else:
        ids = list(session.scalars(select(Patient.id).order_by(Patient.mrn, Patient.id)))
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        found = alerts_by_patient(session, part, now)
        for pid in part:
            yield from (a for a in found.get(pid, []) if a.is_open)
