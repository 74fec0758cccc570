"""Grading a whole series with shared plans gives what grading each result alone gives."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from irae_desktop.domain.baseline import BaselineOverride
from irae_desktop.domain.series import LabToGrade, grade_series
from tests.domain.reference_grading import reference_series

START = datetime(2024, 1, 1, 8, tzinfo=UTC)
KINDS = st.sampled_from(
    [
        ("ALT", "U/L", 40.0),
        ("AST", "U/L", 40.0),
        ("TBILI", "mg/dL", 1.2),
        ("ALP", "U/L", 120.0),
        ("GLUCOSE", "mg/dL", 140.0),
        ("GLUCOSE", "mmol/L", 7.8),
        ("CPEPTIDE", "ng/mL", 3.1),
        ("FERRITIN", "ng/mL", 300.0),  # unknown analyte: graded None with the reason
        ("ALT", "mg/dL", 40.0),  # wrong unit: graded None with the reason
    ]
)
LAB = st.tuples(
    KINDS,
    st.integers(min_value=0, max_value=60),  # day
    st.sampled_from([0.0, 10.0, 40.0, 41.0, 60.0, 121.0, 200.0, 900.0, 3.3, 1.5]),
    st.sampled_from(["", "", "", "<", ">="]),
    st.booleans(),  # range reported
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(LAB, min_size=1, max_size=40),
    st.one_of(st.none(), st.integers(min_value=0, max_value=60)),
    st.booleans(),
    st.sampled_from(["ctcae-5.0", "ctcae-6.0"]),
)
def test_series_grades_as_each_result_alone(
    specs: list[tuple[tuple[str, str, float], int, float, str, bool]],
    start_day: int | None,
    override: bool,
    criteria: str,
) -> None:
    labs = [
        LabToGrade(
            n,
            analyte,
            START + timedelta(days=day, minutes=n),
            value,
            comparator,
            unit,
            uln if ranged else None,
            None,
        )
        for n, ((analyte, unit, uln), day, value, comparator, ranged) in enumerate(specs, 1)
    ]
    start = None if start_day is None else date(2024, 1, 1) + timedelta(days=start_day)
    overrides = (
        {"ALT": BaselineOverride("ALT", 95.0, 40.0, "chronic hepatitis")} if override else None
    )
    got = grade_series(labs, start, zone=UTC, overrides=overrides, criteria_id=criteria)
    want = reference_series(labs, start, overrides, criteria)
    assert got.keys() == want.keys()
    for lab_id, expected in want.items():
        if expected[2] == "AssertionError":
            assert got[lab_id].grade is None and got[lab_id].reason.endswith(": not graded")
            assert got[lab_id].is_baseline == expected[3]
        else:
            assert tuple(got[lab_id]) == expected
