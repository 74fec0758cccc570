"""A long record (two years of daily labs, 20 treatment lines) paginates without losing a row."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert

from irae_desktop.reports.patient_summary import write_patient_summary
from irae_desktop.store.models import LabResult
from tests.reports.factory import NOW, add_line, add_patient, at
from tests.reports.pdftext import page_texts, squash

DAYS = 730
AGENTS = [f"agent-{i:02d}" for i in range(20)]


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[str]]:
    from irae_desktop.store.database import open_database

    folder = tmp_path_factory.mktemp("long")
    db = open_database(f"sqlite:///{folder / 'long.sqlite3'}")
    with db.write() as s:
        p = add_patient(s, "LONG-1", "Long History")
        rows = []
        for d in range(DAYS):
            for analyte, unit, uln, value in (
                ("ALT", "U/L", 40.0, 30.0 + (d % 50) * 3),
                ("AST", "U/L", 40.0, 25.0 + (d % 40) * 2),
            ):
                grade = 0 if value <= uln else 1 if value <= 3 * uln else 2
                rows.append(
                    dict(
                        patient_id=p.id,
                        analyte=analyte,
                        collected_at=at(d),
                        value=value,
                        comparator="",
                        unit=unit,
                        original_text=str(value),
                        original_unit=unit,
                        lln=7.0,
                        uln=uln,
                        status="final",
                        grade=grade,
                        grade_criteria="ctcae-5.0",
                        is_baseline=False,
                        version=1,
                    )
                )
        s.execute(insert(LabResult), rows)
        for i, agent in enumerate(AGENTS):
            category = "ici" if i % 4 == 0 else "immunosuppression"
            start = -DAYS + i * 35
            add_line(
                s,
                p,
                category,
                agent,
                10 + i,
                "mg",
                start,
                start + 30,
                steps=[(start, 10 + i), (start + 10, 5 + i)],
                reason_stopped=f"course {i} complete",
            )
    out = folder / "long.pdf"
    pages = write_patient_summary(db, "LONG-1", out, now=NOW, lab_days=0)
    db.dispose()
    return pages, page_texts(out)


def test_every_page_has_the_identity_band(long_pdf: tuple[int, list[str]]) -> None:
    pages, texts = long_pdf
    assert pages == len(texts) > 5
    for number, text in enumerate(texts, start=1):
        assert "Long History" in text
        assert "MRN LONG-1" in text
        assert f"Page {number} of {pages}" in text


def test_every_lab_row_and_treatment_line_appears(long_pdf: tuple[int, list[str]]) -> None:
    _, texts = long_pdf
    text = squash(" ".join(texts))
    grid = text.split("All lab results")[1]
    assert f"({DAYS * 2} results)" in grid
    # one row per collection time: each day's 07:15 appears once in the grid
    assert len(re.findall(r"\d\d \w{3} \d{4} 07:15 UTC", grid)) == DAYS
    lines = text.split("Treatment lines")[1].split("irAE episodes")[0]
    for i, agent in enumerate(AGENTS):
        assert agent in lines
        assert f"course {i} complete" in lines
