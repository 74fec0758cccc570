"""Treatment lines from a CSV file, one line per row: brand names to generics, categories from
the agent, rows refused with their line and reason, re-import and dry run, the audit, and the
regrade when the first ICI start moves."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

from irae_desktop.domain.records import PatientRecord
from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import Database
from irae_desktop.store.labs import add_manual_lab
from irae_desktop.store.models import (
    AuditEvent,
    HeldTreatmentRow,
    ImportBatch,
    LabResult,
    TreatmentLine,
)
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import add_line, list_lines

ENGLISH = """\
MRN,Drug,Dose,Unit,Frequency,Route,Start date,Stop date,Indication
P-1,KEYTRUDA,200,mg,q3w,IV,2024-01-15,,melanoma
P-1,Solu-Medrol,1,mg/kg,BID,IV,2024-03-01,2024-03-04,hepatitis
P-1,CellCept,1000,mg,bid,PO,2024-03-10,,steroid-refractory hepatitis
P-2,Lantus,10,units,daily,SC,2024-05-02,,ICI diabetes
P-2,aspirin,100,mg,daily,PO,2024-05-02,,
P-9,Opdivo,240,mg,q2w,IV,2024-01-01,,
P-2,Xeljanz,five,mg,bid,PO,2024-05-03,,
P-2,Olumiant,4,mg,daily,PO,2024-06-01,2024-05-01,
"""


def _patients(db: Database) -> dict[str, int]:
    with db.write() as s:
        return {
            mrn: create_patient(s, PatientRecord(mrn=mrn, name=mrn), user="alice").id
            for mrn in ("P-1", "P-2")
        }


def _write(tmp_path: Path, text: str, name: str = "lines.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def _lines(db: Database, patient_id: int) -> list[tuple[object, ...]]:
    with db.read() as s:
        return [
            (
                x.category, x.agent, x.dose, x.dose_unit, x.frequency, x.route,
                x.start_date, x.stop_date, x.indication,
            )
            for x in list_lines(s, patient_id)
        ]  # fmt: skip


def test_lines_are_stored_under_their_generic_names_with_the_category_of_the_agent(
    db: Database, tmp_path: Path
) -> None:
    ids = _patients(db)

    (summary,) = import_files(db, [_write(tmp_path, ENGLISH)], ImportOptions(user="bob"))

    assert (summary.format, summary.layout) == ("csv", "treatment lines")
    assert (summary.rows_read, summary.imported, summary.duplicates) == (8, 4, 0)
    assert [(r.ref, r.column) for r in summary.rejected] == [
        ("line 6", "agent"),
        ("line 8", "dose"),
        ("line 9", "stop"),
    ]
    # P-9 is no patient here: the line waits for someone to assign it
    assert summary.unmatched == 1
    reasons = [r.reason for r in summary.rejected]
    assert reasons[0] == "unknown agent 'aspirin': not a drug this program tracks"
    assert reasons[1] == "dose 'five' is not a number"
    assert reasons[2] == "the stop date 2024-05-01 is before the start date 2024-06-01"
    assert _lines(db, ids["P-1"]) == [
        ("ici", "pembrolizumab", 200.0, "mg", "q3w", "IV", date(2024, 1, 15), None, "melanoma"),
        (
            "immunosuppression", "methylprednisolone", 1.0, "mg/kg", "BID", "IV",
            date(2024, 3, 1), date(2024, 3, 4), "hepatitis",
        ),
        (
            "immunosuppression", "mycophenolate mofetil", 1000.0, "mg", "bid", "PO",
            date(2024, 3, 10), None, "steroid-refractory hepatitis",
        ),
    ]  # fmt: skip
    assert _lines(db, ids["P-2"]) == [
        ("insulin", "insulin glargine", 10.0, "units", "daily", "SC", date(2024, 5, 2), None,
         "ICI diabetes"),
    ]  # fmt: skip
    with db.read() as s:
        pembro = list_lines(s, ids["P-1"])[0]
        assert pembro.notes == "imported from lines.csv line 2 as 'KEYTRUDA'"
        creates = s.scalars(select(AuditEvent).where(AuditEvent.entity == "treatment_line")).all()
        (imported,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
    assert [(e.action, e.user) for e in creates] == [("create", "bob")] * 4
    after = json.loads(imported.after_json or "{}")
    assert (after["imported"], after["rejected"], after["unmatched"], imported.user) == (
        4, 3, 1, "bob",
    )  # fmt: skip


def test_reimport_adds_nothing(db: Database, tmp_path: Path) -> None:
    _patients(db)
    path = _write(tmp_path, ENGLISH)
    import_files(db, [path])

    (again,) = import_files(db, [path])

    # the four stored lines and P-9's line, already held, are duplicates; nothing is held twice
    assert (again.imported, again.duplicates, again.unmatched, again.rejected_count) == (
        0, 5, 0, 3,
    )  # fmt: skip
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(TreatmentLine)) == 4


def test_a_line_typed_by_brand_is_the_same_line_as_its_generic(
    db: Database, tmp_path: Path
) -> None:
    ids = _patients(db)
    with db.write() as s:  # typed in the window by its brand name
        add_line(s, "alice", ids["P-1"], category="ici", agent="Keytruda",
                 start_date=date(2024, 1, 15))  # fmt: skip

    (again,) = import_files(
        db, [_write(tmp_path, "MRN,Agent,Start,Dose,Unit\nP-1,pembrolizumab,2024-01-15,200,mg\n")]
    )

    assert (again.imported, again.duplicates) == (0, 1)
    assert again.warnings[0].reason == (
        "pembrolizumab from 2024-01-15 is already stored and was left as it is "
        "(dose None stored, 200.0 in the file; dose_unit None stored, mg in the file)"
    )
    assert len(_lines(db, ids["P-1"])) == 1


def test_dry_run_writes_nothing(db: Database, tmp_path: Path) -> None:
    _patients(db)

    (summary,) = import_files(db, [_write(tmp_path, ENGLISH)], ImportOptions(dry_run=True))

    # P-9's line would be held; the dry run holds nothing
    assert (summary.imported, summary.unmatched, summary.rejected_count) == (4, 1, 3)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(TreatmentLine)) == 0
        assert s.scalar(select(func.count()).select_from(HeldTreatmentRow)) == 0
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert (
            s.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "import")
            )
            == 0
        )


def test_german_headers_semicolons_decimal_commas_and_dotted_dates(
    db: Database, tmp_path: Path
) -> None:
    ids = _patients(db)
    text = (
        "Patienten-ID;Medikament;Dosis;Einheit;Häufigkeit;Applikationsweg;Beginn;Ende;Indikation\n"
        "P-1;Opdivo;2,5;mg/kg;q2w;i.v.;03.02.2024;;Melanom\n"
        "P-1;Urbason;40;mg;1-0-0;p.o.;01.04.2024;15.04.2024;Kolitis\n"
    )

    (summary,) = import_files(db, [_write(tmp_path, text, encoding="cp1252")])

    assert (summary.imported, summary.rejected_count) == (2, 0)
    assert _lines(db, ids["P-1"]) == [
        ("ici", "nivolumab", 2.5, "mg/kg", "q2w", "i.v.", date(2024, 2, 3), None, "Melanom"),
        (
            "immunosuppression", "methylprednisolone", 40.0, "mg", "1-0-0", "p.o.",
            date(2024, 4, 1), date(2024, 4, 15), "Kolitis",
        ),
    ]  # fmt: skip


def test_a_combination_on_one_row_and_a_wrong_category_are_refused(
    db: Database, tmp_path: Path
) -> None:
    _patients(db)
    text = (
        "MRN,Medication,Category,Start\n"
        "P-1,nivolumab + ipilimumab,ici,2024-01-01\n"
        "P-1,infliximab,ici,2024-02-01\n"
    )

    (summary,) = import_files(db, [_write(tmp_path, text)])

    assert [(r.ref, r.column, r.reason) for r in summary.rejected] == [
        (
            "line 2",
            "agent",
            "'nivolumab + ipilimumab' names more than one agent (ipilimumab, nivolumab); "
            "give one line per agent",
        ),
        ("line 3", "category", "category 'ici' does not fit infliximab (immunosuppression)"),
    ]
    assert summary.imported == 0


def _alt(db: Database, patient_id: int) -> dict[str, tuple[int | None, bool]]:
    with db.read() as s:
        rows = s.scalars(select(LabResult).where(LabResult.patient_id == patient_id)).all()
        return {r.collected_at.date().isoformat(): (r.grade, r.is_baseline) for r in rows}


def test_an_import_that_moves_the_first_ici_start_regrades_the_results(
    db: Database, tmp_path: Path
) -> None:
    ids = _patients(db)
    pid = ids["P-1"]
    with db.write() as s:
        for day, value in ((1, "100"), (20, "130")):
            at = datetime(2024, 1, day, 12, tzinfo=UTC)
            add_manual_lab(s, "alice", pid, "ALT", at, value, "U/L", uln=40.0)
    # no ICI yet: the baseline is taken as normal, and 130 U/L is 3.25 x ULN: CTCAE v5.0 grade 2
    assert _alt(db, pid)["2024-01-20"] == (2, False)

    (summary,) = import_files(
        db, [_write(tmp_path, "MRN,Agent,Start\nP-1,Keytruda,2024-01-10\n", "a.csv")]
    )

    # the ICI started on 10 January: 100 U/L of 1 January is the (abnormal) baseline, and 130 is
    # 1.3 x baseline, under the 1.5 x baseline of grade 1 (clinical reference, decision 2)
    assert _alt(db, pid) == {"2024-01-01": (1, True), "2024-01-20": (0, False)}
    assert "the first ICI start moves for 1 patient(s)" in summary.warnings[0].reason

    import_files(db, [_write(tmp_path, "MRN,Agent,Start\nP-1,Yervoy,2023-12-01\n", "b.csv")])

    # the first ICI start moved before every result: no baseline, grade 2 again
    assert _alt(db, pid)["2024-01-20"] == (2, False)


def test_import_and_reimport_on_each_database(any_db_url: str, tmp_path: Path) -> None:
    from irae_desktop.store.database import open_database

    db = open_database(any_db_url)
    try:
        _patients(db)
        path = _write(tmp_path, ENGLISH)
        (first,) = import_files(db, [path])
        (again,) = import_files(db, [path])
        with db.read() as s:
            stored = s.scalar(select(func.count()).select_from(TreatmentLine))
    finally:
        db.dispose()
    assert (first.imported, first.unmatched, first.rejected_count, first.error) == (4, 1, 3, "")
    # P-9's line was held the first time: again it is a duplicate, not a second held row
    assert (again.imported, again.duplicates, again.unmatched, stored) == (0, 5, 0, 4)


def test_a_timed_start_counts_on_its_clinical_day_and_a_cream_is_refused(
    db: Database, tmp_path: Path
) -> None:
    from irae_desktop.store.settings import set_setting

    ids = _patients(db)
    with db.write() as s:
        set_setting(s, "alice", "clinical_timezone", "Australia/Sydney")
    text = (
        "MRN,Agent,Start\n"
        "P-1,Keytruda,2024-01-14T22:00:00Z\n"
        "P-1,hydrocortisone 1% cream,2024-01-20\n"
    )

    (summary,) = import_files(db, [_write(tmp_path, text)])

    # 22:00 UTC on 14 January is 09:00 on 15 January in Sydney (clinical reference, decision 10)
    assert [x[6] for x in _lines(db, ids["P-1"])] == [date(2024, 1, 15)]
    assert [(r.ref, r.reason) for r in summary.rejected] == [
        ("line 3", "'hydrocortisone 1% cream' acts where it is applied: not a systemic treatment")
    ]
