"""`irae-desktop settings [show | set KEY VALUE]`: every key shown, values checked (exit 2 with a
plain message, nothing changed), criteria and timezone changes regrade, audited."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from irae_desktop.cli.main import main
from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.database import open_database
from irae_desktop.store.models import AuditEvent
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import add_line

LABS_CSV = (
    "mrn,collected_at,test,value,unit,ref_range\n"
    "P1,2026-02-28 09:00,ALT,30,U/L,7-40\n"
    "P1,2026-03-03 08:00,ALT,80,U/L,7-40\n"
    "P1,2026-03-10 09:00,ALT,200,U/L,7-40\n"
)


def _show(capsys: pytest.CaptureFixture[str], url: str) -> dict[str, str]:
    assert main(["--db", url, "settings", "show"]) == 0
    lines = capsys.readouterr().out.splitlines()
    return dict(line.split("\t") for line in lines)


def _labs(capsys: pytest.CaptureFixture[str], url: str) -> list[tuple[str, str, str]]:
    assert main(["--db", url, "labs"]) == 0
    rows = csv.DictReader(io.StringIO(capsys.readouterr().out))
    return [(r["value"], r["grade"], r["baseline"]) for r in rows]


def _events(url: str, action: str) -> list[AuditEvent]:
    db = open_database(url)
    try:
        with db.read() as session:
            return list(
                session.scalars(
                    select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
                )
            )
    finally:
        db.dispose()


def test_show_prints_every_key(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    assert main(["--db", sqlite_url, "settings", "set", "timezone", "Asia/Kolkata"]) == 0
    capsys.readouterr()
    assert _show(capsys, sqlite_url) == {
        "criteria": "ctcae-5.0",
        "units": "us",
        "timezone": "Asia/Kolkata",
        "paper": "letter",
    }
    assert main(["--db", sqlite_url, "settings"]) == 0  # show is the default
    assert "timezone\tAsia/Kolkata" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "colour", "blue"], "unknown setting 'colour'; the keys are criteria, units"),
        (["set", "criteria", "ctcae-4.0"], "'ctcae-4.0' is not a valid criteria"),
        (["set", "units", "metric"], "'metric' is not a valid units; choose us or si"),
        (["set", "paper", "A5"], "'A5' is not a valid paper; choose letter or a4"),
        (["set", "timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["set", "timezone", "+11:00"], "unknown time zone '+11:00'"),
        (["set", "timezone"], "settings set needs a KEY and a VALUE"),
        (["show", "units"], "settings show takes no key or value"),
    ],
)
def test_bad_key_or_value_exits_2_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, args: list[str], message: str
) -> None:
    before = _show(capsys, sqlite_url)
    assert main(["--db", sqlite_url, "settings", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert _show(capsys, sqlite_url) == before
    assert _events(sqlite_url, "update") == []


def test_units_and_paper_change_without_regrading(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    assert main(["--db", sqlite_url, "settings", "set", "units", "SI"]) == 0
    assert capsys.readouterr().out == "units changed from us to si\n"
    assert main(["--db", sqlite_url, "settings", "set", "paper", "a4"]) == 0
    assert main(["--db", sqlite_url, "settings", "set", "paper", "a4"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "paper changed from letter to a4",
        "paper is already a4",
    ]
    assert _show(capsys, sqlite_url)["units"] == "si"
    assert len(_events(sqlite_url, "update")) == 2
    assert _events(sqlite_url, "regrade") == []


def test_timezone_and_criteria_changes_regrade_audited(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    assert main(["--db", sqlite_url, "settings", "set", "timezone", "UTC"]) == 0
    db = open_database(sqlite_url)
    try:
        with db.write() as session:
            patient = create_patient(session, PatientRecord(mrn="P1", name="Pat"), user="t")
            add_line(
                session,
                "t",
                patient.id,
                category="ici",
                agent="nivolumab",
                start_date=date(2026, 3, 2),
            )
    finally:
        db.dispose()
    path = tmp_path / "labs.csv"
    path.write_text(LABS_CSV, encoding="utf-8")
    assert main(["--db", sqlite_url, "import", str(path), "--timezone", "Australia/Sydney"]) == 0
    capsys.readouterr()
    # in UTC days the 08:00 draw the morning after the first infusion is the baseline
    assert _labs(capsys, sqlite_url) == [
        ("30.0", "0", "false"),
        ("80.0", "1", "true"),
        ("200.0", "1", "false"),
    ]

    assert main(["--db", sqlite_url, "settings", "set", "timezone", "Australia/Sydney"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "timezone changed from UTC to Australia/Sydney",
        "regraded every stored result: 3 grades changed",
    ]
    assert _labs(capsys, sqlite_url) == [
        ("30.0", "0", "true"),
        ("80.0", "1", "false"),
        ("200.0", "2", "false"),
    ]
    assert main(["--db", sqlite_url, "settings", "set", "criteria", "ctcae-6.0"]) == 0
    assert "regraded every stored result" in capsys.readouterr().out
    regrades = _events(sqlite_url, "regrade")
    assert [e.reason for e in regrades[-2:]] == [
        "timezone changed from UTC to Australia/Sydney on the command line",
        "criteria changed from ctcae-5.0 to ctcae-6.0 on the command line",
    ]
    assert json.loads(regrades[-2].after_json or "")["results_changed"] == 3
    assert json.loads(regrades[-1].after_json or "")["criteria_set"] == "ctcae-6.0"
