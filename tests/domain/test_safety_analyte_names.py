"""The treatment-safety analytes in the one analyte table: their names (English and European)
find them, names another test shares never do on their own, nothing names two analytes, and
their possible limits (clinical reference, decision 11) hold."""

from __future__ import annotations

import pytest

from irae_desktop.domain.analyte_names_safety import SAFETY_EUROPEAN_NAMES
from irae_desktop.domain.analytes import (
    ANALYTES,
    GRADED_ORGANS,
    ORGAN_TITLES,
    graded_analytes,
    lookup_analyte,
    lookup_shared_name,
)
from irae_desktop.domain.plausibility import Verdict, check_value

SAFETY = ("ALC", "ANC", "HGB", "PLT", "CREAT", "EGFR", "CHOL", "LDL", "TRIG")
EVERY_EUROPEAN_NAME = [
    (code, name) for code, names in SAFETY_EUROPEAN_NAMES.items() for name in names.names
]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("731-0", "ALC"),
        ("26474-7", "ALC"),
        ("751-8", "ANC"),
        ("26499-4", "ANC"),
        ("718-7", "HGB"),
        ("777-3", "PLT"),
        ("2160-0", "CREAT"),
        ("38483-4", "CREAT"),
        ("14682-9", "CREAT"),
        ("98979-8", "EGFR"),
        ("33914-3", "EGFR"),
        ("2093-3", "CHOL"),
        ("13457-7", "LDL"),
        ("18262-6", "LDL"),
        ("2089-1", "LDL"),
        ("2571-8", "TRIG"),
        ("Lymphs abs", "ALC"),
        ("Lymphs (Absolute)", "ALC"),
        ("Lymphozyten absolut", "ALC"),
        ("ANC", "ANC"),
        ("Neutrophils abs", "ANC"),
        ("Neutrophile absolut", "ANC"),
        ("Hgb", "HGB"),
        ("Hb", "HGB"),
        ("Hämoglobin", "HGB"),
        ("hémoglobine", "HGB"),
        ("PLT", "PLT"),
        ("Thrombozyten", "PLT"),
        ("Creat", "CREAT"),
        ("Kreatinin", "CREAT"),
        ("Créatinine", "CREAT"),
        ("creatinina", "CREAT"),
        ("eGFR", "EGFR"),
        ("GFR (CKD-EPI)", "EGFR"),
        ("DFG estimé", "EGFR"),
        ("Chol", "CHOL"),
        ("Gesamtcholesterin", "CHOL"),
        ("LDL-C", "LDL"),
        ("LDL-Cholesterin", "LDL"),
        ("Triglyceride", "TRIG"),
        ("Triglycerides", "TRIG"),
        ("trigliceridi", "TRIG"),
    ],
)
def test_names_and_loinc_codes(text: str, code: str) -> None:
    found = lookup_analyte(text)
    assert found is not None and found.code == code


@pytest.mark.parametrize(("code", "name"), EVERY_EUROPEAN_NAME)
def test_every_european_name_finds_its_analyte(code: str, name: str) -> None:
    found = lookup_analyte(name)
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # the white-cell differential writes these for the percentage too: never a name alone
        ("Lymphocytes", "ALC"),
        ("Lymphocytes %", "ALC"),
        ("LYMPH%", "ALC"),
        ("LYMPH#", "ALC"),
        ("Lymphozyten", "ALC"),
        ("Neutrophils", "ANC"),
        ("NEUT%", "ANC"),
        ("polynucléaires neutrophiles", "ANC"),
        # thyroglobulin is "TG" too
        ("TG", "TRIG"),
    ],
)
def test_shared_names_are_no_names_on_their_own(text: str, code: str) -> None:
    assert lookup_analyte(text) is None
    shared = lookup_shared_name(text)
    assert shared is not None and shared.code == code


@pytest.mark.parametrize(
    "text",
    [
        "HDL cholesterol",
        "HDL-Cholesterin",
        "Cholesterol/HDL ratio",
        "Creatinine clearance",
        "Urine creatinine",
        "Kreatinin im Urin",
        "Hemoglobin A1c",  # HbA1c, not hemoglobin
        "GFR",  # measured or estimated: not said
        "NE",  # norepinephrine as often as neutrophils
        "Granulocytes",
    ],
)
def test_other_tests_find_no_new_analyte(text: str) -> None:
    found = lookup_analyte(text)
    assert found is None or found.code not in SAFETY


def test_organs_keep_the_irae_grades_apart() -> None:
    assert GRADED_ORGANS == ("liver", "glucose")
    assert {ANALYTES[c].organ for c in SAFETY} == {"blood", "kidney", "lipids"}
    assert {o: ORGAN_TITLES[o] for o in ("blood", "kidney", "lipids")} == {
        "blood": "Blood counts",
        "kidney": "Kidney",
        "lipids": "Lipids",
    }
    # the worklist's liver and glucose grades are taken from these, and only these
    assert graded_analytes("liver") == ("ALT", "AST", "TBILI", "ALP", "GGT")
    assert graded_analytes("glucose") == ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC")
    assert [c for c in SAFETY if not ANALYTES[c].graded] == ["EGFR", "LDL"]


def test_every_list_cites_its_sources() -> None:
    for code in SAFETY:
        assert len(ANALYTES[code].limits_source) > 40, code
    for code, names in SAFETY_EUROPEAN_NAMES.items():
        assert len(names.source) > 40 and ANALYTES[code].names_source == names.source


@pytest.mark.parametrize(
    ("code", "value", "verdict"),
    [
        ("HGB", 0.0, Verdict.IMPOSSIBLE),  # a living patient has hemoglobin
        ("HGB", 2.5, Verdict.UNUSUAL),
        ("HGB", 25.0, Verdict.UNUSUAL),
        ("HGB", 120.0, Verdict.NEEDS_REVIEW),  # g/L written as g/dL
        ("ANC", 0.0, Verdict.OK),  # agranulocytosis
        ("ALC", 0.0, Verdict.OK),
        ("PLT", 0.0, Verdict.OK),
        ("ANC", 1500.0, Verdict.NEEDS_REVIEW),  # a count per µL labelled 10^9/L
        ("ALC", 1200.0, Verdict.NEEDS_REVIEW),
        ("PLT", 250000.0, Verdict.NEEDS_REVIEW),
        ("PLT", 1200.0, Verdict.OK),
        ("CREAT", 0.0, Verdict.IMPOSSIBLE),
        ("CREAT", 25.0, Verdict.UNUSUAL),
        ("CREAT", 30.0, Verdict.UNUSUAL),
        ("CREAT", 88.0, Verdict.NEEDS_REVIEW),  # µmol/L written as mg/dL
        ("EGFR", 0.0, Verdict.IMPOSSIBLE),
        ("EGFR", 300.0, Verdict.NEEDS_REVIEW),
        ("CHOL", 0.0, Verdict.IMPOSSIBLE),
        ("CHOL", 5.2, Verdict.UNUSUAL),  # mmol/L written as mg/dL: far below any true value
        ("LDL", 0.0, Verdict.UNUSUAL),  # possible (PCSK9 inhibitor), below 10 mg/dL unusual
        ("TRIG", 12000.0, Verdict.UNUSUAL),  # chylomicronaemia: true
        ("TRIG", 80000.0, Verdict.NEEDS_REVIEW),
    ],
)
def test_possible_limits(code: str, value: float, verdict: Verdict) -> None:
    assert check_value(code, value).verdict is verdict
