"""The monitoring labs a treatment's label schedules, and the overdue alert they feed (kind
labs_overdue, keys apart from the liver and glucose ones). CellCept: complete blood counts
weekly in the first month, twice a month in months 2 and 3, then monthly; XELJANZ: counts after
4 to 8 weeks then every 3 months, lipids 4 to 8 weeks after the start; OLUMIANT: lipids about 12
weeks after the start (clinical reference, section 10). Lines start on day 0 (2026-03-02)."""

from __future__ import annotations

import pytest

from irae_desktop.domain.alerts import evaluate_alerts

from .builders import at, d, line, timeline, with_labs
from .safety_builders import Spec, jak, patient, results

MMF = line(3, "immunosuppression", "mycophenolate mofetil", 0, dose=1000, dose_unit="mg")
COUNTS = ("ANC", "HGB")


def _due(specs: list[Spec], lines, day: int, **kw):  # type: ignore[no-untyped-def]
    tl = patient(specs, list(lines), **kw)
    return [a for a in evaluate_alerts(tl, at(day, 18)) if a.kind == "labs_overdue"]


def _counts(*days: int) -> list[Spec]:
    return [(code, day, 2.0 if code == "ANC" else 11.0) for day in days for code in COUNTS]


@pytest.mark.parametrize(
    ("draws", "due_day"),
    [
        ((0,), 7),  # weekly in the first month
        ((-2,), 5),  # a baseline counts: a week from it
        ((0, 7, 14, 21), 28),
        # from day 28 the next is due on the first day whose gap reaches that day's interval:
        # day 43 is 15 days on, in months 2-3 (days 30 to 89) twice a month
        ((0, 7, 14, 21, 28), 43),
        ((0, 7, 14, 21, 28, 43, 58, 73), 88),
        # day 85 then monthly: day 115 is 30 days on, from day 90 every 30 days
        ((0, 7, 14, 21, 28, 43, 58, 73, 85), 115),
        ((200,), 230),
    ],
)
def test_mycophenolate_blood_counts(draws: tuple[int, ...], due_day: int) -> None:
    specs = _counts(*draws)
    assert _due(specs, [MMF], due_day) == []  # due that day, not late
    (alert,) = _due(specs, [MMF], due_day + 1)
    assert alert.rule.endswith(f"due by {d(due_day).isoformat()}, 1 day ago")


def test_mycophenolate_overdue_in_full() -> None:
    (alert,) = _due(_counts(0), [MMF], 9)
    assert (alert.key, alert.kind, alert.severity, alert.title, alert.organ) == (
        "labs_overdue:treatment:3:counts:1",
        "labs_overdue",
        "warning",
        "Blood counts due on mycophenolate mofetil",
        "blood",
    )
    assert alert.rule == (
        "the label asks for complete blood counts weekly in the first month, twice a month in "
        "months 2 and 3, then monthly; last drawn on 2026-03-02; due by 2026-03-09, 2 days ago"
    )
    assert alert.source == (
        "CellCept (mycophenolate mofetil) US prescribing information: Warnings and Precautions, "
        "Blood Dyscrasias (neutropenia)"
    )
    assert alert.evidence_at == at(0) and alert.raised_at == at(8, 0)


def test_a_blood_count_is_done_when_each_count_is_in() -> None:
    # ANC every week, hemoglobin never: the counts the label reads are not all there
    anc_only: list[Spec] = [("ANC", day, 2.0) for day in (0, 7)]
    (alert,) = _due(anc_only, [MMF], 8)
    assert alert.key == "labs_overdue:treatment:3:counts:none"
    assert "; no Hemoglobin since 30 days before the start on 2026-03-02; due by 2026-03-09" in (
        alert.rule
    )
    # hemoglobin last on day 0, ANC on day 7: the set was last complete on day 0
    (alert,) = _due([*anc_only, ("HGB", 0, 11.0)], [MMF], 8)
    assert "last drawn on 2026-03-02; due by 2026-03-09" in alert.rule


def test_only_lines_on_and_patients_followed() -> None:
    assert _due([], [line(3, "immunosuppression", "CellCept", 0, holds=((5, None),))], 20) == []
    assert _due([], [line(3, "immunosuppression", "CellCept", 0, 5)], 20) == []
    assert _due([], [line(3, "immunosuppression", "CellCept", 30)], 20) == []  # planned
    assert _due([], [MMF], 20, status="discharged") == []
    assert len(_due([], [MMF], 20)) == 1


