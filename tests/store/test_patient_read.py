"""One patient read for the patient view and the printed summary: named records, each line and
episode with what an editor needs, every stored result by name, and a clear refusal."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.store.database import Database
from irae_desktop.store.episodes import add_episode
from irae_desktop.store.labs import add_manual_lab
from irae_desktop.store.models import AppSetting
from irae_desktop.store.notes import add_note
from irae_desktop.store.patient_read import find_patient_id, latest_plan, read_patient
from irae_desktop.store.patients import PatientNotFoundError
from irae_desktop.store.service_read import read_active_patients
from irae_desktop.store.treatment_export import treatment_rows
from irae_desktop.store.treatments import add_line, hold_line, stop_line
from irae_desktop.store.worklist import worklist_rows


def test_record_carries_lines_episodes_notes_and_results(db: Database, patient_id: int) -> None:
    with db.write() as s:
        line = add_line(
            s,
            "u1",
            patient_id,
            category="immunosuppression",
            agent="prednisone",
            start_date=date(2026, 3, 2),
            dose=60,
            dose_unit="mg",
            frequency="once daily",
            notes="taper over 6 weeks",
        )
        hold_line(s, "u1", line.id, start_date=date(2026, 3, 10), reason="infection")
        add_episode(s, "u1", patient_id, organ="hepatitis", onset=date(2026, 3, 1), notes="biopsy")
        add_note(s, "u1", patient_id, text="seen", plan="repeat LFTs Friday")
        add_note(s, "u1", patient_id, text="seen again", plan="  ")
        add_manual_lab(
            s, "u1", patient_id, "ALT", datetime(2026, 3, 5, 8, tzinfo=UTC), "132", "U/L", uln=40
        )
    with db.read() as s:
        record = read_patient(s, patient_id, with_labs=True)
    assert record.patient.mrn == "MRN-100"
    (treatment,) = record.treatments
    assert (treatment.agent, treatment.dose, treatment.notes) == (
        "prednisone",
        60,
        "taper over 6 weeks",
    )
    assert treatment.version == 2  # the hold changed the line
    assert [(h.start, h.end, h.reason) for h in treatment.holds] == [
        (date(2026, 3, 10), None, "infection")
    ]
    assert treatment.status_on(date(2026, 3, 11)) == "held"
    (episode,) = record.episodes
    assert (episode.organ, episode.notes, episode.version) == ("hepatitis", "biopsy", 1)
    (lab,) = record.labs
    assert (lab.analyte, lab.value, lab.original_text, lab.original_unit) == (
        "ALT",
        132,
        "132",
        "U/L",
    )
    assert (lab.uln, lab.grade, lab.version, lab.status) == (40, 2, 1, "final")
    plan = latest_plan(record.notes)
    assert plan is not None and plan.plan == "repeat LFTs Friday"  # a blank plan is no plan


def test_results_are_left_out_unless_asked_for(db: Database, patient_id: int) -> None:
    with db.write() as s:
        add_manual_lab(
            s, "u1", patient_id, "ALT", datetime(2026, 3, 5, 8, tzinfo=UTC), "50", "U/L", uln=40
        )
    with db.read() as s:
        record = read_patient(s, patient_id)
    assert record.labs == ()
    assert [p.value for p in record.timeline.labs] == [50]


def test_unknown_patient_is_refused_by_name(db: Database, patient_id: int) -> None:
    with db.read() as s:
        assert find_patient_id(s, " MRN-100 ") == patient_id
        with pytest.raises(PatientNotFoundError, match="No patient with MRN 'NOPE'"):
            find_patient_id(s, "NOPE")
        with pytest.raises(PatientNotFoundError, match="no longer exists"):
            read_patient(s, patient_id + 1000)


def test_every_reader_says_stopped_on_the_stop_day(db: Database, patient_id: int) -> None:
    """The window, the worklist and the export take a line's status from one function: a line
    stopped on 1 April reads "stopped" that day everywhere."""
    stop = date(2026, 4, 1)
    with db.write() as s:
        line = add_line(
            s, "u1", patient_id, category="ici", agent="nivolumab", start_date=date(2026, 1, 5)
        )
        stop_line(s, "u1", line.id, stop_date=stop, reason="colitis")
    with db.read() as s:
        (record,) = read_patient(s, patient_id).treatments
        (exported,) = treatment_rows(s, today=stop)
        (row,) = worklist_rows(s, today=stop, now=datetime(2026, 4, 1, 12, tzinfo=UTC))
    assert record.status_on(stop) == exported.status == row.ici_status == "stopped"
    assert record.status_on(date(2026, 3, 31)) == "on"


def test_damaged_alert_thresholds_fall_back_to_the_built_in_ones(
    db: Database, patient_id: int, caplog: pytest.LogCaptureFixture
) -> None:
    """A stored threshold the rules cannot use (2.5 days where whole days are counted) gives
    the built-in thresholds, with a warning in the log, to every reader."""
    with db.write() as s:
        s.add(AppSetting(key="alert_thresholds", value_json='{"overdue_days_grade1": 2.5}'))
    with db.read() as s, caplog.at_level(logging.WARNING):
        settings = read_patient(s, patient_id).alert_settings
    assert settings == AlertSettings()
    assert settings.overdue_days_grade1 == 7
    assert "saved alert thresholds unusable" in caplog.text


def test_a_blank_plan_never_hides_the_last_plan(db: Database, patient_id: int) -> None:
    """The handoff list and the patient read agree: the newest note with a plan in words."""
    with db.write() as s:
        add_note(
            s,
            "u1",
            patient_id,
            text="seen",
            plan="start prednisone 1 mg/kg",
            written_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        )
        add_note(
            s,
            "u1",
            patient_id,
            text="reviewed",
            plan="   ",
            written_at=datetime(2026, 3, 3, 9, tzinfo=UTC),
        )
    with db.read() as s:
        (active,) = read_active_patients(s).patients
        record = read_patient(s, patient_id)
    assert active.plan is not None and active.plan.plan == "start prednisone 1 mg/kg"
    newest = latest_plan(record.notes)
    assert newest is not None and newest.id == active.plan.id
