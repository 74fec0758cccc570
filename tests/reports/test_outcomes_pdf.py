"""The case-series PDF: its sections, and a de-identified copy without any identifier or date."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from irae_desktop.reports.outcomes_pdf import write_outcomes_pdf
from irae_desktop.store.database import open_database
from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.models import Patient
from irae_desktop.store.outcomes_read import read_outcomes, study_key


def _text(path: Path) -> str:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages) + str(reader.metadata)


def test_sections_and_de_identified_copy(sqlite_url: str, tmp_path: Path) -> None:
    db = open_database(sqlite_url)
    try:
        add_demo_patients(db, anchor=date(2026, 3, 2))
        with db.write() as s:
            cohort = read_outcomes(s, "hepatitis")
            key = study_key(s)
            people = [(p.mrn, p.name, p.birth_date) for p in s.scalars(select(Patient))]
        plain, deid = tmp_path / "plain.pdf", tmp_path / "deid.pdf"
        pages = write_outcomes_pdf(plain, cohort, study_key=None)
        write_outcomes_pdf(deid, cohort, study_key=key)
    finally:
        db.dispose()
    assert pages >= 2
    text = _text(plain)
    headings = ("Lines (6)", "Summaries by agent", "Back to grade <= 1 (Kaplan-Meier)")
    headings += ("ALT around the line's start", "Definitions", "CTCAE v5.0", "tofacitinib")
    for heading in headings:
        assert heading in text, heading
    assert "DEMO-0001" in text
    hidden = _text(deid)
    for mrn, name, born in people:
        assert mrn not in hidden and name not in hidden
        assert born is None or born.isoformat() not in hidden
    # no calendar date of any kind: "02 Mar 2026", "2026-03-02" or a PDF date "D:2026..."
    assert re.search(r"20[2-3]\d", hidden) is None, re.findall(r".{20}20[2-3]\d.{5}", hidden)
    assert "de-identified" in hidden