@pytest.mark.parametrize(
    ("draws", "on_time_until"),
    [
        ((-2,), 56),  # the check after 4 to 8 weeks: due on day 56
        ((10,), 56),  # day 10 is too early to be that check
        ((30,), 121),  # answered on day 30, then every 3 months (91 days)
        ((30, 121), 212),
        ((60,), 151),  # a late check still answers it
    ],
)
def test_tofacitinib_neutrophils_and_hemoglobin(draws: tuple[int, ...], on_time_until: int) -> None:
    specs: list[Spec] = [(code, day, 1.5) for day in draws for code in ("ANC", "HGB")]
    specs += [("LDL", 40, 100.0), ("ALC", on_time_until, 1.5)]  # lipids and lymphocytes done
    assert _due(specs, [jak(2, "tofacitinib", 0)], on_time_until) == []
    (alert,) = _due(specs, [jak(2, "tofacitinib", 0)], on_time_until + 1)
    assert alert.title == "Blood counts due on tofacitinib"
    assert alert.key.startswith("labs_overdue:treatment:2:counts:")
    assert alert.rule.startswith(
        "the label asks for ANC and hemoglobin at baseline, after 4 to 8 weeks, then every 3 "
        "months; "
    )


@pytest.mark.parametrize(("draws", "on_time_until"), [((-2,), 89), ((-2, 30), 121), ((50,), 141)])
def test_tofacitinib_lymphocytes_every_3_months(draws: tuple[int, ...], on_time_until: int) -> None:
    specs: list[Spec] = [("ALC", day, 1.5) for day in draws]
    specs += [("LDL", 40, 100.0)] + [(c, on_time_until, 1.5) for c in ("ANC", "HGB")]
    assert _due(specs, [jak(2, "tofacitinib", 0)], on_time_until) == []
    (alert,) = _due(specs, [jak(2, "tofacitinib", 0)], on_time_until + 1)
    assert (alert.title, alert.key) == (
        "Lymphocyte count due on tofacitinib",
        f"labs_overdue:treatment:2:lymphocytes:{len(draws)}",
    )


@pytest.mark.parametrize(
    ("agent", "lipids", "due_day"),
    [
        ("tofacitinib", [], 56),
        ("tofacitinib", [("CHOL", 20, 200.0)], 56),  # before 4 weeks: not the check
        ("tofacitinib", [("LDL", 28, 100.0)], None),  # any lipid answers it, once
        ("tofacitinib", [("TRIG", 56, 150.0)], None),
        ("baricitinib", [], 91),
        ("baricitinib", [("CHOL", 69, 200.0)], 91),
        ("baricitinib", [("CHOL", 70, 200.0)], None),
    ],
)
def test_lipids(agent: str, lipids: list[Spec], due_day: int | None) -> None:
    counts: list[Spec] = [
        (code, day, 1.5) for day in (-2, 30, 121, 212) for code in ("ALC", "ANC", "HGB")
    ]
    line_ = jak(2, agent, 0)
    if due_day is None:
        assert _due([*counts, *lipids], [line_], 200) == []
        return
    assert _due([*counts, *lipids], [line_], due_day) == []
    (alert,) = _due([*counts, *lipids], [line_], due_day + 1)
    assert (alert.key, alert.title, alert.organ) == (
        f"labs_overdue:treatment:2:lipids:{'none' if not lipids else len(counts) + 1}",
        f"Lipids due on {agent}",
        "lipids",
    )


def test_baricitinib_counts_have_no_interval_of_their_own() -> None:
    # "evaluate at baseline and thereafter according to routine patient management"
    specs: list[Spec] = [("ALC", -2, 1.5), ("ANC", -2, 3.0), ("HGB", -2, 12.0), ("LDL", 80, 90.0)]
    assert _due(specs, [jak(2, "baricitinib", 0)], 400) == []


def test_liver_and_treatment_overdue_side_by_side() -> None:
    # ALT grade 1 on day 2 (60 U/L, ULN 40): liver tests weekly, overdue on day 10; the
    # mycophenolate counts of day 0 were due on day 7
    pembro = line(1, "ici", "pembrolizumab", 0, dose=200, dose_unit="mg", frequency="q3w")
    liver = timeline([("ALT", -1, 25.0), ("ALT", 2, 60.0)], [pembro, MMF])
    tl = with_labs(liver, [*liver.labs, *results(_counts(0), first_id=10)])
    found = [a for a in evaluate_alerts(tl, at(10, 18)) if a.kind == "labs_overdue"]
    assert sorted((a.key, a.title) for a in found) == [
        ("labs_overdue:liver:2", "Liver labs overdue"),
        ("labs_overdue:treatment:3:counts:10", "Blood counts due on mycophenolate mofetil"),
    ]
