"""The trend plots are refilled: new data, every point drawn, nothing left behind by a redraw."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from tests.ui.patient.helpers import add_dense_patient, add_hepatitis_patient


def _open(qtbot, view, pid: int) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.loaded, timeout=20000):
        view.show_patient(pid)
    assert not view.trends.is_drawing()


def _scene_items(view) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(plots, all graphics items) on the trends canvas."""
    items = view.trends.canvas.scene().items()
    return sum(isinstance(i, pg.PlotItem) for i in items), len(items)


def test_redraws_do_not_pile_up_plot_items(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.trends import MAKE_ORDER

    db, pid = patient_db
    other = add_hepatitis_patient(db, mrn="T-0003")
    trends = view.trends

    def every_view() -> None:
        for uln, log, units in ((False, True, "SI"), (True, False, "US")):
            trends.times_uln.setChecked(uln)
            trends.log_y.setChecked(log)
            view.set_units(units)
            _open(qtbot, view, other)
            _open(qtbot, view, pid)

    # the panels not needed yet are made in idle moments after the first patient is shown
    qtbot.waitUntil(lambda: all(trends.stack.exists(key) for key in MAKE_ORDER), timeout=20000)
    every_view()
    settled = _scene_items(view)
    for _ in range(2):
        every_view()
        assert _scene_items(view) == settled  # the same views again leave nothing behind
    # and the plots show this patient: ALT peaked at 910 U/L over a ULN of 40
    _, multiples = trends.curves["ALT"].getData()
    assert np.isclose(np.nanmax(multiples), 910 / 40)


def test_switches_refill_the_curves(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    trends = view.trends
    alt = trends.curves["ALT"]
    _, multiples = alt.getData()
    assert np.isclose(np.nanmax(multiples), 910 / 40)
    trends.times_uln.setChecked(False)
    _, values = trends.curves["ALT"].getData()
    assert np.isclose(np.nanmax(values), 910)
    assert "U/L" in trends.plots["enzymes"].getAxis("left").labelText
    # bands follow: grade 1 starts at the ULN in U/L, then at 1 x ULN again
    assert np.isclose(trends.band_items["enzymes"][0].getRegion()[0], 40)
    trends.times_uln.setChecked(True)
    assert np.isclose(trends.band_items["enzymes"][0].getRegion()[0], 1.0)
    trends.log_y.setChecked(True)
    plot = trends.plots["enzymes"]
    assert plot.ctrl.logYCheck.isChecked()
    assert np.isclose(trends.band_items["enzymes"][0].getRegion()[0], 0.0)  # log10(1 x ULN)
    assert trends.curves["ALT"].opts["logMode"] == [False, True]
    trends.log_y.setChecked(False)
    assert not plot.ctrl.logYCheck.isChecked()
    _, multiples = trends.curves["ALT"].getData()
    assert np.isclose(np.nanmax(multiples), 910 / 40)


def test_censored_marks_sit_at_their_value_in_log_scale(view) -> None:  # type: ignore[no-untyped-def]
    trends = view.trends
    marks = trends.censored_items["TBILI"]
    assert np.allclose(marks.getData()[1], [0.1])
    trends.log_y.setChecked(True)
    # a bare scatter item has no log mode: its y must be given as log10 (the "<0.1" at -1)
    assert np.allclose(trends.censored_items["TBILI"].getData()[1], [-1.0])
    trends.log_y.setChecked(False)
    assert np.allclose(trends.censored_items["TBILI"].getData()[1], [0.1])


def test_thousands_of_results_are_all_drawn(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = patient_db
    pid = add_dense_patient(db, n=2000)
    _open(qtbot, view, pid)
    trends = view.trends
    assert set(trends.plots) == {"enzymes", "glucose"}
    for analyte in ("ALT", "GLUCOSE"):
        curve = trends.curves[analyte]
        x, y = curve.getOriginalDataset()
        assert len(x) == len(y) == 2000 and np.isfinite(y).all()
        assert curve.opts["symbol"] is None  # dense: a line without markers
        lo, hi = trends.x_range()
        assert lo <= x.min() and hi >= x.max()  # "All" shows every point
    # the previous patient's lanes and steroid rows are hidden, not left on screen
    hidden = [p for p in trends.stack.all_plots() if p not in trends.stack.placed]
    assert hidden and not any(p.isVisible() for p in hidden)
    assert trends.lane_plot is None and trends.steroid_plot is None
    assert [p for p in trends.stack.placed] == list(trends.plots.values())


def test_sparse_series_keep_their_markers(view) -> None:  # type: ignore[no-untyped-def]
    trends = view.trends
    assert trends.curves["ALT"].opts["symbol"] == "o"
    assert trends.curves["TBILI"].opts["symbol"] is None  # censored: open triangles instead
    assert isinstance(trends.censored_items["TBILI"], pg.ScatterPlotItem)


def test_a_patient_with_nothing_to_plot_says_so(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from irae_desktop.domain.records import PatientRecord
    from irae_desktop.store.patients import create_patient

    db, _ = patient_db
    with db.write() as s:
        record = PatientRecord(mrn="T-0009", name="No Labs", birth_date=date(1980, 1, 1))
        empty = create_patient(s, record, user="tester").id
    _open(qtbot, view, empty)
    trends = view.trends
    assert trends.plots == {} and trends.lane_plot is None
    assert trends.canvas.isHidden() and not trends.empty_label.isHidden()
    assert view.updatesEnabled()


def test_loaded_comes_once_the_whole_view_shows_the_patient(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = patient_db
    other = add_hepatitis_patient(db, mrn="T-0004")
    seen: list[tuple[bool, bool, str]] = []
    view.loaded.connect(
        lambda _pid: seen.append(
            (view.trends.is_drawing(), view.updatesEnabled(), view.header.name_label.text())
        )
    )
    with qtbot.waitSignal(view.loaded, timeout=20000):
        view.show_patient(other)
    assert seen == [(False, True, seen[0][2])] and "T-0004" in seen[0][2]


def test_moving_on_mid_draw_ends_on_the_last_patient(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.loading import load_patient

    db, pid = patient_db
    other = add_hepatitis_patient(db, mrn="T-0005")
    emitted: list[int] = []
    view.loaded.connect(emitted.append)
    view.show_patient(other)
    view._loaded(view._generation, load_patient(db, other))  # arrived, plots still to draw
    drawn: list[tuple[int, bool]] = []
    view.trends.drawn.connect(
        lambda: drawn.append((view.trends._snapshot.header.id, view.tabs.isEnabled()))
    )
    with qtbot.waitSignal(view.loaded, timeout=20000):
        view.show_patient(pid)  # the user clicks on before that patient is on screen
    assert emitted == [pid] and "T-0001" in view.header.name_label.text()
    # the other patient is either never drawn or drawn with nothing to act on it
    assert all(not enabled for shown, enabled in drawn if shown == other)
    assert drawn[-1] == (pid, True)


def test_a_patient_drawn_after_the_user_moved_on_stays_disabled(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.loading import load_patient

    db, pid = patient_db
    other = add_hepatitis_patient(db, mrn="T-0006")
    emitted: list[int] = []
    view.loaded.connect(emitted.append)
    view.show_patient(other)
    view._loaded(view._generation, load_patient(db, other))
    # the user asks for the first patient again before that one is drawn; its load is slower
    view.current_patient_id = pid
    with qtbot.waitSignal(view.trends.drawn, timeout=20000):
        pass
    assert emitted == [] and not view.tabs.isEnabled() and not view.print_button.isEnabled()
    assert view.updatesEnabled()  # the screen shows the drawn patient whole, header included
    assert "T-0006" in view.header.name_label.text()


def test_time_axes_stay_linked_across_patients(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, pid = patient_db
    dense = add_dense_patient(db, n=200)

    def assert_linked() -> None:
        trends = view.trends
        for days in (14, 91):
            trends.show_last_days(days)
            lo, hi = trends.x_range()
            for plot in trends.stack.placed:
                plo, phi = plot.viewRange()[0]
                assert abs(plo - lo) < 1 and abs(phi - hi) < 1
        # panning one plot moves the others
        plot = view.trends.stack.placed[0]
        plot.setXRange(lo - 86400, hi - 86400, padding=0)
        for other in view.trends.stack.placed:
            assert abs(other.viewRange()[0][0] - (lo - 86400)) < 1

    assert_linked()  # lanes row as the anchor
    _open(qtbot, view, dense)
    assert_linked()  # no lanes: the first lab plot is the anchor
    _open(qtbot, view, pid)
    assert_linked()


def test_a_drawing_bug_does_not_freeze_the_view(qtbot, view, patient_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.trends_plots import PanelPlot

    db, _ = patient_db
    other = add_hepatitis_patient(db, mrn="T-0007")

    def broken(self, data, log):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")

    monkeypatch.setattr(PanelPlot, "show_data", broken)
    _open(qtbot, view, other)
    trends = view.trends
    assert view.updatesEnabled() and trends.canvas.updatesEnabled()
    assert trends.canvas.isHidden() and "could not be drawn" in trends.empty_label.text()
    assert trends.plots == {} and not trends.stack.placed  # nothing half drawn is left
    monkeypatch.undo()
    _open(qtbot, view, other)  # and the next drawing works again
    assert not trends.canvas.isHidden() and "enzymes" in trends.plots


def test_plots_can_be_made_ahead_of_the_first_patient(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.trends import MAKE_ORDER
    from irae_desktop.ui.patient.view import PatientView

    db, pid = patient_db
    view = PatientView(db)
    qtbot.addWidget(view)
    assert not any(view.trends.stack.exists(key) for key in MAKE_ORDER)
    view.prepare()
    qtbot.waitUntil(lambda: all(view.trends.stack.exists(key) for key in MAKE_ORDER), timeout=20000)
    made = _scene_items(view)[0]
    _open(qtbot, view, pid)
    assert _scene_items(view)[0] == made  # the plots made ahead are used, none made again
    _, multiples = view.trends.curves["ALT"].getData()
    assert np.isclose(np.nanmax(multiples), 910 / 40)
