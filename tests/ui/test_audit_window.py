"""The audit trail window reads like a sentence: when, who, which patient, what, old and new."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from irae_desktop.store.labs import correct_lab
from irae_desktop.store.models import LabResult
from irae_desktop.store.treatments import add_dose_step
from irae_desktop.ui.audit_dialog import AuditDialog
from tests.ui.patient.helpers import add_hepatitis_patient


@pytest.fixture
def corrected(db, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TZ", "UTC")  # the window shows local times: make local mean UTC here
    time.tzset()
    pid = add_hepatitis_patient(db)
    with db.write() as s:
        lab = s.scalars(
            select(LabResult).where(LabResult.patient_id == pid, LabResult.value == 892.0)
        ).one()
        correct_lab(s, "dr.lee", lab.id, lab.version, "89.2", "U/L", "transcription error")
    yield db
    monkeypatch.delenv("TZ")
    time.tzset()


def _rows(trail: AuditDialog) -> list[list[str]]:
    table = trail.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_a_correction_reads_as_who_changed_what_from_what_to_what(qtbot, corrected) -> None:  # type: ignore[no-untyped-def]
    trail = AuditDialog(corrected)
    qtbot.addWidget(trail)
    headers = [trail.table.horizontalHeaderItem(c).text() for c in range(trail.table.columnCount())]
    assert headers == [
        "When (local)",
        "Who",
        "Did",
        "Patient",
        "What",
        "Field",
        "Old value",
        "New value",
        "Why",
    ]
    row = _rows(trail)[0]  # newest first
    day = (date.today() - timedelta(days=30)).isoformat()
    assert row[1:5] == [
        "dr.lee",
        "corrected",
        "Ada Testcase (T-0001)",
        f"ALT result of {day} 07:30",
    ]
    fields = row[5].split("\n")
    olds, news = row[6].split("\n"), row[7].split("\n")
    assert dict(zip(fields, zip(olds, news, strict=True), strict=True))["value"] == ("892", "89.2")
    assert row[8] == "transcription error"
    shown = " ".join(" ".join(r) for r in _rows(trail))
    assert "lab_result" not in shown and "{" not in shown  # no internal names or raw JSON


def test_raw_record_is_there_on_demand(qtbot, corrected) -> None:  # type: ignore[no-untyped-def]
    trail = AuditDialog(corrected)
    qtbot.addWidget(trail)
    assert trail.raw.isHidden()
    trail.table.selectRow(0)
    trail.raw_button.click()
    assert not trail.raw.isHidden()
    assert trail.raw.toPlainText().startswith("entity: lab_result ")
    assert '"value": 892.0' in trail.raw.toPlainText()


def test_a_dose_step_names_the_line_not_its_id(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    pid = add_hepatitis_patient(db)
    from irae_desktop.store.models import TreatmentLine

    with db.write() as s:
        line = s.scalars(
            select(TreatmentLine).where(
                TreatmentLine.patient_id == pid, TreatmentLine.agent == "prednisone"
            )
        ).one()
        add_dose_step(s, "dr.lee", line.id, start_date=date(2030, 1, 2), dose=20, dose_unit="mg")
    trail = AuditDialog(db)
    qtbot.addWidget(trail)
    row = _rows(trail)[0]
    assert row[1:5] == [
        "dr.lee",
        "added",
        "Ada Testcase (T-0001)",
        "prednisone dose from 2030-01-02",
    ]
    assert "dose" in row[5].split("\n") and "20" in row[7].split("\n")


def test_close_button_and_escape_close_the_window(qtbot, corrected) -> None:  # type: ignore[no-untyped-def]
    trail = AuditDialog(corrected)
    qtbot.addWidget(trail)
    trail.show()
    qtbot.waitExposed(trail)
    close = trail.close_buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close is not None and close.text().replace("&", "") == "Close"
    close.click()
    assert not trail.isVisible()
    trail.show()
    qtbot.waitExposed(trail)
    trail.activateWindow()
    qtbot.waitUntil(trail.isActiveWindow)
    qtbot.keyClick(trail.table, Qt.Key.Key_Escape)
    assert not trail.isVisible()
