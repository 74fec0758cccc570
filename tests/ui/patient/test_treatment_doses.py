"""The Treatments tab, the timeline lanes and the printed summary give the same current dose."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from irae_desktop.store.database import Database
from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.models import Patient
from tests.reports.pdftext import page_texts, squash


@pytest.fixture
def demo_db(db: Database) -> Database:
    # anchored on today's date in UTC, the team's default clinical time zone
    add_demo_patients(db, anchor=datetime.now(UTC).date())
    return db


def _pid(db: Database, mrn: str) -> int:
    with db.read() as s:
        return int(s.scalars(select(Patient.id).where(Patient.mrn == mrn)).one())


@pytest.fixture
def open_view(qtbot, demo_db) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.view import PatientView

    view = PatientView(demo_db)
    qtbot.addWidget(view)
    view.resize(1366, 768)

    def show(mrn: str) -> object:
        with qtbot.waitSignal(view.loaded, timeout=15000):
            view.show_patient(_pid(demo_db, mrn))
        return view

    yield show


def _rows(view) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Top-level rows of the Treatments tab by agent (the last line of an agent wins)."""
    tree = view.treatments.tree
    out = {}
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        out[item.text(0)] = [item.text(c) for c in range(tree.columnCount())]
    return out


def _pdf_text(db: Database, pid: int, path: Path) -> str:
    from irae_desktop.reports.patient_summary import write_patient_summary

    write_patient_summary(db, pid, path)
    return squash(" ".join(page_texts(path)))


def test_prednisone_taper_shows_the_dose_now_on_screen_lane_and_pdf(
    open_view, demo_db, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # the demo taper: 60 mg from day -20, 40 mg from -13, 30 mg from -6, 20 mg from +1
    view = open_view("DEMO-0001")
    row = _rows(view)["prednisone"]
    assert row[3] == "30 mg once daily"
    assert row[4] == (view.snapshot.today - timedelta(days=6)).isoformat()  # since the 30 mg step
    lanes = [lane.label for lane in view.trends.lanes if lane.label.startswith("prednisone")]
    assert "prednisone 30 mg once daily" in [label.split(" \u2014 ")[0] for label in lanes]
    text = _pdf_text(demo_db, view.current_patient_id, tmp_path / "summary.pdf")
    assert "prednisone 30 mg once daily PO: prednisone-eq 30 mg/day" in text
    # 30 mg on 70 kg, and the same "since" as the window: the day of the 30 mg step
    since = view.snapshot.today - timedelta(days=6)
    assert f"30 mg/day (0.43 mg/kg/day) {since:%d %b %Y}" in text


def test_insulin_glargine_shows_28_units_on_screen_lane_and_pdf(
    open_view, demo_db, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # the demo glargine: 24 units from day -6, 28 units from day -3
    view = open_view("DEMO-0002")
    assert _rows(view)["insulin glargine"][3] == "28 units once daily"
    labels = [lane.label for lane in view.trends.lanes]
    assert "insulin glargine 28 units once daily" in labels
    text = _pdf_text(demo_db, view.current_patient_id, tmp_path / "summary.pdf")
    assert "insulin glargine 28 units once daily SC" in text


def test_every_dated_dose_is_readable_in_full(open_view) -> None:  # type: ignore[no-untyped-def]
    view = open_view("DEMO-0001")
    tab = view.treatments
    tree = tab.tree
    item = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0) == "prednisone" and tree.topLevelItem(i).childCount()
    )
    doses = [(item.child(i).text(3), item.child(i).text(2)) for i in range(item.childCount())]
    assert doses == [
        ("60 mg once daily", "past"),
        ("40 mg once daily", "past"),
        ("30 mg once daily", "current"),
        ("20 mg once daily", "planned"),
        ("10 mg once daily", "planned"),
    ]
    # the date column is wide enough for a whole ISO date
    metrics = tree.fontMetrics()
    date_text = item.child(0).text(4)
    assert len(date_text) == 10
    assert tree.columnWidth(4) >= metrics.horizontalAdvance(date_text)
    tree.setCurrentItem(item)
    detail = tab.detail.text()
    assert "<b>30 mg once daily</b>" in detail
    for dose in ("60 mg once daily", "40 mg once daily", "20 mg once daily", "10 mg once daily"):
        assert dose in detail
