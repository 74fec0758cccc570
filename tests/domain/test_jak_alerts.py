"""The JAK inhibitor and mycophenolate count alerts in full, on timelines built here: before the
start, on the start day, during, held, stopped, two lines (XELJANZ, OLUMIANT and CellCept US
prescribing information; clinical reference, section 10). Days count from DAY0 (2026-03-02);
every line starts on day 0 unless said."""

from __future__ import annotations

from irae_desktop.domain.alerts import evaluate_alerts

from .builders import at, d, line
from .safety_builders import Spec, jak, patient

XELJANZ = (
    "XELJANZ (tofacitinib) US prescribing information: Dosage and Administration (dosage "
    "modifications for lymphopenia, neutropenia and anemia); Warnings and Precautions, "
    "Laboratory Abnormalities"
)
OLUMIANT = (
    "OLUMIANT (baricitinib) US prescribing information: Dosage and Administration (dosage "
    "modifications for cytopenias); Warnings and Precautions, Laboratory Abnormalities"
)
CELLCEPT = (
    "CellCept (mycophenolate mofetil) US prescribing information: Warnings and Precautions, "
    "Blood Dyscrasias (neutropenia)"
)
BASELINE: list[Spec] = [("ALC", -3, 0.9), ("ANC", -3, 2.0), ("HGB", -3, 11.0)]
KINDS = ("jak_lab_threshold", "mmf_cytopenia")


def _alerts(specs, lines, day, hour=18):  # type: ignore[no-untyped-def]
    return [a for a in evaluate_alerts(patient(specs, lines), at(day, hour)) if a.kind in KINDS]


def _one(specs, lines, day):  # type: ignore[no-untyped-def]
    (alert,) = _alerts(specs, lines, day)
    return (alert.key, alert.severity, alert.title, alert.rule, alert.organ)


def test_do_not_start_below_the_label_limit() -> None:
    specs: list[Spec] = [("ALC", -3, 0.42), ("ANC", -3, 2.0), ("HGB", -3, 11.0)]
    (alert,) = _alerts(specs, [jak(2, "tofacitinib", 0)], -1)
    assert (alert.key, alert.severity, alert.title, alert.source, alert.organ) == (
        "jak_lab_threshold:2:ALC:act:1",
        "critical",
        "Do not start tofacitinib: ALC 0.42 x10^3/µL",
        XELJANZ,
        "blood",
    )
    assert alert.rule == (
        "ALC 0.42 x10^3/µL on 2026-02-27, the last count up to the start on 2026-03-02: the "
        "label says do not start with lymphocytes <500 cells/mm3"
    )
    assert alert.evidence_at == at(-3)


def test_a_line_started_regardless_is_told_so_until_a_count_after_the_start() -> None:
    specs: list[Spec] = [("ALC", -3, 0.42), ("ANC", -3, 2.0), ("HGB", -3, 11.0)]
    for day in (0, 2):  # the start day itself, and later
        assert _one(specs, [jak(2, "tofacitinib", 0)], day) == (
            "jak_lab_threshold:2:ALC:act:1",
            "critical",
            "Tofacitinib started with ALC 0.42 x10^3/µL",
            "ALC 0.42 x10^3/µL on 2026-02-27, the last count up to the start on 2026-03-02: "
            "the label says do not start with lymphocytes <500 cells/mm3; no count since: "
            "repeat it",
            "blood",
        )
    # a count after the start takes over: 0.6 is above the limit during treatment
    assert _alerts([*specs, ("ALC", 3, 0.6)], [jak(2, "tofacitinib", 0)], 4) == []


def test_a_count_drawn_on_the_start_day_is_a_baseline() -> None:
    specs: list[Spec] = [("ALC", 0, 0.9), ("ANC", 0, 0.9), ("HGB", 0, 11.0)]
    (alert,) = _alerts(specs, [jak(2, "baricitinib", 0)], 0)
    assert alert.title == "Baricitinib started with ANC 0.9 x10^3/µL"


def test_baseline_counts_missing() -> None:
    assert _one([("ALC", -3, 0.9)], [jak(2, "tofacitinib", 0)], -1) == (
        "jak_lab_threshold:2:missing",
        "warning",
        "Tofacitinib: baseline counts missing",
        "no ANC or Hemoglobin result from 2026-01-31 (30 days before the start on 2026-03-02) "
        "to today; the label says do not start with lymphocytes <500 cells/mm3, ANC <1,000 "
        "cells/mm3 or hemoglobin <9 g/dL: count them",
        "blood",
    )
    # counts of day -31 are older than 30 days before the start: not a baseline; day -30 is
    old: list[Spec] = [("ALC", -31, 0.9), ("ANC", -31, 2.0), ("HGB", -30, 11.0)]
    (alert,) = _alerts(old, [jak(2, "tofacitinib", 0)], -1)
    assert alert.rule.startswith("no ALC or ANC result from 2026-01-31 ")


