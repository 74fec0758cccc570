"""A scripted working session touching every kind of change leaves a complete audit trail."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store import episodes, labs, notes, settings, treatments
from irae_desktop.store.audit_query import AuditFilter, export_audit_csv, query_events
from irae_desktop.store.database import open_database
from irae_desktop.store.patients import create_patient, delete_patient, update_patient
from tests.robustness.helpers import write_lab_csv

EXPECTED = {
    ("create", "patient"),
    ("update", "patient"),
    ("delete", "patient"),
    ("create", "treatment_line"),
    ("update", "treatment_line"),
    ("stop", "treatment_line"),
    ("delete", "treatment_line"),
    ("create", "dose_step"),
    ("hold", "treatment_hold"),
    ("resume", "treatment_hold"),
    ("create", "note"),
    ("update", "note"),
    ("create", "episode"),
    ("update", "episode"),
    ("create", "lab_result"),
    ("correct", "lab_result"),
    ("entered_in_error", "lab_result"),
    ("acknowledge", "alert"),
    ("create", "baseline_override"),
    ("update", "setting"),
    ("create", "site_reference_range"),
    ("export", "audit_trail"),
}


def test_every_change_is_in_the_trail(any_db_url: str, tmp_path: Path) -> None:
    db = open_database(any_db_url)
    try:
        at = datetime(2026, 3, 2, 8, tzinfo=UTC)
        with db.write() as s:
            pid = create_patient(
                s, PatientRecord(mrn="AUD-1", name="Audit Person", sex=Sex.MALE), user="alice"
            ).id
            gone = create_patient(s, PatientRecord(mrn="AUD-2", name="Mistake"), user="alice").id
        with db.write() as s:
            update_patient(s, pid, expected_version=1, changes={"weight_kg": 80.0}, user="bob")
            delete_patient(s, gone, user="bob", reason="duplicate record")
            ici = treatments.add_line(
                s, "alice", pid, category="ici", agent="pembrolizumab", start_date=date(2026, 1, 5)
            )
            treatments.update_line(s, "alice", ici.id, expected_version=1, changes={"dose": 200.0})
            treatments.hold_line(s, "alice", ici.id, start_date=date(2026, 3, 1))
            treatments.resume_line(s, "alice", ici.id, end_date=date(2026, 3, 20))
            treatments.stop_line(s, "alice", ici.id, stop_date=date(2026, 3, 25), reason="G4")
            pred = treatments.add_line(
                s,
                "alice",
                pid,
                category="immunosuppression",
                agent="prednisone",
                start_date=date(2026, 3, 2),
            )
            treatments.add_dose_step(
                s, "alice", pred.id, start_date=date(2026, 3, 9), dose=40, dose_unit="mg"
            )
            wrong = treatments.add_line(
                s, "alice", pid, category="other", agent="typo", start_date=date(2026, 3, 2)
            )
            treatments.delete_line(s, "alice", wrong.id, reason="typo")
            note = notes.add_note(s, "alice", pid, text="G3 hepatitis", plan="steroids")
            notes.update_note(s, "alice", note.id, expected_version=1, changes={"plan": "MMF"})
            ep = episodes.add_episode(s, "alice", pid, organ="hepatitis", onset=date(2026, 3, 1))
            episodes.update_episode(s, "bob", ep.id, expected_version=1, changes={"grade": 3})
            lab = labs.add_manual_lab(s, "alice", pid, "ALT", at, "4500", "U/L", None, 40)
            labs.correct_lab(s, "bob", lab.id, lab.version, "450", "U/L", "extra zero")
            other = labs.add_manual_lab(s, "alice", pid, "AST", at, "90", "U/L", None, 40)
            labs.mark_entered_in_error(s, "bob", other.id, other.version, "wrong patient")
            labs.acknowledge_alert(s, "alice", pid, "grade_escalation:liver:3:1", "seen")
            labs.set_baseline_override(s, "alice", pid, "ALT", 60, 40, "fatty liver")
            settings.update_settings(s, "carol", {"units_system": "SI"})
            settings.set_site_range(s, "carol", "ALT", lln=7, uln=55)
        csv_file = tmp_path / "labs.csv"
        write_lab_csv(csv_file, "AUDIMP", patients=2, rows_each=3)
        (summary,) = import_files(db, [csv_file], ImportOptions(user="dave"))
        assert summary.imported == 6 and not summary.error
        export_audit_csv(db, tmp_path / "trail.csv", user="erin")

        with db.read() as s:
            events = query_events(s)
        kinds = {(e.action, e.entity) for e in events}
        assert kinds >= EXPECTED, EXPECTED - kinds
        # the name the app gave: the user on SQLite, kept as claimed beside the login on PostgreSQL
        assert any((e.claimed_by or e.user) == "dave" and e.action == "import" for e in events)
        for e in events:
            assert e.user and e.at.tzinfo is not None
            if (
                e.entity
                not in (
                    "setting",
                    "site_reference_range",
                    "audit_trail",
                    "import_batch",
                    "database",
                )
                and e.action != "import"
            ):
                assert e.patient_mrn, (e.action, e.entity)
        # the deleted patient and the corrected value are still readable in the trail
        deleted = [e for e in events if (e.action, e.entity) == ("delete", "patient")]
        assert json.loads(deleted[0].before_json or "")["name"] == "Mistake"
        correction = next(e for e in events if e.action == "correct")
        assert json.loads(correction.before_json or "")["value"] == 4500.0
        with db.read() as s:
            assert len(query_events(s, AuditFilter(patient_mrn="AUD-2"))) == 2
    finally:
        db.dispose()
