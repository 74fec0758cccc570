"""A line's dose on a day: the starting dose, then each dose step from its date."""

from __future__ import annotations

from datetime import date

from irae_desktop.domain.doses import LineDose, line_dose
from irae_desktop.domain.timeline import DoseStepPoint, TreatmentSpan

START = date(2026, 11, 14)


def taper(stop: date | None = None, steps: bool = True) -> TreatmentSpan:
    """Prednisone 60 mg once daily from 14 Nov, then 40 mg from 21 Nov and 30 mg from 28 Nov."""
    return TreatmentSpan(
        id=1,
        category="immunosuppression",
        agent="prednisone",
        dose=60.0,
        dose_unit="mg",
        frequency="once daily",
        route="PO",
        start=START,
        stop=stop,
        dose_steps=(
            DoseStepPoint(date(2026, 11, 28), 30.0, "mg"),
            DoseStepPoint(date(2026, 11, 21), 40.0, "mg"),
        )
        if steps
        else (),
    )


def test_current_dose_is_the_last_step_begun() -> None:
    now = line_dose(taper(), date(2026, 12, 3))
    assert isinstance(now, LineDose)
    assert (now.dose, now.unit, now.since) == (30.0, "mg", date(2026, 11, 28))
    assert now.text() == "30 mg once daily"
    assert [(e.start, e.dose, e.state, e.is_starting) for e in now.history] == [
        (date(2026, 11, 14), 60.0, "past", True),
        (date(2026, 11, 21), 40.0, "past", False),
        (date(2026, 11, 28), 30.0, "current", False),
    ]


def test_a_step_starts_on_its_own_date() -> None:
    assert line_dose(taper(), date(2026, 11, 20)).dose == 60.0
    assert line_dose(taper(), date(2026, 11, 21)).dose == 40.0
    states = [e.state for e in line_dose(taper(), date(2026, 11, 21)).history]
    assert states == ["past", "current", "planned"]


def test_before_the_start_the_starting_dose_is_planned() -> None:
    before = line_dose(taper(), date(2026, 11, 1))
    assert (before.dose, before.since) == (60.0, START)
    assert [e.state for e in before.history] == ["planned", "planned", "planned"]


def test_after_the_stop_the_last_dose_given_is_kept_and_nothing_is_current() -> None:
    stopped = line_dose(taper(stop=date(2026, 11, 25)), date(2026, 12, 3))
    assert (stopped.dose, stopped.since) == (40.0, date(2026, 11, 21))
    assert [e.state for e in stopped.history] == ["past", "past", "not given"]


def test_a_line_without_steps_is_on_its_starting_dose() -> None:
    plain = line_dose(taper(steps=False), date(2026, 12, 3))
    assert plain.text() == "60 mg once daily"
    assert len(plain.history) == 1 and plain.history[0].state == "current"


def test_a_step_on_the_start_day_replaces_the_starting_dose() -> None:
    span = TreatmentSpan(
        id=2,
        category="insulin",
        agent="insulin glargine",
        dose=24.0,
        dose_unit="units",
        frequency="once daily",
        route="SC",
        start=date(2026, 11, 28),
        stop=None,
        dose_steps=(
            DoseStepPoint(date(2026, 11, 28), 24.0, "units"),
            DoseStepPoint(date(2026, 12, 1), 28.0, "units"),
        ),
    )
    now = line_dose(span, date(2026, 12, 4))
    assert now.text() == "28 units once daily"
    assert [(e.dose, e.is_starting) for e in now.history] == [(24.0, False), (28.0, False)]
