"""`irae-desktop ranges`: show the site's default ranges; import a checked CSV, all or nothing,
regrading the stored results it affects (audited)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from irae_desktop.cli.main import main
from irae_desktop.store.database import open_database
from irae_desktop.store.lab_latest import stale_patients
from irae_desktop.store.models import AuditEvent, LabResult, SiteReferenceRange
from tests.importers.helpers import IMPORT_FIXTURES


def _run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "ranges.csv"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_show_on_an_empty_site_prints_the_header(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = _run(capsys, "--db", sqlite_url, "ranges", "show")
    assert (code, out) == (0, "analyte,sex,lln,uln,unit\n")


def test_import_converts_saves_and_regrades(capsys, sqlite_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fixture = str(IMPORT_FIXTURES / "impossible_and_ungraded.csv")
    _run(capsys, "--db", sqlite_url, "import", fixture, "--timezone", "UTC")
    source = _write(tmp_path, "analyte,sex,lln,uln,unit\nALT,,7,40,U/L\nTBILI,F,3.4,20.5,umol/L\n")

    code, out, err = _run(capsys, "--db", sqlite_url, "ranges", "import", source)

    assert (code, err) == (0, "")
    assert out.endswith("2 reference range(s) saved; 1 stored result(s) regraded\n")
    code, shown, _ = _run(capsys, "--db", sqlite_url, "ranges", "show")
    # 3.4 and 20.5 umol/L are 0.19883 and 1.19883 mg/dL (17.1 umol/L per mg/dL)
    assert shown == "analyte,sex,lln,uln,unit\nALT,,7,40,U/L\nTBILI,F,0.19883,1.19883,mg/dL\n"
    _, labs, _ = _run(capsys, "--db", sqlite_url, "labs", "--format", "json")
    alt_90 = next(r for r in json.loads(labs) if r["analyte"] == "ALT" and r["value"] == 90.0)
    assert alt_90["grade"] == 1  # 90 U/L = 2.25 x the site's ULN 40: grade 1
    db = open_database(sqlite_url)
    try:
        with db.read() as s:
            events = s.scalars(
                select(AuditEvent).where(AuditEvent.entity == "site_reference_range")
            ).all()
            assert sorted(e.action for e in events) == ["create", "create", "import"]
            assert stale_patients(s) == set()
    finally:
        db.dispose()


def test_bad_rows_are_listed_with_line_numbers_and_nothing_is_written(  # type: ignore[no-untyped-def]
    capsys, sqlite_url, tmp_path
) -> None:
    source = _write(
        tmp_path,
        "analyte,sex,lln,uln,unit\n"
        "ALT,,7,56,U/L\n"
        "FOO,,1,2,U/L\n"
        "AST,X,1,2,U/L\n"
        "TBILI,,2,1,mg/dL\n"
        "ALP,,-1,100,U/L\n"
        "GGT,,1,50,furlongs\n",
    )

    code, out, err = _run(capsys, "--db", sqlite_url, "ranges", "import", source)

    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0].endswith(
        "line 3: unknown analyte 'FOO' (known: ALT, AST, TBILI, DBILI, "
        "ALP, GGT, GLUCOSE, GLUCOSE_FASTING, GLUCOSE_POC, CPEPTIDE, HBA1C, "
        "BHB, ALC, ANC, HGB, PLT, CREAT, EGFR, CHOL, LDL, TRIG)"
    )
    assert lines[1].endswith("line 4: sex 'X' is not F, M or empty for both")
    assert lines[2].endswith("line 5: lln 2 is not below uln 1")
    assert lines[3].endswith("line 6: lln -1 is negative")
    assert lines[4].endswith(
        "line 7: GGT: unit 'furlongs' does not belong to GGT (expected U/L, IU/L, µkat/L)"
    )
    assert lines[5] == "irae-desktop ranges: nothing was written"
    db = open_database(sqlite_url)
    try:
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(SiteReferenceRange)) == 0
            assert s.scalar(select(func.count()).select_from(LabResult)) == 0
    finally:
        db.dispose()


def test_missing_file_is_a_plain_message(capsys, sqlite_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _run(capsys, "--db", sqlite_url, "ranges", "import", str(tmp_path / "none.csv"))
    assert code == 1
    assert err.startswith("irae-desktop ranges: no such file:")
