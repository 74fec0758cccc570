"""`irae-desktop held`: what an import held, lab results and treatment rows, in the documented
columns; and `import` of a treatment file that holds rows accounts for them and exits 1."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from irae_desktop.cli.held_cmd import COLUMNS
from irae_desktop.cli.main import main

LINES = (
    "MRN,Drug,Dose,Unit,Frequency,Route,Start date,Stop date,Indication\n"
    "Q-1,KEYTRUDA,200,mg,q3w,IV,2024-01-15,,melanoma\n"
)
INFUSIONS = "MRN,Medication,Dose,Unit,Route,Administered At\nQ-2,Yervoy,3,mg/kg,IV,2024-02-05\n"
LABS = "MRN,Collected,Test,Result,Unit,Ref Low,Ref High\nQ-3,2024-03-01 08:00,ALT,<5,U/L,7,40\n"


def _files(tmp_path: Path) -> list[str]:
    paths = []
    for name, text in (("lines.csv", LINES), ("infusions.csv", INFUSIONS), ("labs.csv", LABS)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def test_import_counts_held_treatment_rows_and_exits_1(capsys, sqlite_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = _files(tmp_path)[0]

    code = main(["--db", sqlite_url, "import", lines, "--timezone", "UTC"])

    out = capsys.readouterr().out
    assert code == 1  # held: not taken into a patient's record yet
    assert "unmatched (held for assignment): 1" in out
    assert "1 rows read = 0 imported + 0 skipped + 1 held + 0 rejected + 0 duplicates" in out


def test_held_lists_results_lines_and_doses(capsys, sqlite_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    main(["--db", sqlite_url, "import", *_files(tmp_path), "--timezone", "UTC"])
    capsys.readouterr()

    assert main(["--db", sqlite_url, "held"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert main(["--db", sqlite_url, "held", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)

    assert tuple(rows[0]) == COLUMNS == (
        "kind", "mrn", "item", "value", "unit", "date", "stop", "frequency", "route",
        "source_file", "source_ref", "batch_id", "imported_at",
    )  # fmt: skip
    body = [row[:11] for row in rows[1:]]
    assert body == [
        ["lab_result", "Q-3", "ALT", "<5", "U/L", "2024-03-01T08:00:00+00:00", "", "", "",
         "labs.csv", "line 2"],
        ["treatment_line", "Q-1", "pembrolizumab", "200", "mg", "2024-01-15", "", "q3w", "IV",
         "lines.csv", "line 2"],
        ["dose_given", "Q-2", "ipilimumab", "3", "mg/kg", "2024-02-05", "", "", "IV",
         "infusions.csv", "line 2"],
    ]  # fmt: skip
    assert [(p["kind"], p["mrn"], p["stop"]) for p in payload] == [
        ("lab_result", "Q-3", None), ("treatment_line", "Q-1", None), ("dose_given", "Q-2", None),
    ]  # fmt: skip


def test_held_on_an_empty_database_prints_the_header_only(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", sqlite_url, "held"]) == 0
    assert capsys.readouterr().out == ",".join(COLUMNS) + "\n"
