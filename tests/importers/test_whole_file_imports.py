"""European hospital exports: classification (never a lab file read as a roster), the file's
decimal mark, text encodings, and an account of every row read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from irae_desktop.importers.sniff import inspect_file
from irae_desktop.importers.summary import ImportSummary
from irae_desktop.store.database import Database
from irae_desktop.store.patients import get_by_mrn
from tests.importers.helpers import IMPORT_FIXTURES, labs, run, table_counts

GERMAN = IMPORT_FIXTURES / "de_labor_bom_semicolon.csv"
GERMAN_MAPPING: dict[str, object] = {
    "layout": "long",
    "columns": {
        "mrn": "Patientennummer",
        "name": "Name",
        "birth": "Geburtsdatum",
        "collected": "Entnahme",
        "test": "Analyt",
        "value": "Ergebnis",
        "unit": "Einheit",
        "range": "Referenzbereich",
    },
}
UNFAMILIAR = IMPORT_FIXTURES / "lab_unfamiliar_result_headers.csv"


def _accounting(summary: ImportSummary) -> str:
    return summary.accounting()


def _name(db: Database, mrn: str) -> str | None:
    with db.read() as session:
        patient = get_by_mrn(session, mrn)
        assert patient is not None
        return patient.name


def test_german_export_with_a_mapping_reads_1_020_as_1020_by_its_decimal_commas(
    db: Database,
) -> None:
    (summary,) = run(db, GERMAN, timezone="Europe/Berlin", mapping=GERMAN_MAPPING)

    assert summary.error == ""
    assert (summary.rows_read, summary.imported, summary.rejected_count) == (10, 10, 0)
    assert _accounting(summary).startswith(
        "10 rows read = 10 imported + 0 skipped + 0 held + 0 rejected + 0 duplicates"
    )
    stored = {(lab.analyte, lab.original_text): lab for lab in labs(db, "4711001")}
    alp = stored[("ALP", "1.020")]
    assert alp.value == 1020.0
    # line 4 holds "1.020"; line 5's "0,8" is the first decimal comma of the file
    assert alp.source_ref == (
        "line 4; '1.020' read as 1020 by the file's decimal comma (as on line 5: '0,8')"
    )
    assert stored[("TBILI", "0,8")].value == 0.8
    assert stored[("TBILI", "0,8")].uln == 1.2  # "0,3-1,2"
    assert stored[("ALT", "45")].value == 45.0
    # only the cell the decimal mark decided carries the note
    assert stored[("ALT", "45")].source_ref == "line 2"


def test_german_export_is_read_whole_with_its_decimal_comma(db: Database) -> None:
    """The export once read as a roster (ten results dropped without a word): its German headers
    and test names are known, and "1.020" is read by the file's own decimal comma."""
    (summary,) = run(db, GERMAN, timezone="Europe/Berlin")
    assert summary.error == ""
    assert (summary.rows_read, summary.imported, summary.rejected_count) == (10, 10, 0)
    assert summary.unaccounted == 0
    stored = {
        (r.source_ref.split(";")[0], r.analyte): (r.value, r.grade)
        for r in labs(db)
        if r.source_ref is not None
    }
    # ALP 1020 U/L with ULN 130 is 7.8 x ULN: grade 3 (the peak the file holds)
    assert stored[("line 4", "ALP")] == (1020.0, 3)
    # ALT 112 U/L with ULN 35 is 3.2 x ULN: grade 2; AST 96 / 35 = 2.7 x ULN: grade 1
    assert stored[("line 7", "ALT")] == (112.0, 2)
    assert stored[("line 8", "AST")] == (96.0, 1)
    # bilirubin 1,4 mg/dl with ULN 1,2 is 1.17 x ULN: grade 1
    assert stored[("line 10", "TBILI")] == (1.4, 1)
    # a non-fasting glucose of 6,1 mmol/l above its ULN of 5,6 has no grade (decision 9)
    value, grade = stored[("line 11", "GLUCOSE")]
    assert grade is None and abs(value - 6.1 * 18.016) < 1e-6


def test_lab_file_with_unfamiliar_result_headers_is_refused_never_a_roster(db: Database) -> None:
    before = table_counts(db)

    (summary,) = run(db, UNFAMILIAR)

    assert summary.error.startswith("This file was not read as a patient roster")
    for reason in (
        "'Assay' holds test names (ALT, AST, Glucose)",
        "'Reading' holds numbers (88)",
        "'Specimen Taken' holds dates with times (2025-03-04 09:10)",
        "'Units' is a result's unit",
    ):
        assert reason in summary.error
    assert "Save a column mapping to read this layout." in summary.error
    assert table_counts(db) == before  # no patient created, no batch


