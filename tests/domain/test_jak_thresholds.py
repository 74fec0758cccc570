"""JAK inhibitor counts against the label's limits, at every threshold, in US and SI units
(XELJANZ and OLUMIANT US prescribing information; clinical reference, section 10).

Values reported in SI units are converted here with the literal factors of the clinical
reference: a count per mm3 (= per µL) x 0.001 is in 10^3/µL (and 10^9/L is 10^3/µL);
hemoglobin in g/L x 0.1, in mmol/L / 0.6206, is in g/dL.
"""

from __future__ import annotations

import pytest

from irae_desktop.domain.alerts_jak import jak_lab_threshold

from .builders import at
from .safety_builders import Spec, jak, patient

PER_MM3 = 0.001  # cells/mm3 -> 10^3/µL
G_L = 0.1  # hemoglobin g/L -> g/dL
HGB_MMOL_PER_G_DL = 0.6206  # hemoglobin g/dL -> mmol/L (divide to come back)
NORMAL_BASELINE: list[Spec] = [("ALC", -2, 1.5), ("ANC", -2, 3.0), ("HGB", -2, 12.0)]


def _found(specs: list[Spec], agent: str, today: int, **kw):  # type: ignore[no-untyped-def]
    line = jak(2, agent, 0, **kw)
    return jak_lab_threshold(patient(specs, [line]), at(today))


def _states(alerts, analyte):  # type: ignore[no-untyped-def]
    return [(a.severity, a.title) for a in alerts if f":{analyte}:" in a.key]


# (agent, analyte, value, comparator, expected severity or None); the line starts on day 0 and
# the count is drawn on day -2: judged against the label's limits for starting
BEFORE_START = [
    ("tofacitinib", "ALC", 0.49, "", "critical"),
    ("tofacitinib", "ALC", 0.5, "", None),
    ("tofacitinib", "ALC", 499 * PER_MM3, "", "critical"),
    ("tofacitinib", "ALC", 500 * PER_MM3, "", None),
    ("tofacitinib", "ALC", 0.5, "<", "critical"),  # every value below 0.5
    ("tofacitinib", "ALC", 0.6, "<", "warning"),  # may be below 0.5: an exact count
    ("tofacitinib", "ALC", 0.4, ">", "warning"),
    ("tofacitinib", "ALC", 0.5, ">=", None),
    ("tofacitinib", "ANC", 0.99, "", "critical"),
    ("tofacitinib", "ANC", 1.0, "", None),
    ("tofacitinib", "ANC", 999 * PER_MM3, "", "critical"),
    ("tofacitinib", "ANC", 1000 * PER_MM3, "", None),
    ("tofacitinib", "HGB", 8.9, "", "critical"),
    ("tofacitinib", "HGB", 9.0, "", None),
    ("tofacitinib", "HGB", 89 * G_L, "", "critical"),
    ("tofacitinib", "HGB", 90 * G_L, "", None),
    ("tofacitinib", "HGB", 5.58 / HGB_MMOL_PER_G_DL, "", "critical"),  # 8.991 g/dL
    ("tofacitinib", "HGB", 5.59 / HGB_MMOL_PER_G_DL, "", None),  # 9.007 g/dL
    ("baricitinib", "ALC", 0.49, "", "critical"),
    ("baricitinib", "ALC", 0.5, "", None),
    ("baricitinib", "ANC", 0.99, "", "critical"),
    ("baricitinib", "ANC", 1.0, "", None),
    ("baricitinib", "HGB", 7.9, "", "critical"),
    ("baricitinib", "HGB", 8.0, "", None),
    ("baricitinib", "HGB", 8.5, "", None),  # tofacitinib would not start at 8.5
    ("baricitinib", "HGB", 79 * G_L, "", "critical"),
    ("baricitinib", "HGB", 80 * G_L, "", None),
    ("baricitinib", "HGB", 4.96 / HGB_MMOL_PER_G_DL, "", "critical"),  # 7.992 g/dL
    ("baricitinib", "HGB", 4.97 / HGB_MMOL_PER_G_DL, "", None),  # 8.008 g/dL
]


@pytest.mark.parametrize(("agent", "analyte", "value", "comparator", "expected"), BEFORE_START)
@pytest.mark.parametrize("today", [-1, 0])  # planned, and on the start day (started with it)
def test_counts_before_the_start(
    agent: str, analyte: str, value: float, comparator: str, expected: str | None, today: int
) -> None:
    specs = [s for s in NORMAL_BASELINE if s[0] != analyte] + [(analyte, -2, value, comparator)]
    found = _states(_found(specs, agent, today), analyte)
    assert [severity for severity, _ in found] == ([expected] if expected else [])


