"""Prednisone equivalence, tapers, cumulative exposure and response metrics per line."""

from __future__ import annotations

import math

import pytest

from irae_desktop.domain.response import (
    concurrent_agents,
    immunosuppression_responses,
    total_steroid_exposure,
)
from irae_desktop.domain.steroids import (
    is_systemic_steroid,
    prednisone_equivalent,
    steroid_exposure,
    steroid_generic,
    total_prednisone_mg_per_kg,
)

from .builders import d, line, timeline


@pytest.mark.parametrize(
    ("agent", "dose", "mg"),
    [
        ("prednisone", 60, 60.0),
        ("Prednisolone", 60, 60.0),
        ("methylprednisolone", 80, 100.0),
        ("Solu-Medrol IV", 80, 100.0),
        ("dexamethasone", 6, 40.02),
        ("hydrocortisone", 100, 25.0),
    ],
)
def test_prednisone_equivalents(agent: str, dose: float, mg: float) -> None:
    span = line(1, "immunosuppression", agent, 0, dose=dose, dose_unit="mg")
    result = prednisone_equivalent(span, d(0), 80.0)
    assert result is not None
    assert result.mg == pytest.approx(mg)
    assert result.mg_per_kg == pytest.approx(mg / 80.0)


def test_budesonide_and_non_steroids_have_no_systemic_equivalent() -> None:
    assert steroid_generic("budesonide") is None
    assert not is_systemic_steroid(line(1, "immunosuppression", "mycophenolate", 0))
    assert steroid_generic("methylprednisolone") == "methylprednisolone"


def test_per_kg_dose_frequency_and_taper_steps() -> None:
    span = line(
        1,
        "immunosuppression",
        "methylprednisolone",
        0,
        10,
        dose=1.0,
        dose_unit="mg/kg",
        frequency="BID",
        steps=((4, 40.0, "mg"), (7, 20.0, "mg")),
    )
    first = prednisone_equivalent(span, d(1), 70.0)
    assert first is not None and first.mg_per_kg == pytest.approx(2.5)  # 1 mg/kg x2 x1.25
    tapered = prednisone_equivalent(span, d(5), 70.0)
    assert tapered is not None and tapered.mg == pytest.approx(100.0)  # 40 mg BID x1.25
    assert prednisone_equivalent(span, d(11), 70.0).mg == 0.0  # type: ignore[union-attr]


def test_hold_days_count_as_zero_and_unreadable_frequency_is_none() -> None:
    held = line(1, "immunosuppression", "prednisone", 0, dose=60, dose_unit="mg", holds=((2, 3),))
    assert prednisone_equivalent(held, d(2), 70.0).mg == 0.0  # type: ignore[union-attr]
    odd = line(2, "immunosuppression", "prednisone", 0, dose=60, dose_unit="mg", frequency="prn")
    assert prednisone_equivalent(odd, d(1), 70.0) is None


def test_mg_per_kg_without_weight() -> None:
    span = line(1, "immunosuppression", "prednisone", 0, dose=1.0, dose_unit="mg/kg/day")
    per_kg = prednisone_equivalent(span, d(0), None)
    assert per_kg is not None and per_kg.mg_per_kg == 1.0 and math.isnan(per_kg.mg)
    plain = line(2, "immunosuppression", "prednisone", 0, dose=60, dose_unit="mg")
    assert total_prednisone_mg_per_kg([plain], d(0), None) is None


def test_cumulative_exposure_and_days_above_10_mg() -> None:
    span = line(
        1,
        "immunosuppression",
        "prednisone",
        0,
        9,
        dose=60,
        dose_unit="mg",
        steps=((5, 10.0, "mg"),),
    )
    exposure = steroid_exposure([span], d(12), 70.0)
    assert exposure.cumulative_mg == pytest.approx(5 * 60 + 5 * 10)
    assert exposure.days_above_threshold == 5  # 10 mg/day is not above 10
    assert exposure.days_unknown == 0


