"""The patient summary's treatment safety section read back as text: a patient on
tofacitinib for 20 days whose neutrophils were under 500 cells/mm3 twice (the label's
discontinuation), each row with its status word; and the sentence for a patient without such a
line; the service list naming the checks to act on and the labs overdue."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from irae_desktop.reports.patient_summary import write_patient_summary
from irae_desktop.reports.service_data import load_service_rows
from irae_desktop.reports.service_list import write_service_list
from irae_desktop.store.database import Database
from irae_desktop.store.models import LabResult, Patient
from tests.reports.factory import NOW, add_line, add_patient, at
from tests.reports.pdftext import page_texts, squash

HEADING = "Treatment safety"
NEXT = "All lab results"


def _count(
    session: Session, patient: Patient, analyte: str, days_before: int, value: float
) -> None:
    unit = "g/dL" if analyte == "HGB" else "10^3/µL"
    session.add(
        LabResult(
            patient_id=patient.id,
            analyte=analyte,
            collected_at=at(days_before),
            value=value,
            unit=unit,
            original_text=str(value),
            original_unit=unit,
            source_file="test",
        )
    )


def _section(db: Database, tmp_path: Path, mrn: str) -> str:
    out = tmp_path / "summary.pdf"
    write_patient_summary(db, mrn, out, now=NOW, user="dr.ward", lab_days=0)
    text = squash(" ".join(page_texts(out)))
    return text[text.index(HEADING) : text.index(NEXT)]


def test_tofacitinib_rows_printed_with_their_status(db: Database, tmp_path: Path) -> None:
    with db.write() as s:
        patient = add_patient(s, "MRN-300", "Tess Count")
        # from 18 Feb 2026, 20 days before NOW (10 Mar 2026)
        add_line(
            s, patient, "immunosuppression", "tofacitinib", 5, "mg", -20, frequency="twice daily"
        )
        _count(s, patient, "ALC", 2, 0.9)
        _count(s, patient, "ANC", 5, 0.45)
        _count(s, patient, "ANC", 2, 0.4)
        _count(s, patient, "HGB", 2, 12.5)
    section = _section(db, tmp_path, "MRN-300")
    assert section.startswith(
        "Treatment safety tofacitinib 5 mg twice daily, from 2026-02-18 \u2014 ON "
        "Check Label's rule Latest Date Status Note "
    )
    # 0.9 x10^3/µL is 900 cells/mm3: above 500
    assert "0.9 x10^3/µL 08 Mar 2026 ok no limit of the label met" in section
    # 450 then 400 cells/mm3: under 500 twice, confirmed, the label's discontinuation
    assert "0.4 x10^3/µL 08 Mar 2026 act below the limit twice: discontinue" in section
    assert "12.5 g/dL 08 Mar 2026 ok" in section
    assert "(50 mL/min or less) \u2013 \u2013 missing no creatinine or eGFR" in section
    assert "HBsAg within 12 months before the start \u2013 \u2013 missing not recorded" in section
    # counts and lipids by 8 weeks after 18 Feb 2026: 15 Apr 2026
    assert (
        "Lab due Schedule Last done Due Status "
        "Lymphocyte count (ALC) lymphocytes at baseline, then every 3 months 08 Mar 2026 "
        "07 Jun 2026 due "
        "Blood counts (ANC, Hemoglobin) ANC and hemoglobin at baseline, after 4 to 8 weeks, "
        "then every 3 months 08 Mar 2026 15 Apr 2026 due "
        "Lipids (Cholesterol, LDL, Triglycerides) lipid parameters 4 to 8 weeks after the start "
        "none yet 15 Apr 2026 due"
    ) in section


def test_without_a_line_with_label_checks(db: Database, tmp_path: Path) -> None:
    with db.write() as s:
        patient = add_patient(s, "MRN-301", "Ian Plain")
        add_line(s, patient, "ici", "pembrolizumab", 200, "mg", -40, frequency="every 3 weeks")
    section = _section(db, tmp_path, "MRN-301")
    assert section.strip() == "Treatment safety No immunosuppression line with label checks."


def test_service_list_names_the_checks_to_act_on_and_labs_overdue(
    db: Database, tmp_path: Path
) -> None:
    with db.write() as s:
        counts = add_patient(s, "MRN-300", "Tess Count")
        add_line(
            s, counts, "immunosuppression", "tofacitinib", 5, "mg", -20, frequency="twice daily"
        )
        _count(s, counts, "ALC", 2, 0.9)
        _count(s, counts, "ANC", 5, 0.45)
        _count(s, counts, "ANC", 2, 0.4)
        _count(s, counts, "HGB", 2, 12.5)
        # mycophenolate from 28 Feb 2026 and no count since: weekly counts in the first month
        # (CellCept label), the first due 7 Mar 2026, three days before NOW
        late = add_patient(s, "MRN-302", "Lee Late")
        add_line(
            s, late, "immunosuppression", "mycophenolate mofetil", 1000, "mg", -10,
            frequency="twice daily",
        )  # fmt: skip
    with db.read() as s:
        rows = {r.mrn: r for r in load_service_rows(s, now=NOW)}
    # the missing eGFR and screens are "missing", not "act": left to the patient summary
    assert rows["MRN-300"].safety == ["tofacitinib: ANC act"]
    assert rows["MRN-302"].safety == ["mycophenolate mofetil: Blood counts OVERDUE since 07 Mar"]
    out = tmp_path / "list.pdf"
    write_service_list(db, out, now=NOW, user="dr.ward")
    text = squash(" ".join(page_texts(out)))
    assert "Safety: tofacitinib: ANC act" in text
    assert "Safety: mycophenolate mofetil: Blood counts OVERDUE since 07 Mar" in text
