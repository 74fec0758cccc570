"""The embedded and shared databases: migrations, pragmas, file mode, schema-version refusal."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from irae_desktop.store.database import open_database
from irae_desktop.store.errors import (
    ConstraintViolationError,
    DatabaseUnavailableError,
    NewerSchemaError,
)
from irae_desktop.store.migrate import current_revision, head_revision
from irae_desktop.store.models import (
    AuditEvent,
    DoseStep,
    IrAEEpisode,
    LabResult,
    Patient,
    TreatmentLine,
)
from tests.file_modes import mode_is


def test_new_sqlite_file_is_created_owner_only_with_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "irae.sqlite3"
    db = open_database(f"sqlite:///{path}")
    try:
        assert mode_is(path, 0o600)
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert current_revision(db.engine) == head_revision()
    finally:
        db.dispose()


def test_default_location_is_user_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    db = open_database(None)
    try:
        assert db.sqlite_file is not None
        assert str(db.sqlite_file).startswith(str(tmp_path / "xdg"))
        assert db.sqlite_file.exists()
    finally:
        db.dispose()


def test_env_variable_selects_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("IRAE_DB_URL", f"sqlite:///{target}")
    db = open_database(None)
    db.dispose()
    assert target.exists()


def test_model_round_trip(any_db_url: str) -> None:
    db = open_database(any_db_url)
    try:
        t = datetime(2026, 3, 1, 6, 30, tzinfo=timezone(timedelta(hours=-5)))
        with db.write() as s:
            p = Patient(
                mrn="RT-1",
                name="Zoë Ñúñez",
                birth_date=date(1961, 2, 3),
                sex="F",
                weight_kg=61.5,
                diagnosis="Melanoma",
            )
            s.add(p)
            s.flush()
            s.add(
                LabResult(
                    patient_id=p.id,
                    analyte="ALT",
                    collected_at=t,
                    value=412.0,
                    unit="U/L",
                    comparator="",
                    original_text="412",
                    original_unit="IU/L",
                    uln=40.0,
                    grade=3,
                    grade_criteria="ctcae-5.0",
                )
            )
            s.add(
                LabResult(
                    patient_id=p.id,
                    analyte="GLUCOSE",
                    collected_at=t,
                    value=600.0,
                    unit="mg/dL",
                    comparator=">",
                    original_text=">600",
                    original_unit="mg/dL",
                )
            )
            line = TreatmentLine(
                patient_id=p.id,
                category="immunosuppression",
                agent="prednisone",
                dose=60,
                dose_unit="mg",
                start_date=date(2026, 3, 2),
            )
            line.dose_steps.append(DoseStep(start_date=date(2026, 3, 9), dose=40, dose_unit="mg"))
            s.add(line)
            s.add(IrAEEpisode(patient_id=p.id, organ="hepatitis", onset=date(2026, 3, 1), grade=3))
            s.add(AuditEvent(user="tester", action="create", entity="patient", entity_id=p.id))
        with db.read() as s:
            p2 = s.scalars(select(Patient).where(Patient.mrn == "RT-1")).one()
            assert p2.name == "Zoë Ñúñez"
            assert p2.birth_date == date(1961, 2, 3)
            labs = {r.analyte: r for r in p2.labs}
            assert labs["ALT"].collected_at == datetime(2026, 3, 1, 11, 30, tzinfo=UTC)
            assert labs["ALT"].value == 412.0 and labs["ALT"].grade == 3
            assert labs["GLUCOSE"].comparator == ">" and labs["GLUCOSE"].original_text == ">600"
            assert p2.treatment_lines[0].dose_steps[0].dose == 40
            assert p2.episodes[0].organ == "hepatitis"
    finally:
        db.dispose()


def test_naive_datetime_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match=r"naive datetime"), db.write() as s:
        p = Patient(mrn="N-1", name="x")
        s.add(p)
        s.flush()
        s.add(
            LabResult(
                patient_id=p.id,
                analyte="ALT",
                collected_at=datetime(2026, 1, 1),
                value=1.0,
                unit="U/L",
            )
        )
        s.flush()
    with db.read() as s:
        assert s.scalars(select(Patient)).all() == []  # the whole unit of work rolled back


def test_foreign_keys_enforced(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConstraintViolationError) as caught, db.write() as s:
        s.add(
            LabResult(
                patient_id=999,
                analyte="ALT",
                value=1.0,
                unit="U/L",
                collected_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    assert "FOREIGN KEY" in str(caught.value.__cause__)


def test_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def test_migration_from_empty_database_to_head(any_db_url: str) -> None:
    db = open_database(any_db_url)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.engine.connect() as conn:
            names = set(db.engine.dialect.get_table_names(conn))
        assert {"patients", "lab_results", "treatment_lines", "audit_events"} <= names
    finally:
        db.dispose()


def test_unreachable_server_gives_plain_message() -> None:
    with pytest.raises(DatabaseUnavailableError, match=r"cannot be reached|refused"):
        open_database("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")


def test_password_not_shown_in_display_name(db) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.store.database import make_engine_safe_name

    assert "secret" not in make_engine_safe_name("postgresql+psycopg://u:secret@h/db")
