"""Background computation of each patient's unacknowledged alerts for the worklist column."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import AlertAcknowledgement
from irae_desktop.store.settings import get_settings
from irae_desktop.ui.errors import log_bug
from irae_desktop.ui.worklist_model import SEVERITY_RANK, AlertSummary

log = logging.getLogger(__name__)

# patients per progress step: small enough that the column fills in visibly, large enough to
# keep signal traffic low on a 5,000-patient list
CHUNK = 50


def team_alert_settings(session: Session) -> AlertSettings:
    """The domain's AlertSettings with the team's saved thresholds applied (bad ones ignored)."""
    saved = get_settings(session).alert_thresholds
    try:
        return AlertSettings.from_dict(dict(saved))
    except ValueError:
        log.warning("saved alert thresholds unusable; built-in ones used")
        return AlertSettings()


def summarise(alerts: Sequence[Any], acknowledged: set[str]) -> AlertSummary:
    open_alerts = [a for a in alerts if a.key not in acknowledged]
    worst = max(
        (a.severity for a in open_alerts), key=lambda s: SEVERITY_RANK.get(s, 0), default=None
    )
    ordered = sorted(open_alerts, key=lambda a: -SEVERITY_RANK.get(a.severity, 0))
    return AlertSummary(len(open_alerts), worst, tuple(f"{a.severity}: {a.title}" for a in ordered))


def alert_summaries(
    db: Database,
    patient_ids: Sequence[int],
    *,
    now: datetime | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[dict[int, AlertSummary]]:
    """Yields {patient_id: AlertSummary} in chunks; a patient whose check fails is logged.
    Stops early, yielding what it has, once `cancelled()` is true."""
    from irae_desktop.domain.alerts import evaluate_alerts
    from irae_desktop.store.timeline import load_timeline

    now = now or datetime.now(UTC)
    with db.read() as session:
        settings = team_alert_settings(session)
        acks: dict[int, set[str]] = {}
        for pid, key in session.execute(
            select(AlertAcknowledgement.patient_id, AlertAcknowledgement.alert_key)
        ):
            acks.setdefault(pid, set()).add(key)
        chunk: dict[int, AlertSummary] = {}
        for pid in patient_ids:
            if cancelled is not None and cancelled():
                break
            try:
                timeline = load_timeline(session, pid)
                alerts = evaluate_alerts(timeline, now, settings)
            except StoreError:
                continue  # removed since the list was read: the next refresh drops the row
            except Exception as exc:
                log_bug(log, f"alert evaluation failed for patient id {pid}", exc)
                continue
            chunk[pid] = summarise(alerts, acks.get(pid, set()))
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = {}
        if chunk:
            yield chunk
