"""Doses given, one per row (infusion records), imported as lines with their doses and holds;
re-import adds nothing; a dry run writes nothing; bad rows say which and why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from irae_desktop.domain.records import PatientRecord
from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import Database
from irae_desktop.store.models import DoseStep, TreatmentHold, TreatmentLine
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import list_lines

INFUSIONS = """\
MRN,Medication,Dose,Unit,Route,Administered At
A-1,Opdivo,480,mg,IV,2024-01-02 09:30
A-1,OPDIVO,480,mg,IV,2024-01-30 10:00
A-1,Opdivo,480,mg,IV,2024-04-02 09:15
A-1,Medrol,32,mg,PO,2024-03-01
A-1,Medrol,32,mg,PO,2024-03-02
A-1,Medrol,16,mg,PO,2024-03-03
A-1,Tylenol,1,g,PO,2024-03-01
A-9,Yervoy,3,mg/kg,IV,2024-01-02
A-1,Opdivo,,mg,IV,yesterday
"""


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "infusions.csv"
    path.write_text(INFUSIONS, encoding="utf-8")
    return path


def _patient(db: Database) -> int:
    with db.write() as s:
        return create_patient(s, PatientRecord(mrn="A-1", name="Ann"), user="alice").id


def test_infusions_become_a_line_with_a_dose_each_and_a_hold_for_the_gap(
    db: Database, tmp_path: Path
) -> None:
    pid = _patient(db)

    (summary,) = import_files(db, [_file(tmp_path)], ImportOptions(timezone="UTC"))

    assert (summary.layout, summary.rows_read, summary.imported) == (
        "treatment administrations", 9, 6,
    )  # fmt: skip
    assert sorted((r.ref, r.column, r.reason) for r in summary.rejected) == [
        ("line 10", "given", "unrecognised date/time: 'yesterday'"),
        ("line 8", "agent", "unknown agent 'Tylenol': not a drug this program tracks"),
    ]  # fmt: skip
    # A-9 is no patient here: the dose waits for someone to assign it
    assert summary.unmatched == 1
    with db.read() as s:
        nivo, medrol = list_lines(s, pid)
        assert (nivo.category, nivo.agent, nivo.dose, nivo.dose_unit, nivo.route) == (
            "ici", "nivolumab", 480.0, "mg", "IV",
        )  # fmt: skip
        assert (nivo.start_date, nivo.stop_date) == (date(2024, 1, 2), None)
        assert [(x.start_date, x.dose) for x in nivo.dose_steps] == [
            (date(2024, 1, 2), 480.0), (date(2024, 1, 30), 480.0), (date(2024, 4, 2), 480.0),
        ]  # fmt: skip
        # due 27 February (28 days after 30 January), given 2 April: held in between
        assert [(h.start_date, h.end_date) for h in nivo.holds] == [
            (date(2024, 2, 27), date(2024, 4, 1))
        ]
        assert (medrol.agent, medrol.category, medrol.dose, medrol.start_date) == (
            "methylprednisolone", "immunosuppression", 32.0, date(2024, 3, 1),
        )  # fmt: skip
        # a daily drug stops on its last dose given; an ICI stays open
        assert (medrol.stop_date, nivo.stop_date) == (date(2024, 3, 3), None)
        # a daily drug: the starting dose, then the day it was tapered
        assert [(x.start_date, x.dose) for x in medrol.dose_steps] == [(date(2024, 3, 3), 16.0)]


def test_reimport_adds_nothing(db: Database, tmp_path: Path) -> None:
    _patient(db)
    import_files(db, [_file(tmp_path)], ImportOptions(timezone="UTC"))

    (again,) = import_files(db, [_file(tmp_path)], ImportOptions(timezone="UTC"))

    # A-9's dose, held the first time, is a duplicate now: nothing is held twice
    assert (again.imported, again.duplicates, again.unmatched) == (0, 7, 0)
    with db.read() as s:
        counts = [
            s.scalar(select(func.count()).select_from(t))
            for t in (TreatmentLine, DoseStep, TreatmentHold)
        ]
    assert counts == [2, 4, 1]


def test_later_infusions_go_onto_the_stored_line(db: Database, tmp_path: Path) -> None:
    pid = _patient(db)
    import_files(db, [_file(tmp_path)], ImportOptions(timezone="UTC"))
    later = tmp_path / "later.csv"
    later.write_text(
        "MRN,Medication,Dose,Unit,Administered At\n"
        "A-1,Opdivo,480,mg,2024-04-02 09:15\n"
        "A-1,Opdivo,480,mg,2024-04-30 09:15\n",
        encoding="utf-8",
    )

    (summary,) = import_files(db, [later], ImportOptions(timezone="UTC"))

    assert (summary.imported, summary.duplicates) == (1, 1)
    with db.read() as s:
        nivo = list_lines(s, pid)[0]
        assert [x.start_date for x in nivo.dose_steps][-2:] == [date(2024, 4, 2), date(2024, 4, 30)]


def test_dry_run_writes_nothing(db: Database, tmp_path: Path) -> None:
    _patient(db)

    (summary,) = import_files(db, [_file(tmp_path)], ImportOptions(timezone="UTC", dry_run=True))

    assert summary.imported == 6
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(TreatmentLine)) == 0
        assert s.scalar(select(func.count()).select_from(DoseStep)) == 0


def test_later_doses_of_a_daily_drug_carry_its_stop_forward(db: Database, tmp_path: Path) -> None:
    pid = _patient(db)
    import_files(db, [_file(tmp_path)], ImportOptions(timezone="UTC"))
    later = tmp_path / "later.csv"
    later.write_text(
        "MRN,Medication,Dose,Unit,Administered At\n"
        "A-1,Medrol,16,mg,2024-03-04\n"
        "A-1,Medrol,8,mg,2024-03-05\n",
        encoding="utf-8",
    )

    (summary,) = import_files(db, [later], ImportOptions(timezone="UTC"))

    assert (summary.imported, summary.duplicates) == (2, 0)
    with db.read() as s:
        medrol = list_lines(s, pid)[1]
        assert medrol.stop_date == date(2024, 3, 5)
        assert [(x.start_date, x.dose) for x in medrol.dose_steps] == [
            (date(2024, 3, 3), 16.0), (date(2024, 3, 5), 8.0),
        ]  # fmt: skip


def test_doses_given_on_each_database(any_db_url: str, tmp_path: Path) -> None:
    from irae_desktop.store.database import open_database

    db = open_database(any_db_url)
    try:
        _patient(db)
        (first,) = import_files(db, [_file(tmp_path)], ImportOptions(timezone="UTC"))
        (again,) = import_files(db, [_file(tmp_path)], ImportOptions(timezone="UTC"))
        with db.read() as s:
            counts = [
                s.scalar(select(func.count()).select_from(t))
                for t in (TreatmentLine, DoseStep, TreatmentHold)
            ]
    finally:
        db.dispose()
    # A-9's dose is held once, then counted as a duplicate
    assert (first.imported, first.error, again.imported, again.duplicates) == (6, "", 0, 7)
    assert counts == [2, 4, 1]