# (agent, analyte, the two counts after the start on days 10 and 15, the expected severity
# and action in the title); baseline normal on day -2 (hemoglobin 12 g/dL unless given)
DURING = [
    # tofacitinib lymphocytes <500 cells/mm3: discontinue once a repeat confirms it
    ("tofacitinib", "ALC", [0.49], "warning", "repeat"),
    ("tofacitinib", "ALC", [0.49, 0.49], "critical", "discontinue"),
    ("tofacitinib", "ALC", [0.6, 0.49], "warning", "repeat"),
    ("tofacitinib", "ALC", [0.49, 0.5], None, None),
    ("tofacitinib", "ALC", [499 * PER_MM3, 499 * PER_MM3], "critical", "discontinue"),
    ("tofacitinib", "ALC", [500 * PER_MM3, 499 * PER_MM3], "warning", "repeat"),
    # ANC 500 to 1,000: interrupt when persistent; <500: discontinue when confirmed
    ("tofacitinib", "ANC", [1.0], "warning", "repeat"),
    ("tofacitinib", "ANC", [1.01], None, None),
    ("tofacitinib", "ANC", [1.0, 1.0], "critical", "interrupt"),
    ("tofacitinib", "ANC", [1.01, 1.0], "warning", "repeat"),
    ("tofacitinib", "ANC", [0.5, 0.5], "critical", "interrupt"),
    ("tofacitinib", "ANC", [0.49, 0.49], "critical", "discontinue"),
    ("tofacitinib", "ANC", [0.8, 0.49], "critical", "interrupt"),  # <500 once more
    ("tofacitinib", "ANC", [1000 * PER_MM3, 1000 * PER_MM3], "critical", "interrupt"),
    ("tofacitinib", "ANC", [1001 * PER_MM3, 1001 * PER_MM3], None, None),
    # baricitinib acts on one value
    ("baricitinib", "ALC", [0.49], "critical", "interrupt"),
    ("baricitinib", "ALC", [0.5], None, None),
    ("baricitinib", "ANC", [0.99], "critical", "interrupt"),
    ("baricitinib", "ANC", [1.0], None, None),
    ("baricitinib", "HGB", [7.99], "critical", "interrupt"),
    ("baricitinib", "HGB", [8.0], None, None),
    ("baricitinib", "HGB", [79 * G_L], "critical", "interrupt"),
    ("baricitinib", "HGB", [80 * G_L], None, None),
]


@pytest.mark.parametrize(("agent", "analyte", "counts", "severity", "action"), DURING)
def test_counts_during_the_line(
    agent: str, analyte: str, counts: list[float], severity: str | None, action: str | None
) -> None:
    specs = list(NORMAL_BASELINE) + [
        (analyte, day, v) for day, v in zip((10, 15), counts, strict=False)
    ]
    found = _states(_found(specs, agent, 16), analyte)
    if severity is None:
        assert found == []
    else:
        ((got, title),) = found
        assert got == severity and title.startswith(f"{agent.capitalize()}: {action} ")


# tofacitinib hemoglobin: <8 g/dL, or a fall of more than 2 g/dL from the value at the start,
# interrupt once a repeat confirms it; (baseline, the two counts, expected severity)
HEMOGLOBIN = [
    (9.5, [7.99, 7.99], "critical"),
    (9.5, [8.0, 8.0], None),  # 8.0 is not below 8, and 1.5 is no fall of more than 2
    (9.5, [7.99], "warning"),
    (12.0, [9.99, 9.99], "critical"),  # a fall of 2.01
    (12.0, [10.0, 10.0], None),  # a fall of exactly 2
    (12.0, [10.0, 9.99], "warning"),  # the fall once
    (120 * G_L, [99 * G_L, 99 * G_L], "critical"),
    (120 * G_L, [100 * G_L, 100 * G_L], None),
    # 7.45 mmol/L = 12.005 g/dL; 6.20 = 9.990 (a fall of 2.014); 6.21 = 10.006 (1.998)
    (7.45 / HGB_MMOL_PER_G_DL, [6.20 / HGB_MMOL_PER_G_DL] * 2, "critical"),
    (7.45 / HGB_MMOL_PER_G_DL, [6.21 / HGB_MMOL_PER_G_DL] * 2, None),
]


@pytest.mark.parametrize(("baseline", "counts", "severity"), HEMOGLOBIN)
def test_tofacitinib_hemoglobin_low_or_fallen(
    baseline: float, counts: list[float], severity: str | None
) -> None:
    specs: list[Spec] = [("ALC", -2, 1.5), ("ANC", -2, 3.0), ("HGB", -2, baseline)]
    specs += [("HGB", day, v) for day, v in zip((10, 15), counts, strict=False)]
    found = _states(_found(specs, "tofacitinib", 16), "HGB")
    assert [s for s, _ in found] == ([severity] if severity else [])


def test_without_a_value_at_the_start_a_fall_is_not_judged() -> None:
    specs: list[Spec] = [("ALC", -2, 1.5), ("ANC", -2, 3.0), ("HGB", -40, 12.0)]
    specs += [("HGB", 10, 9.9), ("HGB", 15, 9.9)]  # a fall of 2.1 from a value 42 days old
    assert _states(_found(specs, "tofacitinib", 16), "HGB") == []


def test_the_first_count_after_the_start_is_confirmed_by_the_baseline() -> None:
    # two lymphocyte counts in a row below 500: the one before the start and the one after
    specs: list[Spec] = [("ALC", -2, 0.45), ("ANC", -2, 3.0), ("HGB", -2, 12.0), ("ALC", 5, 0.4)]
    ((severity, title),) = _states(_found(specs, "tofacitinib", 6), "ALC")
    assert (severity, title) == ("critical", "Tofacitinib: discontinue (ALC 0.4 x10^3/µL)")
