"""`irae-desktop alerts` shows the treatment safety kinds for patients stored with the data that
raise them: results typed in SI and US units, lines as the window records them (clinical
reference, section 10). Days are counted back from now."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

from irae_desktop.cli.main import main
from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.store.database import open_database
from irae_desktop.store.labs import add_manual_lab
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import add_line

NOW = datetime.now(UTC).replace(microsecond=0)


def _ago(days: int) -> datetime:
    return NOW - timedelta(days=days, hours=1)


def _day(days: int) -> date:
    return (NOW - timedelta(days=days)).date()


# 66 years old on the day the creatinine was drawn (two days ago), whatever day the test runs
_DRAWN = _day(2)
BIRTH = date(_DRAWN.year - 66, _DRAWN.month, 1) - timedelta(days=20)


def setup(url: str) -> None:
    """JAK-1: tofacitinib for 10 days, lymphocytes below 500/mm3 twice, creatinine 106 µmol/L
    at 66 (eGFR about 50), no infection screen. MMF-1: mycophenolate for 20 days, ANC 1.1
    x10^9/L ten days ago and no count since. PRED-1: prednisone 40 mg for 40 days, and a second
    prednisone line five days ago."""
    db = open_database(url)
    try:
        with db.write() as s:
            jak = create_patient(
                s,
                PatientRecord(
                    mrn="JAK-1", name="JAK-1", birth_date=date(1960, 1, 1), sex=Sex.FEMALE
                ),
                user="setup",
            ).id
            add_line(
                s,
                "setup",
                jak,
                category="immunosuppression",
                agent="Xeljanz",
                start_date=_day(10),
                dose=5,
                dose_unit="mg",
                frequency="twice daily",
            )
            for days, code, value, unit in [
                (12, "ALC", "0.9", "10^9/L"),
                (12, "ANC", "2.0", "10^9/L"),
                (12, "HGB", "110", "g/L"),
                (5, "ALC", "450", "cells/µL"),
                (2, "ALC", "0.4", "10^3/µL"),
                (2, "CREAT", "106", "µmol/L"),
            ]:
                add_manual_lab(s, "nurse", jak, code, _ago(days), value, unit)
            mmf = create_patient(s, PatientRecord(mrn="MMF-1", name="MMF-1"), user="setup").id
            add_line(
                s,
                "setup",
                mmf,
                category="immunosuppression",
                agent="CellCept",
                start_date=_day(20),
                dose=1000,
                dose_unit="mg",
                frequency="twice daily",
            )
            add_manual_lab(s, "nurse", mmf, "ANC", _ago(10), "1.1", "10^9/L")
            add_manual_lab(s, "nurse", mmf, "HGB", _ago(10), "10.2", "g/dL")
            pred = create_patient(
                s, PatientRecord(mrn="PRED-1", name="PRED-1", weight_kg=70), user="setup"
            ).id
            add_line(
                s,
                "setup",
                pred,
                category="immunosuppression",
                agent="prednisone",
                start_date=_day(40),
                dose=40,
                dose_unit="mg",
                frequency="daily",
            )
            add_line(
                s,
                "setup",
                pred,
                category="immunosuppression",
                agent="Deltasone",
                start_date=_day(5),
                dose=30,
                dose_unit="mg",
                frequency="daily",
            )
    finally:
        db.dispose()


def test_every_safety_kind_through_the_command_line(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    setup(sqlite_url)
    assert main(["--db", sqlite_url, "alerts"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    got = sorted((r["mrn"], r["kind"], r["severity"], r["title"]) for r in rows)
    assert got == [
        ("JAK-1", "infection_screening", "warning", "Tofacitinib: infection screening missing"),
        ("JAK-1", "jak_lab_threshold", "critical", "Tofacitinib: discontinue (ALC 0.4 x10^3/µL)"),
        ("JAK-1", "jak_renal", "warning", "Tofacitinib: reduce the dose (eGFR 50 mL/min/1.73 m²)"),
        ("MMF-1", "labs_overdue", "warning", "Blood counts due on mycophenolate mofetil"),
        (
            "MMF-1",
            "mmf_cytopenia",
            "critical",
            "Mycophenolate mofetil: interrupt or reduce the dose (ANC 1.1 x10^3/µL)",
        ),
        ("PRED-1", "duplicate_line", "warning", "Two prednisone lines at once"),
        ("PRED-1", "pjp_prophylaxis", "warning", "Pneumocystis prophylaxis to consider"),
    ]
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["jak_lab_threshold"]["rule"].endswith(
        "before it: lymphocytes <500 cells/mm3, confirmed by repeat testing: discontinue"
    )
    assert by_kind["jak_renal"]["rule"].startswith(
        "eGFR 50 mL/min/1.73 m², CKD-EPI 2021 creatinine equation from creatinine 1.1991 mg/dL"
    )
    assert by_kind["pjp_prophylaxis"]["source"] == (
        "ASCO 2021; NCCN (Prevention and Treatment of Cancer-Related Infections)"
    )
    assert all(r["raised_at"].endswith("Z") for r in rows)


def test_one_patient_as_json(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    setup(sqlite_url)
    assert main(["--db", sqlite_url, "alerts", "--patient", "MMF-1", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted(r["kind"] for r in rows) == ["labs_overdue", "mmf_cytopenia"]
    overdue = next(r for r in rows if r["kind"] == "labs_overdue")
    assert overdue["rule"].startswith(
        "the label asks for complete blood counts weekly in the first month, twice a month in "
        "months 2 and 3, then monthly; last drawn on "
    )
    assert overdue["rule"].endswith(" days ago")
