"""Readers on their own: encodings, format sniffing, header recognition, times, HL7 and FHIR."""

from __future__ import annotations

import codecs
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from irae_desktop.domain.analytes import lookup_analyte
from irae_desktop.importers.csv_layouts import detect_layout
from irae_desktop.importers.csv_reader import CsvSource, sniff_delimiter
from irae_desktop.importers.errors import ImportFileError, UnknownLayoutError
from irae_desktop.importers.fhir_reader import FhirSource
from irae_desktop.importers.hl7_reader import Hl7Source
from irae_desktop.importers.raw import Problem, RawPatient, RawResult
from irae_desktop.importers.sniff import inspect_file
from irae_desktop.importers.timeparse import TimeTextError, parse_datetime_text, parse_hl7_ts
from tests.importers.helpers import IMPORT_FIXTURES


def _known(text: str) -> bool:
    return lookup_analyte(text) is not None


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (codecs.BOM_UTF8 + b"mrn,value\n", "utf-8-sig"),
        ("mrn,value\nMüller,1\n".encode(), "utf-8"),
        ("mrn,value\nMüller,1\n".encode("cp1252"), "cp1252"),
        ("mrn,value\n".encode("utf-16"), "utf-16"),
    ],
)
def test_encoding_is_detected(tmp_path: Path, raw: bytes, encoding: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(raw)
    assert inspect_file(path).encoding == encoding


@pytest.mark.parametrize(
    ("name", "fmt", "shape"),
    [
        ("two_messages_mllp.hl7", "hl7", ""),
        ("bulk.ndjson", "fhir", "ndjson"),
        ("roster.csv", "csv", ""),
    ],
)
def test_format_is_sniffed(name: str, fmt: str, shape: str) -> None:
    facts = inspect_file(IMPORT_FIXTURES / name)
    assert (facts.format, facts.json_shape) == (fmt, shape)
    assert len(facts.sha256) == 64


def test_hl7_without_suffix_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes((IMPORT_FIXTURES / "two_messages_mllp.hl7").read_bytes())
    assert inspect_file(path).format == "hl7"


@pytest.mark.parametrize(
    ("line", "delimiter"), [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"x;y",b,c', ",")]
)
def test_delimiter_sniffing(line: str, delimiter: str) -> None:
    assert sniff_delimiter(line) == delimiter


@pytest.mark.parametrize(
    ("header", "layout", "name"),
    [
        (
            "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE",
            "long",
            "synthea-observations",
        ),
        (
            "DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,VALUE,UNITS,TYPE",
            "long",
            "synthea-observations",
        ),
        ("Id,BIRTHDATE,DEATHDATE,FIRST,LAST,GENDER", "roster", "synthea-patients"),
        (
            "person_id,measurement_datetime,measurement_source_value,value_as_number,"
            "unit_source_value,range_low,range_high",
            "long",
            "omop-measurement",
        ),
        (
            "subject_id,charttime,itemid,label,value,valuenum,valueuom,ref_range_lower,"
            "ref_range_upper,flag",
            "long",
            "mimic-labevents",
        ),
        ("VALUE,Unit,Test Name,Collected At,MRN", "long", "long"),
        ("MRN,Draw date,ALT (U/L),AST [U/L],Glucose (mmol/L)", "wide", "wide"),
        ("MRN,Name,DOB,Sex", "roster", "roster"),
    ],
)
def test_layouts_are_recognised_by_header_names(header: str, layout: str, name: str) -> None:
    cmap = detect_layout(header.split(","), _known)
    assert (cmap.layout, cmap.name) == (layout, name)


def test_wide_headers_carry_units() -> None:
    cmap = detect_layout(["MRN", "Draw date", "ALT (U/L)", "Glucose (mmol/L)"], _known)
    assert sorted(cmap.analyte_columns.values()) == [
        ("ALT (U/L)", "ALT", "U/L"),
        ("Glucose (mmol/L)", "Glucose", "mmol/L"),
    ]


def test_unknown_layout_lists_what_is_missing() -> None:
    with pytest.raises(UnknownLayoutError) as raised:
        detect_layout(["mrn", "when", "result"], _known)
    assert raised.value.needed == ["collected", "test or code"]
    assert raised.value.found == ["mrn", "when", "result"]


def test_csv_source_streams_rows_with_line_numbers() -> None:
    source = CsvSource(inspect_file(IMPORT_FIXTURES / "labs_for_roster.csv"), _known)
    try:
        items = list(source.items())
    finally:
        source.close()
    assert [i.ref for i in items if isinstance(i, RawResult)] == ["line 2", "line 3", "line 4"]
    assert source.fraction() == 1.0


def test_row_without_mrn_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("mrn,collected,test,value,unit\n,2024-01-01,ALT,4,U/L\n", encoding="utf-8")
    source = CsvSource(inspect_file(path), _known)
    (item,) = list(source.items())
    source.close()
    assert isinstance(item, Problem)
    assert (item.ref, item.reason, item.column) == ("line 2", "no patient MRN", "mrn")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-02T08:15:00+02:00", datetime(2024, 5, 2, 6, 15, tzinfo=UTC)),
        ("2024-05-02T08:15:00Z", datetime(2024, 5, 2, 8, 15, tzinfo=UTC)),
        ("2024-05-02 08:15", datetime(2024, 5, 2, 6, 15, tzinfo=UTC)),  # Berlin summer time
        ("2024-01-02", datetime(2024, 1, 1, 23, 0, tzinfo=UTC)),
        ("02.05.2024 08:15", datetime(2024, 5, 2, 6, 15, tzinfo=UTC)),
        ("202405020815", datetime(2024, 5, 2, 6, 15, tzinfo=UTC)),
    ],
)
def test_times_are_read_in_the_zone_unless_they_carry_one(text: str, expected: datetime) -> None:
    assert parse_datetime_text(text, ZoneInfo("Europe/Berlin")) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "2024-13-01", "31/31/2024", "05/06/2024"])
