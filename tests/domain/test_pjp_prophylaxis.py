"""Pneumocystis prophylaxis on long high-dose steroids: at least 20 mg/day prednisone-equivalent
for 28 days or more with no prophylaxis line on (ASCO 2021; NCCN; clinical reference, section 10).
Prednisone equivalents of the clinical reference, section 7: methylprednisolone x1.25,
dexamethasone x6.67, hydrocortisone x0.25. Days count from DAY0 (2026-03-02)."""

from __future__ import annotations

import pytest

from irae_desktop.domain.alerts import evaluate_alerts
from irae_desktop.domain.timeline import TreatmentSpan

from .builders import at, line
from .safety_builders import patient


def _steroid(
    id: int, agent: str, start: int, stop: int | None = None, dose: float = 20.0, unit: str = "mg"
) -> TreatmentSpan:
    return line(id, "immunosuppression", agent, start, stop, dose=dose, dose_unit=unit)


def _pjp(lines: list[TreatmentSpan], day: int, weight: float | None = 70.0):  # type: ignore[no-untyped-def]
    tl = patient([], lines, weight_kg=weight)
    return [a for a in evaluate_alerts(tl, at(day, 18)) if a.kind == "pjp_prophylaxis"]


@pytest.mark.parametrize(
    ("agent", "dose", "unit", "raised"),
    [
        ("prednisone", 20.0, "mg", True),
        ("prednisone", 19.0, "mg", False),
        ("prednisolone", 20.0, "mg", True),
        ("methylprednisolone", 16.0, "mg", True),  # 20.0 mg prednisone
        ("methylprednisolone", 15.0, "mg", False),  # 18.75
        ("dexamethasone", 3.0, "mg", True),  # 20.01
        ("dexamethasone", 2.9, "mg", False),  # 19.343
        ("hydrocortisone", 80.0, "mg", True),  # 20.0
        ("prednisone", 0.3, "mg/kg", True),  # 21 mg for 70 kg
        ("prednisone", 0.28, "mg/kg", False),  # 19.6 mg
        ("budesonide", 9.0, "mg", False),  # acts in the gut: not counted
    ],
)
def test_the_dose_threshold(agent: str, dose: float, unit: str, raised: bool) -> None:
    assert bool(_pjp([_steroid(2, agent, 0, dose=dose, unit=unit)], 27)) is raised


def test_28_days_in_full() -> None:
    pred = _steroid(2, "prednisone", 0)
    assert _pjp([pred], 26) == []  # 27 days, days 0 to 26
    (alert,) = _pjp([pred], 27)
    assert (alert.key, alert.severity, alert.title, alert.source, alert.organ) == (
        "pjp_prophylaxis:2026-03-02",
        "warning",
        "Pneumocystis prophylaxis to consider",
        "ASCO 2021; NCCN (Prevention and Treatment of Cancer-Related Infections)",
        "infection",
    )
    assert alert.rule == (
        "prednisone-equivalent at least 20 mg/day on 28 days since 2026-03-02; today "
        "prednisone 20 mg/day prednisone-equivalent; no Pneumocystis prophylaxis on: consider "
        "trimethoprim-sulfamethoxazole; atovaquone, dapsone or pentamidine if it cannot be given"
    )
    assert alert.evidence_at == at(0, 0) and alert.raised_at == at(27, 0)


def test_lines_are_summed_and_named() -> None:
    # 10 mg prednisone and 1.5 mg dexamethasone (10.005 mg): 20.005 mg a day
    lines = [_steroid(2, "prednisone", 0, dose=10.0), _steroid(3, "dexamethasone", 0, dose=1.5)]
    (alert,) = _pjp(lines, 30)
    assert "; today prednisone 10 mg/day and dexamethasone 10 mg/day prednisone-equivalent;" in (
        alert.rule
    )
    assert _pjp([lines[0]], 30) == []


def test_a_day_below_20_mg_ends_the_run() -> None:
    # 40 mg to day 19, then 10 mg: the taper is below the threshold
    lines = [_steroid(2, "prednisone", 0, 19, dose=40.0), _steroid(3, "prednisone", 20, dose=10.0)]
    assert _pjp(lines, 30) == []
    # a run that stopped is not today's
    assert _pjp([_steroid(2, "prednisone", 0, 40)], 41) == []
    assert len(_pjp([_steroid(2, "prednisone", 0, 40)], 40)) == 1  # the stop day is given


def test_days_whose_dose_cannot_be_read_bridge_but_do_not_count() -> None:
    # 20 mg on days 0-19; a dose in tablets on days 20-24 (unreadable); 20 mg from day 25
    lines = [
        _steroid(2, "prednisone", 0, 19),
        _steroid(3, "prednisone", 20, 24, dose=1.0, unit="tablet"),
        _steroid(4, "prednisone", 25),
    ]
    assert _pjp(lines, 31) == []  # 20 + 7 days known
    (alert,) = _pjp(lines, 32)  # 20 + 8
    assert alert.key == "pjp_prophylaxis:2026-03-02"
    assert alert.rule.startswith(
        "prednisone-equivalent at least 20 mg/day on 28 days since 2026-03-02; today prednisone "
        "20 mg/day prednisone-equivalent; 5 days whose dose could not be read are not counted; "
    )


def test_today_unreadable_names_the_last_known_dose() -> None:
    lines = [
        _steroid(2, "prednisone", 0, 29, dose=30.0),
        _steroid(3, "prednisone", 30, dose=0.5, unit="mg/kg"),
    ]
    (alert,) = _pjp(lines, 31, weight=None)  # per kg without a weight from day 30
    assert (
        "; today's dose cannot be read, last known prednisone 30 mg/day prednisone-equivalent;"
        in alert.rule
    )
    assert "; 2 days whose dose could not be read are not counted;" in alert.rule


@pytest.mark.parametrize(
    ("prophylaxis", "raised"),
    [
        (line(9, "other", "trimethoprim-sulfamethoxazole", 10, dose=480, dose_unit="mg"), False),
        (line(9, "other", "Bactrim DS", 10), False),
        (line(9, "other", "atovaquone", 10), False),
        (line(9, "other", "dapsone", 10), False),
        (line(9, "other", "NebuPent", 10, frequency="every 4 weeks"), False),
        (line(9, "other", "Bactrim", 40), True),  # planned
        (line(9, "other", "Bactrim", 10, 20), True),  # stopped
        (line(9, "other", "Bactrim", 10, holds=((25, None),)), True),  # held
    ],
)
def test_a_prophylaxis_line_on_answers_it(prophylaxis: TreatmentSpan, raised: bool) -> None:
    assert bool(_pjp([_steroid(2, "prednisone", 0, dose=60.0), prophylaxis], 30)) is raised
