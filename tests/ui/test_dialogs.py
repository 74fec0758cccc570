"""Patient, lab, settings and audit dialogs driven through their widgets; refusals keep data."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDialog, QLabel
from sqlalchemy import func, select

from irae_desktop.store.database import Database
from irae_desktop.store.models import AuditEvent, LabResult, Patient, SiteReferenceRange
from irae_desktop.store.settings import get_settings
from irae_desktop.ui.audit_dialog import AuditDialog
from irae_desktop.ui.lab_dialog import LabDialog
from irae_desktop.ui.main_window import MainWindow
from irae_desktop.ui.patient_dialog import PatientDialog
from irae_desktop.ui.settings_dialog import DB_URL_KEY, SettingsDialog, validate_db_url
from tests.ui.conftest import wait_written


def patient_count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Patient)) or 0)


def test_new_patient_is_saved_and_appears_in_the_worklist(qtbot, window: MainWindow, ui_db) -> None:  # type: ignore[no-untyped-def]
    dialog = window.new_patient()
    qtbot.keyClicks(dialog.mrn, "  MRN-400 ")
    qtbot.keyClicks(dialog.name, "Rosalind Franklin")
    dialog.weight.setValue(61.5)
    with qtbot.waitSignal(window.worklist.loaded, timeout=10_000):
        assert dialog.save()
    with ui_db.read() as s:
        p = s.scalars(select(Patient).where(Patient.mrn == "MRN-400")).one()
        assert (p.name, p.weight_kg, p.status) == ("Rosalind Franklin", 61.5, "active")
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.patient_id == p.id, AuditEvent.action == "create")
            )
            == 1
        )
    assert window.worklist.selected_patient_id() == p.id
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_duplicate_mrn_is_refused_and_nothing_is_written(qtbot, ui_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = PatientDialog(ui_db)
    qtbot.addWidget(dialog)
    before = patient_count(ui_db)
    qtbot.keyClicks(dialog.mrn, "MRN-100")
    # said while typing, before the rest is filled in
    assert dialog.message.text() == "MRN MRN-100 already belongs to another patient."
    qtbot.keyClicks(dialog.name, "Someone Else")
    assert wait_written(qtbot, dialog.save()).error is not None  # refused by the store
    assert "already belongs to another patient" in dialog.message.text()
    assert patient_count(ui_db) == before
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_missing_mrn_and_implausible_weight_are_refused(qtbot, ui_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = PatientDialog(ui_db)
    qtbot.addWidget(dialog)
    assert not dialog.save()
    assert dialog.message.text() == "An MRN is required."
    dialog.mrn.setText("MRN-500")
    dialog.weight.setValue(0.2)
    assert wait_written(qtbot, dialog.save()).error is not None
    assert "not plausible" in dialog.message.text()
    assert patient_count(ui_db) == 3


def test_edit_detects_a_concurrent_save(qtbot, ui_db: Database) -> None:  # type: ignore[no-untyped-def]
    with ui_db.read() as s:
        pid = s.scalars(select(Patient.id).where(Patient.mrn == "MRN-200")).one()
    dialog = PatientDialog(ui_db, pid)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Grace Hopper"
    other = PatientDialog(ui_db, pid)
    qtbot.addWidget(other)
    other.diagnosis.setText("NSCLC")
    assert wait_written(qtbot, other.save()).error is None
    dialog.name.setText("Grace B. Hopper")
    assert wait_written(qtbot, dialog.save()).error is not None
    assert "changed by someone else" in dialog.message.text()
    with ui_db.read() as s:
        assert s.get(Patient, pid).name == "Grace Hopper"  # type: ignore[union-attr]


def test_lab_entered_by_hand_is_graded_and_bad_value_refused(qtbot, ui_db: Database) -> None:  # type: ignore[no-untyped-def]
    with ui_db.read() as s:
        pid = s.scalars(select(Patient.id).where(Patient.mrn == "MRN-200")).one()
    dialog = LabDialog(ui_db, pid)
    qtbot.addWidget(dialog)
    dialog.analyte.setCurrentIndex(dialog.analyte.findData("ALT"))
    dialog.when.setDateTime(QDateTime.currentDateTime().addSecs(-3600))
    dialog.value.setText("abc")
    assert wait_written(qtbot, dialog.save()).error is not None
    assert dialog.message.text()  # the parser's reason, in words
    with ui_db.read() as s:
        count = s.scalar(
            select(func.count()).select_from(LabResult).where(LabResult.patient_id == pid)
        )
    assert count == 1
    dialog.value.setText("210")
    dialog.lln.setText("7")
    dialog.uln.setText("40")
    with qtbot.waitSignal(dialog.saved) as saved:
        assert dialog.save()
    with ui_db.read() as s:
        lab = s.get(LabResult, saved.args[0])
        assert lab is not None
        assert (lab.value, lab.unit, lab.uln, lab.entered_by is not None) == (
            210.0,
            "U/L",
            40.0,
            True,
        )
    assert dialog.result_text.startswith("Lab result saved and graded: grade 3 (ALT 210 U/L")


def test_settings_change_units_and_site_range(qtbot, ui_db: Database, qsettings) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(ui_db, qsettings)
    qtbot.addWidget(dialog)
    assert dialog.units.currentData() == "US"
    dialog.units.setCurrentIndex(dialog.units.findData("SI"))
    dialog._add_range_row("ALT", "F", 7.0, 35.0, "U/L")
    with qtbot.waitSignal(dialog.applied, timeout=20_000):
        assert dialog.save()
    with ui_db.read() as s:
        assert get_settings(s).units_system == "SI"
        rng = s.scalars(select(SiteReferenceRange)).one()
        assert (rng.analyte, rng.sex, rng.lln, rng.uln) == ("ALT", "F", 7.0, 35.0)


def test_changing_the_criteria_set_regrades_stored_results(
    qtbot, ui_db: Database, qsettings
) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(ui_db, qsettings)
    qtbot.addWidget(dialog)
    dialog.criteria.setCurrentIndex(dialog.criteria.findData("ctcae-6.0"))
    with qtbot.waitSignal(dialog.applied, timeout=20_000):
        assert dialog.save()
    with ui_db.read() as s:
        criteria = set(s.scalars(select(LabResult.grade_criteria)))
    assert criteria == {"ctcae-6.0"}


def test_settings_time_zone_is_searchable_and_a_change_regrades_audited(
    qtbot, ui_db: Database, qsettings
) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(ui_db, qsettings)
    qtbot.addWidget(dialog)
    notes = [label.text() for label in dialog.findChildren(QLabel, "muted")]
    assert any("Changing it regrades every stored result" in text for text in notes)
    assert dialog.timezone.findText("Pacific/Honolulu") >= 0  # every IANA zone is listed
    completer = dialog.timezone.completer()
    completer.setCompletionPrefix("sydney")  # any part of the name, any case
    found = [
        completer.completionModel().index(i, 0).data()
        for i in range(completer.completionModel().rowCount())
    ]
    assert "Australia/Sydney" in found
    dialog.timezone.setCurrentText("Australia/Sydney")
    with qtbot.waitSignal(dialog.applied, timeout=20_000):
        assert dialog.save()
    with ui_db.read() as s:
        assert get_settings(s).clinical_timezone == "Australia/Sydney"
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "regrade")).all()
    assert event.reason is not None
    assert event.reason.startswith("clinical time zone changed in Settings")


def test_settings_refuse_bad_values_and_save_nothing(qtbot, ui_db: Database, qsettings) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(ui_db, qsettings)
    qtbot.addWidget(dialog)
    dialog.units.setCurrentIndex(dialog.units.findData("SI"))
    dialog.timezone.setCurrentText("Mars/Olympus_Mons")
    with qtbot.waitSignal(dialog.save_failed, timeout=20_000) as failed:
        assert dialog.save()
    assert "Unknown time zone" in failed.args[0]
    assert "Unknown time zone" in dialog.message.text()
    dialog.timezone.setCurrentText("UTC")
    dialog._add_range_row("ALT", "", 50.0, 40.0, "U/L")
    with qtbot.waitSignal(dialog.save_failed, timeout=20_000):
        assert dialog.save()
    assert "lower limit must be below" in dialog.message.text()
    dialog._add_range_row("AST", "", None, None, "U/L")
    dialog.ranges.item(dialog.ranges.rowCount() - 1, 3).setText("forty")
    assert not dialog.save()  # refused before anything is started
    assert "'forty' is not a number" in dialog.message.text()
    with ui_db.read() as s:
        assert get_settings(s).units_system == "US"  # all or nothing
        assert s.scalar(select(func.count()).select_from(SiteReferenceRange)) == 0
    assert dialog.isEnabled() and dialog.buttons.isEnabled()


def test_database_location_is_kept_for_the_next_start(
    qtbot, ui_db, qsettings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(ui_db, qsettings)
    qtbot.addWidget(dialog)
    dialog.db_url.setText("mysql://somewhere/db")
    assert not dialog.save()
    assert "Only SQLite files and PostgreSQL" in dialog.message.text()
    dialog.db_url.setText(str(tmp_path / "team.sqlite3"))
    with qtbot.waitSignal(dialog.applied, timeout=20_000):
        assert dialog.save()
    assert qsettings.value(DB_URL_KEY) == f"sqlite:///{tmp_path / 'team.sqlite3'}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("/data/irae.sqlite3", "sqlite:////data/irae.sqlite3"),
        ("postgresql+psycopg://irae@db.example/irae", "postgresql+psycopg://irae@db.example/irae"),
    ],
)
def test_database_url_forms(text: str, expected: str) -> None:
    assert validate_db_url(text) == expected


def test_audit_trail_filters_by_patient(qtbot, window: MainWindow, ui_db) -> None:  # type: ignore[no-untyped-def]
    dialog = window.new_patient()
    dialog.mrn.setText("MRN-900")
    dialog.name.setText("Audit Subject")
    with qtbot.waitSignal(window.worklist.loaded, timeout=10_000):
        assert dialog.save()
    trail = AuditDialog(ui_db)
    qtbot.addWidget(trail)
    trail.mrn.setText("MRN-900")
    trail.reload()
    assert trail.table.rowCount() == 1
    assert trail.table.item(0, 2).text() == "added"
    assert trail.table.item(0, 3).text() == "Audit Subject (MRN-900)"
    assert trail.table.item(0, 4).text() == "patient record"
    trail.mrn.setText("NOBODY")
    trail.reload()
    assert trail.table.rowCount() == 0


def test_alert_thresholds_are_saved_only_where_changed(qtbot, ui_db: Database, qsettings) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(ui_db, qsettings)
    qtbot.addWidget(dialog)
    assert "hys_law_window_days" in dialog.thresholds
    dialog.thresholds["hys_law_window_days"].setValue(21)
    dialog.thresholds["diabetes_glucose_above_mg_dl"].setValue(300.5)
    with qtbot.waitSignal(dialog.applied, timeout=20_000):
        assert dialog.save()
    with ui_db.read() as s:
        saved = get_settings(s).alert_thresholds
    assert saved == {"hys_law_window_days": 21, "diabetes_glucose_above_mg_dl": 300.5}
    from irae_desktop.ui.worklist_alerts import team_alert_settings

    with ui_db.read() as s:
        applied = team_alert_settings(s)
    assert (applied.hys_law_window_days, applied.diabetes_glucose_above_mg_dl) == (21, 300.5)
    assert applied.overdue_days_grade1 == 7  # untouched: the built-in value


def test_a_removed_site_range_is_deleted(qtbot, ui_db: Database, qsettings) -> None:  # type: ignore[no-untyped-def]
    first = SettingsDialog(ui_db, qsettings)
    qtbot.addWidget(first)
    first._add_range_row("AST", "", 8.0, 48.0, "U/L")
    with qtbot.waitSignal(first.applied, timeout=20_000):
        assert first.save()
    second = SettingsDialog(ui_db, qsettings)
    qtbot.addWidget(second)
    assert second.ranges.rowCount() == 1
    second.ranges.setCurrentCell(0, 2)
    second.ranges.removeRow(second.ranges.currentRow())
    with qtbot.waitSignal(second.applied, timeout=20_000):
        assert second.save()
    with ui_db.read() as s:
        assert s.scalar(select(func.count()).select_from(SiteReferenceRange)) == 0


def test_audit_trail_export_writes_the_filtered_events(qtbot, ui_db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui import report_actions

    dialog = PatientDialog(ui_db)
    qtbot.addWidget(dialog)
    dialog.mrn.setText("MRN-901")
    assert wait_written(qtbot, dialog.save()).error is None
    target = tmp_path / "trail.csv"
    monkeypatch.setattr(report_actions, "ask_save_path", lambda *_a: target)
    trail = AuditDialog(ui_db)
    qtbot.addWidget(trail)
    trail.mrn.setText("MRN-901")
    trail.export()
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("at,user,action")
    assert len(lines) == 2 and ",create,patient," in lines[1]
    assert "Exported 1 events" in trail.message.text()
