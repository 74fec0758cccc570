"""The patient summary PDF read back as text: identity on every page, values, grades, audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from irae_desktop.reports.layout import PaperSizeError
from irae_desktop.reports.patient_summary import write_patient_summary
from irae_desktop.store.models import AppSetting, AuditEvent
from irae_desktop.store.patients import PatientNotFoundError
from tests.reports.factory import NOW, add_lab, add_patient, hepatitis_patient
from tests.reports.pdftext import page_sizes, page_texts, squash


@pytest.fixture
def hep_db(db):  # type: ignore[no-untyped-def]
    with db.write() as s:
        hepatitis_patient(s)
    return db


def test_every_page_carries_the_patient_identity_and_page_count(hep_db, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    pages = write_patient_summary(hep_db, "MRN-100", out, now=NOW, user="dr.ward", lab_days=0)
    texts = page_texts(out)
    assert pages == len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert "Zoë Ångström" in text
        assert "MRN MRN-100" in text
        assert "DOB 04 May 1960" in text
        assert f"Page {number} of {pages}" in text
        assert "Generated 10 Mar 2026 14:00 UTC by dr.ward" in text
        assert "Grades: CTCAE v5.0" in text
        assert "SYNTHETIC" not in text


def test_synthetic_patient_is_marked_on_every_page(db, tmp_path: Path) -> None:
    with db.write() as s:
        hepatitis_patient(s, "DEMO-9", "Demo Person", synthetic=True)
    out = tmp_path / "demo.pdf"
    write_patient_summary(db, "DEMO-9", out, now=NOW, lab_days=0)
    texts = page_texts(out)
    assert texts
    for text in texts:
        assert "SYNTHETIC DATA - NOT A REAL PATIENT" in text


def test_page_one_shows_status_at_a_glance(hep_db, tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    write_patient_summary(hep_db, "MRN-100", out, now=NOW)
    first = squash(page_texts(out)[0])
    assert "pembrolizumab STOPPED" in first
    assert "hepatitis (improving, onset 18 Feb 2026): worst G4, current G1 by ALT" in first
    # current prednisone step is 40 mg (from 9 Mar); 40 / 70 kg = 0.57 mg/kg/day
    assert "40 mg once daily PO: prednisone-eq 40 mg/day (0.57 mg/kg/day)" in first
    assert "1000 mg twice daily PO (14.29 mg/kg)" in first
    assert "40 mg from 09 Mar (now)" in first and "30 mg from 16 Mar" in first
    assert "Taper prednisone to 30 mg; LFTs twice weekly; no ICI rechallenge." in first
    assert "Old plan" not in squash(" ".join(page_texts(out)))
    # methylprednisolone stopped: not listed as current
    current = first.split("Current immunosuppression")[1].split("Latest consult plan")[0]
    assert "methylprednisolone" not in current


def test_latest_values_match_the_database(hep_db, tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    write_patient_summary(hep_db, "MRN-100", out, now=NOW)
    text = squash(page_texts(out)[0])
    latest = text.split("Latest value of every tracked analyte")[1]
    # ALT 61 U/L, range 7-40, 1.5 x ULN, grade 1, falling from 98, worst G4
    assert "ALT 61 U/L 7–40 1.5× G1 ↓ 09 Mar 2026 07:15 UTC G4" in latest
    # a censored bilirubin keeps its comparator and is graded on the bound
    assert "Bilirubin <0.1 mg/dL 0.1–1.2" in latest
    assert "AST 55 U/L 10–40 1.4× G1" in latest


def test_lab_table_lists_results_of_the_chosen_window(hep_db, tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    write_patient_summary(hep_db, "MRN-100", out, now=NOW, lab_days=7)
    text = squash(" ".join(page_texts(out)))
    table = text.split("Lab results, last 7 days")[1]
    assert "(5 results)" in table
    for shown in ("301 G3", "98 G2", "61 G1", "<0.1 G0"):
        assert shown in table
    assert "892 G4" not in table  # 12 days ago: outside the window


def test_entered_in_error_results_are_left_out(db, tmp_path: Path) -> None:
    with db.write() as s:
        p = add_patient(s, "E-1", "Err Case")
        add_lab(s, p, "ALT", 1, 45, 1)
        add_lab(s, p, "ALT", 0, 999, 4, status="entered-in-error", hour=9)
    out = tmp_path / "e.pdf"
    write_patient_summary(db, "E-1", out, now=NOW)
    text = squash(" ".join(page_texts(out)))
    assert "999" not in text
    assert "ALT 45 U/L" in text


def test_unknown_mrn_is_a_plain_error_and_leaves_no_file(hep_db, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(PatientNotFoundError, match="No patient with MRN 'NOPE'"):
        write_patient_summary(hep_db, "NOPE", folder / "none.pdf", now=NOW)
    assert list(folder.iterdir()) == []


def test_a_failed_export_keeps_the_previous_file(hep_db, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "keep.pdf"
    out.write_bytes(b"previous handoff")
    with pytest.raises(PaperSizeError, match="Unknown paper size 'legal'"):
        write_patient_summary(hep_db, "MRN-100", out, now=NOW, paper="legal")
    assert out.read_bytes() == b"previous handoff"
    assert [p.name for p in folder.iterdir()] == ["keep.pdf"]


def test_missing_folder_is_reported(hep_db, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_patient_summary(hep_db, "MRN-100", tmp_path / "no" / "x.pdf", now=NOW)


def test_naive_time_is_refused(hep_db, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        write_patient_summary(hep_db, "MRN-100", tmp_path / "x.pdf", now=NOW.replace(tzinfo=None))


def test_paper_size_follows_the_option_then_the_team_setting(hep_db, tmp_path: Path) -> None:
    letter, a4 = tmp_path / "letter.pdf", tmp_path / "a4.pdf"
    write_patient_summary(hep_db, "MRN-100", letter, now=NOW)
    assert set(page_sizes(letter)) == {(612.0, 792.0)}
    with hep_db.write() as s:
        s.add(AppSetting(key="paper_size", value_json=json.dumps("a4")))
    write_patient_summary(hep_db, "MRN-100", a4, now=NOW)
    assert {(round(w), round(h)) for w, h in page_sizes(a4)} == {(595, 842)}
    write_patient_summary(hep_db, "MRN-100", letter, now=NOW, paper="letter")
    assert set(page_sizes(letter)) == {(612.0, 792.0)}


def test_export_is_recorded_in_the_audit_trail(hep_db, tmp_path: Path) -> None:
    out = tmp_path / "audited.pdf"
    pages = write_patient_summary(hep_db, "MRN-100", out, now=NOW, user="dr.ward")
    with hep_db.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert len(events) == 1
    event = events[0]
    assert (event.user, event.entity, event.patient_mrn) == (
        "dr.ward",
        "patient_summary",
        "MRN-100",
    )
    assert event.patient_id is not None
    after = json.loads(event.after_json or "{}")
    assert after["file"] == str(out.resolve())
    assert after["pages"] == pages


def test_no_audit_event_when_the_export_fails(hep_db, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_patient_summary(hep_db, "MRN-100", tmp_path / "missing" / "x.pdf", now=NOW)
    with hep_db.read() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all() == []


def test_a_session_can_be_passed_and_the_audit_joins_its_transaction(hep_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with hep_db.write() as s:
        write_patient_summary(s, "MRN-100", tmp_path / "s.pdf", now=NOW, user="u1")
        pending = s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
        assert [e.user for e in pending] == ["u1"]


def test_patient_can_be_chosen_by_id(hep_db, tmp_path: Path) -> None:
    with hep_db.read() as s:
        from irae_desktop.store.models import Patient

        pid = s.scalars(select(Patient.id).where(Patient.mrn == "MRN-100")).one()
    out = tmp_path / "by-id.pdf"
    write_patient_summary(hep_db, pid, out, now=NOW)
    assert "MRN MRN-100" in page_texts(out)[0]


def test_patient_without_any_data_still_prints(db, tmp_path: Path) -> None:
    with db.write() as s:
        add_patient(s, "EMPTY-1", "New Referral", weight=None)
    out = tmp_path / "empty.pdf"
    assert write_patient_summary(db, "EMPTY-1", out, now=NOW) == 1
    text = squash(page_texts(out)[0])
    assert "No lab results recorded." in text
    assert "No treatments recorded." in text
    assert "no ICI recorded" in text


def test_a_failure_while_writing_keeps_the_previous_file_and_audits_nothing(
    hep_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from irae_desktop.reports import layout

    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "handoff.pdf"
    out.write_bytes(b"yesterday's handoff")

    def disk_full(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(layout.ReportDocument, "build", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_patient_summary(hep_db, "MRN-100", out, now=NOW)
    assert out.read_bytes() == b"yesterday's handoff"
    assert [p.name for p in folder.iterdir()] == ["handoff.pdf"]
    with hep_db.read() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all() == []


def test_si_units_follow_the_team_setting(hep_db, tmp_path: Path) -> None:
    with hep_db.write() as s:
        s.add(AppSetting(key="units_system", value_json=json.dumps("SI")))
        from irae_desktop.store.models import Patient

        patient = s.scalars(select(Patient).where(Patient.mrn == "MRN-100")).one()
        add_lab(s, patient, "GLUCOSE", 1, 612.0, 4, hour=9)
    out = tmp_path / "si.pdf"
    write_patient_summary(hep_db, "MRN-100", out, now=NOW, lab_days=0)
    text = squash(" ".join(page_texts(out)))
    assert "Grades: CTCAE v5.0 · SI units" in text
    latest = text.split("Latest value of every tracked analyte")[1]
    # clinical precision (clinical reference, decision 7): glucose 0.1 mmol/L, bilirubin
    # 1 µmol/L. 612 mg/dL / 18.016 = 33.97 -> 34.0; range 70-140 mg/dL -> 3.9-7.8 mmol/L;
    # <0.1 mg/dL bilirubin x 17.1 = <1.71 -> "<2" (a "<" limit rounds up); 0.1-1.2 -> 2-21
    assert "Glucose 34.0 mmol/L 3.9–7.8" in latest
    assert "Bilirubin <2 µmol/L 2–21" in latest
    assert "ALT 61 U/L 7–40 1.5×" in latest  # enzymes are U/L in both systems
    assert "Glucose (mmol/L)" in text and "Bilirubin (µmol/L)" in text
    # the tables and charts speak SI only (alert rule texts are the domain's own words)
    trends = text.split("Trends with CTCAE grade bands")[1].split("Bands show")[0]
    for section in (latest.split("Trend:")[0], trends, text.split("All lab results")[1]):
        assert "mg/dL" not in section


def test_the_file_title_names_the_patient(hep_db, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "t.pdf"
    write_patient_summary(hep_db, "MRN-100", out, now=NOW)
    meta = PdfReader(str(out)).metadata
    assert meta is not None and meta.title == "Handoff summary: Zoë Ångström, MRN MRN-100"


def test_cumulative_steroid_exposure_is_on_page_one(hep_db, tmp_path: Path) -> None:
    out = tmp_path / "s.pdf"
    write_patient_summary(hep_db, "MRN-100", out, now=NOW)
    first = squash(page_texts(out)[0])
    # methylprednisolone 140 mg = 175 mg prednisone on 8 days (26 Feb-5 Mar) = 1400 mg, then
    # prednisone 60 mg on 4 days (5-8 Mar) = 240 mg and 40 mg on 2 days (9-10 Mar) = 80 mg
    assert "Steroid exposure: 1720 mg prednisone-equivalent in total; 13 days above 10 mg/day" in (
        first
    )


def test_no_file_is_published_when_the_audit_cannot_be_written(
    hep_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from irae_desktop.reports import patient_summary
    from irae_desktop.store.errors import StoreError

    def locked(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise StoreError("The database is busy (locked by another user); try again.")

    monkeypatch.setattr(patient_summary, "record_export", locked)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "handoff.pdf"
    out.write_bytes(b"earlier export")
    with pytest.raises(StoreError, match="busy"):
        write_patient_summary(hep_db, "MRN-100", out, now=NOW)
    assert out.read_bytes() == b"earlier export"
    assert [p.name for p in folder.iterdir()] == ["handoff.pdf"]
