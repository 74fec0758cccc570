"""The service handoff list: active patients only, sickest first, every row and page present."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.reports.clinical import OrganStatus, labs_due
from irae_desktop.reports.service_data import load_service_rows
from irae_desktop.reports.service_list import write_service_list
from irae_desktop.store.models import AuditEvent
from tests.reports.factory import (
    NOW,
    add_episode,
    add_lab,
    add_line,
    add_patient,
    add_plan,
    at,
    hepatitis_patient,
)
from tests.reports.pdftext import page_sizes, page_texts, squash


@pytest.fixture
def ward(db):  # type: ignore[no-untyped-def]
    with db.write() as s:
        hepatitis_patient(s, "H-1", "Zoë Ångström")  # current worst grade 1 (ALT 61)
        severe = add_patient(s, "S-1", "Severe Case")
        add_lab(s, severe, "ALT", 0, 900, 4)
        add_episode(s, severe, "hepatitis", -3, 4)
        add_plan(s, severe, 0, "Methylprednisolone 2 mg/kg; daily LFTs.")
        mild = add_patient(s, "M-1", "Mild Case")
        add_lab(s, mild, "ALT", 3, 90, 2)
        add_lab(s, mild, "GLUCOSE", 3, 130, 0)
        add_line(s, mild, "ici", "atezolizumab", 1200, "mg", -30, frequency="every 3 weeks")
        calm = add_patient(s, "C-1", "Calm Case", synthetic=True)
        add_lab(s, calm, "ALT", 5, 30, 0)
        gone = add_patient(s, "G-1", "Signed Off", status="signed_off")
        add_lab(s, gone, "ALT", 1, 1000, 4)
    return db


def test_rows_are_active_patients_sorted_by_current_grade(ward) -> None:  # type: ignore[no-untyped-def]
    with ward.read() as s:
        rows = load_service_rows(s, now=NOW)
    assert [r.mrn for r in rows] == ["S-1", "M-1", "H-1", "C-1"]
    assert [r.worst_grade for r in rows] == [4, 2, 1, 0]


def test_pdf_lists_every_active_patient_in_acuity_order(ward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "list.pdf"
    pages = write_service_list(ward, out, now=NOW, user="night.team")
    texts = page_texts(out)
    assert pages == len(texts) == 1
    text = squash(texts[0])
    order = [text.index(f"MRN {mrn}") for mrn in ("S-1", "M-1", "H-1", "C-1")]
    assert order == sorted(order)
    assert "G-1" not in text and "Signed Off" not in text
    assert "4 active patients" in text
    assert "Methylprednisolone 2 mg/kg; daily LFTs." in text
    assert "ALT 900 (22.5×) G4" in text
    assert "atezolizumab ON" in text
    assert "Page 1 of 1" in text
    assert "Generated 10 Mar 2026 14:00 UTC by night.team" in text
    # one synthetic patient among real ones: the row is marked, the whole list is not
    assert text.count("SYNTHETIC DATA") == 1
    assert "1 SYNTHETIC (demonstration) patients" in text
    assert page_sizes(out) == [(792.0, 612.0)]


def test_labs_due_follow_the_grade_interval(ward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "list.pdf"
    write_service_list(ward, out, now=NOW)
    text = squash(page_texts(out)[0])
    # grade 4 with the last result today: due in 2 days; grade 2 three days ago: due today
    severe = text.split("MRN S-1")[1].split("MRN M-1")[0]
    assert "12 Mar" in severe
    mild = text.split("MRN M-1")[1].split("MRN H-1")[0]
    assert "today" in mild


def test_labs_due_rule() -> None:
    last = at(4)
    settings = AlertSettings()
    assert labs_due({}, settings) is None
    assert labs_due({"liver": OrganStatus(0, "ALT", last)}, settings) is None
    assert labs_due({"liver": OrganStatus(1, "ALT", last)}, settings) == last.date() + timedelta(7)
    assert labs_due({"liver": OrganStatus(2, "ALT", last)}, settings) == last.date() + timedelta(3)
    # the organ that needs labs soonest sets the date
    both = {"liver": OrganStatus(1, "ALT", at(1)), "glucose": OrganStatus(4, "GLUCOSE", last)}
    assert labs_due(both, settings) == last.date() + timedelta(days=2)
    # the team's own interval is honoured
    assert labs_due(both, AlertSettings(overdue_days_grade4=1)) == last.date() + timedelta(days=1)


def test_many_patients_paginate_with_every_row_and_header(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        for i in range(45):
            p = add_patient(s, f"P-{i:03d}", f"Patient {i:03d}")
            add_lab(s, p, "ALT", 1, 50 + i, 1)
            add_plan(s, p, 1, "Repeat LFTs in one week; continue ICI. " * 4)
    out = tmp_path / "big.pdf"
    pages = write_service_list(db, out, now=NOW, paper="a4")
    texts = page_texts(out)
    assert pages == len(texts) > 1
    for number, text in enumerate(texts, start=1):
        assert "Service handoff list" in text
        assert f"Page {number} of {pages}" in text
        assert "Patient" in text and "Labs due" in text  # the header row repeats
    joined = squash(" ".join(texts))
    for i in range(45):
        assert joined.count(f"MRN P-{i:03d}") == 1


def test_empty_service_still_prints_a_page(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "empty.pdf"
    assert write_service_list(db, out, now=NOW) == 1
    assert "No active patients on the service." in page_texts(out)[0]


def test_export_is_audited_with_the_patients_listed(ward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "list.pdf"
    write_service_list(ward, out, now=NOW, user="night.team")
    with ward.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert (event.user, event.entity) == ("night.team", "service_list")
    after = json.loads(event.after_json or "{}")
    assert after["patients"] == ["S-1", "M-1", "H-1", "C-1"]
    assert after["file"] == str(out.resolve())


def test_unwritable_destination_leaves_nothing_and_audits_nothing(ward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FileNotFoundError):
        write_service_list(ward, tmp_path / "nowhere" / "list.pdf", now=NOW)
    with ward.read() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all() == []


def test_newer_ungraded_result_is_shown_beside_the_last_grade(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # clinical reference, decision 12: the patient must not look better than the last grade
    with db.write() as s:
        p = add_patient(s, "U-1", "Unranged Case")
        add_lab(s, p, "ALT", 3, 130, 2)
        later = add_lab(s, p, "ALT", 1, 95, None)
        later.uln = later.lln = None
        later.grade_reason = "ALT 95 U/L: no ULN reported and no site default: not graded"
        held = add_lab(s, p, "GLUCOSE", 1, 3279, None, status="needs_review")
        held.grade_reason = "needs review: GLUCOSE 3279 mg/dL is above 2000 mg/dL"
    with db.read() as s:
        (row,) = load_service_rows(s, now=NOW)
    assert row.ungraded == {
        "liver": "latest ungraded: no range",
        "glucose": "latest ungraded: needs review",
    }
    assert row.worst_grade == 2
    out = tmp_path / "list.pdf"
    write_service_list(db, out, now=NOW)
    text = squash(page_texts(out)[0])
    assert "liver: G2 (ALT) · latest ungraded: no range" in text
    assert "glucose: no graded result · latest ungraded: needs review" in text
