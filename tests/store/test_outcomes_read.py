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


def test_two_first_exports_at_once_share_one_study_key(pg_url: str) -> None:
    """PostgreSQL: the second of two first exports waits on the first's insert of the key, then
    uses that key; neither fails and there is one key."""
    import threading

    from sqlalchemy import create_engine, text

    from irae_desktop.store.models import AppSetting
    from irae_desktop.store.outcomes_read import STUDY_KEY_SETTING

    db = open_database(pg_url)
    watcher = create_engine(pg_url)
    second: dict[str, object] = {}

    def second_export() -> None:
        try:
            with db.write() as s2:
                second["key"] = study_key(s2)
        except Exception as exc:  # the failure the test is about: kept, asserted below
            second["error"] = exc

    try:
        with db.write() as s1:
            first_key = study_key(s1)  # inserted, not yet committed
            thread = threading.Thread(target=second_export)
            thread.start()
            # until the second export's insert waits on the first's row lock (bounded)
            for _ in range(400):
                with watcher.connect() as conn:
                    waiting = conn.scalar(
                        text(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            "current_database() AND wait_event_type = 'Lock'"
                        )
                    )
                if waiting or not thread.is_alive():
                    break
                thread.join(0.05)
            assert waiting == 1, "the second export did not wait on the first"
        thread.join(20)
        assert not thread.is_alive()
        assert "error" not in second, second.get("error")
        assert second["key"] == first_key
        with db.read() as s:
            keys = s.scalars(select(AppSetting).where(AppSetting.key == STUDY_KEY_SETTING)).all()
            assert len(keys) == 1
    finally:
        watcher.dispose()
        db.dispose()
