"""The Labs tab's list order and flowsheet: draws newest first, analytes in the analyte table's
order, one label per analyte, values and rule texts in the units on display.

The results are literal; expected texts are worked by hand (bilirubin 1 mg/dL = 17.1 µmol/L,
glucose 1 mmol/L = 18.016 mg/dL; bilirubin shown to 1 µmol/L, glucose to 0.1 mmol/L)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from irae_desktop.reports.formatting import analyte_label as paper_label
from irae_desktop.store.patient_read import StoredLab
from irae_desktop.ui.grade_style import GRADE_COLORS
from irae_desktop.ui.patient.flowsheet import FlowsheetModel
from irae_desktop.ui.patient.lab_model import (
    COL_ANALYTE,
    COL_RANGE,
    COL_RULE,
    COL_VALUE,
    LabTableModel,
)

FIRST = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
SECOND = datetime(2026, 5, 3, 8, 0, tzinfo=UTC)


def lab(
    n: int,
    analyte: str,
    when: datetime,
    value: float,
    unit: str,
    limits: tuple[float | None, float | None],
    grade: int | None,
    reason: str | None = None,
    comparator: str = "",
) -> StoredLab:
    lln, uln = limits
    return StoredLab(
        id=n,
        analyte=analyte,
        collected_at=when,
        value=value,
        comparator=comparator,
        unit=unit,
        uln=uln,
        lln=lln,
        grade=grade,
        grade_reason=reason,
        criteria="ctcae-5.0" if grade is not None else None,
        is_baseline=False,
        status="final",
        source_file="lab.csv",
        source_ref=f"row {n}",
        original_text=f"{comparator}{value:g}",
        original_unit=unit,
        version=1,
    )


# stored in the order a lab file might list them: not the display order
LABS = (
    lab(1, "GLUCOSE", FIRST, 98.0, "mg/dL", (70.0, 140.0), 0),
    lab(
        2,
        "TBILI",
        FIRST,
        0.7,
        "mg/dL",
        (0.1, 1.2),
        0,
        "TBILI 0.7 mg/dL = 0.6 x ULN (1.2): grade 0, CTCAE v5.0",
    ),
    lab(3, "ALT", FIRST, 61.0, "U/L", (7.0, 40.0), 1, "ALT 61 U/L = 1.5 x ULN (40): grade 1"),
    lab(4, "AST", FIRST, 35.0, "U/L", (10.0, 40.0), 0),
    lab(5, "CPEPTIDE", SECOND, 1.5, "ng/mL", (0.8, 3.1), None),
    lab(6, "GLUCOSE_POC", SECOND, 250.0, "mg/dL", (70.0, 140.0), 3),
    lab(7, "TBILI", SECOND, 0.1, "mg/dL", (0.1, 1.2), 0, comparator="<"),
)


def test_list_runs_newest_first_and_in_display_order_within_a_draw(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = LabTableModel()
    model.set_labs(LABS)
    shown = [model.data(model.index(r, COL_ANALYTE)) for r in range(model.rowCount())]
    assert shown == [
        "Bilirubin",
        "Glucose (POC)",
        "C-peptide",
        "ALT",
        "AST",
        "Bilirubin",
        "Glucose",
    ]


def test_list_rule_column_uses_labels_and_the_units_on_display(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = LabTableModel()
    model.set_labs(LABS)
    row = next(r for r in range(model.rowCount()) if model.lab_at(r).id == 2)
    rule = model.index(row, COL_RULE)
    assert model.data(rule) == "Bilirubin 0.7 mg/dL = 0.6 x ULN (1.2): grade 0, CTCAE v5.0"
    model.set_units("SI")  # 0.7 x 17.1 = 11.97; ULN 1.2 x 17.1 = 20.52
    assert model.data(rule) == "Bilirubin 12 µmol/L = 0.6 x ULN (21): grade 0, CTCAE v5.0"
    assert model.data(model.index(row, COL_VALUE)) == "12"
    assert model.data(model.index(row, COL_RANGE)) == "2–21"


def test_screen_and_paper_use_one_label_per_analyte() -> None:
    assert paper_label("GLUCOSE_POC") == "Glucose (POC)"
    assert paper_label("TBILI") == "Bilirubin"


def test_flowsheet_rows_are_draws_and_columns_analytes_in_display_order(qtbot) -> None:  # type: ignore[no-untyped-def]
    sheet = FlowsheetModel()
    sheet.set_labs(LABS)
    assert sheet.rowCount() == 2
    assert sheet.analytes == ("ALT", "AST", "TBILI", "GLUCOSE", "GLUCOSE_POC", "CPEPTIDE")
    heads = [sheet.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert heads[2] == "Bilirubin\nmg/dL" and heads[4] == "Glucose (POC)\nmg/dL"
    bili = sheet.analytes.index("TBILI")
    # newest draw first: the censored bilirubin of 3 May, then 0.7 of 1 May
    assert sheet.data(sheet.index(0, bili)) == "<0.1 G0"
    assert sheet.data(sheet.index(1, bili)) == "0.7 G0"
    assert sheet.data(sheet.index(0, 0)) is None  # no ALT in the second draw
    alt = sheet.index(1, 0)
    assert sheet.data(alt) == "61 G1"
    assert sheet.data(alt, Qt.ItemDataRole.BackgroundRole).name().lower() == (
        GRADE_COLORS[1].lower()
    )


def test_flowsheet_follows_the_units_on_display(qtbot) -> None:  # type: ignore[no-untyped-def]
    sheet = FlowsheetModel()
    sheet.set_labs(LABS)
    with qtbot.waitSignal(sheet.dataChanged, timeout=1000):
        sheet.set_units("SI")
    bili = sheet.analytes.index("TBILI")
    assert sheet.headerData(bili, Qt.Orientation.Horizontal) == "Bilirubin\nµmol/L"
    assert sheet.data(sheet.index(0, bili)) == "<2 G0"  # <1.71 rounds up, staying true
    assert sheet.data(sheet.index(1, bili)) == "12 G0"
    poc = sheet.analytes.index("GLUCOSE_POC")
    assert sheet.data(sheet.index(0, poc)) == "13.9 G3"  # 250 / 18.016 = 13.88
    tip = sheet.data(sheet.index(1, bili), Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines() == [
        "Bilirubin 12 µmol/L",
        "Reference range: 2–21 µmol/L",
        "Grade: G0 (Bilirubin 12 µmol/L = 0.6 x ULN (21): grade 0, CTCAE v5.0)",
    ]


def test_labs_tab_switches_between_list_and_flowsheet(qtbot) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.labs_tab import LabsTab

    tab = LabsTab(lambda _action: None)
    qtbot.addWidget(tab)
    tab.set_labs(LABS)
    assert tab.views.currentWidget() is tab.table
    tab.flowsheet_button.click()
    assert tab.views.currentWidget() is tab.flowsheet
    assert not tab.correct_button.isEnabled()  # correction works on a selected list row
    tab.analyte_filter.setCurrentIndex(tab.analyte_filter.findData("TBILI"))
    hidden = [tab.flowsheet.isColumnHidden(c) for c in range(len(tab.flowsheet_model.analytes))]
    assert hidden == [True, True, False, True, True, True]
    assert [tab.analyte_filter.itemText(i) for i in range(tab.analyte_filter.count())] == [
        "All tests",
        "ALT",
        "AST",
        "Bilirubin",
        "Glucose",
        "Glucose (POC)",
        "C-peptide",
    ]
    tab.list_button.click()
    assert tab.views.currentWidget() is tab.table and tab.correct_button.isEnabled()


def test_flowsheet_says_what_a_grade_cannot_be_sure_of(qtbot) -> None:  # type: ignore[no-untyped-def]
    # clinical reference, decisions 6 and 9: a censored range and a non-fasting glucose without
    # grade are said in the cell, not left as a bare value or a certainty
    third = datetime(2026, 5, 5, 8, 0, tzinfo=UTC)
    sheet = FlowsheetModel()
    sheet.set_labs(
        (
            lab(
                1,
                "GLUCOSE",
                third,
                241.0,
                "mg/dL",
                (70.0, 140.0),
                None,
                # as the grader stores it
                "GLUCOSE 241 mg/dL, hyperglycemia: non-fasting: below the grade 3 threshold; "
                "grades 1-2 need a fasting value: no grade, ASCO 2021 / CTCAE v4.03 numeric",
            ),
            lab(
                2,
                "ALT",
                third,
                100.0,
                "U/L",
                (7.0, 40.0),
                0,
                "ALT <100 U/L = 2.5 x ULN (40): grade 0 to 1: censored below 100 U/L, CTCAE v5.0 "
                "(at least grade 0, possibly up to grade 1)",
                comparator="<",
            ),
        )
    )
    glucose = sheet.analytes.index("GLUCOSE")
    alt = sheet.analytes.index("ALT")
    assert sheet.data(sheet.index(0, glucose)) == "241 <G3, non-fasting"
    assert sheet.data(sheet.index(0, alt)) == "<100 G0\u20131"
