"""The case-series read on SQLite and PostgreSQL: the cohort of the irAE's episodes, the same
rows the per-patient timelines give, and the study key made once per database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from irae_desktop.domain.outcomes import IRAES, cohort_outcomes
from irae_desktop.store.database import open_database
from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.models import Patient
from irae_desktop.store.outcomes_read import UnknownIraeError, read_outcomes, study_key
from irae_desktop.store.timeline import load_timelines


def test_cohort_read_matches_the_timelines(any_db_url: str) -> None:
    db = open_database(any_db_url)
    try:
        add_demo_patients(db, anchor=date(2026, 3, 2))
        with db.read() as s:
            cohort = read_outcomes(s, "Hepatitis")
            every = load_timelines(s, s.scalars(select(Patient.id)).all()).values()
            assert list(cohort.rows) == cohort_outcomes(every, IRAES["hepatitis"])
            # only the patients with a hepatitis episode (demo_data.py)
            assert sorted({r.mrn for r in cohort.rows}) == ["DEMO-0001", "DEMO-0004"]
            assert cohort.criteria == "ctcae-5.0"
            drawn = cohort.trajectories["ALT"]
            assert [(t.patient_id, t.line_id) for t in drawn] == [
                (r.patient_id, r.line_id) for r in cohort.rows
            ]
            assert all(-14 <= p.day <= 60 for t in drawn for p in t.points)
            assert [s.agent for s in cohort.summaries] == sorted({r.agent for r in cohort.rows})
            with pytest.raises(UnknownIraeError, match="choose one of diabetes, hepatitis"):
                read_outcomes(s, "colitis")
        with db.write() as s:
            key = study_key(s)
        with db.write() as s:
            assert study_key(s) == key and len(key) == 32
    finally:
        db.dispose()