def test_a_line_planned_more_than_30_days_ahead_is_not_judged_yet() -> None:
    assert _alerts([], [jak(2, "tofacitinib", 40)], 9) == []
    (alert,) = _alerts([], [jak(2, "tofacitinib", 40)], 10)
    assert alert.title == "Tofacitinib: baseline counts missing"


def test_discontinue_on_two_low_lymphocyte_counts() -> None:
    specs = [*BASELINE, ("ALC", 10, 0.45), ("ALC", 12, 0.4)]
    assert _one(specs, [jak(2, "tofacitinib", 0)], 13) == (
        "jak_lab_threshold:2:ALC:act:5",
        "critical",
        "Tofacitinib: discontinue (ALC 0.4 x10^3/µL)",
        "ALC 0.4 x10^3/µL on 2026-03-14; 0.45 x10^3/µL on 2026-03-12 before it: lymphocytes "
        "<500 cells/mm3, confirmed by repeat testing: discontinue",
        "blood",
    )


def test_one_low_count_asks_for_a_repeat() -> None:
    specs = [*BASELINE, ("ALC", 10, 0.8), ("ALC", 12, 0.4)]
    assert _one(specs, [jak(2, "tofacitinib", 0)], 13) == (
        "jak_lab_threshold:2:ALC:repeat:5",
        "warning",
        "Tofacitinib: repeat ALC (0.4 x10^3/µL)",
        "ALC 0.4 x10^3/µL on 2026-03-14: lymphocytes <500 cells/mm3 once, and the label says "
        "discontinue only when confirmed by repeat testing: repeat the count",
        "blood",
    )


def test_interrupt_on_a_persistent_anc_with_one_below_500() -> None:
    specs = [*BASELINE, ("ANC", 10, 0.8), ("ANC", 12, 0.45)]
    assert _one(specs, [jak(2, "tofacitinib", 0)], 13) == (
        "jak_lab_threshold:2:ANC:act:5",
        "critical",
        "Tofacitinib: interrupt (ANC 0.45 x10^3/µL)",
        "ANC 0.45 x10^3/µL on 2026-03-14; 0.8 x10^3/µL on 2026-03-12 before it: ANC 500 to "
        "1,000 cells/mm3, the decrease persists (two counts in a row): interrupt; resume when "
        "ANC is above 1,000 cells/mm3; ANC <500 cells/mm3 once, and the label says discontinue "
        "only when confirmed by repeat testing: repeat the count",
        "blood",
    )


def test_hemoglobin_fall_names_the_value_at_the_start() -> None:
    specs = [*BASELINE, ("HGB", 10, 8.9), ("HGB", 12, 8.5)]  # 11.0 at the start: falls of 2.1, 2.5
    assert _one(specs, [jak(2, "tofacitinib", 0)], 13) == (
        "jak_lab_threshold:2:HGB:act:5",
        "critical",
        "Tofacitinib: interrupt (Hemoglobin 8.5 g/dL)",
        "Hemoglobin 8.5 g/dL on 2026-03-14; 8.9 g/dL on 2026-03-12 before it; 11 g/dL at the "
        "start: hemoglobin <8 g/dL or a decrease of more than 2 g/dL, confirmed by repeat "
        "testing: interrupt; resume when hemoglobin has normalized",
        "blood",
    )


def test_a_held_line_is_told_to_stay_held_and_a_stopped_one_is_quiet() -> None:
    specs = [*BASELINE, ("ANC", 10, 0.7), ("ANC", 12, 0.8)]
    held = jak(2, "tofacitinib", 0, holds=((12, None),))
    assert _one(specs, [held], 13) == (
        "jak_lab_threshold:2:ANC:act:5",
        "warning",
        "Tofacitinib: keep held (ANC 0.8 x10^3/µL)",
        "ANC 0.8 x10^3/µL on 2026-03-14; 0.7 x10^3/µL on 2026-03-12 before it: ANC 500 to "
        "1,000 cells/mm3, the decrease persists (two counts in a row): interrupt; resume when "
        "ANC is above 1,000 cells/mm3; the line is held: keep it held until then",
        "blood",
    )
    # stopping is the label's action for a confirmed ANC below 500: held is not enough
    low = [*BASELINE, ("ANC", 10, 0.4), ("ANC", 12, 0.45)]
    (alert,) = _alerts(low, [held], 13)
    assert (alert.severity, alert.title) == (
        "critical",
        "Tofacitinib: discontinue (ANC 0.45 x10^3/µL)",
    )
    assert _alerts(specs, [jak(2, "tofacitinib", 0, 13)], 13) == []  # stopped that day


