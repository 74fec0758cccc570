"""The worklist's alert column (clinical reference, decision 13): it counts conditions and the
events of the last 7 days nobody has acknowledged; older unacknowledged events are shown muted
and not counted.

ALT with ULN 40 U/L: 900 U/L is grade 4, 60 grade 1, 300 grade 3 (CTCAE v5.0).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.database import Database
from irae_desktop.store.labs import acknowledge_alert, add_manual_lab
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import add_line
from irae_desktop.ui.worklist_alerts import alert_summaries
from irae_desktop.ui.worklist_model import COL_ALERTS
from irae_desktop.ui.worklist_view import WorklistPanel

NOW = datetime.now(UTC).replace(microsecond=0)


def add_course(db: Database, mrn: str, alt: list[tuple[int, str]]) -> int:
    """Pembrolizumab from 60 days ago, a normal baseline the day before, then ALT results
    (days ago, U/L)."""
    with db.write() as s:
        pid = create_patient(s, PatientRecord(mrn=mrn, name=f"Patient {mrn}"), user="setup").id
        start = (NOW - timedelta(days=60)).date()
        add_line(s, "setup", pid, category="ici", agent="pembrolizumab", start_date=start)
        for days_ago, value in [(61, "25"), *alt]:
            when = NOW - timedelta(days=days_ago)
            add_manual_lab(s, "nurse", pid, "ALT", when, value, "U/L", uln=40.0)
    return pid


def now_at_grade_1(db: Database) -> int:
    """Grade 4 a month ago, down to 1, a flare to 3 twenty-four days ago, grade 1 now."""
    return add_course(db, "OLD-1", [(30, "900"), (27, "60"), (24, "300"), (2, "60")])


def recent_flare(db: Database) -> int:
    """Grade 4 five days ago, down to 1, a flare to 3 yesterday."""
    return add_course(db, "NEW-1", [(5, "900"), (3, "60"), (1, "300")])


def summaries(db: Database, ids: list[int]) -> dict:  # type: ignore[type-arg]
    return {pid: s for chunk in alert_summaries(db, ids, now=NOW) for pid, s in chunk.items()}


def test_old_critical_events_are_not_counted_for_a_patient_now_at_grade_1(db: Database) -> None:
    old, new = now_at_grade_1(db), recent_flare(db)
    got = summaries(db, [old, new])
    assert got[new].label() == "\u203c 2 critical"  # the flare and the new maximum
    assert got[new].unacknowledged == 0
    assert got[old].count == 0 and got[old].worst is None
    assert got[old].label() == "2 unacknowledged" and got[old].muted
    tip = got[old].tooltip()
    assert "not counted" in tip and "flare to grade 3" in tip and "new maximum grade 4" in tip


def test_acknowledging_closes_events_and_the_count_follows(db: Database) -> None:
    old, new = now_at_grade_1(db), recent_flare(db)
    from irae_desktop.store.alerts import patient_alerts

    with db.read() as s:
        keys = {pid: [a.key for a in patient_alerts(s, pid, NOW)] for pid in (old, new)}
    with db.write() as s:
        for pid in (old, new):
            for key in keys[pid]:
                acknowledge_alert(s, "dr.lee", pid, key)
    got = summaries(db, [old, new])
    assert got[old].label() == "none" and got[new].label() == "none"


def test_a_condition_counts_beside_muted_old_events(db: Database) -> None:
    # grade 1 now, last result 9 days ago: labs are due weekly, so overdue (a warning)
    pid = add_course(db, "LATE-1", [(30, "900"), (27, "60"), (24, "300"), (9, "60")])
    (summary,) = summaries(db, [pid]).values()
    assert summary.label() == "! 1 warning \u00b7 2 unacknowledged"
    assert not summary.muted
    assert summary.titles == ("warning: Liver labs overdue",)


def test_summaries_arrive_in_chunks_and_a_removed_patient_is_skipped(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from irae_desktop.ui import worklist_alerts

    monkeypatch.setattr(worklist_alerts, "CHUNK", 2)
    real = [now_at_grade_1(db), recent_flare(db), add_course(db, "QUIET-1", [(1, "30")])]
    chunks = list(alert_summaries(db, [*real, 999_999]))
    assert [len(c) for c in chunks] == [2, 1]
    assert {pid for c in chunks for pid in c} == set(real)


def test_the_worklist_window_shows_current_counts_and_muted_old_events(
    qtbot,  # type: ignore[no-untyped-def]
    db: Database,
) -> None:
    old, new = now_at_grade_1(db), recent_flare(db)
    panel = WorklistPanel(db)
    qtbot.addWidget(panel)
    panel.resize(1300, 300)
    panel.show()
    with qtbot.waitSignal(panel.alerts_loaded, timeout=20_000):
        panel.refresh()
    model = panel.model
    cells = {pid: model.index(model.row_for_patient(pid), COL_ALERTS) for pid in (old, new)}
    assert cells[new].data() == "\u203c 2 critical"
    assert cells[old].data() == "2 unacknowledged"
    old_font = cells[old].data(Qt.ItemDataRole.FontRole)
    new_font = cells[new].data(Qt.ItemDataRole.FontRole)
    assert old_font.italic() and not old_font.bold()
    assert new_font.bold() and not new_font.italic()
    old_colour = cells[old].data(Qt.ItemDataRole.ForegroundRole)
    new_colour = cells[new].data(Qt.ItemDataRole.ForegroundRole)
    assert old_colour != new_colour
    assert "Older than 7 days" in cells[old].data(Qt.ItemDataRole.ToolTipRole)
    # "Has alerts" keeps a patient whose only open alerts are old unacknowledged events
    panel.alerts_only.setChecked(True)
    assert panel.proxy.rowCount() == 2
