"""The bench check that the bulk path and the full per-row path store the same lab_results."""

from __future__ import annotations

import check_import_paths
import pytest

from irae_desktop.importers import long_lane


def test_bulk_and_full_paths_store_the_same_columns(capsys: pytest.CaptureFixture[str]) -> None:
    result = check_import_paths.check(3000)

    # the comparison means something: most rows took the bulk path one way, none the other
    assert result["bulk"]["imported"] == result["full"]["imported"] == 3000
    assert result["bulk"]["bulk_rows"] > 1000 and result["full"]["bulk_rows"] == 0
    assert set(result["differences"]) >= {"value", "grade", "grade_reason", "source_ref"}
    assert not any(result["differences"].values())
    assert check_import_paths.main(["--rows", "500"]) == 0
    assert "identical in every column" in capsys.readouterr().out


def test_the_check_sees_a_bulk_path_that_stores_something_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = long_lane._make_row

    def off_by_one_line(fields: tuple[object, ...]) -> object:
        row = real(fields)
        return row._replace(source_ref=f"{row.source_ref}0")

    monkeypatch.setattr(long_lane, "_make_row", off_by_one_line)

    result = check_import_paths.check(3000)

    assert result["differences"]["source_ref"] == result["bulk"]["bulk_rows"] > 1000
    assert {k for k, n in result["differences"].items() if n} == {"source_ref"}
