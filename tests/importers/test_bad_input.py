"""Files that cannot be imported get a plain message and leave the database exactly as it was."""

from __future__ import annotations

import pytest

from tests.importers.helpers import IMPORT_FIXTURES, add_patients, run, table_counts


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("blank_lines.csv", "the file is empty"),
        ("binary.xlsx", "not a text file"),
        ("invalid.json", "not valid JSON (line 1"),
        ("unknown_layout.csv", "'Pt', 'When', 'What', 'How much'"),
        ("missing_file.csv", "no such file"),
    ],
)
def test_unusable_file_is_refused_and_nothing_written(db, name, message) -> None:  # type: ignore[no-untyped-def]
    add_patients(db, ["MRN1"])
    before = table_counts(db)

    (summary,) = run(db, IMPORT_FIXTURES / name)

    assert message in summary.error
    assert summary.has_errors
    assert summary.batch_id is None
    assert table_counts(db) == before


def test_unknown_layout_names_found_and_needed_columns(db) -> None:  # type: ignore[no-untyped-def]
    (summary,) = run(db, IMPORT_FIXTURES / "unknown_layout.csv")

    assert "Found: 'Pt', 'When', 'What', 'How much'" in summary.error
    assert "Missing here: mrn, collected, test or code, value" in summary.error


def test_file_without_header_row_is_refused(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "no_header.csv"
    path.write_text(
        "MRN1,2024-01-01 08:00,ALT,40,U/L\nMRN1,2024-01-02 08:00,ALT,44,U/L\n", encoding="utf-8"
    )
    before = table_counts(db)

    (summary,) = run(db, path)

    assert "columns were not recognised" in summary.error
    assert "'MRN1'" in summary.error  # the first data row was taken for a header and is named
    assert table_counts(db) == before


def test_truncated_hl7_rejects_the_cut_result(db) -> None:  # type: ignore[no-untyped-def]
    before = table_counts(db)

    (summary,) = run(db, IMPORT_FIXTURES / "truncated.hl7")

    assert summary.imported == 0
    assert summary.rejected_count == 1
    assert summary.rejected[0].ref == "message T1 OBR 1 OBX 1"
    assert "empty" in summary.rejected[0].reason
    after = table_counts(db)
    assert after["lab_results"] == before["lab_results"]
    assert after["import_batches"] == before["import_batches"] + 1  # the attempt is recorded


def test_header_only_file_warns_it_has_no_rows(db) -> None:  # type: ignore[no-untyped-def]
    (summary,) = run(db, IMPORT_FIXTURES / "header_only.csv")

    assert summary.rows_read == 0
    assert any("no data rows" in w.reason for w in summary.warnings)


def test_text_hl7_outside_a_message_is_reported(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "junk.hl7"
    path.write_text(
        "hello\rMSH|^~\\&|A|B|C|D|202401010000||ORU^R01|J1|P|2.4\rPID|1||Q1\r", encoding="utf-8"
    )

    (summary,) = run(db, path)

    assert summary.rejected_count == 1
    assert "outside any HL7 message" in summary.rejected[0].reason


def test_unknown_time_zone_is_refused_before_anything_is_read(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="Unknown time zone"):
        run(db, IMPORT_FIXTURES / "roster.csv", timezone="Mars/Olympus")
