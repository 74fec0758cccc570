"""Both reports on SQLite and on a real PostgreSQL server: same rows, same values."""

from __future__ import annotations

from pathlib import Path

from irae_desktop.reports.patient_summary import write_patient_summary
from irae_desktop.reports.service_list import write_service_list
from irae_desktop.store.database import open_database
from tests.reports.factory import NOW, add_plan, hepatitis_patient
from tests.reports.pdftext import page_texts, squash


def test_reports_on_each_backend(any_db_url: str, tmp_path: Path) -> None:
    db = open_database(any_db_url)
    try:
        with db.write() as s:
            p = hepatitis_patient(s, "B-1", "Backend Case")
            # two plans written at the same instant: the later entry is the one shown
            add_plan(s, p, 0, "First plan of the minute.")
            add_plan(s, p, 0, "Second plan of the minute.")
        summary = tmp_path / "s.pdf"
        write_patient_summary(db, "B-1", summary, now=NOW, user="u")
        first = squash(page_texts(summary)[0])
        assert "ALT 61 U/L 7–40 1.5× G1" in first
        assert "Second plan of the minute." in first
        listing = tmp_path / "l.pdf"
        write_service_list(db, listing, now=NOW, user="u")
        text = squash(page_texts(listing)[0])
        assert "MRN B-1" in text and "Second plan of the minute." in text
    finally:
        db.dispose()


def test_pages_name_the_login_that_printed_them(pg_team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import getpass

    owner = open_database(pg_team.owner_url)
    try:
        with owner.write() as s:
            hepatitis_patient(s, "B-2", "Login Case")
    finally:
        owner.dispose()
    alice = pg_team.add("alice")
    db = open_database(pg_team.url_for(alice))
    try:
        summary, listing = tmp_path / "s.pdf", tmp_path / "l.pdf"
        write_patient_summary(db, "B-2", summary, now=NOW)
        write_service_list(db, listing, now=NOW)
    finally:
        db.dispose()
    for path in (summary, listing):
        first = squash(page_texts(path)[0])
        # the name the audit trail records for the export, not the workstation's account
        assert f"by {alice}" in first, path.name
        if getpass.getuser() != alice:
            assert f"by {getpass.getuser()}" not in first, path.name
