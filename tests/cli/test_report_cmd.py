"""`irae-desktop report` and `handoff` from the command line: files, messages and exit codes."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from sqlalchemy import select

from irae_desktop.cli.main import main
from irae_desktop.store.database import open_database
from irae_desktop.store.models import AuditEvent
from tests.reports.factory import hepatitis_patient
from tests.reports.pdftext import page_sizes, page_texts


@pytest.fixture
def url(sqlite_url: str) -> str:
    db = open_database(sqlite_url)
    with db.write() as s:
        hepatitis_patient(s, "CLI-1", "Ana Núñez")
    db.dispose()
    return sqlite_url


def test_report_writes_the_patient_summary(url: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ana.pdf"
    assert main(["--db", url, "report", "CLI-1", "-o", str(out), "--paper", "a4"]) == 0
    texts = page_texts(out)
    assert all("Ana Núñez" in t and "MRN CLI-1" in t for t in texts)
    assert round(page_sizes(out)[0][0]) == 595
    said = capsys.readouterr().out
    assert f"({len(texts)} page" in said and str(out) in said


def test_report_unknown_mrn_exits_1_with_a_plain_message(url: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.pdf"
    assert main(["--db", url, "report", "NOBODY", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "No patient with MRN 'NOBODY'" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_report_into_a_missing_folder_exits_1(url: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", url, "report", "CLI-1", "-o", str(tmp_path / "no" / "x.pdf")]) == 1
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "CLI-1"],  # no -o
        ["report", "-o", "x.pdf"],  # no MRN
        ["report", "CLI-1", "-o", "x.pdf", "--paper", "legal"],
        ["report", "CLI-1", "-o", "x.pdf", "--lab-days", "soon"],
        ["handoff"],
        ["handoff", "-o", "x.pdf", "--paper", "A5"],
    ],
)
def test_usage_errors_exit_2(url: str, argv: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exited:
        main(["--db", url, *argv])
    assert exited.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_negative_lab_days_is_a_usage_error(url: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert (
        main(["--db", url, "report", "CLI-1", "-o", str(tmp_path / "x.pdf"), "--lab-days", "-3"])
        == 2
    )
    assert "--lab-days" in capsys.readouterr().err


def test_handoff_writes_the_service_list_and_audits_it(
    url: str, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("IRAE_USER", "charge.nurse")
    out = tmp_path / "list.pdf"
    assert main(["--db", url, "handoff", "-o", str(out)]) == 0
    text = page_texts(out)[0]
    # the list names the operating-system user; IRAE_USER is kept as a claim in the trail only
    assert "MRN CLI-1" in text and f"by {getpass.getuser()}" in text
    assert "Wrote the service handoff list (1 page)" in capsys.readouterr().out
    db = open_database(url)
    try:
        with db.read() as s:
            event = s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
        assert (event.claimed_by, event.entity) == ("charge.nurse", "service_list")
    finally:
        db.dispose()
