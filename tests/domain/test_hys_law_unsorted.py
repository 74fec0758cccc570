"""Hy's law on results that do not come in time order (a correction stored later, two files
imported out of order): the rule reads the same window and finds the same pair.

The window is clinical days (clinical reference, decision 10): the 14th day before the
bilirubin's day is in from its first instant, and the 15th day after is out from its first
instant. Expected texts are worked by hand: ULNs of the test builder (ALT 40 U/L, bilirubin
1.2 mg/dL), so ALT 400 U/L = 10.0 x ULN and bilirubin 3.0 mg/dL = 2.5 x ULN."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.domain.alerts_liver import hys_law
from irae_desktop.domain.timeline import PatientTimeline

from .builders import at, line, timeline

NIVO = line(1, "ici", "nivolumab", 0, dose=240, dose_unit="mg", frequency="q2w")
SETTINGS = AlertSettings()


def _out_of_order(tl: PatientTimeline, moved: dict[int, object]) -> PatientTimeline:
    """The timeline's results newest first, with some results moved to other instants."""
    labs = [replace(lab, collected_at=moved.get(lab.id, lab.collected_at)) for lab in tl.labs]
    return replace(tl, labs=sorted(labs, key=lambda lab: lab.collected_at, reverse=True))


def test_results_out_of_time_order_give_the_same_hys_law_alert() -> None:
    tl = timeline([("ALT", 40, 400.0), ("TBILI", 41, 3.0), ("ALP", 41, 120.0)], [NIVO])
    (in_order,) = hys_law(tl, SETTINGS)
    (alert,) = hys_law(_out_of_order(tl, {}), SETTINGS)
    assert alert == in_order
    assert alert.key == "hys_law:1:2"
    assert alert.rule == (
        "ALT 400 U/L = 10.0 x ULN (at least 3) and total bilirubin 3 mg/dL = 2.5 x ULN "
        "(above 2) within 14 days; ALP 1.0 x ULN (below 2); exclude other causes"
    )


def test_out_of_order_an_alt_at_the_first_instant_of_the_14th_day_before_counts() -> None:
    # bilirubin on day 41 at 08:00 UTC; the window opens at day 27, 00:00 UTC; the ALT of day
    # 90 is far outside it and puts the aminotransferases out of order
    tl = timeline([("ALT", 27, 400.0), ("TBILI", 41, 3.0), ("ALT", 90, 400.0)], [NIVO])
    moved = _out_of_order(tl, {1: at(27, 0)})
    (alert,) = hys_law(moved, SETTINGS)
    assert alert.key == "hys_law:1:2"
    assert alert.evidence_at == at(41)
    # one instant earlier, the ALT is on day 26: outside the window
    earlier = _out_of_order(tl, {1: at(27, 0) - timedelta(microseconds=1)})
    assert hys_law(earlier, SETTINGS) == []


def test_out_of_order_an_alt_at_the_first_instant_of_the_15th_day_after_is_out() -> None:
    # the window closes at day 56, 00:00 UTC (the bilirubin's day 41 + 15)
    tl = timeline([("TBILI", 41, 3.0), ("ALT", 56, 400.0), ("ALT", 90, 400.0)], [NIVO])
    assert hys_law(_out_of_order(tl, {2: at(56, 0)}), SETTINGS) == []
    just_inside = _out_of_order(tl, {2: at(56, 0) - timedelta(microseconds=1)})
    (alert,) = hys_law(just_inside, SETTINGS)
    assert alert.key == "hys_law:2:1"
    assert alert.evidence_at == at(56, 0) - timedelta(microseconds=1)


def test_out_of_order_the_nearest_aminotransferase_is_named() -> None:
    # ALT 10 x ULN 12 days before, AST 5 x ULN 1 day after the bilirubin: the AST is nearer
    tl = timeline([("ALT", 29, 400.0), ("TBILI", 41, 3.0), ("AST", 42, 200.0)], [NIVO])
    (alert,) = hys_law(_out_of_order(tl, {}), SETTINGS)
    assert alert.key == "hys_law:3:2"
    assert alert.rule.startswith("AST 200 U/L = 5.0 x ULN (at least 3) and total bilirubin")
