"""Flares at their edges (clinical reference, decision 14): which peak and which lowest point a
flare names when grades repeat, a fall to grade 0, an organ grade made of a grade 1 and a later
grade 0, a result exactly 30 days old, and a flare whose result has no grading reason.

ALT ULN 40 U/L (CTCAE v5.0): 30 U/L grade 0, 100 U/L (2.5 x) grade 1, 180 U/L (4.5 x) grade 2,
400 U/L (10 x) grade 3. Day 0 is 2026-03-02: day 10 is 03-12, day 12 03-14, day 20 03-22,
day 25 03-27.
"""

from __future__ import annotations

from dataclasses import replace

from irae_desktop.domain.alerts import flare

from .builders import line, timeline

PEMBRO = line(1, "ici", "pembrolizumab", 0, dose=200, dose_unit="mg", frequency="q3w")


def _flares(labs, no_reason_for=None):  # type: ignore[no-untyped-def]
    tl = timeline([("ALT", -1, 25.0), *labs], [PEMBRO])
    if no_reason_for is not None:
        tl = replace(
            tl,
            labs=[replace(x, grade_reason=None) if x.id == no_reason_for else x for x in tl.labs],
        )
    return flare(tl)


def test_a_level_peak_moves_on_and_a_level_low_stays_at_its_first_day() -> None:
    # grade 3 on days 10 and 12, grade 1 on days 20 and 22, grade 2 on day 25 (no reason text)
    labs = [
        ("ALT", 10, 400.0),
        ("ALT", 12, 420.0),
        ("ALT", 20, 100.0),
        ("ALT", 22, 100.0),
        ("ALT", 25, 180.0),
    ]
    (alert,) = _flares(labs, no_reason_for=6)
    assert alert.title == "Liver: flare to grade 2 (down to 1 after grade 3)"
    assert alert.rule.startswith(
        "ALT on 2026-03-27: grade 2 after the grade had come down from 3 (ALT, 2026-03-14) "
        "to 1 (ALT, 2026-03-22); worse again after improving"
    )


def test_a_fall_to_grade_0_is_named_as_grade_0() -> None:
    (alert,) = _flares([("ALT", 10, 400.0), ("ALT", 20, 30.0), ("ALT", 25, 180.0)])
    assert alert.title == "Liver: flare to grade 2 (down to 0 after grade 3)"


def test_the_organ_grade_is_the_worst_analyte_not_the_latest_drawn() -> None:
    # ALT grade 1 on day 20 and AST grade 0 on day 21: the liver is still at grade 1
    labs = [("ALT", 10, 400.0), ("ALT", 20, 100.0), ("AST", 21, 30.0), ("ALT", 25, 180.0)]
    (alert,) = _flares(labs)
    assert alert.title == "Liver: flare to grade 2 (down to 1 after grade 3)"


def test_a_result_exactly_30_days_old_still_sets_the_organ_grade() -> None:
    # ALT grade 3 on day 10 still counts on day 40 beside a normal AST, so the liver never came
    # down before the grade 2 of day 41: no flare
    assert _flares([("ALT", 10, 400.0), ("AST", 40, 30.0), ("ALT", 41, 180.0)]) == []
