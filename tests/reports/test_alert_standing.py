"""Alerts in the printed lists (clinical reference, decision 13): current alerts are listed and
counted; events older than 7 clinical days nobody acknowledged are printed muted, not counted.

ALT with ULN 40 U/L: 900 U/L is grade 4, 60 grade 1, 300 grade 3 (CTCAE v5.0).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from irae_desktop.reports.patient_summary import write_patient_summary
from irae_desktop.reports.service_data import load_service_rows
from irae_desktop.reports.service_list import write_service_list
from irae_desktop.store.alerts import open_alerts
from irae_desktop.store.labs import acknowledge_alert
from tests.reports.factory import NOW, add_lab, add_line, add_patient
from tests.reports.pdftext import page_texts, squash

FLARE = "Liver: flare to grade 3 (down to 1 after grade 4)"
NEW_MAX = "Liver: new maximum grade 4"


@pytest.fixture
def ward(db):  # type: ignore[no-untyped-def]
    courses = {
        "OLD-1": [(30, 900, 4), (27, 60, 1), (24, 300, 3), (2, 60, 1)],  # grade 1 now
        "NEW-1": [(5, 900, 4), (3, 60, 1), (1, 300, 3)],
    }
    with db.write() as s:
        for mrn, labs in courses.items():
            p = add_patient(s, mrn, f"Patient {mrn}")
            add_line(s, p, "ici", "pembrolizumab", 200, "mg", -60, frequency="q3w")
            add_lab(s, p, "ALT", 61, 25, 0)
            for days_before, value, grade in labs:
                add_lab(s, p, "ALT", days_before, value, grade)
    return db


def test_service_rows_count_only_current_alerts(ward) -> None:  # type: ignore[no-untyped-def]
    with ward.read() as s:
        rows = {r.mrn: r for r in load_service_rows(s, now=NOW)}
    assert [a.title for a in rows["OLD-1"].alerts] == []
    assert sorted(a.title for a in rows["OLD-1"].unacknowledged) == [FLARE, NEW_MAX]
    assert sorted(a.title for a in rows["NEW-1"].alerts) == [FLARE, NEW_MAX]
    assert rows["NEW-1"].unacknowledged == []


def test_the_service_list_prints_old_events_apart(ward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "list.pdf"
    write_service_list(ward, out, now=NOW)
    text = squash(" ".join(page_texts(out)))
    assert "2 unacknowledged (over 7 days)" in text
    assert "older unacknowledged events are listed in grey and not counted" in text


def test_the_summary_heads_its_alerts_by_standing(ward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with ward.write() as s:
        (escalation,) = [
            a for a in open_alerts(s, NOW, mrn="OLD-1") if a.kind == "grade_escalation"
        ]
        acknowledge_alert(s, "dr.lee", escalation.patient_id, escalation.key)
    out = tmp_path / "old.pdf"
    write_patient_summary(ward, "OLD-1", out, now=NOW, lab_days=0)
    text = squash(page_texts(out)[0])
    assert "Alerts (0 current, 1 unacknowledged over 7 days, 1 acknowledged)" in text
    assert "unacknowledged (over 7 days)" in text and "acknowledged by dr.lee" in text
    fresh = tmp_path / "new.pdf"
    write_patient_summary(ward, "NEW-1", fresh, now=NOW, lab_days=0)
    assert "Alerts (2 current)" in squash(page_texts(fresh)[0])
