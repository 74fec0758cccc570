"""admiral's CTCAE grading test vectors for the treatment-safety terms (blood counts,
creatinine, lipids), run through this app's grader: every row must agree, except the rows
listed below, each with why we differ."""

from __future__ import annotations

import pytest

from tests.domain.admiral_atoxgr_safety_vectors import SAFETY_VECTORS
from tests.domain.test_admiral_vectors import _ours

_TRIGLYCERIDES_150 = (
    "decision 2 (tables read literally): CTCAE writes hypertriglyceridemia grade 1 as "
    "'150 mg/dL - 300 mg/dL; 1.71 mmol/L - 3.42 mmol/L', without '>', so 150 mg/dL and "
    "1.71 mmol/L are grade 1; admiral's rule (data-raw/adlb_grading/ncictcaev5.json and "
    "ncictcaev6.json, AVAL > 1.71) gives them grade 0"
)
_NO_V6_LYMPHOPENIA = (
    "CTCAE v6.0 has no lymphocyte count decreased term; grading its lymphocyte count "
    "increased alone would call a low count grade 0, so ALC is not graded under v6.0 where "
    "admiral grades the increase"
)
DIFFERENCES: dict[str, str] = {
    "64a-10": _TRIGLYCERIDES_150,
    "64b-10": _TRIGLYCERIDES_150,
    "64c-10": _TRIGLYCERIDES_150,
    "64d-10": _TRIGLYCERIDES_150,
    "42c-3": _NO_V6_LYMPHOPENIA,
    "42c-4": _NO_V6_LYMPHOPENIA,
    "42c-5": _NO_V6_LYMPHOPENIA,
    "42c-6": _NO_V6_LYMPHOPENIA,
}


@pytest.mark.parametrize("row", SAFETY_VECTORS, ids=[r[0] for r in SAFETY_VECTORS])
def test_admiral_safety_vector(row: tuple) -> None:  # type: ignore[type-arg]
    ours = _ours(row)
    if row[0] in DIFFERENCES:
        assert ours != row[-1], f"{row[0]} now agrees with admiral: drop it from DIFFERENCES"
    else:
        assert ours == row[-1], f"{row[0]}: ours {ours}, admiral {row[-1]}"


def test_every_listed_difference_is_a_row_and_every_term_is_covered() -> None:
    assert set(DIFFERENCES) <= {r[0] for r in SAFETY_VECTORS}
    covered = {(r[1], r[2]) for r in SAFETY_VECTORS}
    for criteria in ("ctcae-5.0", "ctcae-6.0"):
        for analyte in ("ANC", "HGB", "PLT", "CREAT", "CHOL", "TRIG"):
            assert (criteria, analyte) in covered
    assert ("ctcae-5.0", "ALC") in covered