def test_unreadable_times_are_refused(text: str) -> None:
    with pytest.raises(TimeTextError):
        parse_datetime_text(text, UTC)


def test_hl7_timestamps_with_offsets_and_partial_precision() -> None:
    assert parse_hl7_ts("20240502081530-0500", UTC) == datetime(2024, 5, 2, 13, 15, 30, tzinfo=UTC)
    assert parse_hl7_ts("20240502", UTC) == datetime(2024, 5, 2, tzinfo=UTC)
    with pytest.raises(TimeTextError):
        parse_hl7_ts("2024", UTC)


def test_hl7_reader_handles_lf_separators_and_several_messages(tmp_path: Path) -> None:
    text = (IMPORT_FIXTURES / "two_messages_mllp.hl7").read_bytes()
    path = tmp_path / "lf.hl7"
    path.write_bytes(text.replace(b"\x0b", b"").replace(b"\x1c", b"").replace(b"\r\n", b"\n"))
    source = Hl7Source(inspect_file(path), UTC)
    items = list(source.items())
    source.close()
    results = [i for i in items if isinstance(i, RawResult)]
    assert [r.ref for r in results][-1] == "message MSG0002 OBR 1 OBX 1"
    assert len(results) == 6
    assert results[0].patient is not None
    assert results[0].patient.birth_date == date(1969, 4, 12)
    assert results[0].mrn == "H700"  # first repetition, first component of PID-3
    assert (results[1].comparator, results[1].value_text) == ("", "<0.1")
    assert results[-1].status == "corrected"


def test_fhir_single_observation_with_unresolved_subject(tmp_path: Path) -> None:
    path = tmp_path / "obs.json"
    path.write_text(
        '{"resourceType": "Observation", "id": "x1", "status": "final", '
        '"code": {"coding": [{"system": "http://loinc.org", "code": "1742-6"}]}, '
        '"subject": {"reference": "Patient/abc"}, '
        '"effectiveDateTime": "2024-01-01T10:00:00Z", '
        '"valueQuantity": {"value": 50, "unit": "U/L"}}',
        encoding="utf-8",
    )
    source = FhirSource(inspect_file(path), UTC, {})
    (item,) = list(source.items())
    source.close()
    assert isinstance(item, RawResult)
    assert (item.mrn, item.number, item.patient) == ("abc", 50.0, None)


def test_fhir_invalid_resource_is_reported_by_the_model_check(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        '{"resourceType": "Observation", "id": "x2", "status": "final", '
        '"effectiveDateTime": "yesterday", "code": {"text": "ALT"}, '
        '"subject": {"reference": "Patient/abc"}}',
        encoding="utf-8",
    )
    source = FhirSource(inspect_file(path), UTC, {})
    (item,) = list(source.items())
    source.close()
    assert isinstance(item, Problem)
    assert "invalid FHIR Observation" in item.reason


def test_fhir_patient_mrn_prefers_the_mr_identifier() -> None:
    source_patients: dict[str, RawPatient] = {}
    source = FhirSource(inspect_file(IMPORT_FIXTURES / "bulk.ndjson"), UTC, source_patients)
    items = list(source.items())
    source.close()
    assert isinstance(items[0], RawPatient)
    assert (items[0].mrn, items[0].name, items[0].sex) == ("F100", "Luz Rivera", "F")
    assert source_patients["Patient/p1"].mrn == "F100"


def test_inspect_refuses_folders_and_mismatched_format(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="folder"):
        inspect_file(tmp_path)
    with pytest.raises(ImportFileError, match="looks like hl7"):
        inspect_file(IMPORT_FIXTURES / "two_messages_mllp.hl7", "csv")
