"""A line's dose at its edges: the stop day itself, a step dated on the stop day, a line
recorded without a dose or unit, and the exact history and text a clinician reads."""

from __future__ import annotations

from datetime import date

from irae_desktop.domain.doses import DoseEntry, LineDose, line_dose
from irae_desktop.domain.timeline import DoseStepPoint, TreatmentSpan


def _prednisone(
    dose: float | None = 60.0,
    unit: str | None = "mg",
    frequency: str | None = "once daily",
    stop: date | None = None,
    steps: tuple[DoseStepPoint, ...] = (),
) -> TreatmentSpan:
    """Prednisone from 1 Dec 2026."""
    return TreatmentSpan(
        id=1,
        category="immunosuppression",
        agent="prednisone",
        dose=dose,
        dose_unit=unit,
        frequency=frequency,
        route="PO",
        start=date(2026, 12, 1),
        stop=stop,
        dose_steps=steps,
    )


STEP = DoseStepPoint(date(2026, 12, 8), 40.0, "mg", "bid", "taper after review")


def test_the_history_keeps_each_steps_unit_frequency_and_note() -> None:
    dose = line_dose(_prednisone(steps=(STEP,)), date(2026, 12, 9))
    assert dose.history == (
        DoseEntry(date(2026, 12, 1), 60.0, "mg", "once daily", None, "past", True),
        DoseEntry(date(2026, 12, 8), 40.0, "mg", "bid", "taper after review", "current", False),
    )
    assert dose.history[1].text() == "40 mg bid"
    assert dose.history[0].text() == "60 mg once daily"


def test_on_the_stop_day_the_line_is_still_on_its_dose() -> None:
    span = _prednisone(stop=date(2026, 12, 10), steps=(STEP,))
    on_stop = line_dose(span, date(2026, 12, 10))
    assert [e.state for e in on_stop.history] == ["past", "current"]
    after = line_dose(span, date(2026, 12, 11))
    assert [e.state for e in after.history] == ["past", "past"]


def test_a_step_dated_on_the_stop_day_is_given() -> None:
    span = _prednisone(stop=date(2026, 12, 8), steps=(STEP,))
    after = line_dose(span, date(2026, 12, 12))
    assert [e.state for e in after.history] == ["past", "past"]
    assert after.dose == 40.0
    later = _prednisone(stop=date(2026, 12, 7), steps=(STEP,))
    assert [e.state for e in line_dose(later, date(2026, 12, 12)).history] == ["past", "not given"]


def test_a_line_recorded_without_a_dose_has_no_dose_and_no_text() -> None:
    dose = line_dose(_prednisone(dose=None), date(2026, 12, 3))
    assert dose == LineDose(None, "mg", "once daily", None, ())
    assert dose.text() == ""


def test_a_dose_without_unit_or_frequency_is_shown_as_the_number_alone() -> None:
    dose = line_dose(_prednisone(unit=None, frequency=None), date(2026, 12, 3))
    assert dose.unit is None
    assert dose.history[0].unit == ""
    assert dose.text() == "60"
    assert dose.history[0].text() == "60"


def test_of_two_steps_dated_the_same_day_the_first_is_past_on_that_day() -> None:
    # 8 Dec: 40 mg recorded, then corrected to 30 mg the same day
    steps = (STEP, DoseStepPoint(date(2026, 12, 8), 30.0, "mg"))
    dose = line_dose(_prednisone(steps=steps), date(2026, 12, 8))
    assert [e.state for e in dose.history] == ["past", "past", "current"]
    assert dose.dose == 30.0
