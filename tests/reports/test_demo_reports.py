"""The demonstration patients printed end to end: each latest value and grade, worked by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from irae_desktop.reports.patient_summary import write_patient_summary
from irae_desktop.reports.service_list import write_service_list
from irae_desktop.store.demo import add_demo_patients
from tests.reports.pdftext import page_texts, squash


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from irae_desktop.store.database import open_database

    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}")
    add_demo_patients(db)
    yield db
    db.dispose()


# Each demonstration patient's latest row per analyte (label, value, unit, range, multiple of the
# ULN, grade) and its worst grade, worked out by hand from the story in store/demo_data.py and the
# bands of docs/clinical-reference.md; a trend arrow and the collection date (which moves with
# today) stand between the two. The baseline is the last result on or before the first ICI dose.
NB_HYPHEN = "\u2011"
ROW = re.compile(
    r"(?P<latest>\S.*?) [→↑↓–] \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d UTC (?P<worst>G\d|–)(?: |$)"
)
LATEST: dict[str, list[tuple[str, str]]] = {
    # normal baselines (ALT 22, AST 24, bilirubin 0.6, ALP 88 before ipilimumab + nivolumab);
    # worst: ALT 910 = 22.8 xULN (>20: G4), AST 731 = 18.3 xULN (G3), bilirubin 2.7 = 2.25 xULN
    # (>1.5 - 3.0: G2), ALP 192 = 1.6 xULN (>ULN - 2.5: G1)
    "DEMO-0001": [
        ("ALT 44 U/L 7–40 1.1× G1", "G4"),  # 1.1 xULN: >ULN - 3.0
        ("AST 35 U/L 10–40 0.9× G0", "G3"),
        ("Bilirubin 0.7 mg/dL 0.1–1.2 0.6× G0", "G2"),
        ("ALP 97 U/L 40–120 0.8× G0", "G1"),
        # lymphocytes 0.57 x10^3/µL = 570/mm3: <800 - 500/mm3 (G2), the lowest 0.56 too;
        # neutrophils, hemoglobin (never below the LLN 12.0), platelets never low (G0);
        # creatinine 0.77 mg/dL within its range (G0); counts have no multiple of the ULN
        ("ALC 0.57 10^3/µL 1.00–4.80 – G2", "G2"),
        ("ANC 5.10 10^3/µL 1.80–7.70 – G0", "G0"),
        ("Hemoglobin 12.4 g/dL 12.0–15.5 – G0", "G0"),
        ("Platelets 224 10^3/µL 150–400 – G0", "G0"),
        ("Creatinine 0.77 mg/dL 0.59–1.04 – G0", "G0"),
    ],
    # glucose 164 mg/dL not fasting: above the ULN and at most 250 has no grade; the worst,
    # 612 mg/dL, is above 500 (G4); C-peptide, HbA1c and ketones have no CTCAE grade
    "DEMO-0002": [
        ("ALT 31 U/L 7–40 0.8× G0", "G0"),
        ("AST 29 U/L 10–40 0.7× G0", "G0"),
        (f"Glucose 164 mg/dL 70–140 – <G3, non{NB_HYPHEN}fasting", "G4"),
        ("C-peptide 0.06 ng/mL 0.80–3.10 – –", "–"),
        ("HbA1c 7.9 % 4.0–5.6 – –", "–"),
        ("Ketones (BHB) 0.3 mmol/L 0–0.4 – –", "–"),
    ],
    # worst ALT 72 = 1.8 xULN and AST 61 = 1.5 xULN (G1); bilirubin and ALP never above the ULN
    "DEMO-0003": [
        ("ALT 29 U/L 7–40 0.7× G0", "G1"),
        ("AST 26 U/L 10–40 0.7× G0", "G1"),
        ("Bilirubin 0.5 mg/dL 0.1–1.2 0.4× G0", "G0"),
        ("ALP 74 U/L 40–120 0.6× G0", "G0"),
    ],
    # abnormal baselines (v5.0 multiples of BL): ALT 95, AST 88, ALP 210; bilirubin 0.9 normal.
    # Latest ALT 214 = 2.25 xBL and AST 199 = 2.26 xBL (1.5 - 3.0 xBL: G1), ALP 236 = 1.12 xBL
    # (under 2.0 xBL: G0). Worst ALT 305 = 3.2 xBL and AST 276 = 3.1 xBL (G2), bilirubin 1.3 =
    # 1.08 xULN (G1), ALP's baseline result itself, 210 = 1.75 xULN, graded on the ULN (G1)
    "DEMO-0004": [
        ("ALT 214 U/L 7–40 5.3× G1", "G2"),
        ("AST 199 U/L 10–40 5.0× G1", "G2"),
        ("Bilirubin 1.1 mg/dL 0.1–1.2 0.9× G0", "G1"),
        ("ALP 236 U/L 40–120 2.0× G0", "G1"),
    ],
    # glucose 132 mg/dL at most the ULN (G0), worst 498 mg/dL above 250 (G3); counts,
    # creatinine 0.86 mg/dL and cholesterol 194 / triglycerides 142 mg/dL within their ranges
    # (G0); LDL has no CTCAE grade
    "DEMO-0005": [
        ("Glucose 132 mg/dL 70–140 – G0", "G3"),
        ("C-peptide 0.19 ng/mL 0.80–3.10 – –", "–"),
        ("HbA1c 7.1 % 4.0–5.6 – –", "–"),
        ("Ketones (BHB) 0.2 mmol/L 0–0.4 – –", "–"),
        ("ALC 1.42 10^3/µL 1.00–4.80 – G0", "G0"),
        ("ANC 3.50 10^3/µL 1.80–7.70 – G0", "G0"),
        ("Hemoglobin 12.9 g/dL 12.0–15.5 – G0", "G0"),
        ("Platelets 252 10^3/µL 150–400 – G0", "G0"),
        ("Creatinine 0.86 mg/dL 0.59–1.04 – G0", "G0"),
        ("Cholesterol 194 mg/dL ≤200 – G0", "G0"),
        ("LDL 118 mg/dL ≤130 – –", "–"),
        ("Triglycerides 142 mg/dL ≤150 – G0", "G0"),
    ],
}


@pytest.mark.parametrize("mrn", sorted(LATEST))
def test_demo_summary_prints_each_latest_value_and_grade(demo_db, tmp_path: Path, mrn: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{mrn}.pdf"
    pages = write_patient_summary(demo_db, mrn, out)
    texts = page_texts(out)
    assert pages == len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"MRN {mrn}" in text
        assert "SYNTHETIC DATA - NOT A REAL PATIENT" in text
        assert f"Page {number} of {pages}" in text
    # the table follows the alerts: on the first page, or the next when the alerts fill it
    heading = "Latest value of every tracked analyte"
    (page,) = [t for t in texts if heading in squash(t)][:1]
    table = squash(page).split(heading)[1].split("Trend:")[0]
    rows = table.split(" Worst ", 1)[1]
    printed = [(m["latest"], m["worst"]) for m in ROW.finditer(rows)]
    assert printed == LATEST[mrn]
    assert ROW.sub("", rows).strip() == ""  # no row left unread


def test_demo_service_list_lists_all_five(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "list.pdf"
    write_service_list(demo_db, out)
    text = squash(" ".join(page_texts(out)))
    for mrn in ("DEMO-0001", "DEMO-0002", "DEMO-0003", "DEMO-0004", "DEMO-0005"):
        assert text.count(f"MRN {mrn}") == 1
    assert "SYNTHETIC DATA - NOT A REAL PATIENT" in text


@pytest.mark.parametrize(
    ("mrn", "agent"),
    [("DEMO-0001", "mycophenolate mofetil"), ("DEMO-0002", "nivolumab + ipilimumab")],
)
def test_treatment_lanes_print_agent_names_whole(
    demo_db, tmp_path: Path, mrn: str, agent: str
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{mrn}.pdf"
    write_patient_summary(demo_db, mrn, out)
    text = squash(" ".join(page_texts(out)))
    lanes = text.split("Trends with CTCAE grade bands")[1].split("Bands show")[0]
    assert agent in lanes
    assert "…" not in text
