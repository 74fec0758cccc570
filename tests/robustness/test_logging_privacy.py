"""The log file holds what happened, never who it happened to: no MRN, no name, no values."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from irae_desktop.app_logging import LOG_FILE_NAME, log_file, redact, setup_logging
from irae_desktop.cli.main import main
from irae_desktop.domain.records import PatientRecord
from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import open_database
from irae_desktop.store.errors import ConstraintViolationError
from irae_desktop.store.models import Patient
from irae_desktop.store.paths import log_dir
from irae_desktop.store.patients import create_patient, update_patient
from tests.file_modes import mode_is

SECRET_MRN = "ZQ-774411"
SECRET_NAME = "Philippa Quennell-Wragge"


@pytest.fixture
def logged(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = setup_logging(tmp_path / "logs", level=logging.DEBUG)
    assert path is not None
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", "") == str(path):
            root.removeHandler(handler)
            handler.close()


def _write_csv(path: Path) -> None:
    path.write_text(
        "mrn,patient_name,collected_at,test,value,unit,uln\n"
        f"{SECRET_MRN},{SECRET_NAME},2026-03-01T08:00:00Z,ALT,451,U/L,40\n"
        f"{SECRET_MRN},{SECRET_NAME},2026-03-02T08:00:00Z,ALT,not-a-number,U/L,40\n"
        f"{SECRET_MRN},{SECRET_NAME},2026-03-03T08:00:00Z,ALT,77,furlongs,40\n",
        encoding="utf-8",
    )


def test_import_and_edit_log_no_patient_data(logged: Path, tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        lab_file = tmp_path / "labs.csv"
        _write_csv(lab_file)
        (summary,) = import_files(db, [lab_file], ImportOptions(user="alice"))
        assert summary.imported == 1 and summary.rejected_count == 2
        with db.read() as s:
            pid = s.query(Patient.id).filter(Patient.mrn == SECRET_MRN).scalar()
        with db.write() as s:
            update_patient(
                s,
                pid,
                expected_version=1,
                changes={"weight_kg": 61.5, "birth_date": date(1961, 2, 3)},
                user="alice",
            )
        # a bug-shaped failure carrying the row: the driver quotes the values it refused
        try:
            with db.write() as s:
                s.add(Patient(mrn=SECRET_MRN, name=SECRET_NAME))
                s.flush()
        except ConstraintViolationError:
            logging.getLogger("irae_desktop.test").exception("unexpected error while saving")
    finally:
        db.dispose()
    text = logged.read_text(encoding="utf-8")
    assert "unexpected error while saving" in text  # the failure itself is logged
    for secret in (SECRET_MRN, SECRET_NAME, "Quennell", "451", "61.5", "1961-02-03"):
        assert secret not in text, secret


def test_command_line_failure_logs_no_patient_data(logged: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    db = open_database(url)
    with db.write() as s:
        create_patient(s, PatientRecord(mrn=SECRET_MRN, name=SECRET_NAME), user="alice")
    db.dispose()
    lab_file = tmp_path / "labs.csv"
    _write_csv(lab_file)
    assert main(["--db", url, "import", str(lab_file)]) == 1  # rows were rejected
    assert main(["--db", url, "report", "NO-SUCH-MRN", "-o", str(tmp_path / "x.pdf")]) != 0
    text = logged.read_text(encoding="utf-8")
    assert SECRET_MRN not in text and SECRET_NAME not in text


def test_redaction_of_driver_messages() -> None:
    message = (
        "(psycopg.errors.UniqueViolation) duplicate key value violates unique constraint\n"
        f"DETAIL:  Key (mrn)=({SECRET_MRN}) already exists.\n"
        "[SQL: INSERT INTO patients (mrn, name) VALUES (%(mrn)s, %(name)s)]\n"
        f"[parameters: {{'mrn': '{SECRET_MRN}', 'name': '{SECRET_NAME}'}}]\n"
        "(Background on this error at: https://sqlalche.me/e/20/gkpj)"
    )
    cleaned = redact(message)
    assert SECRET_MRN not in cleaned and SECRET_NAME not in cleaned
    assert "INSERT INTO patients" in cleaned and "Background on this error" in cleaned


def test_log_file_in_user_log_dir_owner_only() -> None:
    path = setup_logging()
    try:
        assert path == log_dir() / LOG_FILE_NAME == log_file()
        logging.getLogger("irae_desktop").warning("started")
        assert mode_is(path, 0o600)
        assert mode_is(path.parent, 0o700)
        # a second call replaces the handler instead of writing every line twice
        setup_logging()
        logging.getLogger("irae_desktop").warning("once")
        assert path.read_text(encoding="utf-8").count("once") == 1
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", "") == str(path):
                root.removeHandler(handler)
                handler.close()
