"""The start-up check repairs lab summaries that disagree with the results, and stops on quit."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, update

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.integrity import CheckCancelled, check_integrity
from irae_desktop.store.labs import add_manual_lab
from irae_desktop.store.models import LabLatest, LabSummary
from irae_desktop.store.patients import create_patient
from irae_desktop.store.worklist import worklist_rows
from tests.store.summary_check import NOW, check_summaries, reference_worklist


@pytest.fixture
def both_db(any_db_url: str) -> Iterator[Database]:
    database = open_database(any_db_url)
    yield database
    database.dispose()


def _three_patients(db: Database) -> list[int]:
    ids = []
    with db.write() as s:
        for n, value in enumerate(("90", "300", "45")):
            pid = create_patient(s, PatientRecord(mrn=f"K-{n}", name=f"K {n}"), user="u").id
            when = datetime(2026, 3, 1 + n, 8, tzinfo=UTC)
            add_manual_lab(s, "u", pid, "ALT", when, value, "U/L", 7, 40)
            ids.append(pid)
    return ids


def _damage_summaries(db: Database, ids: list[int]) -> None:
    """What a write path that forgot the refresh would leave behind."""
    with db.engine.begin() as conn:
        conn.execute(delete(LabLatest.__table__).where(LabLatest.patient_id == ids[0]))
        conn.execute(
            update(LabSummary.__table__)
            .where(LabSummary.patient_id == ids[1])
            .values(liver_grade=0)
        )
        conn.execute(
            insert(LabLatest.__table__).values(
                patient_id=ids[2],
                analyte="AST",
                lab_result_id=999_999,
                collected_at=datetime(2026, 3, 9, tzinfo=UTC),
                grade=4,
            )
        )


def test_disagreeing_summaries_are_repaired_with_a_warning(
    both_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    ids = _three_patients(both_db)
    check_summaries(both_db)
    _damage_summaries(both_db, ids)
    with both_db.read() as s:
        assert worklist_rows(s, now=NOW) != reference_worklist(both_db)

    with caplog.at_level(logging.WARNING, logger="irae_desktop.store.integrity"):
        report = check_integrity(both_db, Path("/nonexistent"))

    assert report.ok and report.summary_repaired == sorted(ids) and report.summary_stale == []
    assert "repaired" in caplog.text
    check_summaries(both_db)
    assert check_integrity(both_db, Path("/nonexistent")).summary_repaired == []


def test_read_only_user_is_told_and_the_file_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    db = open_database(f"sqlite:///{path}")
    ids = _three_patients(db)
    _damage_summaries(db, ids)
    db.dispose()
    before = path.read_bytes()
    ro = open_database(f"sqlite:///file:{path}?mode=ro&uri=true", migrate=False)
    try:
        report = check_integrity(ro)
        assert report.ok and report.summary_stale == sorted(ids)
        assert report.summary_repaired == []
        with ro.read() as s:  # what the worklist then shows: computed from the results
            assert worklist_rows(s, now=NOW, from_summary=False) == reference_worklist(ro)
    finally:
        ro.dispose()
    assert path.read_bytes() == before


def test_check_stops_when_cancelled(both_db: Database) -> None:
    _three_patients(both_db)
    with pytest.raises(CheckCancelled):
        check_integrity(both_db, Path("/nonexistent"), cancel=lambda: True)
