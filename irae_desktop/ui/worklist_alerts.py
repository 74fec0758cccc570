"""Background computation of each patient's current and older open alerts for the worklist."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

from irae_desktop.store.alerts import (
    PatientAlert,
    acknowledgements,
    team_alert_settings,
    timeline_alerts,
)
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.ui.errors import log_bug
from irae_desktop.ui.worklist_model import SEVERITY_RANK, AlertSummary

__all__ = ["CHUNK", "alert_summaries", "summarise", "team_alert_settings"]

log = logging.getLogger(__name__)

# patients per progress step: small enough that the column fills in visibly, large enough to
# keep signal traffic low on a 5,000-patient list
CHUNK = 50


def summarise(alerts: Sequence[PatientAlert]) -> AlertSummary:
    """What the worklist cell shows: the alerts that describe the present (conditions and
    unacknowledged events of the last 7 clinical days) counted by severity, and older
    unacknowledged events apart (clinical reference, decision 13)."""
    current = [a for a in alerts if a.standing == "current"]
    stale = [a for a in alerts if a.standing == "unacknowledged"]
    ordered = sorted(current, key=lambda a: -SEVERITY_RANK.get(a.severity, 0))
    worst = ordered[0].severity if ordered else None
    return AlertSummary(
        count=len(current),
        worst=worst,
        titles=tuple(f"{a.severity}: {a.title}" for a in ordered),
        worst_count=sum(a.severity == worst for a in current),
        unacknowledged=len(stale),
        unacknowledged_titles=tuple(
            f"unacknowledged since {a.raised_at.astimezone():%Y-%m-%d}: {a.title}" for a in stale
        ),
    )


def alert_summaries(
    db: Database,
    patient_ids: Sequence[int],
    *,
    now: datetime | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[dict[int, AlertSummary]]:
    """Yields {patient_id: AlertSummary} in chunks; a patient whose check fails is logged.
    Stops early, yielding what it has, once `cancelled()` is true."""
    from irae_desktop.store.timeline import load_timeline

    now = now or datetime.now(UTC)
    with db.read() as session:
        settings = team_alert_settings(session)
        acks = acknowledgements(session)
        chunk: dict[int, AlertSummary] = {}
        for pid in patient_ids:
            if cancelled is not None and cancelled():
                break
            try:
                timeline = load_timeline(session, pid)
                alerts = timeline_alerts(timeline, now, settings, acks.get(pid, {}))
            except StoreError:
                continue  # removed since the list was read: the next refresh drops the row
            except Exception as exc:
                log_bug(log, f"alert evaluation failed for patient id {pid}", exc)
                continue
            chunk[pid] = summarise(alerts)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = {}
        if chunk:
            yield chunk
