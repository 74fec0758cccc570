"""JAK inhibitor kidney function against the label's renal dosing (OLUMIANT: eGFR 30 to <60
reduce the dose, <30 not recommended; XELJANZ: moderate or severe renal impairment, read as eGFR
<60, reduce the dose; clinical reference, section 10), on a reported eGFR or one worked out by the
CKD-EPI 2021 creatinine equation.

The patient is a woman born 1960-01-01, 66 years old in March 2026. Worked out by hand:
eGFR = 142 x (Scr/0.7)^-1.200 x 0.9938^66 x 1.012 = 95.324 x (Scr/0.7)^-1.200 for a creatinine
(Scr, mg/dL) above 0.7; for a man 142 x (Scr/0.9)^-1.200 x 0.9938^66 = 94.194 x (Scr/0.9)^-1.2
above 0.9. So 1.02 mg/dL gives 60.67, 1.03 gives 59.97, 1.80 gives 30.69, 1.85 gives 29.70,
2.00 gives 27.04 (a woman); 1.30 gives 60.59 and 2.30 gives 30.55 (a man). Creatinine in
µmol/L / 88.4 is in mg/dL: 90 µmol/L is 1.0181 mg/dL (eGFR 60.79), 92 is 1.0407 (59.17). An
eGFR in mL/s/1.73 m² x 60 is in mL/min/1.73 m².
"""

from __future__ import annotations

from datetime import date

import pytest

from irae_desktop.domain.alerts_renal import jak_renal

from .builders import at
from .safety_builders import Spec, jak, patient

OLUMIANT = (
    "OLUMIANT (baricitinib) US prescribing information: Dosage and Administration, renal impairment"
)
XELJANZ = (
    "XELJANZ (tofacitinib) US prescribing information: Dosage and Administration, renal impairment"
)
UMOL_PER_MG = 88.4
ML_MIN_PER_ML_S = 60.0


def _renal(specs: list[Spec], agent: str = "baricitinib", today: int = 12, **kw):  # type: ignore[no-untyped-def]
    return jak_renal(patient(specs, [jak(2, agent, 0)], **kw), at(today))


@pytest.mark.parametrize(
    ("agent", "spec", "expected"),
    [
        ("baricitinib", ("EGFR", 10, 29.0), ("critical", "not recommended")),
        ("baricitinib", ("EGFR", 10, 30.0), ("warning", "reduce the dose")),
        ("baricitinib", ("EGFR", 10, 59.0), ("warning", "reduce the dose")),
        ("baricitinib", ("EGFR", 10, 60.0), None),
        ("baricitinib", ("EGFR", 10, 30.0, "<"), ("critical", "not recommended")),
        ("baricitinib", ("EGFR", 10, 60.0, ">"), None),
        ("baricitinib", ("EGFR", 10, 0.49 * ML_MIN_PER_ML_S), ("critical", "not recommended")),
        ("baricitinib", ("EGFR", 10, 0.5 * ML_MIN_PER_ML_S), ("warning", "reduce the dose")),
        ("baricitinib", ("EGFR", 10, 1.0 * ML_MIN_PER_ML_S), None),
        ("baricitinib", ("CREAT", 10, 1.02), None),
        ("baricitinib", ("CREAT", 10, 1.03), ("warning", "reduce the dose")),
        ("baricitinib", ("CREAT", 10, 1.80), ("warning", "reduce the dose")),
        ("baricitinib", ("CREAT", 10, 1.85), ("critical", "not recommended")),
        ("baricitinib", ("CREAT", 10, 90 / UMOL_PER_MG), None),
        ("baricitinib", ("CREAT", 10, 92 / UMOL_PER_MG), ("warning", "reduce the dose")),
        ("baricitinib", ("CREAT", 10, 0.5, "<"), None),  # eGFR above 103
        ("baricitinib", ("CREAT", 10, 2.0, ">"), ("critical", "not recommended")),  # below 27.04
        ("tofacitinib", ("EGFR", 10, 59.0), ("warning", "reduce the dose")),
        ("tofacitinib", ("EGFR", 10, 60.0), None),
        ("tofacitinib", ("EGFR", 10, 20.0), ("warning", "reduce the dose")),
        ("tofacitinib", ("CREAT", 10, 1.03), ("warning", "reduce the dose")),
        ("tofacitinib", ("CREAT", 10, 1.02), None),
    ],
)
def test_renal_bands(agent: str, spec: Spec, expected: tuple[str, str] | None) -> None:
    found = [(a.severity, a.title) for a in _renal([spec], agent)]
    if expected is None:
        assert found == []
    else:
        ((severity, title),) = found
        assert severity == expected[0] and title.startswith(
            f"{agent.capitalize()}: {expected[1]} ("
        )


@pytest.mark.parametrize(
    ("creatinine", "raised"),
    [(1.30, False), (2.30, True)],  # a man: eGFR 60.59, 30.55
)
def test_a_mans_egfr(creatinine: float, raised: bool) -> None:
    found = _renal([("CREAT", 10, creatinine)], sex="M")
    assert [a.severity for a in found] == (["warning"] if raised else [])


