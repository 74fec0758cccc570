"""The per-file cell plan of the CSV reader: one column per role, several, or none."""

from __future__ import annotations

from pathlib import Path

from irae_desktop.importers.csv_reader import cell_reader
from irae_desktop.store.unmatched import list_unmatched
from tests.importers.helpers import labs, run


def test_single_columns_are_stripped_and_missing_roles_read_empty() -> None:
    cells = cell_reader({"mrn": [0], "value": [2]}, ("value", "unit", "mrn"))

    assert cells([" M1 ", "x", " 42 ", ""]) == ["42", "", "M1"]


def test_one_role_alone() -> None:
    assert cell_reader({"mrn": [1]}, ("mrn",))(["a", " b ", ""]) == ["b"]
    assert cell_reader({}, ("mrn",))(["a", ""]) == [""]
    assert cell_reader({}, ())(["a", ""]) == []


def test_a_role_in_several_columns_takes_the_first_non_empty() -> None:
    cells = cell_reader({"mrn": [0, 1], "value": [2]}, ("mrn", "value", "unit"))

    assert cells(["", " M2 ", "7", ""]) == ["M2", "7", ""]
    assert cells(["M1", "M2", "7", ""]) == ["M1", "7", ""]
    assert cells(["", " ", "7", ""]) == ["", "7", ""]


def test_duplicate_mrn_columns_and_short_rows_in_a_real_file(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dup.csv"
    path.write_text(
        "mrn,mrn,collected_at,test,value,unit,status\n"
        ",D1,2024-03-01 08:00,ALT,41,U/L\n"
        "D2,,2024-03-01 08:00,ALT,42,U/L,final\n",
        encoding="utf-8",
    )

    (summary,) = run(db, path)

    assert summary.imported == 0 and summary.unmatched == 2
    assert labs(db) == []
    with db.read() as session:
        held = {(row.mrn, row.value) for row in list_unmatched(session)}
    assert held == {("D1", 41.0), ("D2", 42.0)}
