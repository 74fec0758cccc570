"""A treatment line has the same colour in the window's lanes as on the printed trend page."""

from __future__ import annotations

from datetime import UTC

from irae_desktop.domain.chart_marks import LANE_COLOURS
from irae_desktop.reports.chart_lanes import lane_rows
from irae_desktop.reports.summary_data import load_patient_summary
from irae_desktop.store.patient_read import find_patient_id, read_patient
from irae_desktop.ui.patient.lanes_data import build_lanes
from tests.reports.factory import NOW, hepatitis_patient

# the lanes' colours (Paul Tol's bright scheme), literally
ICI, STEROID, IMMUNOSUPPRESSION = "#4477AA", "#228833", "#AA3377"


def test_the_window_and_the_page_colour_each_line_alike(db) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        hepatitis_patient(s)
    with db.read() as s:
        record = read_patient(s, find_patient_id(s, "MRN-100"))
        printed = load_patient_summary(s, "MRN-100", now=NOW)
    screen = {
        lane.label.split()[0].lower(): lane.colour
        for lane in build_lanes(record.treatments, NOW.date(), zone=UTC)
    }
    paper = {
        lines[0].line.agent.split()[0].lower(): LANE_COLOURS[key]
        for _label, key, lines in lane_rows(printed)
    }
    assert screen["pembrolizumab"] == paper["pembrolizumab"] == ICI
    assert screen["mycophenolate"] == paper["mycophenolate"] == IMMUNOSUPPRESSION
    # every steroid line on screen has the colour of the page's pooled steroid lane
    steroids = [c for agent, c in screen.items() if "pred" in agent]
    assert steroids and set(steroids) == {STEROID}
    assert STEROID in paper.values()
