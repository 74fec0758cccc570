"""Real-world file quirks: encodings, delimiters, decimal commas, censored values, layouts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from irae_desktop.domain.analytes import get_analyte
from irae_desktop.store.models import Patient
from tests.importers.helpers import IMPORT_FIXTURES, labs, run


def test_semicolon_cp1252_export_with_decimal_commas(db) -> None:  # type: ignore[no-untyped-def]
    (summary,) = run(db, IMPORT_FIXTURES / "ehr_semicolon_cp1252.csv", timezone="Europe/Berlin")

    assert summary.rows_read == 9
    assert summary.imported == 6
    assert summary.not_tracked == 1  # sodium
    assert summary.not_tracked_tests == {"Sodium": 1}
    rejected = {(r.ref, r.column): r.reason for r in summary.rejected}
    assert "text, not a number" in rejected[("line 8", "Result")]
    assert "empty" in rejected[("line 10", "Result")]
    with db.read() as session:
        patient = session.scalars(select(Patient)).one()
    assert patient.name == "Müller, Jürgen"  # cp1252 decoded
    stored = {(lab.analyte, lab.source_ref): lab for lab in labs(db, "MRN1001")}
    bili = stored[("TBILI", "line 4")]
    assert bili.value == pytest.approx(34.2 / 17.1)
    assert bili.original_text == "34,2"
    assert bili.original_unit == "µmol/L"
    assert bili.uln == pytest.approx(20.5 / 17.1)
    glucose = stored[("GLUCOSE", "line 5")]
    assert glucose.value == pytest.approx(7.9 * 18.016)
    # 08:15 in Berlin summer time is 06:15 UTC; date and time came from two columns
    assert glucose.collected_at == datetime(2024, 5, 2, 6, 15, tzinfo=UTC)
    low = stored[("TBILI", "line 6")]
    assert (low.value, low.comparator) == (0.1, "<")
    high = stored[("ALT", "line 7")]
    assert (high.value, high.comparator, high.abnormal_flag) == (600.0, ">", "HH")
    assert stored[("ALT", "line 2")].original_text == "182"  # trailing space trimmed


def test_bom_utf8_export_with_separate_range_columns(db) -> None:  # type: ignore[no-untyped-def]
    (summary,) = run(db, IMPORT_FIXTURES / "ehr_bom_utf8.csv")

    rejected = {r.ref: r for r in summary.rejected}
    # "1,250" reads two ways, but line 4's "0.4" shows the file writes decimal points
    assert "line 2" not in rejected
    assert rejected["line 5"].column == "unit"
    assert "furlongs" in rejected["line 5"].reason
    warnings = {w.ref: w.reason for w in summary.warnings}
    # glucose 4000 mg/dL: beyond values reported in a living patient, held for review
    assert warnings["line 3"].startswith("needs review: GLUCOSE 4000 mg/dL is above 2000 mg/dL")
    # ALT 0.4 U/L is warned about exactly when the analyte catalog calls it implausible
    alt = get_analyte("ALT")
    assert ("line 4" in warnings) == (not alt.plausible_low <= 0.4 <= alt.plausible_high)
    stored = {lab.source_ref: lab for lab in labs(db, "MRN2002")}
    decided = "line 2; '1,250' read as 1250 by the file's decimal point (as on line 4: '0.4')"
    assert (stored[decided].value, stored[decided].original_text) == (1250.0, "1,250")
    assert stored["line 3"].value == 4000.0
    assert (stored["line 3"].status, stored["line 3"].grade) == ("needs_review", None)
    assert stored["line 4"].value == 0.4
    assert (stored["line 4"].lln, stored["line 4"].uln) == (7.0, 56.0)


def test_thousands_separator_with_decimal_point(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "thousands.csv"
    path.write_text(
        'mrn,name,collected_at,test,value,unit\nT1,Tom Tee,2024-01-01 10:00,ALT,"1,250.5",U/L\n',
        encoding="utf-8",
    )

    (summary,) = run(db, path)

    assert summary.imported == 1
    assert labs(db, "T1")[0].value == 1250.5


def test_omop_measurement_rows_are_held_without_demographics(db) -> None:  # type: ignore[no-untyped-def]
    (summary,) = run(db, IMPORT_FIXTURES / "omop_measurement.csv")

    assert summary.layout == "omop-measurement"
    assert summary.unmatched == 4
    assert summary.rejected_count == 0


def test_mimic_labevents_labels_with_abbreviations(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.importers.helpers import add_patients

    add_patients(db, ["10001"])
    (summary,) = run(db, IMPORT_FIXTURES / "mimic_labevents.csv")

    assert summary.layout == "mimic-labevents"
    assert summary.imported == 3
    assert summary.rejected_count == 1  # "___" is MIMIC's redacted text value
    stored = {lab.analyte: lab.value for lab in labs(db, "10001")}
    assert stored == {"ALT": 250.0, "AST": 190.0, "TBILI": 1.8}


def test_wide_layout_one_row_per_draw(db) -> None:  # type: ignore[no-untyped-def]
    (summary,) = run(db, IMPORT_FIXTURES / "wide_panel.csv")

    assert summary.layout == "wide"
    assert summary.imported == 7  # 8 cells, one blank
    assert summary.patients_created == 1
    stored = [(lab.analyte, lab.value) for lab in labs(db, "MRN3003")]
    assert ("GLUCOSE", pytest.approx(11.2 * 18.016)) in stored
    assert sum(1 for a, _ in stored if a == "TBILI") == 1


def test_duplicate_header_columns_use_the_first_non_empty(db) -> None:  # type: ignore[no-untyped-def]
    (summary,) = run(db, IMPORT_FIXTURES / "duplicate_header.csv")

    assert summary.imported == 1
    assert any("appears twice" in w.reason for w in summary.warnings)
    assert labs(db, "MRN5005")[0].value == 66.0


def test_ambiguous_slash_dates_are_refused_not_guessed(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "slash.csv"
    path.write_text(
        "mrn,name,collected,test,value,unit\n"
        "S1,Sam Ess,03/04/2024 08:00,ALT,40,U/L\n"
        "S1,Sam Ess,25/04/2024 08:00,ALT,41,U/L\n"
        "S1,Sam Ess,04/25/2024 8:00 PM,ALT,42,U/L\n",
        encoding="utf-8",
    )

    (summary,) = run(db, path)

    assert summary.imported == 2
    assert "ambiguous date" in summary.rejected[0].reason
    times = [lab.collected_at for lab in labs(db, "S1")]
    assert times == [datetime(2024, 4, 25, 8, tzinfo=UTC), datetime(2024, 4, 25, 20, tzinfo=UTC)]


def test_mapping_reads_an_unrecognised_layout(db) -> None:  # type: ignore[no-untyped-def]
    mapping = {
        "layout": "long",
        "columns": {"mrn": "Pt", "collected": "When", "test": "What", "value": "How much"},
    }
    path = IMPORT_FIXTURES / "unknown_layout.csv"

    (summary,) = run(db, path, mapping=mapping)

    # the file has no unit column: the row is refused for that reason, not guessed
    assert summary.error == ""
    assert summary.rejected_count == 1
    assert "unit" in summary.rejected[0].reason


def test_mapping_naming_a_missing_column_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    mapping = {
        "layout": "long",
        "columns": {"mrn": "Patient", "collected": "When", "test": "What", "value": "How much"},
    }

    (summary,) = run(db, IMPORT_FIXTURES / "unknown_layout.csv", mapping=mapping)

    assert "'Patient'" in summary.error
