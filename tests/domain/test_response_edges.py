"""Response to immunosuppression at its edges: exactly half the peak, a fall on the start day,
a result written "<", tied peaks (clinical reference, section 4)."""

from __future__ import annotations

from irae_desktop.domain.response import immunosuppression_responses

from .builders import at, line, timeline

NIVO = line(1, "ici", "nivolumab", 0)
PRED = line(2, "immunosuppression", "prednisone", 11)


def _alt(labs):  # type: ignore[no-untyped-def]
    (resp,) = immunosuppression_responses(timeline(labs, [NIVO, PRED]))
    (alt,) = [a for a in resp.analytes if a.analyte == "ALT"]
    return alt


def test_half_the_peak_within_rounding_counts_as_halved() -> None:
    # peak 800 U/L on day 12; 400 U/L (written with a rounding error) on day 16: day 5 of the line
    alt = _alt([("ALT", 12, 800.0), ("ALT", 16, 400.0000000004)])
    assert (alt.peak_value, alt.peak_unit, alt.peak_at, alt.peak_grade) == (800.0, "U/L", at(12), 3)
    assert alt.days_to_half_peak == 5


def test_a_fall_on_the_start_day_is_not_the_lines() -> None:
    # peak 800 on day 9 (within 3 days before the start on day 11); 390 on day 11 itself
    assert _alt([("ALT", 9, 800.0), ("ALT", 11, 390.0)]).days_to_half_peak is None
    assert _alt([("ALT", 9, 800.0), ("ALT", 12, 390.0)]).days_to_half_peak == 1


def test_a_result_below_a_limit_counts_as_halved() -> None:
    for comparator in ("<", "<="):
        alt = _alt([("ALT", 12, 800.0), ("ALT", 14, 390.0, comparator)])
        assert alt.days_to_half_peak == 3, comparator
    # "> 390" may be far above half: not a fall
    assert _alt([("ALT", 12, 800.0), ("ALT", 14, 390.0, ">")]).days_to_half_peak is None


def test_of_two_equal_peaks_the_first_is_the_peak() -> None:
    alt = _alt([("ALT", 12, 800.0), ("ALT", 13, 800.0), ("ALT", 14, 350.0)])
    assert alt.peak_at == at(12)
    assert alt.days_to_half_peak == 3