def test_baricitinib_interrupts_on_one_value_and_reads_a_censored_one() -> None:
    assert _one([*BASELINE, ("HGB", 10, 7.5)], [jak(2, "baricitinib", 0)], 13) == (
        "jak_lab_threshold:2:HGB:act:4",
        "critical",
        "Baricitinib: interrupt (Hemoglobin 7.5 g/dL)",
        "Hemoglobin 7.5 g/dL on 2026-03-12: hemoglobin <8 g/dL: interrupt; resume once above "
        "8 g/dL",
        "blood",
    )
    assert _one([*BASELINE, ("ALC", 10, 0.6, "<")], [jak(2, "baricitinib", 0)], 13) == (
        "jak_lab_threshold:2:ALC:repeat:4",
        "warning",
        "Baricitinib: repeat ALC (<0.6 x10^3/µL)",
        "ALC <0.6 x10^3/µL on 2026-03-12: it may be below the label's limit (lymphocytes <500 "
        "cells/mm3: interrupt): measure an exact count",
        "blood",
    )
    (alert,) = _alerts([*BASELINE, ("ALC", 10, 0.2, "<")], [jak(2, "baricitinib", 0)], 13)
    assert alert.title == "Baricitinib: interrupt (ALC <0.2 x10^3/µL)"


def test_two_lines_each_judged_by_its_own_label() -> None:
    # tofacitinib days 0-20, then baricitinib from day 21: hemoglobin 8.5 on day 25 is below
    # neither of baricitinib's limits, and the stopped tofacitinib line is not judged
    specs = [*BASELINE, ("HGB", 25, 8.5), ("ALC", 25, 0.9), ("ANC", 25, 2.0)]
    lines = [jak(2, "tofacitinib", 0, 21), jak(3, "baricitinib", 21)]
    assert _alerts(specs, lines, 26) == []
    # the same count with both on: tofacitinib's hemoglobin rule sees a fall of 2.5 once
    both = [jak(2, "tofacitinib", 0), jak(3, "baricitinib", 21)]
    assert [a.key for a in _alerts(specs, both, 26)] == ["jak_lab_threshold:2:HGB:repeat:4"]


def test_a_result_after_now_is_not_seen() -> None:
    specs = [*BASELINE, ("ALC", 10, 0.45), ("ALC", 12, 0.4)]
    # on day 12 at 06:00 the day-12 count (08:00) is not in yet: one value, a repeat
    (alert,) = _alerts(specs, [jak(2, "tofacitinib", 0)], 12, hour=6)
    assert alert.key == "jak_lab_threshold:2:ALC:repeat:4"


def test_mycophenolate_interrupt_or_reduce_below_1300() -> None:
    mmf = line(3, "immunosuppression", "mycophenolate mofetil", 0, dose=1000, dose_unit="mg")
    (alert,) = _alerts([("ANC", -3, 2.0), ("ANC", 10, 1.1)], [mmf], 13)
    assert (alert.key, alert.severity, alert.title, alert.source, alert.organ) == (
        "mmf_cytopenia:3:ANC:act:2",
        "critical",
        "Mycophenolate mofetil: interrupt or reduce the dose (ANC 1.1 x10^3/µL)",
        CELLCEPT,
        "blood",
    )
    assert alert.rule == (
        "ANC 1.1 x10^3/µL on 2026-03-12: ANC <1.3 x10^3/µL: interrupt or reduce the dose; "
        "perform the appropriate diagnostic tests"
    )
    assert alert.evidence_at == at(10)


def test_mycophenolate_at_the_threshold_in_both_unit_systems() -> None:
    mmf = line(3, "immunosuppression", "CellCept", 0, dose=1000, dose_unit="mg")
    for value, raised in ((1.29, True), (1.3, False), (1299 * 0.001, True), (1300 * 0.001, False)):
        assert bool(_alerts([("ANC", 10, value)], [mmf], 13)) is raised, value


def test_mycophenolate_only_while_on() -> None:
    specs: list[Spec] = [("ANC", 10, 1.1)]
    held = line(
        3, "immunosuppression", "Myfortic", 0, dose=720, dose_unit="mg", holds=((11, None),)
    )
    stopped = line(3, "immunosuppression", "Myfortic", 0, 11, dose=720, dose_unit="mg")
    assert _alerts(specs, [held], 13) == []
    assert _alerts(specs, [stopped], 13) == []
    (alert,) = _alerts(specs, [line(3, "immunosuppression", "Myfortic", 0)], 13)
    assert alert.title == "Mycophenolic acid: interrupt or reduce the dose (ANC 1.1 x10^3/µL)"
    assert d(0).isoformat() == "2026-03-02"
