"""The summary's recent-results table splits into tables of at most seven analytes, so a patient
with liver, glucose and treatment-safety labs gets readable column heads on letter paper."""

from __future__ import annotations

from datetime import UTC, datetime

from irae_desktop.domain.timeline import LabPoint
from irae_desktop.reports.layout import styles
from irae_desktop.reports.summary_tables import lab_grids

CODES = ("ALT", "AST", "TBILI", "GLUCOSE", "CPEPTIDE", "HBA1C", "ALC", "ANC", "HGB", "PLT", "CREAT")
UNITS = {"ALT": "U/L", "AST": "U/L", "TBILI": "mg/dL", "GLUCOSE": "mg/dL", "CPEPTIDE": "ng/mL",
         "HBA1C": "%", "ALC": "10^3/µL", "ANC": "10^3/µL", "HGB": "g/dL", "PLT": "10^3/µL",
         "CREAT": "mg/dL"}  # fmt: skip


def test_eleven_analytes_make_a_table_of_seven_and_one_of_four() -> None:
    at = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
    points = [
        LabPoint(n, code, at, 1.0, "", UNITS[code], None, None, None, None, None, False, "t")
        for n, code in enumerate(CODES, start=1)
    ]
    tables = lab_grids(points, 540.0, styles())
    # "Collected" and the analytes, in display order, the liver and glucose tests first
    assert [len(t._cellvalues[0]) for t in tables] == [8, 4 + 1]
    assert [len(t._cellvalues) for t in tables] == [2, 2]  # the head and one collection time
