"""A censored value's grade is the lowest grade over the values of its interval, and its highest
possible grade the highest over them (clinical reference, decision 6), each value graded by the
independent rule-by-rule reference grader."""

from __future__ import annotations

import itertools
import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from irae_desktop.domain.grading import grade_value
from tests.domain import reference_grading

# every multiple and absolute bound in the CTCAE tables (a superset of any one term's), so the
# values tried below meet every region and boundary of whichever term is graded
MULTIPLES = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 10.0, 20.0)
ABSOLUTE = {
    "mg/dL": (30.0, 40.0, 55.0, 160.0, 250.0, 500.0),
    "mmol/L": (1.7, 2.2, 3.0, 8.9, 13.9, 27.8),
}
SETTINGS = [
    # (analyte, unit, ULN, LLN)
    ("ALT", "U/L", 40.0, 7.0),
    ("AST", "U/L", 33.0, None),
    ("TBILI", "mg/dL", 1.2, 0.1),
    ("ALP", "U/L", 120.0, 40.0),
    ("GGT", "U/L", 61.0, 8.0),
    ("GLUCOSE_FASTING", "mg/dL", 99.0, 70.0),
    ("GLUCOSE_FASTING", "mmol/L", 5.5, 3.9),
    ("GLUCOSE", "mg/dL", 140.0, 70.0),
    ("GLUCOSE", "mmol/L", 7.8, 3.9),
    ("GLUCOSE_POC", "mg/dL", 180.0, 60.0),
]


def _cuts(unit: str, uln: float, lln: float | None, baseline: float | None) -> list[float]:
    refs = [uln] + ([lln] if lln else []) + ([baseline] if baseline else [])
    return [r * m for r in refs for m in MULTIPLES] + list(ABSOLUTE.get(unit, ()))


def _values(
    bound: float, comparator: str, cuts: list[float], fractions: list[float]
) -> list[float]:
    below = comparator.startswith("<")
    inside = sorted({c for c in cuts if (0 < c < bound if below else c > bound)})
    ends = [0.0, *inside, bound] if below else [bound, *inside, 2 * max([bound, *inside]) + 1]
    values = list(inside) + [(a + b) / 2 for a, b in itertools.pairwise(ends)]
    # values next to the bound (inside the interval) and anywhere in it
    values.append(bound * (1 - 1e-7) if below else bound * (1 + 1e-7))
    span = ends[-1] - ends[0]
    values += [ends[0] + f * span for f in fractions if 0 < f < 1]
    # values within the comparison tolerance (1e-9, decision 2) of the bound are the bound
    # itself, which an open interval leaves out
    values = [v for v in values if not math.isclose(v, bound, rel_tol=1e-9, abs_tol=0.0)]
    if comparator.endswith("="):
        values.append(bound)
    return values


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(SETTINGS),
    st.one_of(
        st.floats(min_value=0.01, max_value=3000, allow_nan=False),
        st.sampled_from([30.0, 55.0, 70.0, 99.0, 120.0, 140.0, 250.0, 500.0, 800.0, 2.2, 13.9]),
    ),
    st.sampled_from(["<", "<=", ">", ">="]),
    st.one_of(st.none(), st.sampled_from([20.0, 60.0, 100.0, 300.0, 2.0])),
    st.sampled_from(["ctcae-5.0", "ctcae-6.0"]),
    st.lists(st.floats(min_value=0, max_value=1), max_size=20),
)
@example(("ALT", "U/L", 40.0, 7.0), 100.0, "<", None, "ctcae-5.0", [])
@example(("GLUCOSE", "mg/dL", 140.0, 70.0), 200.0, ">", None, "ctcae-5.0", [])
@example(("GLUCOSE_FASTING", "mmol/L", 5.5, 3.9), 2.2, "<", None, "ctcae-6.0", [])
def test_censored_grade_is_the_lowest_over_its_interval(
    setting: tuple[str, str, float, float | None],
    bound: float,
    comparator: str,
    baseline: float | None,
    criteria: str,
    fractions: list[float],
) -> None:
    analyte, unit, uln, lln = setting
    got = grade_value(
        analyte,
        bound,
        comparator,
        unit,
        uln,
        lln,
        baseline=baseline,
        baseline_uln=uln,
        criteria_id=criteria,
    )
    grades: list[int] = []
    no_grade = False
    for value in _values(bound, comparator, _cuts(unit, uln, lln, baseline), fractions):
        point = reference_grading._grade_cached.__wrapped__(
            analyte, value, "", unit, uln, lln, baseline, uln, None, False, criteria
        )
        if point.grade is None:
            assert "non-fasting" in point.reason, point.reason
            no_grade = True
        else:
            grades.append(point.grade)
    low = min(grades) if grades else None
    if no_grade and low is not None and low > 0:
        low = None  # values without a grade are certain to reach none
    high = max(grades) if grades else None
    assert got.grade == low, got.reason
    assert got.grade_max == (high if high != low else None), got.reason
    # and the independent reference, extended for censoring, agrees to the word
    ref = reference_grading._grade_cached.__wrapped__(
        analyte, bound, comparator, unit, uln, lln, baseline, uln, None, False, criteria
    )
    assert (ref.grade, ref.grade_max, ref.reason) == (got.grade, got.grade_max, got.reason)
