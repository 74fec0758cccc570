"""The demonstration patients printed end to end: every latest value and grade as stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from irae_desktop.reports.formatting import analyte_label, lab_text
from irae_desktop.reports.patient_summary import write_patient_summary
from irae_desktop.reports.service_list import write_service_list
from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.models import LabResult, Patient
from tests.reports.pdftext import page_texts, squash


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from irae_desktop.store.database import open_database

    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}")
    add_demo_patients(db)
    yield db
    db.dispose()


def _latest_per_analyte(db, mrn: str) -> list[LabResult]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        pid = s.scalars(select(Patient.id).where(Patient.mrn == mrn)).one()
        newest = (
            select(LabResult.analyte, func.max(LabResult.collected_at).label("at"))
            .where(LabResult.patient_id == pid)
            .group_by(LabResult.analyte)
            .subquery()
        )
        return list(
            s.scalars(
                select(LabResult)
                .join(
                    newest,
                    (newest.c.analyte == LabResult.analyte)
                    & (newest.c.at == LabResult.collected_at),
                )
                .where(LabResult.patient_id == pid)
            )
        )


@pytest.mark.parametrize("mrn", ["DEMO-0001", "DEMO-0002", "DEMO-0003", "DEMO-0004"])
def test_demo_summary_matches_the_database(demo_db, tmp_path: Path, mrn: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{mrn}.pdf"
    pages = write_patient_summary(demo_db, mrn, out)
    texts = page_texts(out)
    assert pages == len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"MRN {mrn}" in text
        assert "SYNTHETIC DATA - NOT A REAL PATIENT" in text
        assert f"Page {number} of {pages}" in text
    latest = squash(texts[0]).split("Latest value of every tracked analyte")[1].split("Trend:")[0]
    stored = _latest_per_analyte(demo_db, mrn)
    assert stored
    for lab in stored:
        grade = "–" if lab.grade is None else f"G{lab.grade}"
        shown = lab_text(lab.analyte, lab.value, lab.unit, lab.comparator)[0]
        row = f"{analyte_label(lab.analyte)} {shown} {lab.unit}"
        assert row in latest, row
        assert latest.split(row)[1].split(" UTC")[0].count(grade) >= 1, (row, grade)


def test_demo_service_list_lists_all_four(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "list.pdf"
    write_service_list(demo_db, out)
    text = squash(" ".join(page_texts(out)))
    for mrn in ("DEMO-0001", "DEMO-0002", "DEMO-0003", "DEMO-0004"):
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
