"""The trends read at a glance: dates with day, month and year, plain log ticks, panels that
keep their height, lanes that name every bar, ketones plotted, panels in the problem's order."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest
from sqlalchemy import select

from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.models import Patient
from irae_desktop.ui.patient.trends_axes import date_labels, date_ticks, log_ticks


def _at(y: int, m: int, d: int) -> float:
    return datetime(y, m, d).timestamp()  # local midnight, as the axis ticks


def test_day_ticks_name_day_month_and_the_year_once() -> None:
    kind, ticks = date_ticks(_at(2026, 9, 27) - 12 * 3600, _at(2026, 10, 2) + 12 * 3600, 800)
    assert kind == "day"
    assert date_labels(kind, ticks) == [
        "27 Sep 2026",
        "28 Sep",
        "29 Sep",
        "30 Sep",
        "1 Oct",
        "2 Oct",
    ]


def test_week_ticks_sit_on_fixed_days_and_a_new_year_is_named() -> None:
    kind, ticks = date_ticks(_at(2026, 11, 27), _at(2027, 1, 20), 640)
    assert kind == "day"
    assert date_labels(kind, ticks) == [
        "1 Dec 2026", "8 Dec", "15 Dec", "22 Dec", "1 Jan 2027", "8 Jan", "15 Jan",
    ]  # fmt: skip


def test_month_ticks_over_a_year() -> None:
    kind, ticks = date_ticks(_at(2026, 1, 20), _at(2026, 12, 5), 500)
    assert kind == "month"
    assert date_labels(kind, ticks) == ["Mar 2026", "May", "Jul", "Sep", "Nov"]


def test_no_tick_sits_so_near_an_edge_that_its_label_is_lost() -> None:
    lo, hi = _at(2026, 9, 15) - 600, _at(2026, 12, 5)
    _kind, ticks = date_ticks(lo, hi, 1000)
    room = (hi - lo) / 1000 * 39  # half a 78-pixel label, in seconds
    assert all(lo + room <= t <= hi - room for t in ticks)


def test_ticks_never_crowd_their_labels() -> None:
    for pixels in (300, 700, 1500):
        for days in (3, 14, 91, 400, 1500):
            _kind, ticks = date_ticks(_at(2026, 1, 1), _at(2026, 1, 1) + days * 86400, pixels)
            assert len(ticks) <= pixels // 78 + 1, (pixels, days)


def test_log_ticks_are_plain_numbers_with_room() -> None:
    assert log_ticks(0.0, 2.0, 400) == [1, 2, 3, 5, 7, 10, 20, 30, 50, 70, 100]
    # bilirubin 0.5 to 1.3 mg/dL over 120 pixels: more than one tick in less than a decade
    assert log_ticks(-0.302, 0.114, 120) == [0.5, 0.6, 0.8, 1.0]
    assert log_ticks(0.0, 2.0, 60) == [1, 10, 100]


@pytest.fixture
def demo(qtbot, db):  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.view import PatientView

    add_demo_patients(db, anchor=date.today())
    with db.read() as s:
        ids = dict(s.execute(select(Patient.mrn, Patient.id)).all())
    view = PatientView(db)
    qtbot.addWidget(view)
    view.resize(1400, 850)
    view.show()

    def show(mrn: str):  # type: ignore[no-untyped-def]
        with qtbot.waitSignal(view.loaded, timeout=10000):
            view.show_patient(ids[mrn])
        view.grab()  # lays out at this size
        return view

    return show


def test_a_diabetes_patient_gets_glucose_first_and_ketones_plotted(demo) -> None:  # type: ignore[no-untyped-def]
    view = demo("DEMO-0002")
    keys = list(view.trends.plots)
    assert keys[:2] == ["glucose", "ketones"]
    _x, y = view.trends.curves["BHB"].getData()
    assert list(y) == [4.2, 1.6, 0.3]  # the demo's beta-hydroxybutyrate, mmol/L


def test_lab_panels_keep_their_height_and_the_stack_scrolls(demo) -> None:  # type: ignore[no-untyped-def]
    view = demo("DEMO-0001")
    for key, plot in view.trends.plots.items():
        assert plot.height() >= 150, key
    scroll = view.trends.scroll.verticalScrollBar()
    assert scroll.maximum() > 0  # six lanes and three panels do not fit in 850 px: it scrolls


def test_normal_noise_stays_flat_under_the_uln(demo) -> None:  # type: ignore[no-untyped-def]
    view = demo("DEMO-0003")
    view.trends.show_last_days(0)
    view.grab()
    # bilirubin 0.5-0.7 mg/dL under a ULN of 1.2: the y range reaches the ULN
    _low, high = view.trends.plots["bilirubin"].getViewBox().viewRange()[1]
    assert high >= 1.2


def test_every_lane_is_named_in_view_without_covering_a_bar(demo) -> None:  # type: ignore[no-untyped-def]
    view = demo("DEMO-0001")
    lanes = view.trends.stack.lanes
    assert lanes is not None
    for days in (14, 91, 0):
        view.trends.show_last_days(days)
        view.grab()
        lo, hi = lanes.plot.getViewBox().viewRange()[0]
        bars = [i for i in lanes.items if type(i).__name__ == "QGraphicsRectItem"]
        for lane, label in zip(view.trends.lanes, view.trends.lane_labels, strict=True):
            in_view = lane.end > lo and lane.start < hi
            assert label.isVisible() == in_view, lane.label
            if not in_view:
                continue
            x = label.pos().x()
            assert lo <= x <= hi, lane.label  # a zoomed bar still has its name on screen
            text = label.mapRectToScene(label.boundingRect())
            for bar in bars:
                assert not text.intersects(bar.mapRectToScene(bar.rect())), lane.label


def test_the_alert_detail_shows_the_whole_rule(demo) -> None:  # type: ignore[no-untyped-def]
    view = demo("DEMO-0001")
    panel = view.alerts
    text = panel.detail.toPlainText()
    alert = panel.visible_alerts()[0]
    assert alert.rule in text and "..." not in text
    assert panel.body.count() == 2  # list and detail, split so either can be widened


@pytest.mark.parametrize("mrn", ["DEMO-0001", "DEMO-0002"])
def test_axis_titles_do_not_run_into_each_other_at_1400_by_850(demo, mrn: str) -> None:  # type: ignore[no-untyped-def]
    view = demo(mrn)
    titles = [p.getAxis("left").label for p in view.trends.stack.placed]
    rects = [t.mapRectToScene(t.boundingRect()) for t in titles if t.isVisible()]
    assert len(rects) >= 3
    for upper, lower in itertools.pairwise(rects):
        assert not upper.intersects(lower)
