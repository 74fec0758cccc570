"""`irae-desktop alerts`: the open alerts with the contract's columns, for everyone or one MRN.

ALT with ULN 40 U/L: 900 U/L is grade 4, 60 grade 1, 300 grade 3 (CTCAE v5.0).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from irae_desktop.cli.main import main
from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.database import open_database
from irae_desktop.store.labs import acknowledge_alert, add_manual_lab
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import add_line

NOW = datetime.now(UTC).replace(microsecond=0)
FLARE = "Liver: flare to grade 3 (down to 1 after grade 4)"


def utc(days_ago: int) -> str:
    return (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def setup(url: str) -> None:
    """FLARE-1: grade 4 five days ago, down to 1, a flare to 3 yesterday.
    DONE-1: the same a month ago, every alert acknowledged, grade 1 two days ago.
    OLD-1: the same a month ago, nothing acknowledged."""
    db = open_database(url)
    try:
        courses = {
            "FLARE-1": [(5, "900"), (3, "60"), (1, "300")],
            "DONE-1": [(30, "900"), (27, "60"), (24, "300"), (2, "60")],
            "OLD-1": [(30, "900"), (27, "60"), (24, "300"), (2, "60")],
        }
        with db.write() as s:
            for mrn, labs in courses.items():
                pid = create_patient(s, PatientRecord(mrn=mrn, name=mrn), user="setup").id
                start = (NOW - timedelta(days=60)).date()
                add_line(s, "setup", pid, category="ici", agent="pembrolizumab", start_date=start)
                for days_ago, value in [(61, "25"), *labs]:
                    when = NOW - timedelta(days=days_ago)
                    add_manual_lab(s, "nurse", pid, "ALT", when, value, "U/L", uln=40.0)
        from irae_desktop.store.alerts import open_alerts

        with db.write() as s:
            for a in list(open_alerts(s, NOW, mrn="DONE-1")):
                acknowledge_alert(s, "dr.lee", a.patient_id, a.key)
    finally:
        db.dispose()


def test_csv_has_the_contract_columns_and_only_open_alerts(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    setup(sqlite_url)
    assert main(["--db", sqlite_url, "alerts"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.splitlines()[0] == "mrn,kind,severity,title,rule,source,raised_at"
    got = sorted((r["mrn"], r["kind"], r["severity"], r["title"], r["raised_at"]) for r in rows)
    assert got == [
        (
            "FLARE-1",
            "flare",
            "critical",
            "Liver: flare to grade 3 (down to 1 after grade 4)",
            utc(1),
        ),
        ("FLARE-1", "grade_escalation", "critical", "Liver: new maximum grade 4", utc(5)),
        # older than 7 days and not acknowledged: still open
        (
            "OLD-1",
            "flare",
            "critical",
            "Liver: flare to grade 3 (down to 1 after grade 4)",
            utc(24),
        ),
        ("OLD-1", "grade_escalation", "critical", "Liver: new maximum grade 4", utc(30)),
    ]
    flare = next(r for r in rows if r["mrn"] == "FLARE-1" and r["kind"] == "flare")
    assert flare["source"].startswith("ASCO 2021") and "re-escalate" in flare["rule"]


def test_json_for_one_patient(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    setup(sqlite_url)
    assert main(["--db", sqlite_url, "alerts", "--patient", " OLD-1 ", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["mrn"] for r in rows} == {"OLD-1"}
    assert sorted(r["kind"] for r in rows) == ["flare", "grade_escalation"]
    assert set(rows[0]) == {"mrn", "kind", "severity", "title", "rule", "source", "raised_at"}


def test_a_patient_with_everything_acknowledged_has_no_open_alerts(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    setup(sqlite_url)
    assert main(["--db", sqlite_url, "alerts", "--patient", "DONE-1"]) == 0
    assert capsys.readouterr().out == "mrn,kind,severity,title,rule,source,raised_at\n"


def test_unknown_patient_is_a_plain_message_and_exit_1(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    setup(sqlite_url)
    assert main(["--db", sqlite_url, "alerts", "--patient", "NOBODY"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == "irae-desktop: No patient with MRN 'NOBODY' in this database."
    assert "Traceback" not in captured.err


def test_an_empty_database_prints_an_empty_list(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", sqlite_url, "alerts", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
