"""`irae-desktop import`: summaries, JSON, dry run, mapping file, exit codes."""

from __future__ import annotations

import json

import pytest

from irae_desktop.cli.main import main
from tests.conftest import SAMPLES
from tests.importers.helpers import IMPORT_FIXTURES


def _import(capsys, url: str, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(["--db", url, "import", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_prints_summary_accounting_for_every_row(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = _import(
        capsys,
        sqlite_url,
        str(SAMPLES / "hl7" / "oru_r01_v23_cmp_local_codes.hl7"),
        "--timezone",
        "UTC",
    )

    assert "rows read: 31" in out
    assert "imported: 8" in out
    assert "duplicates skipped: 0" in out
    # the panel's 23 other results are tests this program does not track (the differential's
    # lymphocyte percentage among them): counted as skipped, which is no failure of the file
    assert "accounted for: 31 rows read = 8 imported + 23 skipped + 0 held + 0 rejected" in out
    assert code == 0


def test_a_file_taken_whole_exits_0(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = _import(capsys, sqlite_url, str(IMPORT_FIXTURES / "roster.csv"))

    assert code == 0
    assert (
        "accounted for: 2 rows read = 0 imported + 2 roster rows taken + 0 skipped + 0 held + "
        "0 rejected + 0 duplicates (0 warnings noted separately)"
    ) in out


def test_german_lab_export_is_taken_whole_with_exit_0(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    path = str(IMPORT_FIXTURES / "de_labor_bom_semicolon.csv")
    code, out, _ = _import(capsys, sqlite_url, path, "--json", "--timezone", "Europe/Berlin")

    (summary,) = json.loads(out)["files"]
    assert summary["error"] == ""
    assert (summary["rows_read"], summary["imported"], summary["all_taken"]) == (10, 10, True)
    # one non-fasting glucose stored without a grade is a warning, not a row left behind
    assert code == 0


def test_lab_file_read_as_roster_before_is_refused_on_stderr(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    path = str(IMPORT_FIXTURES / "lab_unfamiliar_result_headers.csv")
    code, out, err = _import(capsys, sqlite_url, path)

    assert code == 1
    assert out == ""
    assert "not imported: This file was not read as a patient roster" in err
    assert "'Reading' holds numbers (88)" in err

    main(["--db", sqlite_url, "labs"])
    assert len(capsys.readouterr().out.strip().splitlines()) == 1  # the header only


def test_german_export_with_mapping_file_accounts_and_exits_0(  # type: ignore[no-untyped-def]
    capsys, sqlite_url, tmp_path
) -> None:
    mapping = tmp_path / "de.json"
    mapping.write_text(
        json.dumps(
            {
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
        ),
        encoding="utf-8",
    )
    path = str(IMPORT_FIXTURES / "de_labor_bom_semicolon.csv")
    code, out, _ = _import(
        capsys, sqlite_url, path, "--mapping", str(mapping), "--timezone", "Europe/Berlin", "--json"
    )

    (summary,) = json.loads(out)["files"]
    assert summary["accounting"].startswith(
        "10 rows read = 10 imported + 0 skipped + 0 held + 0 rejected + 0 duplicates"
    )
    assert (summary["unaccounted"], summary["all_taken"]) == (0, True)
    assert code == 0


def test_json_summary_and_second_run_counts_duplicates(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    path = str(SAMPLES / "fhir" / "synthea_r4_cmp_liver_bundle.json")
    _import(capsys, sqlite_url, path, "--json")

    code, out, _ = _import(capsys, sqlite_url, path, "--json")

    payload = json.loads(out)
    assert code == 0  # 7 duplicates already stored, 9 untracked tests counted as skipped
    assert payload["files"][0]["accounting"].startswith(
        "16 rows read = 0 imported + 9 skipped + 0 held + 0 rejected + 7 duplicates"
    )
    assert payload["files"][0]["imported"] == 0
    assert payload["files"][0]["duplicates"] == 7
    assert payload["totals"]["duplicates"] == 7


def test_rejected_rows_give_exit_1_with_line_and_reason(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = _import(capsys, sqlite_url, str(IMPORT_FIXTURES / "ehr_semicolon_cp1252.csv"))

    assert code == 1
    assert "rejected line 8, column Result:" in out


def test_dry_run_writes_nothing(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    path = str(IMPORT_FIXTURES / "wide_panel.csv")
    code, out, _ = _import(capsys, sqlite_url, path, "--dry-run")
    assert code == 0
    assert "dry run" in out

    main(["--db", sqlite_url, "labs"])
    listing = capsys.readouterr().out
    assert listing.strip().splitlines() == [
        "mrn,analyte,collected_at,value,comparator,unit,uln,lln,grade,criteria,baseline,source,"
        "grade_shown,original_text,original_unit"
    ]


def test_mapping_file_and_bad_mapping_file(capsys, sqlite_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "odd.csv"
    source.write_text(
        "Pt,When,What,How much,U\nQ1,2024-01-01T08:00:00Z,ALT,40,U/L\n", encoding="utf-8"
    )
    mapping = tmp_path / "map.json"
    mapping.write_text(
        json.dumps(
            {
                "layout": "long",
                "columns": {
                    "mrn": "Pt",
                    "collected": "When",
                    "test": "What",
                    "value": "How much",
                    "unit": "U",
                },
            }
        ),
        encoding="utf-8",
    )

    code, out, _ = _import(capsys, sqlite_url, str(source), "--mapping", str(mapping))
    assert "unmatched (held for assignment): 1" in out
    assert code == 1  # held for assignment: not taken into a patient's record yet

    mapping.write_text("{not json", encoding="utf-8")
    code, _, err = _import(capsys, sqlite_url, str(source), "--mapping", str(mapping))
    assert code == 2
    assert "not valid JSON" in err


def test_unusable_file_exit_1_and_message_on_stderr(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _import(capsys, sqlite_url, str(IMPORT_FIXTURES / "binary.xlsx"))

    assert code == 1
    assert "not a text file" in err


@pytest.mark.parametrize(
    "args", [["--format", "xml", "x.csv"], [], ["--timezone", "Nowhere/Zone", "x"]]
)
def test_usage_errors_exit_2(capsys, sqlite_url, args) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as raised:
        code = main(["--db", sqlite_url, "import", *args])
        raise SystemExit(code)
    assert raised.value.code == 2


def test_forced_format_that_does_not_match_is_refused(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _import(
        capsys, sqlite_url, str(IMPORT_FIXTURES / "roster.csv"), "--format", "hl7"
    )

    assert code == 1
    assert "looks like csv" in err


def test_impossible_rejected_held_and_ungraded_counted_as_warnings(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    # clinical reference, decisions 11 and 12
    path = str(IMPORT_FIXTURES / "impossible_and_ungraded.csv")
    code, out, _ = _import(capsys, sqlite_url, path, "--timezone", "UTC", "--json")

    payload = json.loads(out)["files"][0]
    assert code == 1
    assert (payload["imported"], payload["rejected_count"], payload["warning_count"]) == (4, 2, 3)
    rejected = {r["where"]: r["reason"] for r in payload["rejected"]}
    assert rejected == {
        "line 4": "AST -5 U/L cannot be true: no result is negative",
        "line 6": "GLUCOSE 0 mg/dL cannot be true: glucose is never 0 in a living patient",
    }
    warnings = {w["where"]: w["reason"] for w in payload["warnings"]}
    assert warnings["line 5"].startswith("needs review: GLUCOSE 3279 mg/dL")
    assert warnings["line 7"].startswith("GLUCOSE 1200 mg/dL is unusual")
    assert warnings["file"] == (
        "1 ALT result(s) stored without a grade (no range): ALT 90 U/L: no ULN reported and no "
        "site default: not graded. To grade them, set your laboratory's reference ranges in "
        "Settings (or with 'irae-desktop ranges import')."
    )


def test_text_summary_counts_ungraded_results(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    path = str(IMPORT_FIXTURES / "impossible_and_ungraded.csv")
    _, out, _ = _import(capsys, sqlite_url, path, "--timezone", "UTC")
    assert "  warnings: 3" in out
    assert "warning file: 1 ALT result(s) stored without a grade (no range)" in out


def test_a_file_of_only_untracked_tests_exits_1(capsys, sqlite_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # nothing at all was taken: its test names may be ones the program does not know yet
    path = tmp_path / "panel.csv"
    path.write_text(
        "mrn,name,birth_date,collected_at,test,value,unit\n"
        "M1,Ann Lee,1960-01-01,2025-03-01 08:00,Sodium,140,mmol/L\n"
        "M1,Ann Lee,1960-01-01,2025-03-01 08:00,Potassium,4.1,mmol/L\n",
        encoding="utf-8",
    )
    code, out, _ = _import(capsys, sqlite_url, str(path))
    assert "2 rows read = 0 imported + 2 skipped" in out
    assert code == 1
