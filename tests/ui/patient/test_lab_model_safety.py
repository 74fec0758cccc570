"""The patient's Labs tab shows the treatment-safety results with their grades and units, in
US and SI units, beside the irAE ones."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from irae_desktop.store.models import Patient
from irae_desktop.ui.patient.lab_model import COL_GRADE, COL_UNIT, COL_VALUE, LabTableModel
from irae_desktop.ui.patient.snapshot import load_snapshot
from tests.importers.helpers import add_patients, run

EXPORT = """mrn,collected,test,value,unit,ref_low,ref_high
LT-1,2026-05-04T08:00:00,ANC,0.7,10^9/L,1.8,7.7
LT-1,2026-05-04T08:00:00,Creatinine,2.0,mg/dL,0.6,1.2
LT-1,2026-05-04T08:00:00,Hgb,9.5,g/dL,12,16
LT-1,2026-05-04T08:00:00,LDL-C,190,mg/dL,,130
LT-1,2026-05-04T08:00:00,ALT,100,U/L,,40
"""


def test_labs_tab_rows_for_counts_kidney_and_lipids(qtbot, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "labs.csv"
    path.write_text(EXPORT, encoding="utf-8")
    add_patients(db, ["LT-1"])
    (summary,) = run(db, path, timezone="UTC")
    assert summary.imported == 5
    with db.read() as session:
        pid = session.scalars(select(Patient.id).where(Patient.mrn == "LT-1")).one()
    model = LabTableModel()
    model.set_labs(load_snapshot(db, pid).labs)
    rows = {model.lab_at(r).analyte: r for r in range(model.rowCount())}
    assert set(rows) == {"ANC", "CREAT", "HGB", "LDL", "ALT"}

    def shown(analyte: str, column: int) -> object:
        return model.data(model.index(rows[analyte], column))

    # ANC 0.7: below 1.0, at or above 0.5 (CTCAE v5.0 grade 3); creatinine 1.67 x ULN: 2;
    # hemoglobin 9.5 g/dL: 2; LDL has no term: no grade, an en dash
    assert [shown(a, COL_GRADE) for a in ("ANC", "CREAT", "HGB", "LDL", "ALT")] == [
        "G3",
        "G2",
        "G2",
        "\u2013",
        "G1",
    ]
    assert (shown("ANC", COL_VALUE), shown("ANC", COL_UNIT)) == ("0.70", "10^3/µL")
    model.set_units("SI")
    assert (shown("ANC", COL_VALUE), shown("ANC", COL_UNIT)) == ("0.70", "10^9/L")
    # 2.0 mg/dL x 88.4 = 176.8 µmol/L, shown to the µmol/L
    assert (shown("CREAT", COL_VALUE), shown("CREAT", COL_UNIT)) == ("177", "µmol/L")
    assert (shown("HGB", COL_VALUE), shown("HGB", COL_UNIT)) == ("95", "g/L")
