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


def test_import_prints_summary_and_exits_0(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = _import(
        capsys,
        sqlite_url,
        str(SAMPLES / "hl7" / "oru_r01_v23_cmp_local_codes.hl7"),
        "--timezone",
        "UTC",
    )

    assert code == 0
    assert "rows read: 31" in out
    assert "imported: 5" in out
    assert "duplicates skipped: 0" in out


def test_json_summary_and_second_run_counts_duplicates(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    path = str(SAMPLES / "fhir" / "synthea_r4_cmp_liver_bundle.json")
    _import(capsys, sqlite_url, path, "--json")

    code, out, _ = _import(capsys, sqlite_url, path, "--json")

    payload = json.loads(out)
    assert code == 0
    assert payload["files"][0]["imported"] == 0
    assert payload["files"][0]["duplicates"] == 5
    assert payload["totals"]["duplicates"] == 5


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
        "original_text,original_unit"
    ]


def test_mapping_file_and_bad_mapping_file(capsys, sqlite_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "odd.csv"
    source.write_text("Pt,When,What,How much,U\nQ1,2024-01-01T08:00:00Z,ALT,40,U/L\n")
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
        )
    )

    code, out, _ = _import(capsys, sqlite_url, str(source), "--mapping", str(mapping))
    assert code == 0
    assert "unmatched (held for assignment): 1" in out

    mapping.write_text("{not json")
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
