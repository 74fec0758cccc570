"""Importing the treatment-safety analytes: by LOINC and by local name, from a US export and
from a German one with decimal commas, stored in the canonical unit (checked to 6 significant
figures) with the grade worked by hand from docs/clinical-reference.md, section 9 (CTCAE
v5.0). A differential's percentage is listed as such and never stored as a count; a row that
cannot say which it is is refused.

Conversions by hand: counts 1 x10^9/L = 1 x10^3/µL = 1,000/µL; hemoglobin 1 mmol/L =
1/0.6206 g/dL; creatinine 1 µmol/L = 1/88.4 mg/dL; cholesterol 1 mmol/L = 38.67 mg/dL;
triglycerides 1 mmol/L = 88.57 mg/dL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from irae_desktop.store.database import Database
from irae_desktop.store.models import AppSetting
from tests.importers.helpers import add_patients, labs, run

US_EXPORT = """mrn,name,dob,collected,loinc,test,value,unit,ref_low,ref_high
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,731-0,"Lymphocytes, Absolute",0.45,x10E3/uL,1.0,4.0
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,,ANC,1200,cells/uL,1800,7700
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,718-7,Hemoglobin,9.5,g/dL,12.0,16.0
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,,PLT,48,K/uL,150,400
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,2160-0,Creatinine,2.0,mg/dL,0.6,1.2
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,98979-8,eGFR,35,mL/min/1.73m2,,
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,,Chol,320,mg/dL,,200
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,,LDL-C,190,mg/dL,,130
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,,TG,150,mg/dL,,150
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,,Lymphocytes %,12,%,20,44
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,,Lymphocytes,1.1,10^9/L,1.0,4.0
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,,TG,2.1,ng/mL,0,55
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,,ALC,25,%,20,44
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,,Neutrophils,2.5,,,
US-1,Pat Safety,1961-03-14,2026-05-04T08:00:00,,Neutrophils %,60,%,40,75
"""

# (analyte, canonical value, canonical unit, text, unit as written, LLN, ULN, grade)
Row = tuple[str, float, str, str, str, float | None, float | None, int | None]

US_STORED: dict[str, Row] = {
    # 0.45 x10^9/L: below 0.5, at or above 0.2: grade 3
    "line 2": ("ALC", 0.45, "10^3/µL", "0.45", "x10E3/uL", 1.0, 4.0, 3),
    # 1,200/µL = 1.2: below 1.5, at or above 1.0: grade 2
    "line 3": ("ANC", 1.2, "10^3/µL", "1200", "cells/uL", 1.8, 7.7, 2),
    # 9.5 g/dL: below 10.0, at or above 8.0: grade 2
    "line 4": ("HGB", 9.5, "g/dL", "9.5", "g/dL", 12.0, 16.0, 2),
    # 48: below 50, at or above 25: grade 3
    "line 5": ("PLT", 48.0, "10^3/µL", "48", "K/uL", 150.0, 400.0, 3),
    # 2.0 / 1.2 = 1.67 x ULN: above 1.5, at most 3.0: grade 2
    "line 6": ("CREAT", 2.0, "mg/dL", "2.0", "mg/dL", 0.6, 1.2, 2),
    "line 7": ("EGFR", 35.0, "mL/min/1.73 m²", "35", "mL/min/1.73m2", None, None, None),
    # above 300, at most 400: grade 2
    "line 8": ("CHOL", 320.0, "mg/dL", "320", "mg/dL", None, 200.0, 2),
    "line 9": ("LDL", 190.0, "mg/dL", "190", "mg/dL", None, 130.0, None),
    # "150 - 300 mg/dL" includes 150: grade 1
    "line 10": ("TRIG", 150.0, "mg/dL", "150", "mg/dL", None, 150.0, 1),
    # "Lymphocytes" with a count unit is the count; 1.1 is at or above the LLN 1.0: grade 0
    "line 12": ("ALC", 1.1, "10^3/µL", "1.1", "10^9/L", 1.0, 4.0, 0),
}


def _check(stored: dict[str, object], expected: dict[str, Row], when: datetime) -> None:
    assert set(stored) == set(expected)
    for ref, (analyte, value, unit, text, written, lln, uln, grade) in expected.items():
        lab = stored[ref]
        assert (lab.analyte, lab.unit, lab.original_text, lab.original_unit) == (  # type: ignore[attr-defined]
            analyte,
            unit,
            text,
            written,
        ), ref
        assert lab.value == pytest.approx(value, rel=1e-6), ref  # type: ignore[attr-defined]
        assert lab.lln == (None if lln is None else pytest.approx(lln, rel=1e-6)), ref  # type: ignore[attr-defined]
        assert lab.uln == (None if uln is None else pytest.approx(uln, rel=1e-6)), ref  # type: ignore[attr-defined]
        assert lab.grade == grade, (ref, lab.grade_reason)  # type: ignore[attr-defined]
        assert lab.collected_at == when, ref  # type: ignore[attr-defined]


def test_us_export_by_loinc_and_local_name(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "us_safety_labs.csv"
    path.write_text(US_EXPORT, encoding="utf-8")

    (summary,) = run(db, path, timezone="UTC")

    assert summary.error == ""
    assert summary.rows_read == 15
    assert summary.imported == 10
    assert summary.warnings == []
    # every row is accounted for: 10 stored, 3 listed as not tracked with why, 2 refused
    assert summary.not_tracked_tests == {
        "Lymphocytes % (a percentage, not the absolute lymphocyte count tracked as ALC)": 1,
        "Neutrophils % (a percentage, not the absolute neutrophil count tracked as ANC)": 1,
        "TG": 1,  # thyroglobulin in ng/mL, not triglycerides
    }
    refused = {issue.ref: issue.reason for issue in summary.rejected}
    assert refused == {
        "line 14": (
            "ALC: unit '%' is a percentage (the white-cell differential's), not the absolute "
            "count ALC: not stored as a count (expected 10^9/L, G/L, 10^3/µL, K/µL, /µL, "
            "cells/µL, /mm3)"
        ),
        "line 15": (
            "ANC: 'Neutrophils' with no unit may be the absolute neutrophil count or a "
            "percentage or another test; not stored (expected 10^9/L, G/L, 10^3/µL, K/µL, "
            "/µL, cells/µL, /mm3)"
        ),
    }
    stored = {lab.source_ref: lab for lab in labs(db, "US-1")}
    _check(stored, US_STORED, datetime(2026, 5, 4, 8, 0, tzinfo=UTC))
    assert "neutrophil count decreased: grade 2" in stored["line 3"].grade_reason
    assert stored["line 9"].grade_reason.startswith("LDL cholesterol has no CTCAE v5.0 term")


GERMAN_EXPORT = (
    "Patientennummer;Name;Vorname;Geburtsdatum;Entnahmedatum;Uhrzeit;Analyt;Ergebnis;Einheit;"
    "Referenzbereich;Kennzeichen\n"
    + "".join(
        f"DE-2001;Schmidt;Anna;02.05.1960;04.05.2026;08:15;{row}\n"
        for row in (
            "Lymphozyten absolut;0,45;/nl;1,0 - 4,0;-",
            "Neutrophile;1,2;G/l;1,8 - 7,7;-",
            "Hämoglobin;5,9;mmol/l;7,4 - 9,9;-",
            "Thrombozyten;48;Gpt/l;150 - 400;-",
            "Kreatinin;177;µmol/l;53 - 106;+",
            "eGFR (CKD-EPI);35;ml/min/1,73m²;>60;-",
            "Cholesterin;8,3;mmol/l;< 5,2;+",
            "LDL-Cholesterin;4,9;mmol/l;< 3,0;+",
            "Triglyceride;1,70;mmol/l;< 1,7;",
            "Lymphozyten;12;%;20 - 44;-",
        )
    )
)

GERMAN_STORED: dict[str, Row] = {
    # 0.45 per nl = 0.45 x10^9/L: grade 3
    "line 2": ("ALC", 0.45, "10^3/µL", "0,45", "/nl", 1.0, 4.0, 3),
    # "G/l" is giga per litre for a count: 1.2 x10^9/L, grade 2
    "line 3": ("ANC", 1.2, "10^3/µL", "1,2", "G/l", 1.8, 7.7, 2),
    # 5.9 mmol/L = 9.506929 g/dL; graded on the SI column: below 6.2, at or above 4.9: grade 2
    "line 4": ("HGB", 9.506929, "g/dL", "5,9", "mmol/l", 11.923944, 15.952304, 2),
    "line 5": ("PLT", 48.0, "10^3/µL", "48", "Gpt/l", 150.0, 400.0, 3),
    # 177 µmol/L = 2.002262 mg/dL; 177 / 106 = 1.67 x ULN: grade 2
    "line 6": ("CREAT", 2.002262, "mg/dL", "177", "µmol/l", 0.599548, 1.199095, 2),
    # ">60" is a lower limit
    "line 7": ("EGFR", 35.0, "mL/min/1.73 m²", "35", "ml/min/1,73m²", 60.0, None, None),
    # 8.3 mmol/L = 320.961 mg/dL; above 7.75 mmol/L, at most 10.34: grade 2
    "line 8": ("CHOL", 320.961, "mg/dL", "8,3", "mmol/l", None, 201.084, 2),
    "line 9": ("LDL", 189.483, "mg/dL", "4,9", "mmol/l", None, 116.01, None),
    # 1.70 mmol/L = 150.569 mg/dL, but below the SI column's 1.71: grade 0 as reported
    "line 10": ("TRIG", 150.569, "mg/dL", "1,70", "mmol/l", None, 150.569, 0),
}


def test_german_export_with_decimal_commas(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "de_sicherheit.csv"
    path.write_bytes(GERMAN_EXPORT.encode("cp1252"))

    (summary,) = run(db, path, timezone="Europe/Berlin")

    assert summary.error == ""
    assert (summary.rows_read, summary.imported, summary.rejected_count) == (10, 9, 0)
    assert summary.warnings == []
    assert summary.not_tracked_tests == {
        "Lymphozyten (a percentage, not the absolute lymphocyte count tracked as ALC)": 1
    }
    stored = {lab.source_ref: lab for lab in labs(db, "DE-2001")}
    # 08:15 in Berlin in May (CEST, UTC+2)
    _check(stored, GERMAN_STORED, datetime(2026, 5, 4, 6, 15, tzinfo=UTC))
    assert "anemia: grade 2" in stored["line 4"].grade_reason
    assert stored["line 4"].grade_reason.startswith("HGB 5.9 mmol/L: below 6.2 mmol/L")


V6_EXPORT = """mrn,collected,test,value,unit,ref_low,ref_high
V6-1,2026-05-04T08:00:00,ALC,0.4,10^9/L,1.0,4.0
V6-1,2026-05-04T08:00:00,ANC,1.7,10^9/L,1.8,7.7
V6-1,2026-05-04T08:00:00,PLT,24,10^9/L,150,400
"""


def test_under_ctcae_6_lymphocytes_are_stored_ungraded_without_a_warning(
    db: Database, tmp_path: Path
) -> None:
    """CTCAE v6.0 has no term for a low lymphocyte count: the result is stored with the reason
    and no grade, and the import does not warn about it, since no range or setting could grade
    it. Neutrophils and platelets take the v6.0 numbers."""
    with db.write() as session:
        session.add(AppSetting(key="criteria_set", value_json=json.dumps("ctcae-6.0")))
    add_patients(db, ["V6-1"])
    path = tmp_path / "v6.csv"
    path.write_text(V6_EXPORT, encoding="utf-8")

    (summary,) = run(db, path, timezone="UTC")

    assert (summary.imported, summary.rejected_count) == (3, 0)
    assert summary.warnings == []
    stored = {lab.analyte: lab for lab in labs(db, "V6-1")}
    assert stored["ALC"].grade is None
    assert "no 'Lymphocyte count decreased' term" in stored["ALC"].grade_reason
    # 1.7 is below this LLN (1.8) but not below 1.5: grade 0 under v6.0 (grade 1 under v5.0)
    assert (stored["ANC"].grade, stored["ANC"].grade_criteria) == (0, "ctcae-6.0")
    # 24: below 50, not below 10: grade 3 under v6.0 (grade 4 under v5.0)
    assert stored["PLT"].grade == 3
