"""Prednisone-equivalent doses at their edges (clinical reference, section 7): how a dose's
unit and frequency are read, days off a line, lines that are not steroids, and the exact counts
of cumulative exposure. Every expected value is worked by hand from the equivalence table
(prednisone 1, methylprednisolone 1.25) and a 70 kg patient."""

from __future__ import annotations

import pytest

from irae_desktop.domain.steroids import (
    SteroidExposure,
    prednisone_equivalent,
    steroid_exposure,
    total_prednisone_mg_per_kg,
)

from .builders import d, line

WEIGHT = 70.0


def _mg(dose: float, unit: str | None, frequency: str | None = "daily") -> float | None:
    span = line(
        1, "immunosuppression", "prednisone", 0, dose=dose, dose_unit=unit, frequency=frequency
    )
    result = prednisone_equivalent(span, d(1), WEIGHT)
    return None if result is None else result.mg


@pytest.mark.parametrize("frequency", [None, "", "   "])
def test_a_missing_frequency_means_once_a_day(frequency: str | None) -> None:
    assert _mg(60, "mg", frequency) == pytest.approx(60.0)


@pytest.mark.parametrize(("frequency", "per_day"), [("Twice  Daily", 2), ("three\ttimes daily", 3)])
def test_frequency_words_are_read_whatever_their_spacing_and_case(
    frequency: str, per_day: int
) -> None:
    assert _mg(20, "mg", frequency) == pytest.approx(20.0 * per_day)


@pytest.mark.parametrize("unit", ["mg/day", "mg/d", "MG/Day"])
def test_a_per_day_unit_is_the_daily_total_whatever_the_frequency(unit: str) -> None:
    # 60 mg/day written with a BID frequency is 60 mg a day, not 120
    assert _mg(60, unit, "BID") == pytest.approx(60.0)


def test_a_per_kg_dose_with_spaces_in_its_unit_is_per_kg() -> None:
    span = line(1, "immunosuppression", "prednisone", 0, dose=1.0, dose_unit="mg / kg / day")
    result = prednisone_equivalent(span, d(1), WEIGHT)
    assert result is not None
    assert result.mg == pytest.approx(70.0)  # 1 mg/kg/day x 70 kg
    assert result.mg_per_kg == pytest.approx(1.0)


def test_a_dose_without_its_unit_or_a_unit_without_its_dose_cannot_be_read() -> None:
    assert _mg(60, None) is None
    no_dose = line(1, "immunosuppression", "prednisone", 0, dose=None, dose_unit="mg")
    assert prednisone_equivalent(no_dose, d(1), WEIGHT) is None


def test_a_day_off_the_line_is_zero_per_kg_only_when_the_weight_is_known() -> None:
    span = line(1, "immunosuppression", "prednisone", 0, 5, dose=60, dose_unit="mg")
    with_weight = prednisone_equivalent(span, d(6), WEIGHT)
    assert with_weight is not None and with_weight.mg == 0.0 and with_weight.mg_per_kg == 0.0
    without = prednisone_equivalent(span, d(6), None)
    assert without is not None and without.mg == 0.0 and without.mg_per_kg is None


def test_lines_that_are_not_steroids_are_left_out_of_the_daily_total() -> None:
    mmf = line(
        1, "immunosuppression", "mycophenolate", 0, dose=1000, dose_unit="mg", frequency="bid"
    )
    pred = line(2, "immunosuppression", "prednisone", 0, dose=70, dose_unit="mg")
    assert total_prednisone_mg_per_kg([mmf, pred], d(1), WEIGHT) == pytest.approx(1.0)
    assert total_prednisone_mg_per_kg([pred, mmf], d(1), WEIGHT) == pytest.approx(1.0)


def test_an_unreadable_steroid_on_the_day_makes_the_daily_total_unknown() -> None:
    pred = line(1, "immunosuppression", "prednisone", 0, dose=70, dose_unit="mg")
    prn = line(2, "immunosuppression", "prednisolone", 0, dose=20, dose_unit="mg", frequency="prn")
    assert total_prednisone_mg_per_kg([pred, prn], d(1), WEIGHT) is None


def test_no_steroid_lines_give_no_exposure() -> None:
    mmf = line(
        1, "immunosuppression", "mycophenolate", 0, dose=1000, dose_unit="mg", frequency="bid"
    )
    assert steroid_exposure([mmf], d(10), WEIGHT) == SteroidExposure(0.0, 0, 0, 0)


def test_exposure_adds_concurrent_lines_and_counts_days_above_10_mg() -> None:
    # days 0-4: prednisone 40 mg and methylprednisolone 16 mg (= 20 mg) -> 60 mg a day;
    # days 5-7: prednisone 11 mg alone (above 10 mg); exposure to day 7
    pred = line(
        1,
        "immunosuppression",
        "prednisone",
        0,
        7,
        dose=40,
        dose_unit="mg",
        steps=((5, 11.0, "mg"),),
    )
    mp = line(2, "immunosuppression", "methylprednisolone", 0, 4, dose=16, dose_unit="mg")
    exposure = steroid_exposure([pred, mp], d(7), WEIGHT)
    assert exposure == SteroidExposure(
        cumulative_mg=pytest.approx(5 * 60.0 + 3 * 11.0),  # type: ignore[arg-type]
        days_above_threshold=8,
        days_counted=8,
        days_unknown=0,
    )


def test_exposure_of_a_per_kg_dose_uses_the_weight() -> None:
    # 1 mg/kg/day prednisone for days 0-4 at 70 kg: 5 x 70 mg
    span = line(1, "immunosuppression", "prednisone", 0, 4, dose=1.0, dose_unit="mg/kg/day")
    exposure = steroid_exposure([span], d(4), WEIGHT)
    assert exposure.cumulative_mg == pytest.approx(350.0)
    assert (exposure.days_counted, exposure.days_unknown) == (5, 0)


def test_days_with_an_unreadable_steroid_are_unknown_and_not_counted() -> None:
    # prednisone 60 mg on days 0-9; prednisolone "prn" on days 3-5 cannot be read
    pred = line(1, "immunosuppression", "prednisone", 0, 9, dose=60, dose_unit="mg")
    prn = line(
        2, "immunosuppression", "prednisolone", 3, 5, dose=20, dose_unit="mg", frequency="prn"
    )
    exposure = steroid_exposure([pred, prn], d(9), WEIGHT)
    assert exposure.days_unknown == 3
    assert exposure.days_counted == 7
    assert exposure.days_above_threshold == 7
    assert exposure.cumulative_mg == pytest.approx(7 * 60.0)
