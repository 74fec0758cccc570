"""The patient summary's infection screening section read back as text: the results newest
first with their notes and sources, a deleted one left out, and "None recorded." without any."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from irae_desktop.reports.patient_summary import write_patient_summary
from irae_desktop.store.database import Database
from irae_desktop.store.screenings import add_screening, delete_screening
from tests.reports.factory import NOW, hepatitis_patient
from tests.reports.pdftext import page_texts, squash

HEADING = "Infection screening (tuberculosis and hepatitis B)"


def _summary_text(db: Database, tmp_path: Path) -> str:
    out = tmp_path / "summary.pdf"
    write_patient_summary(db, "MRN-100", out, now=NOW, user="dr.ward", lab_days=0)
    return squash(" ".join(page_texts(out)))


def test_the_results_are_printed_newest_first(db: Database, tmp_path: Path) -> None:
    with db.write() as s:
        pid = hepatitis_patient(s).id
        add_screening(s, "dr-a", pid, test="anti_hbc", taken_on=date(2026, 2, 1), result="negative")
        add_screening(
            s, "dr-a", pid, test="hbsag", taken_on=date(2026, 2, 1), result="positive",
            note="hepatology asked for entecavir",
        )  # fmt: skip
        add_screening(
            s, "dr-b", pid, test="tb_igra", taken_on=date(2026, 2, 20), result="indeterminate",
            note="repeat sent",
        )  # fmt: skip
        gone = add_screening(
            s, "dr-a", pid, test="anti_hbs", taken_on=date(2026, 1, 15), result="negative"
        )
        delete_screening(s, "dr-a", gone.id, reason="typed twice", expected_version=1)
    text = _summary_text(db, tmp_path)
    section = text[text.index(HEADING) :]
    assert section.startswith(
        f"{HEADING} Test Taken Result Note Source "
        "TB interferon-gamma release assay 20 Feb 2026 indeterminate repeat sent entered by dr-b "
        "HBsAg 01 Feb 2026 positive hepatology asked for entecavir entered by dr-a "
        "anti-HBc 01 Feb 2026 negative – entered by dr-a "
    )
    assert "anti-HBs" not in text


def test_none_recorded(db: Database, tmp_path: Path) -> None:
    with db.write() as s:
        hepatitis_patient(s)
    text = _summary_text(db, tmp_path)
    assert f"{HEADING} None recorded." in text
