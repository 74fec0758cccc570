"""The worklist model and its filter proxy, tested without any view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from irae_desktop.store.worklist import OrganGrade, WorklistRow
from irae_desktop.ui.grade_style import GRADE_COLORS
from irae_desktop.ui.worklist_model import (
    ALERTS_ROLE,
    COL_ALERTS,
    COL_DAYS,
    COL_GLUCOSE,
    COL_ICI,
    COL_LIVER,
    COL_MRN,
    COL_NAME,
    GRADE_ROLE,
    PATIENT_ID_ROLE,
    AlertSummary,
    WorklistFilter,
    WorklistModel,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def row(
    pid: int,
    mrn: str,
    name: str,
    *,
    liver: int | None = None,
    glucose: int | None = None,
    status: str = "active",
    synthetic: bool = False,
    days: int | None = 1,
    agent: str | None = "nivolumab",
    ici_status: str | None = "on",
) -> WorklistRow:
    return WorklistRow(
        patient_id=pid,
        mrn=mrn,
        name=name,
        birth_date=None,
        sex=None,
        diagnosis=None,
        status=status,
        is_synthetic=synthetic,
        version=1,
        ici_agent=agent,
        ici_status=ici_status,
        liver=None if liver is None else OrganGrade(liver, "ALT", NOW),
        glucose=None if glucose is None else OrganGrade(glucose, "GLUCOSE", NOW),
        last_lab_at=None if days is None else NOW - timedelta(days=days),
        days_since_lab=days,
    )


ROWS = [
    row(1, "A-001", "Harriet Quill", liver=4, synthetic=True),
    row(2, "B-002", "Tomás Ferreira", glucose=3, ici_status="held"),
    row(3, "C-003", "June Okafor", liver=1, days=12),
    row(4, "D-004", "Lars Eriksen", status="signed_off", days=None, agent=None, ici_status=None),
]


@pytest.fixture
def model(qapp) -> WorklistModel:  # type: ignore[no-untyped-def]
    m = WorklistModel()
    m.set_rows(ROWS)
    return m


@pytest.fixture
def proxy(model: WorklistModel) -> WorklistFilter:
    p = WorklistFilter()
    p.setSourceModel(model)
    return p


def cell(model: WorklistModel, patient_id: int, column: int):  # type: ignore[no-untyped-def]
    row = model.row_for_patient(patient_id)
    assert row is not None
    return model.index(row, column)


def shown_mrns(proxy: WorklistFilter) -> list[str]:
    return [proxy.index(r, COL_MRN).data() for r in range(proxy.rowCount())]


def test_grade_cells_carry_text_and_colour(model: WorklistModel) -> None:
    liver = cell(model, 1, COL_LIVER)
    assert liver.data() == "G4 ALT"
    assert liver.data(GRADE_ROLE) == 4
    assert liver.data(Qt.ItemDataRole.BackgroundRole) == QColor(GRADE_COLORS[4])
    assert liver.data(Qt.ItemDataRole.ForegroundRole) == QColor("#FFFFFF")
    glucose = cell(model, 2, COL_GLUCOSE)
    assert glucose.data() == "G3 Glucose"  # the label the Labs tab and the paper use
    # no graded result: a dash, no colour that could be read as "grade 0"
    assert cell(model, 2, COL_LIVER).data() == "\u2013"
    assert cell(model, 2, COL_LIVER).data(Qt.ItemDataRole.BackgroundRole) is None


def test_synthetic_patients_are_marked(model: WorklistModel) -> None:
    assert "SYNTHETIC" in cell(model, 1, COL_NAME).data()
    assert "SYNTHETIC" not in cell(model, 2, COL_NAME).data()
    assert "not a real person" in cell(model, 1, COL_NAME).data(Qt.ItemDataRole.ToolTipRole)


def test_ici_status_and_ids(model: WorklistModel) -> None:
    assert cell(model, 2, COL_ICI).data() == "nivolumab (held)"
    assert cell(model, 4, COL_ICI).data() == "\u2013"
    assert cell(model, 3, COL_NAME).data(PATIENT_ID_ROLE) == 3
    assert model.row_at(model.row_for_patient(4)).mrn == "D-004"  # type: ignore[arg-type]


def test_alert_summaries_arrive_later_and_update_only_their_cells(qtbot, model) -> None:  # type: ignore[no-untyped-def]
    assert cell(model, 1, COL_ALERTS).data() == "\u2026"
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.set_alerts({1: AlertSummary(2, "critical", ("critical: ALT > 20 x ULN",))})
    top_left = blocker.args[0]
    assert (top_left.row(), top_left.column()) == (model.row_for_patient(1), COL_ALERTS)
    assert cell(model, 1, COL_ALERTS).data() == "\u203c 2 critical"
    assert cell(model, 1, COL_ALERTS).data(ALERTS_ROLE).worst == "critical"
    assert "ALT > 20" in cell(model, 1, COL_ALERTS).data(Qt.ItemDataRole.ToolTipRole)
    model.set_alerts({99: AlertSummary(1, "info")})  # unknown patient: ignored, no crash


def test_failed_alert_check_is_said_not_hidden(model: WorklistModel) -> None:
    model.mark_alerts_unavailable()
    assert cell(model, 1, COL_ALERTS).data() == "not checked"
    assert "could not be checked" in cell(model, 1, COL_ALERTS).data(Qt.ItemDataRole.ToolTipRole)


def test_overdue_days_are_flagged(model: WorklistModel) -> None:
    assert cell(model, 3, COL_DAYS).data() == "12"
    assert "overdue" in cell(model, 3, COL_DAYS).data(Qt.ItemDataRole.ToolTipRole)
    assert cell(model, 1, COL_DAYS).data(Qt.ItemDataRole.ToolTipRole) is None


def test_default_filter_shows_active_patients_only_by_name(proxy: WorklistFilter) -> None:
    # Harriet, June, Tomás: alphabetical by name, signed-off Lars hidden
    assert shown_mrns(proxy) == ["A-001", "C-003", "B-002"]
    proxy.set_status(WorklistFilter.STATUS_SIGNED_OFF)
    assert shown_mrns(proxy) == ["D-004"]
    proxy.set_status(WorklistFilter.STATUS_ALL)
    assert len(shown_mrns(proxy)) == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("b-002", ["B-002"]),
        ("okaf", ["C-003"]),
        ("tomás fer", ["B-002"]),
        ("zzz", []),
        ("", ["A-001", "C-003", "B-002"]),
    ],
)
def test_search_matches_mrn_or_name(proxy: WorklistFilter, text: str, expected: list[str]) -> None:
    proxy.set_search(text)
    assert shown_mrns(proxy) == expected


def test_alerts_and_overdue_filters(model: WorklistModel, proxy: WorklistFilter) -> None:
    proxy.set_alerts_only(True)
    assert shown_mrns(proxy) == []  # not yet known: not shown as "has alerts"
    model.set_alerts({2: AlertSummary(1, "warning"), 1: AlertSummary(0, None)})
    assert shown_mrns(proxy) == ["B-002"]
    proxy.set_alerts_only(False)
    proxy.set_overdue_only(True)
    assert shown_mrns(proxy) == ["C-003"]


def test_sorting_is_by_value_not_text(proxy: WorklistFilter) -> None:
    proxy.set_status(WorklistFilter.STATUS_ALL)
    proxy.sort(COL_LIVER, Qt.SortOrder.DescendingOrder)
    assert shown_mrns(proxy)[:2] == ["A-001", "C-003"]
    proxy.sort(COL_DAYS, Qt.SortOrder.AscendingOrder)
    # 1 < 12, and a patient without labs sorts as the most overdue
    assert shown_mrns(proxy) == ["A-001", "B-002", "C-003", "D-004"]
