"""Import behaviour: MRN-only matching, wrong patient data, held rows, corrections, dry run,
cancel, all-or-nothing batches and idempotent re-imports (key cases on both backends)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from irae_desktop.importers.service import ImportOptions, run_import
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import AuditEvent, ImportBatch, LabResult, Patient
from irae_desktop.store.unmatched import assign_unmatched, drop_unmatched, list_unmatched
from tests.importers.helpers import IMPORT_FIXTURES, add_patients, labs, run, table_counts


def test_roster_and_labs_in_one_import_hold_unknown_mrn(both_db) -> None:  # type: ignore[no-untyped-def]
    roster, lab_file = IMPORT_FIXTURES / "roster.csv", IMPORT_FIXTURES / "labs_for_roster.csv"

    first, second = run(both_db, lab_file, roster)

    assert first.file == str(roster)
    assert first.patients_created == 2
    assert second.imported == 2
    assert second.unmatched == 1  # MRN9999 has no patient and the file has no demographics
    with both_db.read() as session:
        ines = session.scalars(select(Patient).where(Patient.mrn == "MRN4004")).one()
        assert (ines.name, ines.birth_date, ines.sex, ines.weight_kg, ines.diagnosis) == (
            "Ines Duarte",
            date(1966, 1, 20),
            "F",
            61.5,
            "melanoma",
        )
        held = list_unmatched(session)
    assert [(h.mrn, h.analyte, h.value) for h in held] == [("MRN9999", "ALT", 300.0)]


def test_held_rows_can_be_assigned_or_dropped(db) -> None:  # type: ignore[no-untyped-def]
    run(db, IMPORT_FIXTURES / "labs_for_roster.csv")
    add_patients(db, ["MRN9999"], name="Nine Nines")
    with db.read() as session:
        held = {h.mrn: h.id for h in list_unmatched(session)}
    assert set(held) == {"MRN4004", "MRN4005", "MRN9999"}

    with db.write() as session:
        added = assign_unmatched(session, [held["MRN9999"]], "MRN9999", user="tester")
    with db.write() as session:
        dropped = drop_unmatched(
            session, [held["MRN4004"], held["MRN4005"]], user="tester", reason="not our patients"
        )

    assert (added, dropped) == (1, 2)
    (lab,) = labs(db, "MRN9999")
    assert (lab.analyte, lab.value, lab.source_file) == ("ALT", 300.0, "labs_for_roster.csv")
    with db.read() as session:
        assert list_unmatched(session) == []
        actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-3:] == ["assign", "delete", "delete"]


def test_assign_to_unknown_mrn_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    run(db, IMPORT_FIXTURES / "labs_for_roster.csv")
    with db.read() as session:
        ids = [h.id for h in list_unmatched(session)]
    with pytest.raises(StoreError, match="No patient with MRN"), db.write() as session:
        assign_unmatched(session, ids, "NOPE", user="tester")
    with db.read() as session:
        assert len(list_unmatched(session)) == 3


def test_wrong_patient_data_is_rejected(both_db) -> None:  # type: ignore[no-untyped-def]
    run(both_db, IMPORT_FIXTURES / "ehr_semicolon_cp1252.csv")
    before = len(labs(both_db, "MRN1001"))

    (summary,) = run(both_db, IMPORT_FIXTURES / "wrong_patient.csv")

    assert summary.imported == 1  # the row with the registry's own name and birth date
    (problem,) = summary.rejected
    assert problem.ref == "line 2"
    assert "wrong patient data" in problem.reason
    assert "Maria Rossi" in problem.reason
    assert len(labs(both_db, "MRN1001")) == before + 1


def test_names_match_by_words_not_by_order(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    add_patients(db, ["N1"], name="Eve Everywoman", birth=date(1962, 3, 5))
    path = tmp_path / "n.csv"
    path.write_text(
        "mrn,name,dob,collected,test,value,unit\n"
        "N1,EVERYWOMAN^EVE^E,1962-03-05,2024-01-01 08:00,ALT,40,U/L\n"
        "N1,Eve Everywoman,1962-03-06,2024-01-01 08:00,AST,40,U/L\n",
        encoding="utf-8",
    )

    (summary,) = run(db, path)

    assert summary.imported == 1
    assert "birth date 1962-03-06" in summary.rejected[0].reason


def test_hl7_correction_replaces_value_with_audit(both_db) -> None:  # type: ignore[no-untyped-def]
    (summary,) = run(both_db, IMPORT_FIXTURES / "two_messages_mllp.hl7")

    assert summary.rows_read == 6
    assert summary.imported == 4  # ALT, bilirubin, glucose, AST; the corrected ALT replaces one
    assert summary.corrected == 1
    assert summary.rejected_count == 1  # "hemolysed"
    stored = {lab.analyte: lab for lab in labs(both_db, "H700")}
    alt = stored["ALT"]
    assert alt.value == 221.0
    assert alt.collected_at == datetime(2024, 5, 2, 6, 15, tzinfo=UTC)  # +0200 offset honoured
    assert alt.source_ref == "message MSG0002 OBR 1 OBX 1"
    # graded on import, after the correction: 221 U/L is 3.9 x the ULN of 56
    assert (alt.grade, alt.grade_criteria) == (2, "ctcae-5.0")
    assert (stored["TBILI"].value, stored["TBILI"].comparator) == (0.1, "<")
    assert (stored["GLUCOSE"].value, stored["GLUCOSE"].comparator) == (600.0, ">")
    assert (stored["AST"].uln, stored["AST"].lln) == (40.0, None)  # range "<40"
    assert (stored["GLUCOSE"].lln, stored["GLUCOSE"].uln) == (70.0, 105.0)  # range "70_105"
    with both_db.read() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "correct")).one()
    assert json.loads(event.before_json or "{}")["value"] == 212.0
    assert json.loads(event.after_json or "{}")["value"] == 221.0
    assert event.patient_mrn == "H700"


def test_dry_run_reports_the_same_and_writes_nothing(both_db) -> None:  # type: ignore[no-untyped-def]
    path = IMPORT_FIXTURES / "ehr_semicolon_cp1252.csv"
    before = table_counts(both_db)

    (dry,) = run(both_db, path, dry_run=True)

    assert table_counts(both_db) == before
    (real,) = run(both_db, path)
    assert dry.dry_run and not real.dry_run
    assert dry.counts() == real.counts()
    assert [r.reason for r in dry.rejected] == [r.reason for r in real.rejected]


def test_cancel_rolls_back_the_whole_file(db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import irae_desktop.importers.service as service

    monkeypatch.setattr(service, "PROGRESS_EVERY", 5)
    path = _big_file(tmp_path, 40)
    before = table_counts(db)

    events = list(run_import(db, [path], ImportOptions(timezone="UTC"), cancel=lambda: True))

    assert events[-1].done
    (summary,) = events[-1].summaries
    assert summary.cancelled
    assert "cancelled" in summary.to_text()
    assert table_counts(db) == before


def test_closing_the_generator_midway_writes_nothing(db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import irae_desktop.importers.service as service

    monkeypatch.setattr(service, "PROGRESS_EVERY", 5)
    path = _big_file(tmp_path, 40)
    before = table_counts(db)
    steps = run_import(db, [path], ImportOptions(timezone="UTC"))
    fractions = [next(steps).fraction for _ in range(4)]
    steps.close()

    assert fractions == sorted(fractions)
    assert table_counts(db) == before


def test_crash_mid_batch_leaves_nothing(both_db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.store import lab_writer

    monkeypatch.setattr(lab_writer, "CHUNK_ROWS", 5)
    path = _big_file(tmp_path, 40)
    real_add = lab_writer.LabBatchWriter.add
    calls = {"n": 0}

    def failing_add(self, patient_id, record):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 30:  # after several chunks were already sent to the database
            raise RuntimeError("power cut")
        real_add(self, patient_id, record)

    monkeypatch.setattr(lab_writer.LabBatchWriter, "add", failing_add)
    before = table_counts(both_db)

    with pytest.raises(RuntimeError, match="power cut"):
        run(both_db, path)

    assert table_counts(both_db) == before


def test_overlapping_file_adds_only_new_results(both_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run(both_db, _big_file(tmp_path, 20))
    overlap = _big_file(tmp_path, 30, name="more.csv")

    (summary,) = run(both_db, overlap)

    assert (summary.imported, summary.duplicates) == (10, 20)
    assert len(labs(both_db)) == 30
    with both_db.read() as session:
        batches = list(session.scalars(select(ImportBatch).order_by(ImportBatch.id)))
        sources = set(session.scalars(select(LabResult.source_file)))
    assert [(b.imported, b.duplicates) for b in batches] == [(20, 0), (10, 20)]
    assert sources == {"labs.csv", "more.csv"}


def test_import_is_audited_with_its_counts(db) -> None:  # type: ignore[no-untyped-def]
    (summary,) = run(db, IMPORT_FIXTURES / "wide_panel.csv")

    with db.read() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).one()
        batch = session.get(ImportBatch, summary.batch_id)
    assert event.entity_id == summary.batch_id
    assert json.loads(event.after_json or "{}")["imported"] == 7
    assert batch is not None and batch.timezone == "UTC" and batch.file_sha256
    assert json.loads(batch.summary_json or "{}")["imported"] == 7


def test_naive_times_use_the_given_zone(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "tz.csv"
    path.write_text(
        "mrn,name,collected,test,value,unit\nZ1,Zed,2024-01-15 09:00,ALT,40,U/L\n"
        "Z1,Zed,2024-01-15T09:00:00-05:00,AST,41,U/L\n",
        encoding="utf-8",
    )

    run(db, path, timezone="Asia/Tokyo")

    times = {lab.analyte: lab.collected_at for lab in labs(db, "Z1")}
    assert times["ALT"] == datetime(2024, 1, 15, 0, 0, tzinfo=UTC)
    assert times["AST"] == datetime(2024, 1, 15, 14, 0, tzinfo=UTC)  # its own offset wins


def test_future_collection_time_is_rejected(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "future.csv"
    path.write_text(
        "mrn,name,collected,test,value,unit\nF1,Fay,2999-01-01 09:00,ALT,40,U/L\n", encoding="utf-8"
    )

    (summary,) = run(db, path)

    assert summary.imported == 0
    assert "in the future" in summary.rejected[0].reason


def test_fhir_ndjson_bulk_export(both_db) -> None:  # type: ignore[no-untyped-def]
    (summary,) = run(both_db, IMPORT_FIXTURES / "bulk.ndjson", timezone="Europe/Paris")

    assert summary.layout == "fhir-ndjson"
    assert summary.imported == 3
    assert summary.not_tracked == 1  # the heart rate is a vital sign
    assert summary.rejected[0].ref == "line 6"
    stored = {lab.analyte: lab for lab in labs(both_db, "F100")}  # MRN from the MR identifier
    assert stored["ALT"].collected_at == datetime(2024, 5, 4, 22, 0, tzinfo=UTC)  # date only
    assert stored["GLUCOSE"].value == pytest.approx(9.1 * 18.016)
    assert stored["GLUCOSE"].uln == pytest.approx(7.8 * 18.016)
    assert (stored["AST"].value, stored["AST"].comparator) == (0.05, "<")


def _big_file(tmp_path, rows: int, name: str = "labs.csv"):  # type: ignore[no-untyped-def]
    lines = ["mrn,name,dob,collected_at,test,value,unit"]
    for i in range(rows):
        lines.append(
            f"B{i % 3},Patient B{i % 3},1960-01-0{i % 3 + 1},"
            f"2024-02-{i // 3 + 1:02d} 08:00,ALT,{40 + i},U/L"
        )
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_correction_in_a_later_file_replaces_the_stored_value(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (IMPORT_FIXTURES / "two_messages_mllp.hl7").read_bytes()
    first, second = text.split(b"\x1c\r\n")[:2]
    (tmp_path / "a.hl7").write_bytes(first + b"\x1c\r\n")
    (tmp_path / "b.hl7").write_bytes(second + b"\x1c\r\n")
    run(db, tmp_path / "a.hl7")

    (summary,) = run(db, tmp_path / "b.hl7")

    assert (summary.imported, summary.corrected, summary.duplicates) == (0, 1, 0)
    alt = [lab for lab in labs(db, "H700") if lab.analyte == "ALT"]
    assert [lab.value for lab in alt] == [221.0]
    (again,) = run(db, tmp_path / "b.hl7")
    assert (again.corrected, again.duplicates) == (0, 1)


def test_reimporting_a_corrected_file_keeps_only_the_corrected_value(both_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = IMPORT_FIXTURES / "two_messages_mllp.hl7"
    run(both_db, path)
    before = table_counts(both_db)

    (again,) = run(both_db, path)

    # the original ALT 212 of the first message is the value the second one corrected
    assert (again.imported, again.corrected) == (0, 0)
    alt = [lab for lab in labs(both_db, "H700") if lab.analyte == "ALT"]
    assert [(lab.value, lab.status) for lab in alt] == [(221.0, "corrected")]
    after = table_counts(both_db)
    assert {k: after[k] - before[k] for k in after} == {
        "patients": 0,
        "lab_results": 0,
        "import_batches": 1,
        "unmatched_lab_rows": 0,
        "audit_events": 1,  # the import itself
    }


def test_an_older_export_does_not_bring_back_a_corrected_value(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (IMPORT_FIXTURES / "two_messages_mllp.hl7").read_bytes()
    first = text.split(b"\x1c\r\n")[0] + b"\x1c\r\n"
    (tmp_path / "old.hl7").write_bytes(first)
    run(db, IMPORT_FIXTURES / "two_messages_mllp.hl7")

    (old,) = run(db, tmp_path / "old.hl7")

    assert old.imported == 0
    assert any("stored correction replaced" in w.reason for w in old.warnings)
    alt = [lab for lab in labs(db, "H700") if lab.analyte == "ALT"]
    assert [lab.value for lab in alt] == [221.0]
    # the other results of the old message were already stored: still one of each
    assert sorted(lab.analyte for lab in labs(db, "H700")) == ["ALT", "AST", "GLUCOSE", "TBILI"]


def test_a_correction_by_hand_survives_reimporting_the_file(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.store.labs import correct_lab

    path = tmp_path / "labs.csv"
    path.write_text(
        "mrn,patient_name,dob,collected_at,test,value,unit\n"
        "C1,Cora Rect,1970-01-01,2024-03-01 08:00,ALT,85,U/L\n",
        encoding="utf-8",
    )
    run(db, path)
    (stored,) = labs(db, "C1")
    with db.write() as session:
        correct_lab(session, "dr.who", stored.id, stored.version, "58", "U/L", "typo")

    (again,) = run(db, path)

    assert again.imported == 0
    assert [(lab.value, lab.status) for lab in labs(db, "C1")] == [(58.0, "corrected")]


def test_result_entered_by_hand_is_a_duplicate_on_import(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    add_patients(db, ["M1"], name="Manu Al")
    with db.write() as session:
        patient = session.scalars(select(Patient).where(Patient.mrn == "M1")).one()
        session.add(
            LabResult(
                patient_id=patient.id,
                analyte="ALT",
                collected_at=datetime(2024, 3, 1, 8, 0, tzinfo=UTC),
                value=55.0,
                comparator="",
                unit="U/L",
                entered_by="tester",
            )
        )
    path = tmp_path / "m.csv"
    path.write_text(
        "mrn,collected,test,value,unit\nM1,2024-03-01T08:00:00Z,ALT,55,U/L\n", encoding="utf-8"
    )

    (summary,) = run(db, path)

    assert (summary.imported, summary.duplicates) == (0, 1)
    assert len(labs(db, "M1")) == 1


def test_roster_fills_gaps_and_refuses_contradictions(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run(db, IMPORT_FIXTURES / "roster.csv")
    update = tmp_path / "roster2.csv"
    update.write_text(
        "MRN,Name,Date of birth,Sex,Weight (kg)\n"
        "MRN4004,Ines Duarte,1966-01-20,F,58\n"
        "MRN4005,Omar Haddad,1950-09-09,M,80\n"
        "MRN4006,New Person,not a date,F,\n",
        encoding="utf-8",
    )
    before = table_counts(db)

    (summary,) = run(db, update)

    assert summary.patients_updated == 1
    assert summary.patients_created == 0
    reasons = {r.ref: r.reason for r in summary.rejected}
    assert "birth date 1950-09-09" in reasons["line 3"]
    assert "not a valid birth date" in reasons["line 4"]
    assert table_counts(db)["patients"] == before["patients"]
    with db.read() as session:
        weights = {mrn: kg for mrn, kg in session.execute(select(Patient.mrn, Patient.weight_kg))}
    assert weights == {"MRN4004": 58.0, "MRN4005": None}


def test_fhir_patient_file_is_read_before_observations_that_point_at_it(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = (IMPORT_FIXTURES / "bulk.ndjson").read_text(encoding="utf-8").splitlines()
    (tmp_path / "Patient.ndjson").write_text(lines[0] + "\n", encoding="utf-8")
    (tmp_path / "Observation.ndjson").write_text("\n".join(lines[1:4]) + "\n", encoding="utf-8")

    summaries = run(db, tmp_path / "Observation.ndjson", tmp_path / "Patient.ndjson")

    assert [s.patients_created for s in summaries] == [1, 0]
    assert summaries[1].imported == 3
    assert summaries[1].unmatched == 0
    assert len(labs(db, "F100")) == 3


def test_unknown_loinc_code_is_not_matched_by_its_display_name(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "urine.csv"
    path.write_text(
        "mrn,name,collected,loinc,test,value,unit\n"
        "U1,Una,2024-01-01 08:00,2350-7,Glucose,100,mg/dL\n",
        encoding="utf-8",
    )

    (summary,) = run(db, path)

    assert (summary.imported, summary.not_tracked) == (0, 1)


@pytest.mark.parametrize("kind", ["searchset", "collection"])
def test_fhir_searchset_and_collection_bundles(db, tmp_path, kind) -> None:  # type: ignore[no-untyped-def]
    patient = {
        "resourceType": "Patient",
        "id": "p9",
        "name": [{"text": "Sam Nine"}],
        "birthDate": "1950-05-05",
    }
    observation = {
        "resourceType": "Observation",
        "id": "o9",
        "status": "amended",
        "code": {"coding": [{"system": "http://loinc.org", "code": "1920-8"}]},
        "subject": {"reference": "Patient/p9"},
        "effectiveDateTime": "2024-02-02T10:00:00+01:00",
        "valueQuantity": {"value": 1.5, "unit": "µkat/L"},
    }
    bundle = {
        "resourceType": "Bundle",
        "type": kind,
        "entry": [
            {"fullUrl": "https://fhir.example.org/Observation/o9", "resource": observation},
            {"fullUrl": "https://fhir.example.org/Patient/p9", "resource": patient},
        ],
    }
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")

    (summary,) = run(db, path)

    assert (summary.imported, summary.patients_created) == (1, 1)
    (lab,) = labs(db, "p9")
    assert (lab.analyte, lab.value, lab.original_unit) == ("AST", 90.0, "µkat/L")
    assert lab.collected_at == datetime(2024, 2, 2, 9, 0, tzinfo=UTC)


def test_progress_events_rise_to_one_and_end_with_summaries(db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import irae_desktop.importers.service as service

    monkeypatch.setattr(service, "PROGRESS_EVERY", 7)
    paths = [_big_file(tmp_path, 30), IMPORT_FIXTURES / "wide_panel.csv"]

    events = list(run_import(db, paths, ImportOptions(timezone="UTC", user="tester")))

    fractions = [e.fraction for e in events]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert [e.summary.file for e in events if e.summary] == [str(p) for p in paths]
    assert events[-1].done
    assert [s.imported for s in events[-1].summaries] == [30, 7]
    assert max(e.rows for e in events if e.file == str(paths[0])) == 30