def test_a_reported_egfr_in_full() -> None:
    (alert,) = _renal([("EGFR", 10, 29.0)])
    assert (alert.key, alert.severity, alert.title, alert.rule, alert.source, alert.organ) == (
        "jak_renal:2:act:1",
        "critical",
        "Baricitinib: not recommended (eGFR 29 mL/min/1.73 m²)",
        "eGFR 29 mL/min/1.73 m², reported on 2026-03-12: eGFR <30 mL/min/1.73 m²: not recommended",
        OLUMIANT,
        "kidney",
    )
    assert alert.evidence_at == at(10)


def test_a_worked_out_egfr_in_full_never_rounds_across_a_bound() -> None:
    (alert,) = _renal([("CREAT", 10, 1.85)])
    assert (alert.title, alert.rule) == (
        "Baricitinib: not recommended (eGFR 29.70 mL/min/1.73 m²)",
        "eGFR 29.70 mL/min/1.73 m², CKD-EPI 2021 creatinine equation from creatinine 1.85 "
        "mg/dL on 2026-03-12 (age 66, female): eGFR <30 mL/min/1.73 m²: not recommended",
    )
    (alert,) = _renal([("CREAT", 10, 1.80)])
    assert alert.title == "Baricitinib: reduce the dose (eGFR 31 mL/min/1.73 m²)"
    (alert,) = _renal([("CREAT", 10, 1.03)], "tofacitinib")
    assert (alert.severity, alert.title, alert.source) == (
        "warning",
        "Tofacitinib: reduce the dose (eGFR 59.97 mL/min/1.73 m²)",
        XELJANZ,
    )
    assert alert.rule.endswith(
        ": eGFR <60 mL/min/1.73 m², moderate or severe renal impairment: 5 mg once daily; the "
        "label grades it by creatinine clearance (50 mL/min or less)"
    )
    # a censored creatinine gives a censored eGFR, rounded outwards: below 27.04 reads "<28"
    (alert,) = _renal([("CREAT", 10, 2.0, ">")])
    assert alert.title == "Baricitinib: not recommended (eGFR <28 mL/min/1.73 m²)"


@pytest.mark.parametrize(
    ("sex", "birth", "why"),
    [
        (None, date(1960, 1, 1), "no sex (female or male) recorded; record it"),
        ("U", date(1960, 1, 1), "no sex (female or male) recorded; record it"),
        ("O", None, "no birth date and no sex (female or male) recorded; record them"),
        ("F", None, "no birth date recorded; record it"),
        (
            "F",
            date(2010, 1, 1),
            "the CKD-EPI 2021 creatinine equation is for adults; enter the laboratory's eGFR",
        ),
    ],
)
def test_no_egfr_is_guessed(sex: str | None, birth: date | None, why: str) -> None:
    (alert,) = _renal([("CREAT", 10, 1.85)], sex=sex, birth_date=birth)
    assert (alert.key, alert.severity, alert.title) == (
        "jak_renal:2:unknown:1",
        "info",
        "Baricitinib: eGFR cannot be worked out",
    )
    assert alert.rule.startswith(
        f"the eGFR cannot be worked out from creatinine 1.85 mg/dL on 2026-03-12: {why}"
    )
    assert alert.rule.endswith(
        ", to check the label's renal dosing (eGFR <30 mL/min/1.73 m²: not recommended; eGFR "
        "30 to <60 mL/min/1.73 m²: 1 mg once daily (rheumatoid arthritis dosing))"
    )
    # the laboratory's own eGFR needs neither
    assert _renal([("CREAT", 10, 1.85), ("EGFR", 11, 65.0)], sex=sex, birth_date=birth) == []


def test_the_newest_kidney_result_decides_and_the_reported_one_wins_a_tie() -> None:
    # the same draw: the laboratory's 65 rather than the 29.70 worked out
    assert _renal([("CREAT", 10, 1.85), ("EGFR", 10, 65.0)]) == []
    # a later creatinine
    (alert,) = _renal([("EGFR", 9, 65.0), ("CREAT", 10, 1.85)])
    assert alert.severity == "critical"
    # a later reported eGFR
    assert _renal([("CREAT", 9, 1.85), ("EGFR", 10, 65.0)]) == []


def test_a_censored_reported_egfr_that_may_lie_in_a_band() -> None:
    (alert,) = _renal([("EGFR", 10, 45.0, ">")])
    assert (alert.key, alert.severity, alert.title, alert.rule) == (
        "jak_renal:2:unsure:1",
        "info",
        "Baricitinib: eGFR may call for a dose change",
        "eGFR >45 mL/min/1.73 m², reported on 2026-03-12: it may lie in the label's band "
        "(eGFR 30 to <60 mL/min/1.73 m²: 1 mg once daily (rheumatoid arthritis dosing))",
    )


def test_which_lines_and_results_are_judged() -> None:
    # no kidney result since 30 days before the start: nothing to say in an alert
    assert _renal([("CREAT", -31, 1.85)]) == []
    assert _renal([("CREAT", -30, 1.85)])[0].severity == "critical"
    # planned: "not recommended" matters most before the start
    assert _renal([("EGFR", -5, 25.0)], today=-1)[0].title == (
        "Baricitinib: not recommended (eGFR 25 mL/min/1.73 m²)"
    )
    # stopped: not judged
    stopped = patient([("EGFR", 10, 25.0)], [jak(2, "baricitinib", 0, 11)])
    assert jak_renal(stopped, at(12)) == []
    # mycophenolate has no renal band here
    assert jak_renal(patient([("EGFR", 10, 25.0)], [jak(2, "CellCept", 0)]), at(12)) == []