def test_response_metrics_per_line() -> None:
    tl = timeline(
        [
            ("ALT", -10, 30.0),
            ("ALT", 10, 400.0),
            ("AST", 10, 300.0),
            ("ALT", 12, 800.0),  # peak after steroids start on day 11
            ("AST", 12, 500.0),
            ("ALT", 16, 390.0),  # below half of 800 on day 16
            ("AST", 16, 200.0),
            ("ALT", 25, 100.0),  # 2.5 x ULN: grade 1
            ("AST", 25, 60.0),
        ],
        [
            line(1, "ici", "pembrolizumab", 0),
            line(2, "immunosuppression", "prednisone", 11, 30, dose=70, dose_unit="mg"),
        ],
    )
    (resp,) = immunosuppression_responses(tl)
    assert resp.agent == "prednisone"
    by = {a.analyte: a for a in resp.analytes}
    assert by["ALT"].peak_value == 800.0 and by["ALT"].peak_grade == 3
    assert by["ALT"].days_to_half_peak == 5
    assert by["AST"].days_to_half_peak == 5
    assert resp.days_to_grade_1_or_less == 14
    assert resp.steroid_exposure is not None
    assert resp.steroid_exposure.cumulative_mg == pytest.approx(70 * 15)
    total = total_steroid_exposure(tl, d(40))
    assert total.cumulative_mg == pytest.approx(70 * 20)


def test_response_not_reached_is_none() -> None:
    tl = timeline(
        [("ALT", 10, 400.0), ("ALT", 14, 380.0)],
        [line(1, "ici", "nivolumab", 0), line(2, "immunosuppression", "mycophenolate", 11)],
    )
    (resp,) = immunosuppression_responses(tl)
    assert resp.days_to_grade_1_or_less is None
    assert resp.analytes[0].days_to_half_peak is None
    assert resp.steroid_exposure is None


def test_a_line_started_at_grade_1_or_less_is_already_there_not_zero_days() -> None:
    # ALT 100 U/L = 2.5 x ULN 40 (grade 1) on day 9; the line starts on day 10, then ALT 60
    tl = timeline(
        [("ALT", 2, 400.0), ("ALT", 9, 100.0), ("ALT", 12, 60.0)],
        [line(1, "ici", "nivolumab", 0), line(2, "immunosuppression", "prednisone", 10)],
    )
    (resp,) = immunosuppression_responses(tl)
    assert resp.already_grade_1_at_start is True
    assert resp.days_to_grade_1_or_less is None


def test_a_line_started_today_gets_no_credit_for_an_earlier_fall() -> None:
    # peak 800 on day 8 (within 3 days before day 10), halved to 390 on day 9: before day 0
    tl = timeline(
        [("ALT", 8, 800.0), ("ALT", 9, 390.0)],
        [line(1, "ici", "nivolumab", 0), line(2, "immunosuppression", "prednisone", 10)],
    )
    (resp,) = immunosuppression_responses(tl)
    assert resp.analytes[0].days_to_half_peak is None
    assert resp.days_to_grade_1_or_less is None and not resp.already_grade_1_at_start


def test_lines_started_before_the_response_are_named_as_concurrent() -> None:
    # a 3-day prednisone course from day 10; methylprednisolone day 13, MMF day 15; grade 1
    # (ALT 100 = 2.5 x ULN) only on day 29; tofacitinib starts on day 40, after it
    tl = timeline(
        [("ALT", 10, 800.0), ("ALT", 20, 390.0), ("ALT", 29, 100.0)],
        [
            line(1, "ici", "nivolumab", 0),
            line(2, "immunosuppression", "prednisone", 10, 13),
            line(3, "immunosuppression", "methylprednisolone", 13),
            line(4, "immunosuppression", "mycophenolate mofetil", 15),
            line(5, "immunosuppression", "tofacitinib", 40),
        ],
    )
    found = immunosuppression_responses(tl)
    with_them = concurrent_agents(found)
    assert found[0].days_to_grade_1_or_less == 19
    assert with_them[2] == ("methylprednisolone", "mycophenolate mofetil")
    assert with_them[4] == ()
    from irae_desktop.ui.patient.response import label_for

    assert label_for(found[0], with_them[2]) == (
        "ALT/AST \u2264G1 in 19 d, ALT \u221250% in 10 d "
        "(with methylprednisolone, mycophenolate mofetil)"
    )