def test_the_wizard_offers_the_mapping_for_the_refused_file() -> None:
    from irae_desktop.ui.import_mapping import inspect

    info = inspect(UNFAMILIAR)

    assert info.problem.startswith("This file was not read as a patient roster")
    assert info.header == [
        "MRN",
        "Patient Name",
        "DOB",
        "Specimen Taken",
        "Assay",
        "Reading",
        "Units",
    ]


def test_the_mapping_preview_says_why_it_is_not_a_roster() -> None:
    from irae_desktop.importers.preview import preview_csv

    preview = preview_csv(UNFAMILIAR)

    assert preview.layout == ""
    assert preview.problem.startswith("This file was not read as a patient roster")
    assert preview.rows[0][:2] == ["MRN7001", "Lena Park"]


def test_the_refused_file_imports_with_a_mapping(db: Database) -> None:
    mapping: dict[str, object] = {
        "layout": "long",
        "columns": {
            "mrn": "MRN",
            "name": "Patient Name",
            "birth": "DOB",
            "collected": "Specimen Taken",
            "test": "Assay",
            "value": "Reading",
            "unit": "Units",
        },
    }
    (summary,) = run(db, UNFAMILIAR, mapping=mapping)
    assert summary.error == ""
    assert (summary.rows_read, summary.imported) == (4, 4)
    assert {(lab.analyte, lab.value) for lab in labs(db, "MRN7001")} == {
        ("ALT", 88.0),
        ("AST", 61.0),
        ("GLUCOSE", 132.0),
    }


def test_a_real_roster_is_still_a_roster(db: Database) -> None:
    (summary,) = run(db, IMPORT_FIXTURES / "roster.csv")

    assert summary.layout == "roster"
    assert (summary.rows_read, summary.roster_taken, summary.patients_created) == (2, 2, 2)
    assert _accounting(summary) == (
        "2 rows read = 0 imported + 2 roster rows taken + 0 skipped + 0 held + 0 rejected + "
        "0 duplicates (0 warnings noted separately)"
    )
    assert summary.all_taken


def test_a_roster_names_the_columns_it_leaves_out(db: Database) -> None:
    (summary,) = run(db, IMPORT_FIXTURES / "roster_extra_columns.csv")

    assert summary.layout == "roster"
    assert (summary.roster_taken, summary.patients_created) == (3, 3)
    (warning,) = summary.warnings
    assert warning.reason == "columns a roster does not use, left out: 'Ward', 'Consultant'"


def test_excel_unicode_text_utf16_tab_separated(db: Database) -> None:
    path = IMPORT_FIXTURES / "excel_unicode_text_utf16.txt"
    assert inspect_file(path).encoding == "utf-16"

    (summary,) = run(db, path)

    assert (summary.rows_read, summary.imported) == (3, 3)
    assert summary.unaccounted == 0
    stored = {lab.analyte: lab.value for lab in labs(db, "MRN9001")}
    assert stored == {"ALT": 64.0, "AST": 52.0, "TBILI": 1.3}
    assert _name(db, "MRN9001") == "José Álvarez"


def test_cp1252_export_with_micromol_and_umlauts(db: Database) -> None:
    path = IMPORT_FIXTURES / "cp1252_umol_mueller.csv"
    assert inspect_file(path).encoding == "cp1252"

    (summary,) = run(db, path)

    assert (summary.rows_read, summary.imported, summary.rejected_count) == (3, 3, 0)
    stored = {lab.analyte: lab for lab in labs(db, "MRN6001")}
    assert (stored["TBILI"].original_text, stored["TBILI"].original_unit) == ("13,7", "µmol/l")
    assert stored["ALT"].value == 1020.0  # "1.020" in a file that writes "13,7"
    assert _name(db, "MRN6001") == "Müller, Käthe"


