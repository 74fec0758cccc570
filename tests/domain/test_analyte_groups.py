"""Analytes by organ, the analytes a chart panel is titled after, and the display order.

Expected codes and labels come from the analyte table's rows as the clinical reference lists
them (sections 2 and 3): ALT, AST, bilirubin, ALP and GGT are liver tests with a CTCAE term
(graded); direct bilirubin is a liver test without one; glucose (random, fasting, point of care)
is graded as hyperglycemia; C-peptide, HbA1c and ketones (BHB) are glucose tests without a
grade. Display order begins ALT, AST, bilirubin and puts the liver before glucose."""

from __future__ import annotations

from irae_desktop.domain.analytes import (
    display_rank,
    graded_analytes,
    organ_analytes,
    panel_title,
)


def test_graded_analytes_of_the_liver_in_display_order() -> None:
    liver = graded_analytes("liver")
    assert liver[:3] == ("ALT", "AST", "TBILI")
    assert {"ALP", "GGT"} <= set(liver)
    assert "DBILI" not in liver  # no CTCAE term: shown, never graded
    assert not {"GLUCOSE", "GLUCOSE_FASTING", "CPEPTIDE"} & set(liver)  # another organ


def test_graded_analytes_of_glucose_leave_out_ungraded_tests_and_other_organs() -> None:
    glucose = graded_analytes("glucose")
    assert glucose[:3] == ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC")
    assert not {"CPEPTIDE", "HBA1C", "BHB"} & set(glucose)  # no CTCAE term
    assert not {"ALT", "AST", "TBILI"} & set(glucose)  # graded, but liver tests


def test_an_organ_s_analytes_include_the_ungraded_ones_and_no_other_organ_s() -> None:
    liver = organ_analytes("liver")
    assert {"ALT", "AST", "TBILI", "DBILI", "ALP", "GGT"} <= liver
    assert not {"GLUCOSE", "CPEPTIDE", "HBA1C"} & liver
    glucose = organ_analytes("glucose")
    assert {"GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC", "CPEPTIDE", "HBA1C", "BHB"} <= glucose
    assert not {"ALT", "DBILI"} & glucose


def test_a_panel_is_titled_by_its_analytes_labels() -> None:
    assert panel_title(("ALT", "AST")) == "ALT/AST"
    assert panel_title(("TBILI",)) == "Bilirubin"
    # "Direct bilirubin" does not begin with "Bilirubin": both are named
    assert panel_title(("TBILI", "DBILI")) == "Bilirubin/Direct bilirubin"


def test_glucose_and_its_kinds_make_one_panel_titled_glucose() -> None:
    # "Glucose (fasting)" and "Glucose (POC)" begin with "Glucose"
    assert panel_title(("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC")) == "Glucose"


def test_display_order_puts_known_analytes_first_and_unknown_codes_last_by_code() -> None:
    codes = ["XYZ", "GLUCOSE", "ABC", "TBILI", "ALT"]
    assert sorted(codes, key=display_rank) == ["ALT", "TBILI", "GLUCOSE", "ABC", "XYZ"]
