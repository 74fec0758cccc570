"""Saved column mappings: save, reuse for an import, replace, delete, and the CSV preview."""

from __future__ import annotations

import pytest

from irae_desktop.importers.preview import preview_csv
from irae_desktop.store.mapping_profiles import (
    MappingProfileError,
    delete_profile,
    list_profiles,
    load_profile,
    save_profile,
)
from tests.importers.helpers import IMPORT_FIXTURES, add_patients, labs, run

MAPPING = {
    "layout": "long",
    "columns": {"mrn": "Pt", "collected": "When", "test": "What", "value": "How much", "unit": "U"},
}


def test_saved_profile_is_reused_for_an_import(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "odd.csv"
    path.write_text(
        "Pt,When,What,How much,U\nQ1,2024-01-01T08:00:00Z,ALT,40,U/L\n", encoding="utf-8"
    )
    add_patients(db, ["Q1"])
    with db.write() as session:
        save_profile(session, "Ward export", MAPPING, user="tester")

    with db.read() as session:
        assert list_profiles(session) == ["Ward export"]
        mapping = load_profile(session, "Ward export")
    (summary,) = run(db, path, mapping=mapping)

    assert summary.imported == 1
    assert labs(db, "Q1")[0].value == 40.0


def test_profile_replace_and_delete(db) -> None:  # type: ignore[no-untyped-def]
    with db.write() as session:
        first = save_profile(session, "P", MAPPING, user="tester")
        second = save_profile(session, "P", {**MAPPING, "decimal_comma": True}, user="tester")
    assert first == second
    with db.read() as session:
        assert load_profile(session, "P")["decimal_comma"] is True
    with db.write() as session:
        delete_profile(session, "P", user="tester")
    with db.read() as session, pytest.raises(MappingProfileError, match="No saved column mapping"):
        load_profile(session, "P")


@pytest.mark.parametrize(("name", "mapping"), [("", MAPPING), ("X", {"layout": "long"})])
def test_invalid_profiles_are_refused(db, name, mapping) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MappingProfileError), db.write() as session:
        save_profile(session, name, mapping, user="tester")
    with db.read() as session:
        assert list_profiles(session) == []


def test_preview_shows_header_rows_and_recognised_roles() -> None:
    preview = preview_csv(IMPORT_FIXTURES / "ehr_semicolon_cp1252.csv", rows=2)

    assert preview.delimiter == ";"
    assert preview.encoding == "cp1252"
    assert preview.header[0] == "Patient MRN"
    assert len(preview.rows) == 2
    assert preview.layout == "long"
    assert preview.roles["mrn"] == ["Patient MRN"]
    assert preview.roles["collected_time"] == ["Collection Time"]


def test_preview_of_unknown_layout_says_why() -> None:
    preview = preview_csv(IMPORT_FIXTURES / "unknown_layout.csv")

    assert preview.layout == ""
    assert "Missing here" in preview.problem
