"""Input that cannot be graded at all raises a plain error; shipped criteria files are valid."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from irae_desktop.domain.criteria import (
    CriteriaError,
    available_criteria,
    grades_in_reported_unit,
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
        "ALC",
        "ANC",
        "HGB",
        "PLT",
        "CREAT",
        "CHOL",
        "TRIG",
    }
    # CTCAE v6.0 has no lymphocyte count decreased term: ALC is tracked there, not graded
    v6 = load_criteria("ctcae-6.0")
    assert set(v6.terms) == set(v5.terms) - {"ALC"}
    assert set(v5.not_graded) == {"DBILI", "CPEPTIDE", "HBA1C", "BHB", "LDL", "EGFR"}
    assert set(v6.not_graded) == set(v5.not_graded) | {"ALC"}


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


def _alt_condition(d: dict) -> dict:
    return d["terms"][0]["rules"]["normal"]["high"][0]["when"][0]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("id"), "a criteria file needs a string 'id' and 'label'"),
        (
            lambda d: _alt_condition(d).update(basis="ALT"),
            "ctcae-6.0 term 1.normal.high[0]: basis must be one of ULN, LLN, baseline, "
            "absolute, not 'ALT'",
        ),
        (
            lambda d: _alt_condition(d).update(above=-1.0),
            "ctcae-6.0 term 1.normal.high[0]: a multiple must be a non-negative number",
        ),
        (
            lambda d: _alt_condition(d).update(above="3"),
            "ctcae-6.0 term 1.normal.high[0]: a multiple must be a non-negative number",
        ),
        (
            lambda d: _alt_condition(d).update(basis="absolute"),
            "ctcae-6.0 term 1.normal.high[0]: an absolute bound maps units to numbers",
        ),
        (
            lambda d: d["terms"][0]["rules"]["normal"]["high"][1].update(when=[]),
            "ctcae-6.0 term 1.normal.high[1]: a band needs at least one condition",
        ),
        (
            lambda d: d["terms"][0]["rules"]["normal"]["high"][0].update(grade=0),
            "ctcae-6.0 term 1.normal.high[0]: grade must be 1-5, not 0",
        ),
        (
            lambda d: d["terms"][1]["rules"].update(any=d["terms"][1]["rules"]["normal"]),
            "ctcae-6.0 term 2: rules are either 'any' or both 'normal' and 'abnormal'",
        ),
        (
            lambda d: d["terms"][1].update(rules={}),
            "ctcae-6.0 term 2: rules are either 'any' or both 'normal' and 'abnormal'",
        ),
        (
            # a baseline multiple that counts only below the LLN must be skippable
            lambda d: _alt_condition(d).update(basis="baseline", only_if_baseline_below_lln=True),
            "ctcae-6.0 term 1.normal.high[0]: only an optional baseline condition can hold "
            "only below the LLN",
        ),
        (
            lambda d: _alt_condition(d).update(optional=True, only_if_baseline_below_lln=True),
            "ctcae-6.0 term 1.normal.high[0]: only an optional baseline condition can hold "
            "only below the LLN",
        ),
    ],
)
def test_malformed_criteria_messages_say_where_word_for_word(mutate, message: str) -> None:
    data = _shipped("ctcae-6.0.json")
    mutate(data)
    with pytest.raises(CriteriaError) as err:
        parse_criteria(data)
    assert str(err.value) == message


def test_a_criteria_file_carries_its_optional_fields_through() -> None:
    data = _shipped("ctcae-6.0.json")
    data["source"] = "site copy of CTCAE v6.0"
    data["not_graded"] = {"CPEPTIDE": "no CTCAE term"}
    data["terms"][0]["rules"]["normal"]["high"][0]["remark"] = "site remark"
    assert "label" not in data["terms"][0]
    condition = _alt_condition(data)
    condition.update(optional=True, assumed="ULN of the site", inclusive=True)
    parsed = parse_criteria(data)
    assert parsed.source == "site copy of CTCAE v6.0"
    assert parsed.not_graded == {"CPEPTIDE": "no CTCAE term"}
    alt = parsed.terms["ALT"]
    assert alt.label == "CTCAE v6.0"  # a term without its own label takes the set's
    grade_1 = alt.rules["normal"].high[-1]  # highest grade first
    assert (grade_1.grade, grade_1.remark) == (1, "site remark")
    first = grade_1.conditions[0]
    assert (first.basis, first.direction, first.multiple) == ("ULN", "above", 1.0)
    assert (first.inclusive, first.optional, first.assumed) == (True, True, "ULN of the site")
    assert first.absolute == ()
    # fasting glucose grade 2 (term 5 of the file): above 160 mg/dL or 8.9 mmol/L, no multiple
    glucose_2 = parsed.terms["GLUCOSE_FASTING"].rules["any"].high[-2]
    bound = glucose_2.conditions[0]
    assert (bound.basis, bound.multiple) == ("absolute", None)
    assert bound.absolute == (("mg/dL", 160.0), ("mmol/L", 8.9))
    assert (bound.inclusive, bound.optional, bound.assumed) == (False, False, None)


def test_a_condition_is_exclusive_unless_it_says_so_and_a_multiple_may_be_under_one() -> None:
    data = _shipped("ctcae-6.0.json")
    condition = _alt_condition(data)
    del condition["inclusive"]
    condition["above"] = 0.5  # a multiple below 1 (and 0 itself) is a valid bound
    parsed = parse_criteria(data)
    first = parsed.terms["ALT"].rules["normal"].high[-1].conditions[0]
    assert (first.multiple, first.inclusive) == (0.5, False)
    condition["above"] = 0
    assert parse_criteria(data).terms["ALT"].rules["normal"].high[-1].conditions[0].multiple == 0


def test_rule_set_names_notes_and_sides_are_read_as_written() -> None:
    data = _shipped("ctcae-6.0.json")
    glucose = data["terms"][4]["rules"]["any"]  # fasting glucose
    glucose["zero_note"] = "within the reference range"
    data["terms"][0]["rules"]["normal"] = {"low": json.loads(json.dumps(glucose["low"]))}
    parsed = parse_criteria(data)
    rules = parsed.terms["GLUCOSE_FASTING"].rules["any"]
    assert (rules.high_name, rules.low_name) == ("hyperglycemia", "hypoglycemia")
    assert rules.zero_note == "within the reference range"
    only_low = parsed.terms["ALT"].rules["normal"]  # a rule set may have one side only
    assert only_low.high == () and [b.grade for b in only_low.low] == [4, 3, 2, 1]
    # grade 5 is a CTCAE grade; a band without conditions, or of grade 6, is refused
    glucose["low"][0]["grade"] = 5
    assert parse_criteria(data).terms["GLUCOSE_FASTING"].rules["any"].low[0].grade == 5
    glucose["low"][0]["grade"] = 6
    with pytest.raises(CriteriaError) as err:
        parse_criteria(data)
    assert str(err.value) == "ctcae-6.0 term 5.any.low[0]: grade must be 1-5, not 6"
    glucose["low"][0]["grade"] = 1
    del glucose["low"][0]["when"]
    with pytest.raises(CriteriaError) as err:
        parse_criteria(data)
    assert str(err.value) == "ctcae-6.0 term 5.any.low[0]: a band needs at least one condition"


def test_an_analyte_is_graded_in_the_reported_unit_where_thresholds_exist_in_both() -> None:
    """Decision 8, read from the criteria files: glucose's absolute bounds are given in mg/dL
    and mmol/L; the enzymes' and bilirubin's grades are multiples, the same in any unit."""
    for code in ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC"):
        assert grades_in_reported_unit(code)
    for code in ("ALT", "AST", "TBILI", "ALP", "GGT", "CPEPTIDE", "HBA1C"):
        assert not grades_in_reported_unit(code)
