"""Flares (clinical reference, decision 14) on literal grade sequences.

ALT with ULN 40 U/L and a normal baseline (CTCAE v5.0): 30 U/L is grade 0, 60 grade 1 (1.5 x
ULN), 150 grade 2 (3.75 x), 300 grade 3 (7.5 x), 900 grade 4 (22.5 x). Fasting glucose
(ASCO 2021 / CTCAE v4.03 numeric): 150 mg/dL grade 1, 200 grade 2, 300 grade 3.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from irae_desktop.domain.alerts import evaluate_alerts
from irae_desktop.domain.timeline import PatientTimeline

from .builders import at, line, timeline, with_labs

PEMBRO = line(1, "ici", "pembrolizumab", 0, dose=200, dose_unit="mg", frequency="q3w")
ALT_FOR_GRADE = {0: 30.0, 1: 60.0, 2: 150.0, 3: 300.0, 4: 900.0}


def alt_course(*grades: int) -> PatientTimeline:
    """A baseline on day -1, then one ALT every 3 days from day 10 at the given grades."""
    labs = [("ALT", -1, 25.0)]
    labs += [("ALT", 10 + 3 * n, ALT_FOR_GRADE[g]) for n, g in enumerate(grades)]
    return timeline(labs, [PEMBRO])


def flares(tl: PatientTimeline, day: int = 60) -> list:  # type: ignore[type-arg]
    return [a for a in evaluate_alerts(tl, at(day)) if a.kind == "flare"]


def test_the_builder_grades_the_literal_values() -> None:
    tl = alt_course(4, 3, 2, 1, 0)
    assert [p.grade for p in tl.labs if not p.is_baseline] == [4, 3, 2, 1, 0]


def test_grade_3_after_falling_from_a_grade_4_peak_to_1_is_a_flare() -> None:
    tl = alt_course(4, 1, 3)
    (alert,) = flares(tl)
    third = tl.labs[3]
    assert third.grade == 3
    assert alert.key == f"flare:liver:3:{third.id}"
    assert alert.severity == "critical" and alert.organ == "liver"
    assert alert.title == "Liver: flare to grade 3 (down to 1 after grade 4)"
    assert "re-escalate immunosuppression" in alert.rule
    assert alert.source.startswith("ASCO 2021")
    assert alert.evidence_at == at(16) == alert.raised_at
    # not above the old peak: no new maximum for it
    escalations = [a for a in evaluate_alerts(tl, at(60)) if a.kind == "grade_escalation"]
    assert [a.title for a in escalations] == ["Liver: new maximum grade 4"]


def test_staying_one_grade_below_the_peak_is_no_flare() -> None:
    assert flares(alt_course(4, 3, 3)) == []


def test_grade_2_after_falling_to_1_is_a_flare() -> None:
    (alert,) = flares(alt_course(2, 1, 2))
    assert alert.severity == "warning"
    assert alert.title == "Liver: flare to grade 2 (down to 1 after grade 2)"


def test_a_rise_to_grade_1_is_below_the_flare_threshold() -> None:
    assert flares(alt_course(1, 0, 1)) == []


def test_flare_after_flare_each_measured_from_the_last() -> None:
    tl = alt_course(4, 1, 3, 1, 2)
    found = flares(tl)
    assert sorted(a.title for a in found) == [
        "Liver: flare to grade 2 (down to 1 after grade 3)",
        "Liver: flare to grade 3 (down to 1 after grade 4)",
    ]
    assert len({a.key for a in found}) == 2


def test_rising_further_after_a_flare_is_the_same_flare() -> None:
    (alert,) = flares(alt_course(4, 1, 2, 3))
    assert alert.title == "Liver: flare to grade 2 (down to 1 after grade 4)"


def test_a_flare_above_the_old_peak_is_also_a_new_maximum() -> None:
    alerts = evaluate_alerts(alt_course(2, 1, 3), at(60))
    assert {a.title for a in alerts if a.kind in ("flare", "grade_escalation")} == {
        "Liver: flare to grade 3 (down to 1 after grade 2)",
        "Liver: new maximum grade 3",
    }


def test_several_peaks_the_grade_must_come_down_from_the_latest() -> None:
    # 2 -> 4 rises (the peak moves to 4), 4 -> 3 comes down, 3 -> 4 flares back to the peak
    (alert,) = flares(alt_course(2, 4, 3, 4))
    assert alert.title == "Liver: flare to grade 4 (down to 3 after grade 4)"


def test_ungraded_results_are_ignored() -> None:
    tl = alt_course(3, 0, 3)
    # the grade-0 result loses its grade (no range, or held as needs review): 3 -> 3
    middle = tl.labs[2]
    assert middle.grade == 0
    ungraded = replace(middle, grade=None, grade_reason="no ULN", uln=None)
    assert flares(with_labs(tl, [tl.labs[0], tl.labs[1], ungraded, tl.labs[3]])) == []
    # an ungraded result with a very high value cannot flare either
    high = replace(tl.labs[3], value=900.0, grade=None, grade_reason="needs review")
    assert flares(with_labs(tl, [*tl.labs[:3], high])) == []


def test_the_organ_grade_combines_its_analytes() -> None:
    # a bilirubin of grade 1 drawn alone while ALT is still at grade 3 is a grade 3 liver, not
    # a fall to 1; nor is a grade 1 bilirubin drawn with the grade 3 ALT
    tl = timeline(
        [
            ("ALT", 10, 300.0),
            ("TBILI", 12, 1.5),
            ("ALT", 14, 300.0),
            ("TBILI", 14, 1.5),
            ("ALT", 16, 300.0),
        ],
        [PEMBRO],
    )
    assert [p.grade for p in tl.labs] == [3, 1, 3, 1, 3]
    assert flares(tl) == []


def test_bilirubin_can_flare_the_liver() -> None:
    # TBILI ULN 1.2 mg/dL: 4.0 is 3.3 x ULN, grade 3; 1.5 is grade 1; ALT stays grade 1
    tl = timeline(
        [("ALT", 10, 60.0), ("TBILI", 10, 4.0), ("TBILI", 13, 1.5), ("TBILI", 16, 4.0)],
        [PEMBRO],
    )
    (alert,) = flares(tl)
    assert alert.title == "Liver: flare to grade 3 (down to 1 after grade 3)"


def test_glucose_flares_on_its_own() -> None:
    tl = timeline(
        [
            ("GLUCOSE_FASTING", 10, 300.0),
            ("GLUCOSE_FASTING", 13, 150.0),
            ("GLUCOSE_FASTING", 16, 200.0),
            ("ALT", 16, 30.0),
        ],
        [PEMBRO],
    )
    assert [p.grade for p in tl.labs] == [3, 1, 2, 0]
    (alert,) = flares(tl)
    assert alert.organ == "glucose"
    assert alert.title == "Glucose: flare to grade 2 (down to 1 after grade 3)"


def test_results_before_the_first_ici_start_set_no_peak() -> None:
    late = line(1, "ici", "pembrolizumab", 20, dose=200, dose_unit="mg", frequency="q3w")
    tl = timeline([("ALT", 5, 900.0), ("ALT", 10, 60.0), ("ALT", 25, 150.0)], [late])
    assert flares(tl) == []


@pytest.mark.parametrize("later_day", [20, 90])
def test_a_flare_is_an_event_that_stays_in_the_history(later_day: int) -> None:
    (alert,) = flares(alt_course(4, 1, 3), later_day)
    assert alert.evidence_at == at(16)
