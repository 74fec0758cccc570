"""The label table holds each label's numbers as the label states them (XELJANZ, OLUMIANT,
CellCept US prescribing information; ASCO 2021 and NCCN for Pneumocystis prophylaxis), in the
canonical unit of each analyte: 1 cell/mm3 = 0.001 x10^3/µL."""

from __future__ import annotations

import re

import pytest

from irae_desktop.domain.safety_labels import (
    BARICITINIB,
    LABELS,
    MYCOPHENOLATE_MOFETIL,
    PJP,
    TOFACITINIB,
    label_for,
    limit_rule,
)

PER_MM3 = 0.001  # 1 cell/mm3 in 10^3/µL


def _rows(limits):  # type: ignore[no-untyped-def]
    return [(x.analyte, x.bound, x.action, x.inclusive, bool(x.confirm)) for x in limits]


def test_tofacitinib_limits() -> None:
    assert _rows(TOFACITINIB.before_start) == [
        ("ALC", 500 * PER_MM3, "do not start", False, False),
        ("ANC", 1000 * PER_MM3, "do not start", False, False),
        ("HGB", 9.0, "do not start", False, False),
    ]
    assert _rows(TOFACITINIB.during) == [
        ("ALC", 500 * PER_MM3, "discontinue", False, True),
        ("ANC", 500 * PER_MM3, "discontinue", False, True),
        ("ANC", 1000 * PER_MM3, "interrupt", True, True),
        ("HGB", 8.0, "interrupt", False, True),
    ]
    assert TOFACITINIB.during[3].fall_more_than == 2.0
    assert [(b.below, b.action, b.severity) for b in TOFACITINIB.renal] == [
        (60.0, "reduce the dose", "warning")
    ]
    lymphocytes, counts, lipids = TOFACITINIB.schedules
    # lymphocytes at baseline and every 3 months
    assert (lymphocytes.analytes, lymphocytes.first, lymphocytes.periods) == (
        ("ALC",),
        (),
        ((0, 91),),
    )
    # neutrophils and hemoglobin at baseline, after 4 to 8 weeks, then every 3 months
    assert (counts.analytes, counts.first, counts.periods, counts.each) == (
        ("ANC", "HGB"),
        ((28, 56),),
        ((56, 91),),
        True,
    )
    assert (lipids.first, lipids.periods, lipids.each) == (((28, 56),), (), False)
    assert TOFACITINIB.screening and TOFACITINIB.jak_inhibitor


def test_baricitinib_limits() -> None:
    for limits, action in (
        (BARICITINIB.before_start, "do not start"),
        (BARICITINIB.during, "interrupt"),
    ):
        assert _rows(limits) == [
            ("ALC", 500 * PER_MM3, action, False, False),
            ("ANC", 1000 * PER_MM3, action, False, False),
            ("HGB", 8.0, action, False, False),
        ]
    assert [(b.below, b.action, b.severity) for b in BARICITINIB.renal] == [
        (30.0, "not recommended", "critical"),
        (60.0, "reduce the dose", "warning"),
    ]
    (lipids,) = BARICITINIB.schedules  # the counts: "according to routine patient management"
    assert (lipids.code, lipids.first) == ("lipids", ((70, 91),))  # about 12 weeks


def test_mycophenolate_limits() -> None:
    assert _rows(MYCOPHENOLATE_MOFETIL.during) == [
        ("ANC", 1.3, "interrupt or reduce the dose", False, False)
    ]
    assert MYCOPHENOLATE_MOFETIL.before_start == ()
    (counts,) = MYCOPHENOLATE_MOFETIL.schedules
    # weekly in the first month, twice a month in months 2 and 3, then monthly
    assert counts.periods == ((0, 7), (30, 15), (90, 30))
    assert LABELS["mycophenolic acid"].during == MYCOPHENOLATE_MOFETIL.during


def test_pjp_rule() -> None:
    assert (PJP.min_mg_per_day, PJP.min_days) == (20.0, 28)
    assert PJP.source.startswith("ASCO 2021; NCCN")


@pytest.mark.parametrize("label", list(LABELS.values()), ids=list(LABELS))
def test_a_counts_words_say_the_number_it_holds(label) -> None:  # type: ignore[no-untyped-def]
    """ "lymphocytes <500 cells/mm3" holds 0.5 x10^3/µL; "hemoglobin <8 g/dL" holds 8."""
    for limit in (*label.before_start, *label.during):
        numbers = [
            float(n.replace(",", "")) for n in re.findall(r"[\d,.]+(?= [a-z]|\b)", limit.words)
        ]
        if "cells/mm3" in limit.words:
            assert round(limit.bound / PER_MM3) == max(numbers), limit
        else:
            assert limit.bound in numbers, limit
    assert label.source


@pytest.mark.parametrize(
    ("written", "generic"),
    [
        ("Xeljanz 5 mg BID", "tofacitinib"),
        ("OLUMIANT", "baricitinib"),
        ("CellCept 1 g", "mycophenolate mofetil"),
        ("MMF", "mycophenolate mofetil"),
        ("Myfortic 720 mg", "mycophenolic acid"),
        ("Remicade", "infliximab"),
    ],
)
def test_a_label_is_found_however_the_drug_is_written(written: str, generic: str) -> None:
    found = label_for(written)
    assert found is not None and found.generic == generic


def test_drugs_without_label_facts_here() -> None:
    assert label_for("prednisone") is None
    assert label_for("ruxolitinib") is None
    assert label_for("aspirin") is None


def test_a_rule_in_words() -> None:
    assert limit_rule(TOFACITINIB.during[0]) == (
        "lymphocytes <500 cells/mm3, confirmed by repeat testing: discontinue"
    )
    assert limit_rule(BARICITINIB.during[2]) == "hemoglobin <8 g/dL: interrupt"
