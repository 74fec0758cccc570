"""Infection screening results from a CSV file (MRN, test, date, result, note): found by the
import among lab and treatment files, read in every header language and result word it
supports, bad rows refused with their line and reason, nothing written twice or half-written."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import Database
from irae_desktop.store.models import AuditEvent, ImportBatch, ScreeningResult
from irae_desktop.store.screening_import import ScreeningWriter
from irae_desktop.store.screenings import delete_screening, list_screenings
from tests.importers.helpers import add_patients, run


def _write(tmp_path: Path, text: str, name: str = "screening.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _stored(db: Database) -> list[tuple[object, ...]]:
    with db.read() as s:
        rows = s.scalars(
            select(ScreeningResult)
            .where(ScreeningResult.standing.is_(True))
            .order_by(ScreeningResult.patient_id, ScreeningResult.taken_on, ScreeningResult.id)
        )
        return [(r.test, r.taken_on, r.result, r.note, r.source_ref) for r in rows]


# the same three results in each header language the import reads screening files in
HEADERS = {
    "English": "MRN,Test,Date,Result,Note",
    "German": "Patienten-ID;Untersuchung;Datum;Ergebnis;Bemerkung",
    "French": "IPP;Examen;Date;Résultat;Commentaire",
    "Spanish": "NHC;Prueba;Fecha;Resultado;Comentario",
    "Italian": "Codice paziente;Esame;Data prelievo;Risultato;Nota",
    "Dutch": "Patiëntnummer;Bepaling;Datum;Uitslag;Opmerking",
}
ROWS = {
    "English": ("QuantiFERON-TB Gold Plus,2024-02-01,negative,before tofacitinib",
                "HBsAg,2024-02-01,non-reactive,", "anti-HBc,2024-02-02,positive,"),
    "German": ("QuantiFERON;01.02.2024;negativ;vor Tofacitinib", "HBsAg;01.02.2024;negativ;",
               "Anti-HBc;02.02.2024;positiv;"),
    "French": ("IGRA;2024-02-01;négatif;avant tofacitinib", "Ag HBs;2024-02-01;négatif;",
               "Ac anti-HBc;2024-02-02;positif;"),
    "Spanish": ("IGRA;01.02.2024;negativo;antes de tofacitinib", "HBsAg;01.02.2024;negativo;",
                "anti-HBc;02.02.2024;positivo;"),
    "Italian": ("QuantiFERON;2024-02-01;negative;prima di tofacitinib",
                "HBsAg;2024-02-01;neg;", "anti-HBc;2024-02-02;pos;"),
    "Dutch": ("T-SPOT;2024-02-01;negative;voor tofacitinib", "HBsAg;2024-02-01;negative;",
              "HBcAb;2024-02-02;positive;"),
}  # fmt: skip
NOTES = {
    "English": "before tofacitinib",
    "German": "vor Tofacitinib",
    "French": "avant tofacitinib",
    "Spanish": "antes de tofacitinib",
    "Italian": "prima di tofacitinib",
    "Dutch": "voor tofacitinib",
}


@pytest.mark.parametrize("language", list(HEADERS))
def test_each_header_language(db: Database, tmp_path: Path, language: str) -> None:
    add_patients(db, ["S-1"], birth=date(1960, 1, 1))
    separator = "," if language == "English" else ";"
    body = "\n".join(f"S-1{separator}{row}" for row in ROWS[language])
    path = _write(tmp_path, f"{HEADERS[language]}\n{body}\n")
    (summary,) = run(db, path)
    assert (summary.layout, summary.rows_read, summary.imported, summary.rejected_count) == (
        "infection screening",
        3,
        3,
        0,
    )
    assert summary.all_taken
    assert _stored(db) == [
        ("tb_igra", date(2024, 2, 1), "negative", NOTES[language], "line 2"),
        ("hbsag", date(2024, 2, 1), "negative", None, "line 3"),
        ("anti_hbc", date(2024, 2, 2), "positive", None, "line 4"),
    ]


# every word the import reads as a result, with the result it must be read as
RESULT_WORDS = [
    ("negative", "negative"), ("Negative", "negative"), ("NEG", "negative"),
    ("non-reactive", "negative"), ("Nonreactive", "negative"), ("not reactive", "negative"),
    ("not detected", "negative"), ("negativ", "negative"), ("nicht reaktiv", "negative"),
    ("nicht nachweisbar", "negative"), ("négatif", "negative"), ("non réactif", "negative"),
    ("non détecté", "negative"), ("negativo", "negative"), ("no reactivo", "negative"),
    ("no detectado", "negative"),
    ("positive", "positive"), ("pos", "positive"), ("reactive", "positive"),
    ("Detected", "positive"), ("positiv", "positive"), ("reaktiv", "positive"),
    ("nachweisbar", "positive"), ("positif", "positive"), ("réactif", "positive"),
    ("détecté", "positive"), ("positivo", "positive"), ("reactivo", "positive"),
    ("detectado", "positive"),
    ("indeterminate", "indeterminate"), ("equivocal", "indeterminate"),
    ("borderline", "indeterminate"), ("grenzwertig", "indeterminate"),
    ("unbestimmt", "indeterminate"), ("indéterminé", "indeterminate"),
    ("équivoque", "indeterminate"), ("indeterminado", "indeterminate"),
    ("dudoso", "indeterminate"),
]  # fmt: skip


def test_every_result_word(db: Database, tmp_path: Path) -> None:
    add_patients(db, ["S-1"])
    first = date(2024, 1, 1)
    rows = [
        f"S-1,HBsAg,{(first + timedelta(days=n)).isoformat()},{word}"
        for n, (word, _) in enumerate(RESULT_WORDS)
    ]
    (summary,) = run(db, _write(tmp_path, "MRN,Test,Date,Result\n" + "\n".join(rows) + "\n"))
    assert (summary.imported, summary.rejected_count) == (len(RESULT_WORDS), 0)
    assert [(day, result) for _, day, result, _, _ in _stored(db)] == [
        (first + timedelta(days=n), expected) for n, (_, expected) in enumerate(RESULT_WORDS)
    ]


# every test name the import reads, with the test it must be read as
TEST_NAMES = [
    ("QuantiFERON", "tb_igra"), ("QuantiFERON-TB Gold Plus", "tb_igra"), ("IGRA", "tb_igra"),
    ("T-SPOT", "tb_igra"), ("T-SPOT.TB", "tb_igra"),
    ("tuberculin skin test", "tb_skin"), ("TST", "tb_skin"), ("PPD", "tb_skin"),
    ("Mantoux", "tb_skin"),
    ("HBsAg", "hbsag"), ("HBs-Ag", "hbsag"), ("hepatitis B surface antigen", "hbsag"),
    ("anti-HBc", "anti_hbc"), ("HBcAb", "anti_hbc"), ("hepatitis B core antibody", "anti_hbc"),
    ("anti-HBs", "anti_hbs"), ("HBsAb", "anti_hbs"), ("HBV DNA", "hbv_dna"),
]  # fmt: skip


def test_every_test_name(db: Database, tmp_path: Path) -> None:
    add_patients(db, ["S-1"])
    first = date(2023, 1, 1)
    rows = [
        f"S-1,{name},{(first + timedelta(days=n)).isoformat()},negative"
        for n, (name, _) in enumerate(TEST_NAMES)
    ]
    (summary,) = run(db, _write(tmp_path, "MRN,Test,Date,Result\n" + "\n".join(rows) + "\n"))
    assert (summary.imported, summary.rejected_count) == (len(TEST_NAMES), 0)
    assert [test for test, *_ in _stored(db)] == [expected for _, expected in TEST_NAMES]


FAR = date.today() + timedelta(days=3)
BAD = f"""\
MRN,Test,Date,Result,Note
S-1,HBsAg,2024-03-01,negative,a good row
S-1,Syphilis,2024-03-01,negative,
S-1,anti-HBc,2024-03-01,weakly positive,
S-1,anti-HBs,2024-02-30,negative,
S-1,anti-HBs,03/04/2024,negative,
S-1,HBV DNA,{FAR.isoformat()},negative,
S-1,tb_igra,1959-12-31,negative,
S-7,HBsAg,2024-03-01,negative,
,HBsAg,2024-03-01,negative,
S-1,,2024-03-01,negative,
S-1,TST,,negative,
S-1,TST,2024-03-01,,
S-1,HBsAg,2024-03-01,positive,
"""
BAD_REASONS = [
    ("line 3", "Test", "unknown screening test 'Syphilis'; the tests read are QuantiFERON, IGRA, "
     "T-SPOT, tuberculin skin test (TST, PPD), HBsAg, anti-HBc (HBcAb), anti-HBs, HBV DNA"),
    ("line 4", "Result", "result 'weakly positive' is not one this program reads; write negative, "
     "positive, indeterminate (or neg, pos, reactive, non-reactive, detected, not detected, "
     "equivocal)"),
    ("line 5", "Date", "not a valid date: '2024-02-30'"),
    ("line 6", "Date", "ambiguous date '03/04/2024': day and month could be swapped; give the date "
     "order (MDY or DMY) in a column mapping"),
    ("line 7", "", f"the test date {FAR.isoformat()} is in the future (today is "
     f"{date.today().isoformat()})"),
    ("line 8", "", "the test date 1959-12-31 is before the patient's birth (1960-01-01)"),
    ("line 9", "MRN", "no patient with MRN 'S-7': screening results are not held for "
     "assignment; add the patient (or import their roster) and import this file again"),
    ("line 10", "MRN", "no MRN"),
    ("line 11", "Test", "no test named"),
    ("line 12", "Date", "no date"),
    ("line 13", "Result", "no result"),
    ("line 14", "", "HBsAg of 2024-03-01 is stored as negative and the file says positive; the "
     "stored result was left as it is (correct it in the patient view if the file is right)"),
]  # fmt: skip


def test_bad_rows_are_refused_with_line_and_reason(db: Database, tmp_path: Path) -> None:
    add_patients(db, ["S-1"], birth=date(1960, 1, 1))
    (summary,) = run(db, _write(tmp_path, BAD))
    assert (summary.rows_read, summary.imported, summary.rejected_count) == (13, 1, 12)
    assert [(r.ref, r.column, r.reason) for r in summary.rejected] == BAD_REASONS
    assert not summary.all_taken
    assert _stored(db) == [("hbsag", date(2024, 3, 1), "negative", "a good row", "line 2")]


def test_dry_run_reimport_and_a_deleted_result(db: Database, tmp_path: Path) -> None:
    add_patients(db, ["S-1"])
    path = _write(
        tmp_path,
        "MRN,Test,Date,Result\nS-1,HBsAg,2024-03-01,negative\nS-1,IGRA,2024-03-02,negative\n",
    )
    (dry,) = run(db, path, dry_run=True)
    assert (dry.dry_run, dry.imported, dry.duplicates) == (True, 2, 0)
    assert _stored(db) == []
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
    (first,) = run(db, path)
    (again,) = run(db, path)
    assert (first.imported, again.imported, again.duplicates, again.all_taken) == (2, 0, 2, True)
    with db.read() as s:
        pid = s.scalar(select(ScreeningResult.patient_id))
        assert pid is not None
        hbsag = list_screenings(s, pid)[0]
    with db.write() as s:
        delete_screening(s, "dr-b", hbsag.id, reason="another patient's sample", expected_version=1)
    (third,) = run(db, path)
    assert (third.imported, third.duplicates) == (0, 2)
    assert [(w.ref, w.reason) for w in third.warnings] == [
        (
            "line 2",
            "HBsAg of 2024-03-01 (negative) was deleted (another patient's sample) and is left "
            "deleted",
        )
    ]
    assert [test for test, *_ in _stored(db)] == ["tb_igra"]


def test_the_import_and_each_result_are_audited(db: Database, tmp_path: Path) -> None:
    add_patients(db, ["S-1"])
    path = _write(tmp_path, "MRN,Test,Date,Result\nS-1,HBsAg,2024-03-01,negative\n", "sero.csv")
    run(db, path)
    with db.read() as s:
        events = s.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        batch = s.scalars(select(ImportBatch)).one()
    imported = [(e.action, e.entity, e.patient_mrn, e.reason) for e in events[1:]]
    assert imported == [
        ("create", "screening_result", "S-1", "imported from sero.csv, line 2"),
        ("import", "import_batch", None, "screening import of sero.csv"),
    ]
    assert json.loads(events[-1].after_json or "")["imported"] == 1
    assert (batch.layout, batch.rows_read, batch.imported) == ("infection screening", 1, 1)


def test_a_failure_part_way_leaves_nothing(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_patients(db, ["S-1"])
    rows = "\n".join(f"S-1,HBsAg,2024-03-0{n},negative" for n in range(1, 5))
    path = _write(tmp_path, "MRN,Test,Date,Result\n" + rows + "\n")
    real = ScreeningWriter.take
    calls: list[int] = []

    def failing(self: ScreeningWriter, *args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 3:
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ScreeningWriter, "take", failing)
    (summary,) = import_files(db, [path], ImportOptions(user="tester", timezone="UTC"))
    assert summary.error != "" and summary.batch_id is None
    assert _stored(db) == []
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 1  # the patient's


def test_a_lab_export_that_names_a_screening_test_stays_a_lab_file(
    db: Database, tmp_path: Path
) -> None:
    add_patients(db, ["S-1"])
    path = _write(
        tmp_path,
        "MRN,Test,Date,Result,Unit\nS-1,ALT,2024-03-01,44,U/L\nS-1,HBsAg,2024-03-01,negative,\n",
    )
    (summary,) = run(db, path)
    assert (summary.layout, summary.imported, summary.not_tracked) == ("long", 1, 1)
    assert dict(summary.not_tracked_tests) == {"HBsAg": 1}
    assert _stored(db) == []


def test_with_its_roster_in_the_same_import(db: Database, tmp_path: Path) -> None:
    roster = _write(tmp_path, "MRN,Name,Birth date\nS-5,Ada Lovelace,1960-12-10\n", "roster.csv")
    results = _write(tmp_path, "MRN,Test,Date,Result\nS-5,anti-HBs,2024-04-01,positive\n")
    summaries = run(db, results, roster)
    assert [(s.layout, s.imported + s.roster_taken) for s in summaries] == [
        ("roster", 1),
        ("infection screening", 1),
    ]
    assert _stored(db) == [("anti_hbs", date(2024, 4, 1), "positive", None, "line 2")]
