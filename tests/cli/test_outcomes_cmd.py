"""`irae-desktop outcomes`: the contract columns, filters, and the Safe Harbor rules of the
de-identified export (study ID, no dates, 90+, no free text unless asked, every export audited)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from irae_desktop.cli.main import main
from irae_desktop.domain.deidentify import age_text, study_id
from irae_desktop.store.database import open_database
from irae_desktop.store.models import AuditEvent, IrAEEpisode, LabResult, Patient, TreatmentLine

CONTRACT = (
    "patient",
    "agent",
    "irae",
    "start_day",
    "peak_grade_before",
    "days_to_grade_le1",
    "days_to_50pct_fall",
    "followup_days",
    "reached_grade_le1",
)


def _demo(capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert main(["--db", url, "demo"]) == 0
    capsys.readouterr()


def _export(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> str:
    assert main(["--db", url, "outcomes", *extra]) == 0
    return capsys.readouterr().out


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_contract_columns_and_filters(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    _demo(capsys, sqlite_url)
    rows = _csv(_export(capsys, sqlite_url))
    assert set(CONTRACT) <= set(rows[0])
    # the demo's hepatitis patient: prednisone, methylprednisolone, MMF, tofacitinib, then the
    # prednisone taper; the mild transaminitis patient: prednisone (demo_data.py)
    assert [(r["patient"], r["agent"], r["line_position"]) for r in rows] == [
        ("DEMO-0001", "prednisone", "1"),
        ("DEMO-0001", "methylprednisolone", "2"),
        ("DEMO-0001", "mycophenolate mofetil", "3"),
        ("DEMO-0001", "tofacitinib", "4"),
        ("DEMO-0001", "prednisone", "5"),
        ("DEMO-0004", "prednisone", "1"),
    ]
    assert {r["reached_grade_le1"] for r in rows} <= {"true", "false"}
    only = _csv(_export(capsys, sqlite_url, "--agent", "Xeljanz"))
    assert [r["agent"] for r in only] == ["tofacitinib"]
    firsts = _csv(_export(capsys, sqlite_url, "--line", "1"))
    assert [r["patient"] for r in firsts] == ["DEMO-0001", "DEMO-0004"]
    payload = json.loads(_export(capsys, sqlite_url, "--format", "json", "--agent", "tofacitinib"))
    assert payload[0]["agent"] == "tofacitinib" and payload[0]["reached_grade_le1"] == "true"


def _identifiers(url: str) -> set[str]:
    """Every name, MRN, birth date and calendar date of the database, as text."""
    db = open_database(url)
    found: set[str] = set()
    days: set[date] = set()
    try:
        with db.read() as s:
            for p in s.scalars(select(Patient)):
                found |= {p.mrn, p.name}
                if p.birth_date:
                    days.add(p.birth_date)
            for at in s.scalars(select(LabResult.collected_at)):
                days |= {
                    at.date(),
                    (at + timedelta(days=1)).date(),
                    (at - timedelta(days=1)).date(),
                }
            for t in s.scalars(select(TreatmentLine)):
                days |= {t.start_date} | ({t.stop_date} if t.stop_date else set())
            for e in s.scalars(select(IrAEEpisode)):
                days.add(e.onset)
    finally:
        db.dispose()
    for day in days:
        found |= {day.isoformat(), day.strftime("%m/%d/%Y"), day.strftime("%d/%m/%Y")}
    return found


def test_deidentified_export_contains_no_identifier(capsys, sqlite_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _demo(capsys, sqlite_url)
    out = tmp_path / "deid.csv"
    dictionary = tmp_path / "dictionary.csv"
    assert main(["--db", sqlite_url, "outcomes", "--deidentify", "-o", str(out),
                 "--dictionary", str(dictionary)]) == 0  # fmt: skip
    assert "Wrote 6 line(s)" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    text += json.dumps(json.loads(_export(capsys, sqlite_url, "--deidentify", "--format", "json")))
    assert "DEMO-" not in text
    leaked = [item for item in _identifiers(sqlite_url) if item in text]
    assert leaked == []
    assert re.search(r"\d{4}-\d{2}-\d{2}", text) is None
    rows = _csv(out.read_text(encoding="utf-8"))
    assert "start_date" not in rows[0] and "indication" not in rows[0]
    assert all(re.fullmatch(r"S-[0-9A-F]{16}", r["patient"]) for r in rows)
    described = _csv(dictionary.read_text(encoding="utf-8"))
    assert [d["Variable / Field Name"] for d in described] == list(rows[0])
    assert described[0]["Variable / Field Name"] == "record_id"


def test_study_id_is_stable_per_database_and_differs_between_databases(
    capsys,
    sqlite_url,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    _demo(capsys, sqlite_url)
    first = _csv(_export(capsys, sqlite_url, "--deidentify"))
    again = _csv(_export(capsys, sqlite_url, "--deidentify"))
    assert [r["patient"] for r in first] == [r["patient"] for r in again]
    other = f"sqlite:///{tmp_path / 'other.db'}"
    _demo(capsys, other)
    elsewhere = _csv(_export(capsys, other, "--deidentify"))
    assert {r["patient"] for r in elsewhere}.isdisjoint({r["patient"] for r in first})


def test_study_id_is_the_hmac_of_the_mrn() -> None:
    # RFC 4231 test case 6: key 131 bytes of 0xaa, HMAC-SHA-256 of this text starts 60e43159...
    text = "Test Using Larger Than Block-Size Key - Hash Key First"
    assert study_id(b"\xaa" * 131, text) == "S-60E431591EE0B67F"
    with pytest.raises(ValueError, match="at least 32 bytes"):
        study_id(b"short", "MRN1")


def test_ages_over_89_are_90_plus() -> None:
    assert age_text(date(1930, 6, 1), date(2020, 5, 31)) == "89"
    assert age_text(date(1930, 6, 1), date(2020, 6, 1)) == "90+"
    assert age_text(None, date(2020, 6, 1)) == ""


def test_free_text_only_when_asked_and_every_export_audited(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    _demo(capsys, sqlite_url)
    plain = _csv(_export(capsys, sqlite_url, "--deidentify"))
    assert "indication" not in plain[0]
    asked = _csv(_export(capsys, sqlite_url, "--deidentify", "--include-free-text"))
    assert "indication" in asked[0]
    db = open_database(sqlite_url)
    try:
        with db.read() as s:
            events = s.scalars(
                select(AuditEvent).where(AuditEvent.action == "export outcomes")
            ).all()
    finally:
        db.dispose()
    assert len(events) == 2


def test_unknown_agent_gives_an_empty_table(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    _demo(capsys, sqlite_url)
    rows = _csv(_export(capsys, sqlite_url, "--agent", "nothing-like-this"))
    assert rows == []


def test_pdf_needs_a_file_and_is_written_whole(capsys, sqlite_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _demo(capsys, sqlite_url)
    assert main(["--db", sqlite_url, "outcomes", "--format", "pdf"]) == 2
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "series.pdf"
    assert main(["--db", sqlite_url, "outcomes", "--format", "pdf", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in folder.iterdir()] == ["series.pdf"]  # no part file left behind
