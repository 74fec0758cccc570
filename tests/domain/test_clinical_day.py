"""Every day-based rule counts calendar days in the team's clinical time zone, never in UTC
(clinical reference, decision 10): at UTC+11 (Sydney, with its April and October daylight-saving
changes), UTC+5:30 (Kolkata) and UTC-10 (Honolulu), around local midnight.

Inputs are wall-clock times in the zone (turned into instants by the standard library); the
expected days and grades are literals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from irae_desktop.domain.alerts import evaluate_alerts
from irae_desktop.domain.clinical_day import clinical_day, day_start, day_window, on_or_before
from irae_desktop.domain.response import line_response
from irae_desktop.domain.series import LabToGrade, grade_series
from irae_desktop.domain.timeline import LabPoint, PatientTimeline, TreatmentSpan

SYDNEY = "Australia/Sydney"  # UTC+11 in summer (to 5 Apr 2026), UTC+10 in winter (from 4 Oct)
KOLKATA = "Asia/Kolkata"  # UTC+5:30
HONOLULU = "Pacific/Honolulu"  # UTC-10
ZONES = (SYDNEY, KOLKATA, HONOLULU)
ULN = {"ALT": 40.0, "AST": 40.0, "TBILI": 1.2, "GLUCOSE": 140.0, "CPEPTIDE": 4.4}
UNIT = {"ALT": "U/L", "AST": "U/L", "TBILI": "mg/dL", "GLUCOSE": "mg/dL", "CPEPTIDE": "ng/mL"}


def local(zone: str, wall: str) -> datetime:
    """The instant (aware, UTC) of a wall-clock time "YYYY-MM-DD HH:MM" in `zone`."""
    return datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def point(n: int, analyte: str, when: datetime, value: float, grade: int | None) -> LabPoint:
    return LabPoint(
        id=n,
        analyte=analyte,
        collected_at=when,
        value=value,
        comparator="",
        unit=UNIT[analyte],
        uln=ULN[analyte],
        lln=None,
        grade=grade,
        grade_reason=None,
        criteria_id="ctcae-5.0",
        is_baseline=False,
        source="test",
    )


def span(n: int, category: str, agent: str, start: date, **dose: object) -> TreatmentSpan:
    return TreatmentSpan(
        id=n,
        category=category,
        agent=agent,
        dose=dose.get("dose"),  # type: ignore[arg-type]
        dose_unit=dose.get("unit"),  # type: ignore[arg-type]
        frequency="daily",
        route=None,
        start=start,
        stop=None,
    )


PEMBRO = span(90, "ici", "pembrolizumab", date(2026, 3, 1))


def patient(zone: str, labs: list[LabPoint], treatments: list[TreatmentSpan]) -> PatientTimeline:
    return PatientTimeline(
        patient_id=1,
        mrn="TZ-1",
        name="Zone Patient",
        weight_kg=70.0,
        sex="F",
        birth_date=date(1960, 1, 1),
        labs=sorted(labs, key=lambda p: (p.collected_at, p.id)),
        treatments=treatments,
        first_ici_start=min((t.start for t in treatments if t.category == "ici"), default=None),
        zone=ZoneInfo(zone),
    )


# --- the clinical day itself -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "instant", "day"),
    [
        # Sydney summer (UTC+11): 13:00 UTC is local midnight
        (SYDNEY, datetime(2026, 3, 2, 12, 59, tzinfo=UTC), date(2026, 3, 2)),
        (SYDNEY, datetime(2026, 3, 2, 13, 0, tzinfo=UTC), date(2026, 3, 3)),
        (SYDNEY, datetime(2026, 3, 2, 21, 0, tzinfo=UTC), date(2026, 3, 3)),  # 08:00 local
        # after the April change (UTC+10), 13:30 UTC is still 23:30 of the same day
        (SYDNEY, datetime(2026, 4, 5, 13, 30, tzinfo=UTC), date(2026, 4, 5)),
        # after the October change (UTC+11 again), 13:30 UTC is already 00:30 the next day
        (SYDNEY, datetime(2026, 10, 4, 13, 30, tzinfo=UTC), date(2026, 10, 5)),
        (SYDNEY, datetime(2026, 10, 3, 13, 30, tzinfo=UTC), date(2026, 10, 3)),  # UTC+10 still
        (KOLKATA, datetime(2026, 3, 2, 18, 29, tzinfo=UTC), date(2026, 3, 2)),
        (KOLKATA, datetime(2026, 3, 2, 18, 30, tzinfo=UTC), date(2026, 3, 3)),
        (HONOLULU, datetime(2026, 3, 3, 9, 59, tzinfo=UTC), date(2026, 3, 2)),
        (HONOLULU, datetime(2026, 3, 3, 10, 0, tzinfo=UTC), date(2026, 3, 3)),
        # a naive time is a stored UTC time
        (HONOLULU, datetime(2026, 3, 3, 9, 59), date(2026, 3, 2)),
    ],
)
def test_clinical_day_of_an_instant(zone: str, instant: datetime, day: date) -> None:
    assert clinical_day(instant, ZoneInfo(zone)) == day


@pytest.mark.parametrize(
    ("zone", "day", "start"),
    [
        (SYDNEY, date(2026, 4, 5), datetime(2026, 4, 4, 13, 0, tzinfo=UTC)),  # 25-hour day
        (SYDNEY, date(2026, 4, 6), datetime(2026, 4, 5, 14, 0, tzinfo=UTC)),
        (SYDNEY, date(2026, 10, 4), datetime(2026, 10, 3, 14, 0, tzinfo=UTC)),  # 23-hour day
        (SYDNEY, date(2026, 10, 5), datetime(2026, 10, 4, 13, 0, tzinfo=UTC)),
        (KOLKATA, date(2026, 3, 3), datetime(2026, 3, 2, 18, 30, tzinfo=UTC)),
        (HONOLULU, date(2026, 3, 3), datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
    ],
)
def test_day_start_and_the_on_or_before_test(zone: str, day: date, start: datetime) -> None:
    z = ZoneInfo(zone)
    assert day_start(day, z) == start
    before_day = on_or_before(date.fromordinal(day.toordinal() - 1), z)
    assert before_day(start - timedelta(seconds=1))  # the last second of the day before
    assert not before_day(start)
    assert not before_day(start.replace(tzinfo=None))  # naive: UTC


def test_day_window_covers_whole_clinical_days_across_the_april_change() -> None:
    z = ZoneInfo(SYDNEY)
    start, end = day_window(local(SYDNEY, "2026-04-19 00:30"), 14, z)
    assert start == datetime(2026, 4, 4, 13, 0, tzinfo=UTC)  # 5 Apr 00:00 AEDT
    assert end == datetime(2026, 5, 3, 14, 0, tzinfo=UTC)  # 4 May 00:00 AEST


# --- baseline: the last result on or before the first ICI start ---------------------------


def _alt(n: int, when: datetime, value: float) -> LabToGrade:
    return LabToGrade(n, "ALT", when, value, "", "U/L", 40.0, 7.0)


@pytest.mark.parametrize(
    ("zone", "morning_after", "after_grade_1_or_2"),
    [
        # drawn at 08:00 the morning after the first infusion: still 2 March in UTC for Sydney
        # and Kolkata, so in UTC it would become the (abnormal) baseline and ALT 200 would be
        # graded 1 against it (2.5 x 80) instead of 2 (5.0 x ULN)
        (SYDNEY, "2026-03-03 08:00", 2),
        (KOLKATA, "2026-03-03 00:15", 2),
        (HONOLULU, "2026-03-03 00:15", 2),
    ],
)
def test_a_draw_the_morning_after_the_start_is_not_the_baseline(
    zone: str, morning_after: str, after_grade_1_or_2: int
) -> None:
    labs = [
        _alt(1, local(zone, "2026-02-28 09:00"), 30.0),
        _alt(2, local(zone, morning_after), 80.0),
        _alt(3, local(zone, "2026-03-10 09:00"), 200.0),
    ]
    grades = grade_series(labs, date(2026, 3, 2), zone=ZoneInfo(zone))
    assert [grades[n].is_baseline for n in (1, 2, 3)] == [True, False, False]
    assert grades[2].grade == 1  # 80 = 2.0 x ULN
    assert grades[3].grade == after_grade_1_or_2


@pytest.mark.parametrize(
    ("zone", "late_on_start_day"),
    [
        (SYDNEY, "2026-03-02 23:45"),  # 12:45 UTC
        (KOLKATA, "2026-03-02 23:45"),  # 18:15 UTC
        (HONOLULU, "2026-03-02 20:00"),  # 06:00 UTC on 3 March: after the start in UTC
    ],
)
def test_a_draw_late_on_the_start_day_is_the_baseline(zone: str, late_on_start_day: str) -> None:
    labs = [
        _alt(1, local(zone, "2026-02-28 09:00"), 30.0),
        _alt(2, local(zone, late_on_start_day), 80.0),
        _alt(3, local(zone, "2026-03-10 09:00"), 200.0),
    ]
    grades = grade_series(labs, date(2026, 3, 2), zone=ZoneInfo(zone))
    assert [grades[n].is_baseline for n in (1, 2, 3)] == [False, True, False]
    assert grades[3].grade == 1  # abnormal baseline 80: 200 = 2.5 x BL, grade 1 (v5.0)


# --- Hy's law within 14 days ----------------------------------------------------------------


def _hys(zone: str, alt_wall: str, bili_wall: str) -> list[str]:
    labs = [
        point(1, "ALT", local(zone, alt_wall), 150.0, 2),  # 3.75 x ULN
        point(2, "TBILI", local(zone, bili_wall), 3.0, 2),  # 2.5 x ULN
    ]
    tl = patient(zone, labs, [PEMBRO])
    return [
        a.key for a in evaluate_alerts(tl, local(zone, "2026-06-01 12:00")) if a.kind == "hys_law"
    ]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    ("alt_wall", "bili_wall", "paired"),
    [
        # day 14 before the bilirubin's day: in, though almost 15 x 24 hours apart
        ("2026-03-06 00:30", "2026-03-20 23:30", True),
        # day 15: out, though only just over 14 x 24 hours apart
        ("2026-03-05 23:30", "2026-03-20 00:30", False),
        # day 14 after: in; day 15 after: out
        ("2026-04-03 23:30", "2026-03-20 00:30", True),
        ("2026-04-04 00:30", "2026-03-20 23:30", False),
    ],
)
def test_hys_law_window_edge(zone: str, alt_wall: str, bili_wall: str, paired: bool) -> None:
    assert _hys(zone, alt_wall, bili_wall) == (["hys_law:1:2"] if paired else [])


@pytest.mark.parametrize(
    ("alt_wall", "paired"),
    [("2026-04-05 00:30", True), ("2026-04-04 23:59", False)],  # AEDT, bilirubin in AEST
)
def test_hys_law_window_across_the_april_change(alt_wall: str, paired: bool) -> None:
    assert _hys(SYDNEY, alt_wall, "2026-04-19 00:30") == (["hys_law:1:2"] if paired else [])


# --- steroid-refractory: 3 days of adequate steroids ----------------------------------------


def _refractory(zone: str, second_alt: str, now: str) -> list[str]:
    pred = span(5, "immunosuppression", "prednisone", date(2026, 3, 10), dose=1.0, unit="mg/kg")
    labs = [
        point(1, "ALT", local(zone, "2026-03-09 10:00"), 300.0, 3),  # 7.5 x ULN
        point(2, "ALT", local(zone, second_alt), 290.0, 3),
    ]
    tl = patient(zone, labs, [PEMBRO, pred])
    return [a.rule for a in evaluate_alerts(tl, local(zone, now)) if a.kind == "steroid_refractory"]


@pytest.mark.parametrize("zone", ZONES)
def test_steroid_refractory_counts_clinical_days(zone: str) -> None:
    # steroids from 10 March: judged from the 3rd day after, 13 March, local midnight
    (rule,) = _refractory(zone, "2026-03-13 00:15", "2026-03-13 00:30")
    assert rule.startswith(
        "4 days of prednisone-equivalent at least 0.5 mg/kg/day since 2026-03-10"
    )
    assert "latest 290 U/L (grade 3) on 2026-03-13" in rule
    assert _refractory(zone, "2026-03-12 23:15", "2026-03-12 23:30") == []


def test_steroid_refractory_across_the_october_change() -> None:
    pred = span(5, "immunosuppression", "prednisone", date(2026, 10, 2), dose=1.0, unit="mg/kg")
    labs = [
        point(1, "ALT", local(SYDNEY, "2026-10-01 10:00"), 300.0, 3),
        point(2, "ALT", local(SYDNEY, "2026-10-05 00:15"), 290.0, 3),
    ]
    tl = patient(SYDNEY, labs, [PEMBRO, pred])
    alerts = evaluate_alerts(tl, local(SYDNEY, "2026-10-05 00:30"))
    (rule,) = [a.rule for a in alerts if a.kind == "steroid_refractory"]
    assert rule.startswith("4 days of prednisone-equivalent")
    early = evaluate_alerts(tl, local(SYDNEY, "2026-10-04 23:30"))
    assert [a for a in early if a.kind == "steroid_refractory"] == []


# --- labs overdue ------------------------------------------------------------------------------


def _overdue(zone: str, last: str, now: str) -> list[str]:
    labs = [point(1, "ALT", local(zone, last), 130.0, 2)]  # grade 2: labs every 3 days
    tl = patient(zone, labs, [PEMBRO])
    return [a.rule for a in evaluate_alerts(tl, local(zone, now)) if a.kind == "labs_overdue"]


@pytest.mark.parametrize("zone", ZONES)
def test_labs_overdue_on_the_fourth_clinical_day(zone: str) -> None:
    assert _overdue(zone, "2026-03-10 23:30", "2026-03-13 23:59") == []
    (rule,) = _overdue(zone, "2026-03-10 23:30", "2026-03-14 00:01")
    assert rule.endswith("every 3 days; last on 2026-03-10, 4 days ago")


def test_labs_overdue_across_the_april_change() -> None:
    assert _overdue(SYDNEY, "2026-04-02 09:00", "2026-04-05 23:59") == []
    (rule,) = _overdue(SYDNEY, "2026-04-02 09:00", "2026-04-06 00:01")
    assert rule.endswith("last on 2026-04-02, 4 days ago")


# --- days to response --------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    ("improved_wall", "days"), [("2026-03-17 00:30", 7), ("2026-03-16 23:30", 6)]
)
def test_days_to_response_count_clinical_days(zone: str, improved_wall: str, days: int) -> None:
    pred = span(5, "immunosuppression", "prednisone", date(2026, 3, 10), dose=1.0, unit="mg/kg")
    labs = [
        point(1, "ALT", local(zone, "2026-03-09 12:00"), 300.0, 3),
        point(2, "ALT", local(zone, improved_wall), 100.0, 1),  # 2.5 x ULN; a third of the peak
    ]
    response = line_response(patient(zone, labs, [PEMBRO, pred]), pred)
    assert response.days_to_grade_1_or_less == days
    assert response.analytes[0].days_to_half_peak == days


def test_peak_lookback_is_three_clinical_days() -> None:
    pred = span(5, "immunosuppression", "prednisone", date(2026, 3, 10), dose=1.0, unit="mg/kg")
    labs = [
        point(1, "ALT", local(SYDNEY, "2026-03-06 23:30"), 900.0, 4),  # day -4: not counted
        point(2, "ALT", local(SYDNEY, "2026-03-07 00:30"), 300.0, 3),  # day -3: the peak
    ]
    response = line_response(patient(SYDNEY, labs, [PEMBRO, pred]), pred)
    assert response.analytes[0].peak_value == 300.0


# --- ICI-diabetes windows ----------------------------------------------------------------------


def _diabetes(zone: str, glucose_wall: str, cpeptide_wall: str) -> list[str]:
    labs = [
        point(1, "GLUCOSE", local(zone, glucose_wall), 300.0, 3),
        point(2, "CPEPTIDE", local(zone, cpeptide_wall), 0.2, None),  # below 0.2 nmol/L
    ]
    tl = patient(zone, labs, [PEMBRO])
    found = evaluate_alerts(tl, local(zone, "2026-06-30 12:00"))
    return [a.key for a in found if a.kind.startswith("ici_diabetes")]


@pytest.mark.parametrize("zone", ZONES)
def test_ici_diabetes_window_is_seven_clinical_days(zone: str) -> None:
    assert _diabetes(zone, "2026-05-20 23:30", "2026-05-13 00:15") == ["ici_diabetes:1:2"]
    assert _diabetes(zone, "2026-05-20 00:30", "2026-05-12 23:45") == ["ici_diabetes_check:1"]
    assert _diabetes(zone, "2026-05-20 00:30", "2026-05-27 23:45") == ["ici_diabetes:1:2"]


def test_ici_diabetes_window_across_the_april_change() -> None:
    assert _diabetes(SYDNEY, "2026-04-08 00:30", "2026-04-01 00:15") == ["ici_diabetes:1:2"]
    assert _diabetes(SYDNEY, "2026-04-08 00:30", "2026-03-31 23:45") == ["ici_diabetes_check:1"]


@pytest.mark.parametrize("zone", ZONES)
def test_new_hyperglycemia_counts_from_the_day_after_the_start(zone: str) -> None:
    """A glucose drawn late on the ICI start day is before immunotherapy; one drawn just after
    local midnight is the first day on it."""
    start = span(90, "ici", "pembrolizumab", date(2026, 5, 1))

    def kinds(wall: str) -> list[str]:
        labs = [point(1, "GLUCOSE", local(zone, wall), 150.0, 1)]  # grade 1: new only after ICI
        tl = patient(zone, labs, [start])
        found = evaluate_alerts(tl, local(zone, "2026-05-03 12:00"))
        return [a.kind for a in found if a.kind.startswith("ici_diabetes")]

    assert kinds("2026-05-01 23:50") == []
    assert kinds("2026-05-02 00:10") == ["ici_diabetes_check"]
