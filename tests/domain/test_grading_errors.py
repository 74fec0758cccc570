"""Input that cannot be graded at all raises a plain error; shipped criteria files are valid."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from irae_desktop.domain.criteria import (
    CriteriaError,
    available_criteria,
    load_criteria,
    parse_criteria,
)
from irae_desktop.domain.grading import GradingError, grade_value
from irae_desktop.domain.units import UnitError


def test_unknown_unit_names_the_analyte_and_the_expected_units() -> None:
    with pytest.raises(UnitError, match=r"unit 'mmol/L' does not belong to ALT \(expected U/L"):
        grade_value("ALT", 50, "", "mmol/L", 40, None)


def test_unknown_analyte_is_an_error() -> None:
    with pytest.raises(GradingError, match="unknown analyte 'FERRITIN'"):
        grade_value("FERRITIN", 50, "", "ng/mL", 300, None)


def test_local_name_is_accepted_as_the_analyte() -> None:
    assert grade_value("SGPT", 130, "", "U/L", 40, None).grade == 2


def test_unknown_criteria_set_lists_the_shipped_ones() -> None:
    with pytest.raises(CriteriaError, match=r"unknown criteria set 'ctcae-9.9'.*ctcae-5.0"):
        grade_value("ALT", 50, "", "U/L", 40, None, criteria_id="ctcae-9.9")


@pytest.mark.parametrize("bad", ["../ctcae-5.0", "/etc/passwd", ".hidden"])
def test_criteria_ids_cannot_reach_outside_the_folder(bad: str) -> None:
    with pytest.raises(CriteriaError):
        load_criteria(bad)


def test_bad_comparator_and_non_finite_values_are_errors() -> None:
    with pytest.raises(GradingError, match="comparator"):
        grade_value("ALT", 50, "~", "U/L", 40, None)
    with pytest.raises(GradingError, match="must be finite numbers"):
        grade_value("ALT", float("nan"), "", "U/L", 40, None)


def test_shipped_criteria_sets() -> None:
    assert available_criteria() == {"ctcae-5.0": "CTCAE v5.0", "ctcae-6.0": "CTCAE v6.0"}
    v5 = load_criteria("ctcae-5.0")
    assert v5.terms["GLUCOSE"].label == "ASCO 2021 / CTCAE v4.03 numeric"
    assert set(v5.terms) == {
        "ALT",
        "AST",
        "TBILI",
        "ALP",
        "GGT",
        "GLUCOSE",
        "GLUCOSE_FASTING",
        "GLUCOSE_POC",
    }


def _shipped(name: str) -> dict:
    text = resources.files("irae_desktop.resources").joinpath("criteria", name).read_text("utf-8")
    return json.loads(text)


def test_a_new_version_is_a_new_file_not_new_code() -> None:
    data = _shipped("ctcae-5.0.json")
    data["id"], data["label"] = "site-strict", "Site strict"
    data["terms"][0]["rules"]["normal"]["high"][1]["when"][0]["above"] = 2.0
    strict = parse_criteria(data)
    assert strict.terms["ALT"].rules["normal"].high[-2].conditions[0].multiple == 2.0
    assert strict.label == "Site strict"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("label"), "needs a string 'id' and 'label'"),
        (lambda d: d["terms"][0]["analytes"].append("FERRITIN"), "unknown analyte 'FERRITIN'"),
        (lambda d: d["terms"][0]["rules"].pop("abnormal"), "either 'any' or both"),
        (
            lambda d: d["terms"][0]["rules"]["normal"]["high"][0].update(grade=7),
            "grade must be 1-5",
        ),
        (
            lambda d: d["terms"][0]["rules"]["normal"]["high"][0]["when"][0].update(basis="ALT"),
            "basis must be one of",
        ),
        (
            lambda d: d["terms"][0]["rules"]["normal"]["high"][0]["when"][0].update(below=2),
            "exactly one of 'above' or 'below'",
        ),
        (lambda d: d["terms"].append(d["terms"][0]), "appears in two terms"),
    ],
)
def test_malformed_criteria_file_is_refused_with_a_message(mutate, message: str) -> None:
    data = _shipped("ctcae-6.0.json")
    mutate(data)
    with pytest.raises(CriteriaError, match=message):
        parse_criteria(data)
