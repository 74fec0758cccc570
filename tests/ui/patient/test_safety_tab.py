"""The Safety tab, read as a clinician reads it: a patient on tofacitinib for 20 days with a
lymphocyte count above the label's limit, one neutrophil count in the band the label asks to
confirm, hemoglobin under 8 g/dL twice, and no kidney function or infection screen recorded.
Each status word is written in its row; the empty state says so in words."""

from __future__ import annotations

from datetime import date, timedelta

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.store.models import LabResult, TreatmentLine
from irae_desktop.store.patients import create_patient
from irae_desktop.ui.grade_style import SEVERITY_COLORS
from irae_desktop.ui.patient.safety_tab import NO_LINES
from tests.ui.patient.helpers import at

START = 20  # days before today


def _lab(pid: int, analyte: str, day: int, value: float, unit: str) -> LabResult:
    return LabResult(
        patient_id=pid,
        analyte=analyte,
        collected_at=at(day),
        value=value,
        unit=unit,
        original_text=str(value),
        original_unit=unit,
        source_file="lab.csv",
        source_ref=f"{analyte} {day}",
    )


def _tofacitinib_patient(db) -> int:  # type: ignore[no-untyped-def]
    with db.write() as s:
        p = create_patient(
            s,
            PatientRecord(
                mrn="S-0001",
                name="Tom Safety",
                birth_date=date(1955, 1, 1),
                sex=Sex.MALE,
                weight_kg=80.0,
                diagnosis="Melanoma",
            ),
            user="tester",
            is_synthetic=True,
        )
        s.add(
            TreatmentLine(
                patient_id=p.id,
                category="immunosuppression",
                agent="tofacitinib",
                dose=5,
                dose_unit="mg",
                frequency="twice daily",
                route="PO",
                start_date=date.today() - timedelta(days=START),
            )
        )
        s.add(_lab(p.id, "ALC", -5, 1.2, "10^3/µL"))
        s.add(_lab(p.id, "ANC", -5, 0.8, "10^3/µL"))
        s.add(_lab(p.id, "HGB", -10, 7.6, "g/dL"))
        s.add(_lab(p.id, "HGB", -5, 7.5, "g/dL"))
        s.flush()
        return p.id


def test_tofacitinib_checks_written_row_by_row(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = patient_db
    pid = _tofacitinib_patient(db)
    with qtbot.waitSignal(view.loaded, timeout=20000):
        view.show_patient(pid)
    tab = view.safety
    view.tabs.setCurrentWidget(tab)
    assert tab.empty_label.isHidden() and not tab.tree.isHidden()
    # hemoglobin to act on, seen from any tab
    assert view.tabs.tabText(view.tabs.indexOf(tab)) == "Safety (1 act)"
    today = date.today()
    day = lambda n: (today + timedelta(days=n)).isoformat()  # noqa: E731
    start = today - timedelta(days=START)
    eight_weeks = (start + timedelta(weeks=8)).isoformat()
    cells = {row[0]: row for row in tab.rows() if len(row) > 1}
    # 1.2 x10^3/µL is 1,200 cells/mm3: above the label's 500
    assert cells["ALC"][2:5] == ["1.2 x10^3/µL", day(-5), "ok"]
    # 0.8 x10^3/µL is 800 cells/mm3, in the 500 to 1,000 band once: the label interrupts only
    # when a second count confirms it
    assert cells["ANC"][2:5] == ["0.8 x10^3/µL", day(-5), "attention"]
    assert "repeat it" in cells["ANC"][5]
    # 7.6 then 7.5 g/dL: under 8 g/dL twice, the label's interruption
    assert cells["Hemoglobin"][2:5] == ["7.5 g/dL", day(-5), "act"]
    assert cells["Hemoglobin"][5].startswith("below the limit twice: interrupt")
    for what in ("eGFR", "Latent TB test", "HBsAg", "anti-HBc"):
        assert cells[what][2:5] == ["", "", "missing"], what
    # lipids 4 to 8 weeks after the start; counts after 4 to 8 weeks: due by week 8
    assert cells["Lipids (Cholesterol, LDL, Triglycerides)"][2:5] == [
        "none yet",
        eight_weeks,
        "due",
    ]
    assert cells["Blood counts (ANC, Hemoglobin)"][2:5] == [f"last {day(-5)}", eight_weeks, "due"]
    headings = [row[0] for row in tab.rows() if len(row) == 1]
    assert headings == [f"tofacitinib 5 mg twice daily, from {start.isoformat()} \u2014 on"]

    # the colour repeats the word, never replaces it
    head = tab.tree.topLevelItem(0)
    colours = {
        head.child(i).text(4): head.child(i).foreground(4).color().name().upper()
        for i in range(head.childCount())
    }
    assert colours["act"] == SEVERITY_COLORS["critical"]
    assert colours["attention"] == SEVERITY_COLORS["warning"]


def test_no_line_with_label_checks_says_so(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = patient_db
    with db.write() as s:
        p = create_patient(
            s,
            PatientRecord(
                mrn="S-0002", name="Ann Empty", birth_date=date(1970, 2, 2), sex=Sex.FEMALE
            ),
            user="tester",
            is_synthetic=True,
        )
        pid = p.id
    with qtbot.waitSignal(view.loaded, timeout=20000):
        view.show_patient(pid)
    view.tabs.setCurrentWidget(view.safety)
    assert view.safety.tree.isHidden()
    assert view.tabs.tabText(view.tabs.indexOf(view.safety)) == "Safety"
    assert not view.safety.empty_label.isHidden()
    assert (
        view.safety.empty_label.text() == NO_LINES == "No immunosuppression line with label checks."
    )