@pytest.mark.parametrize(
    ("cells", "why"),
    [
        (("40", "1.020"), "show neither a decimal comma nor a decimal point"),
        (("40", '"1,020"'), "show neither a decimal comma nor a decimal point"),
        (('"0,8"', "12.5", "1.020"), "write both a decimal comma"),
    ],
)
def test_a_file_of_undecided_decimal_mark_refuses_the_ambiguous_cell_with_its_line(
    db: Database, tmp_path: Path, cells: tuple[str, ...], why: str
) -> None:
    path = tmp_path / "undecided.csv"
    rows = [
        f"U1,Uma Undecided,2025-01-0{i + 1} 08:00,ALT,{cell},U/L" for i, cell in enumerate(cells)
    ]
    path.write_text(
        "mrn,name,collected_at,test,value,unit\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )

    (summary,) = run(db, path)

    (rejected,) = summary.rejected
    assert rejected.ref == f"line {len(cells) + 1}"
    assert "is ambiguous: " in rejected.reason
    assert "1020 if " in rejected.reason
    assert "1.02 if " in rejected.reason
    assert why in rejected.reason
    assert summary.imported == len(cells) - 1
    assert summary.unaccounted == 0


def test_a_negative_csv_result_is_rejected_with_its_reason(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "negative.csv"
    path.write_text(
        "mrn,name,collected_at,test,value,unit\nN1,Ned Neg,2025-01-01 08:00,ALT,-5,U/L\n"
    )
    (summary,) = run(db, path)
    (rejected,) = summary.rejected
    assert (rejected.ref, rejected.column) == ("line 2", "value")
    assert "no result is negative" in rejected.reason
    assert summary.imported == 0


def test_a_negative_hl7_result_is_rejected_with_its_reason(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "negative.hl7"
    path.write_bytes(
        b"MSH|^~\\&|LAB|HOSP|IRAE|ONC|202501020930||ORU^R01|N1|P|2.4\r"
        b"PID|1||H900||Neg^Nell||19700101|F\r"
        b"OBR|1|||LFT|||202501020815\r"
        b"OBX|1|NM|1742-6^ALT^LN||-12|U/L|7-56||||F|||202501020815\r"
    )
    (summary,) = run(db, path)
    (rejected,) = summary.rejected
    assert "no result is negative" in rejected.reason
    assert summary.imported == 0
    assert summary.unaccounted == 0


def test_a_negative_fhir_result_is_rejected_with_its_reason(db: Database, tmp_path: Path) -> None:
    observation = {
        "resourceType": "Observation",
        "id": "neg1",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "1742-6"}]},
        "subject": {"reference": "Patient/abc"},
        "effectiveDateTime": "2025-01-01T10:00:00Z",
        "valueQuantity": {"value": -3, "unit": "U/L"},
    }
    path = tmp_path / "negative.json"
    path.write_text(json.dumps(observation), encoding="utf-8")
    (summary,) = run(db, path)
    (rejected,) = summary.rejected
    assert "no result is negative" in rejected.reason
    assert summary.imported == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("MRN,Name\r\nM1,Ann\r\n".encode("utf-32"), "the text is UTF-32"),
        (b"\xef\xbb\xbfMRN,Name\r\nM1,M\xfcller\r\n", "byte 18 is not UTF-8"),
        (b"MRN,Name\r\nM1,\x81\x9d\xfc\r\n", "not in an encoding this program reads"),
    ],
)
def test_text_in_no_encoding_read_gets_a_clear_message(
    db: Database, tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(data)
    before = table_counts(db)
    (summary,) = run(db, path)
    assert message in summary.error
    assert "UTF-8 (with or without BOM), UTF-16 or Windows-1252/Latin-1" in summary.error or (
        "save it again as UTF-8" in summary.error
    )
    assert table_counts(db) == before


@pytest.mark.parametrize(
    ("codec", "name"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")]
)
def test_utf16_without_a_byte_order_mark_is_recognised(
    db: Database, tmp_path: Path, codec: str, name: str
) -> None:
    path = tmp_path / "nobom.txt"
    text = "MRN\tName\tCollected\tTest\tResult\tUnit\r\nM1\tAnn\t2025-01-01 08:00\tALT\t40\tU/L\r\n"
    path.write_bytes(text.encode(codec))
    assert inspect_file(path).encoding == name
    (summary,) = run(db, path)
    assert (summary.rows_read, summary.imported) == (1, 1)


def test_a_roster_with_a_status_column_and_visit_dates_stays_a_roster(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "roster_status.csv"
    path.write_text(
        "MRN,Name,DOB,Status,Last visit\n"
        "R1,Rita Row,1960-01-02,active,2025-01-03 10:00\n"
        "R2,Rob Row,1961-02-03,signed off,2025-01-04 11:30\n",
        encoding="utf-8",
    )
    (summary,) = run(db, path)
    assert summary.error == ""
    assert (summary.layout, summary.roster_taken) == ("roster", 2)
