"""Lab exports as European hospitals and laboratories write them: each country's header names,
test names, units, date spellings, separators, decimal commas and encodings, imported whole.

Every expected number is literal: the value as the file gives it, converted by hand with the
factors of the clinical reference, decision 7 (glucose 1 mmol/L = 18.016 mg/dL, bilirubin
1 mg/dL = 17.1 µmol/L, C-peptide 1 ng/mL = 0.331 nmol/L = 331 pmol/L, 1 µkat/L = 60 U/L,
HbA1c % = 0.0915 x mmol/mol + 2.15), and graded by hand with the CTCAE v5.0 bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from irae_desktop.importers.timeparse import TimeTextError, parse_datetime_text
from irae_desktop.store.database import Database
from irae_desktop.store.models import Patient
from tests.importers.helpers import IMPORT_FIXTURES, labs, run, table_counts

EUROPE = IMPORT_FIXTURES / "europe"

# (analyte, canonical value, original text, original unit, LLN, ULN, flag, grade)
Row = tuple[str, float, str, str, float | None, float | None, str | None, int | None]


@dataclass(frozen=True)
class Export:
    file: str
    zone: str
    mrn: str
    name: str
    birth: date
    collected: datetime
    rows: dict[str, Row]
    not_tracked: dict[str, int]


EXPORTS = (
    Export(
        "de_laborexport_cp1252.csv",
        "Europe/Berlin",
        "DE-1001",
        "Jürgen Müller",
        date(1961, 3, 14),
        datetime(2026, 11, 30, 7, 15, tzinfo=UTC),
        {
            "line 2": ("ALT", 200.0, "200", "U/l", 10.0, 50.0, "+", 2),
            "line 3": ("AST", 45.0, "45", "U/l", 10.0, 50.0, None, 0),
            "line 4": ("TBILI", 3.0, "51,3", "µmol/l", 0.198830, 1.198830, "+", 2),
            "line 5": ("ALP", 400.0, "400", "U/l", 40.0, 130.0, "+", 2),
            "line 6": ("GGT", 100.0, "100", "U/l", 10.0, 60.0, "+", 1),
            "line 7": ("CPEPTIDE", 0.302115, "0,1", "nmol/l", 1.117825, 4.441088, "-", None),
            "line 8": ("GLUCOSE", 273.8432, "15,2", "mmol/l", 70.2624, 140.5248, "+", 3),
        },
        {"Glukose (Urin)": 1, "AP": 1},
    ),
    Export(
        "fr_export_labo_bom.csv",
        "Europe/Paris",
        "FR-2002",
        "Hélène DUPONT",
        date(1958, 7, 23),
        datetime(2026, 11, 30, 8, 40, tzinfo=UTC),
        {
            "line 2": ("ALT", 41.0, "41", "UI/L", 7.0, 40.0, "H", 1),
            "line 3": ("AST", 130.0, "130", "UI/L", 8.0, 40.0, "H", 2),
            "line 4": ("TBILI", 0.994152, "17", "µmol/L", 0.175439, 0.994152, None, 0),
            "line 5": ("ALP", 90.0, "90", "UI/L", 40.0, 129.0, None, 0),
            "line 6": ("GGT", 38.0, "38", "UI/L", 8.0, 61.0, None, 0),
            "line 7": ("GLUCOSE_FASTING", 133.3184, "7,4", "mmol/L", 70.2624, 99.088, "H", 1),
            "line 8": ("HBA1C", 7.457, "58", "mmol/mol", 3.98, 5.993, "H", None),
            "line 10": ("BHB", 0.4, "0,4", "mmol/L", 0.02, 0.27, "H", None),
        },
        {"Bilirubine (indirecte)": 1},
    ),
    Export(
        "nl_uitslagen_tab.tsv",
        "Europe/Amsterdam",
        "NL-3003",
        "Sanne de Vries",
        date(1970, 5, 17),
        datetime(2026, 11, 30, 6, 45, tzinfo=UTC),
        {
            "line 2": ("ALT", 260.0, "260", "U/l", 5.0, 45.0, "H", 3),
            "line 3": ("AST", 48.0, "48", "U/l", 5.0, 35.0, "H", 1),
            "line 4": ("TBILI", 0.467836, "8", "umol/l", 0.175439, 0.994152, None, 0),
            "line 5": ("ALP", 130.0, "130", "U/l", 40.0, 120.0, "H", 1),
            "line 6": ("GGT", 55.0, "55", "U/l", 5.0, 55.0, None, 0),
            "line 7": ("GLUCOSE", 100.8896, "5,6", "mmol/l", 72.064, 140.5248, None, 0),
            "line 8": ("CPEPTIDE", 0.936556, "310", "pmol/l", 1.117825, 4.441088, "L", None),
        },
        {"glucose (urine)": 1},
    ),
    Export(
        "es_resultados_cp1252.csv",
        "Europe/Madrid",
        "ES-4004",
        "María José García López",
        date(1964, 2, 29),
        datetime(2026, 11, 30, 7, 5, tzinfo=UTC),
        {
            "line 2": ("ALT", 35.0, "35", "U/L", 5.0, 40.0, None, 0),
            "line 3": ("AST", 22.0, "22", "U/L", 5.0, 40.0, None, 0),
            "line 4": ("TBILI", 1.9, "1,9", "mg/dL", 0.2, 1.2, "H", 2),
            "line 5": ("ALP", 150.0, "2,5", "µkat/L", 34.8, 104.4, "H", 1),
            "line 6": ("GGT", 54.0, "0,9", "µkat/L", 10.2, 71.4, None, 0),
            "line 7": ("GLUCOSE", 310.0, "310", "mg/dL", 70.0, 110.0, "H", 3),
            "line 8": ("CPEPTIDE", 0.5, "0,5", "ng/mL", 1.1, 4.4, "L", None),
        },
        {"Glucosa (orina)": 1},
    ),
    Export(
        "it_referti_bom.csv",
        "Europe/Rome",
        "IT-5005",
        "Giovanni Rossi",
        date(1955, 8, 15),
        datetime(2026, 11, 30, 6, 50, tzinfo=UTC),
        {
            "line 2": ("ALT", 1100.0, "1100", "U/L", 10.0, 50.0, "H", 4),
            "line 3": ("AST", 520.0, "520", "U/L", 10.0, 50.0, "H", 3),
            "line 4": ("TBILI", 0.8, "0,8", "mg/dL", 0.2, 1.2, None, 0),
            "line 5": ("ALP", 1300.0, "1300", "U/L", 40.0, 129.0, "H", 3),
            "line 6": ("GGT", 2600.0, "2600", "U/L", 8.0, 61.0, "H", 4),
            "line 7": ("GLUCOSE", 95.0, "95", "mg/dL", 70.0, 110.0, None, 0),
            "line 8": ("HBA1C", 6.1, "6,1", "%", 4.0, 6.0, "H", None),
        },
        {"Glucosio (urina)": 1},
    ),
    Export(
        "pt_analises_cp1252.csv",
        "Europe/Lisbon",
        "PT-6006",
        "Ana Sofia Ferreira",
        date(1966, 1, 22),
        datetime(2026, 11, 30, 10, 5, tzinfo=UTC),
        {
            "line 2": ("ALT", 66.0, "66", "U/L", 10.0, 49.0, None, 1),
            "line 3": ("AST", 39.0, "39", "U/L", 10.0, 34.0, None, 1),
            "line 4": ("TBILI", 4.2, "4,2", "mg/dL", 0.3, 1.2, None, 3),
            "line 5": ("ALP", 120.0, "120", "U/L", 40.0, 150.0, None, 0),
            "line 6": ("GGT", 400.0, "400", "U/L", 12.0, 64.0, None, 3),
            # 2.9 mmol/L is below 3.0 mmol/L: hypoglycaemia grade 2, in the unit reported
            "line 7": ("GLUCOSE", 52.2464, "2,9", "mmol/L", 70.2624, 109.8976, None, 2),
            "line 8": ("CPEPTIDE", 0.604230, "0,2", "nmol/L", 1.117825, 4.441088, None, None),
        },
        {},
    ),
    Export(
        "sv_labbsvar.csv",
        "Europe/Stockholm",
        "SE-7007",
        "Åsa Andersson",
        date(1972, 9, 30),
        datetime(2026, 11, 30, 7, 30, tzinfo=UTC),
        {
            "line 2": ("ALT", 186.0, "3,1", "µkat/L", 9.0, 45.0, "H", 2),
            "line 3": ("AST", 30.0, "0,5", "µkat/L", 15.0, 36.0, None, 0),
            "line 4": ("TBILI", 1.520468, "26", "µmol/L", 0.292398, 1.461988, "H", 1),
            "line 5": ("ALP", 252.0, "4,2", "µkat/L", 42.0, 114.0, "H", 1),
            "line 6": ("GGT", 120.0, "2,0", "µkat/L", 9.0, 45.0, "H", 2),
            "line 7": ("GLUCOSE", 261.232, "14,5", "mmol/L", 72.064, 108.096, "H", 3),
            "line 8": ("GLUCOSE_FASTING", 169.3504, "9,4", "mmol/L", 72.064, 108.096, "H", 2),
            "line 10": ("HBA1C", 6.908, "52", "mmol/mol", 4.9865, 6.359, "H", None),
        },
        {"U-Glukos": 1},
    ),
    Export(
        "da_proevesvar_cp1252.csv",
        "Europe/Copenhagen",
        "DK-8008",
        "Søren Jørgensen",
        date(1949, 6, 3),
        datetime(2026, 11, 30, 7, 30, tzinfo=UTC),
        {
            "line 2": ("ALT", 140.0, "140", "U/L", 10.0, 70.0, "H", 1),
            "line 3": ("AST", 38.0, "38", "U/L", 15.0, 45.0, None, 0),
            "line 4": ("TBILI", 3.976608, "68", "µmol/L", 0.292398, 1.461988, "H", 2),
            "line 5": ("ALP", 110.0, "110", "U/L", 35.0, 105.0, "H", 1),
            "line 6": ("GGT", 70.0, "70", "U/L", 10.0, 80.0, None, 0),
            "line 7": ("CPEPTIDE", 0.634441, "0,21", "nmol/L", 1.117825, 4.441088, "L", None),
            "line 8": ("GLUCOSE", 109.8976, "6,1", "mmol/L", 72.064, 140.5248, None, 0),
        },
        {"Glukose (urin)": 1},
    ),
    Export(
        "no_provesvar_bom.csv",
        "Europe/Oslo",
        "NO-9009",
        "Kari Hansen",
        date(1963, 11, 11),
        datetime(2026, 11, 30, 7, 30, tzinfo=UTC),
        {
            "line 2": ("ALT", 75.0, "75", "U/L", None, 45.0, "H", 1),
            "line 3": ("AST", 250.0, "250", "U/L", None, 35.0, "H", 3),
            "line 4": ("TBILI", 0.877193, "15", "µmol/L", 0.292398, 1.461988, None, 0),
            "line 5": ("ALP", 70.0, "70", "U/L", 35.0, 105.0, None, 0),
            "line 6": ("GGT", 220.0, "220", "U/L", 10.0, 80.0, "H", 2),
            "line 7": ("GLUCOSE", 81.072, "4,5", "mmol/L", 72.064, 108.096, None, 0),
            "line 8": ("HBA1C", 6.542, "48", "mmol/mol", None, 5.993, "H", None),
            "line 9": ("BHB", 3.2, "3,2", "mmol/L", None, 0.3, "H", None),
        },
        {},
    ),
    Export(
        "fi_tutkimustulokset.csv",
        "Europe/Helsinki",
        "FI-1010",
        "Mikko Virtanen",
        date(1957, 4, 5),
        datetime(2026, 11, 30, 6, 15, tzinfo=UTC),
        {
            "line 2": ("ALT", 90.0, "90", "U/l", None, 50.0, "*", 1),
            "line 3": ("AST", 40.0, "40", "U/l", 15.0, 35.0, "*", 1),
            "line 4": ("TBILI", 2.046784, "35", "µmol/l", 0.292398, 1.169591, "*", 2),
            "line 5": ("ALP", 80.0, "80", "U/l", 35.0, 105.0, None, 0),
            "line 6": ("GGT", 30.0, "30", "U/l", 10.0, 80.0, None, 0),
            "line 7": ("GLUCOSE_FASTING", 117.104, "6,5", "mmol/l", 72.064, 108.096, "*", 1),
            "line 8": ("GLUCOSE", 513.456, "28,5", "mmol/l", 72.064, 140.5248, "*", 4),
            "line 9": ("HBA1C", 8.006, "64", "mmol/mol", 3.98, 5.993, "*", None),
        },
        {"U-Gluk": 1},
    ),
    Export(
        "en_uk_pathology.csv",
        "Europe/London",
        "EN-1111",
        "Margaret Smith",
        date(1950, 6, 21),
        datetime(2026, 11, 30, 8, 15, tzinfo=UTC),
        {
            "line 2": ("ALT", 95.0, "95", "IU/L", 5.0, 40.0, "H", 1),
            "line 3": ("TBILI", 2.339181, "40", "umol/L", 0.175439, 1.228070, "H", 2),
            "line 4": ("ALP", 150.0, "150", "IU/L", 30.0, 130.0, "H", 1),
            "line 5": ("GGT", 45.0, "45", "IU/L", 5.0, 50.0, None, 0),
            "line 6": ("GLUCOSE", 290.0576, "16.1", "mmol/L", 54.048, 140.5248, "H", 3),
            "line 7": ("HBA1C", 9.0125, "75", "mmol/mol", 3.98, 5.9015, "H", None),
            "line 8": ("CPEPTIDE", 0.453172, "150", "pmol/L", 1.117825, 4.441088, "L", None),
        },
        {"Urine Glucose": 1},
    ),
)


def _approx(value: float | None) -> object:
    return None if value is None else pytest.approx(value, rel=1e-5)


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.file.split("_")[0])
def test_european_export_imports_every_value(db: Database, export: Export) -> None:
    (summary,) = run(db, EUROPE / export.file, timezone=export.zone)

    assert summary.error == ""
    assert summary.layout == "long"
    assert summary.rejected == []
    assert summary.warnings == []
    assert summary.imported == len(export.rows)
    assert summary.not_tracked_tests == export.not_tracked
    with db.read() as session:
        patient = session.scalars(select(Patient)).one()
    assert (patient.mrn, patient.name, patient.birth_date) == (
        export.mrn,
        export.name,
        export.birth,
    )
    stored = {lab.source_ref: lab for lab in labs(db, export.mrn)}
    assert set(stored) == set(export.rows)
    for ref, (analyte, value, text, unit, lln, uln, flag, grade) in export.rows.items():
        lab = stored[ref]
        assert (lab.analyte, lab.original_text, lab.original_unit) == (analyte, text, unit), ref
        assert lab.value == _approx(value), ref
        assert (lab.lln, lab.uln) == (_approx(lln), _approx(uln)), ref
        assert (lab.abnormal_flag, lab.grade) == (flag, grade), ref
        assert lab.collected_at == export.collected, ref


def test_german_export_on_both_backends(both_db: Database) -> None:
    """The German cp1252 file that lost bilirubin, ALP and C-peptide, on SQLite and PostgreSQL."""
    (summary,) = run(both_db, EUROPE / "de_laborexport_cp1252.csv", timezone="Europe/Berlin")

    assert summary.imported == 7
    assert summary.not_tracked_tests == {"Glukose (Urin)": 1, "AP": 1}
    stored = {lab.analyte: lab for lab in labs(both_db, "DE-1001")}
    assert stored["TBILI"].value == pytest.approx(3.0)
    assert stored["ALP"].value == 400.0
    assert stored["CPEPTIDE"].value == pytest.approx(0.302115, rel=1e-5)
    assert "GLUCOSE" in stored and stored["GLUCOSE"].original_text == "15,2"


def test_national_identity_number_is_not_taken_as_the_mrn(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "personnummer.csv"
    path.write_text(
        "Personnummer;Provtagningsdatum;Analys;Resultat;Enhet\n"
        "19720930-1234;2026-11-30;P-ALAT;3,1;µkat/L\n",
        encoding="utf-8",
    )
    before = table_counts(db)

    (summary,) = run(db, path, timezone="Europe/Stockholm")

    assert "'Personnummer' holds a national identity number" in summary.error
    assert "Missing here: mrn" in summary.error
    assert table_counts(db)["lab_results"] == before["lab_results"] == 0
    assert table_counts(db)["patients"] == 0


def test_case_number_is_not_taken_as_the_mrn(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "fallnummer.csv"
    path.write_text(
        "Fallnummer;Entnahmedatum;Analyt;Ergebnis;Einheit\n"
        "2026-0042;30.11.2026 08:15;GPT (ALT);200;U/l\n",
        encoding="utf-8",
    )

    (summary,) = run(db, path, timezone="Europe/Berlin")

    assert "Missing here: mrn" in summary.error
    assert table_counts(db)["lab_results"] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Dutch and Danish exports write the day first with dashes; unambiguous when day > 12
        ("30-11-2026 07:45", datetime(2026, 11, 30, 6, 45, tzinfo=UTC)),
        ("30.11.2026 07:45", datetime(2026, 11, 30, 6, 45, tzinfo=UTC)),
        ("04.12.2026 08:15", datetime(2026, 12, 4, 7, 15, tzinfo=UTC)),
        ("30/11/2026 07:45", datetime(2026, 11, 30, 6, 45, tzinfo=UTC)),
        ("2026-11-30 07:45", datetime(2026, 11, 30, 6, 45, tzinfo=UTC)),
    ],
)
def test_european_date_spellings(text: str, expected: datetime) -> None:
    assert parse_datetime_text(text, ZoneInfo("Europe/Amsterdam")) == expected


@pytest.mark.parametrize("text", ["04-12-2026 08:15", "04/12/2026"])
def test_dash_and_slash_dates_that_could_be_swapped_are_refused(text: str) -> None:
    with pytest.raises(TimeTextError, match="ambiguous date"):
        parse_datetime_text(text, ZoneInfo("Europe/Amsterdam"))


def test_dash_dates_in_a_dutch_export(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "uitslagen.csv"
    path.write_text(
        "Patiëntnummer;Geboortedatum;Afnamedatum;Bepaling;Uitslag;Eenheid\n"
        "NL-3003;17-05-1970;30-11-2026 07:45;ALAT;260;U/l\n"
        "NL-3003;17-05-1970;04-12-2026 07:45;ALAT;250;U/l\n",
        encoding="utf-8",
    )

    (summary,) = run(db, path, timezone="Europe/Amsterdam")

    assert summary.imported == 1
    (rejected,) = summary.rejected
    assert (rejected.ref, rejected.column) == ("line 3", "Afnamedatum")
    assert "ambiguous date '04-12-2026'" in rejected.reason
    (alt,) = labs(db, "NL-3003")
    assert (alt.value, alt.collected_at) == (260.0, datetime(2026, 11, 30, 6, 45, tzinfo=UTC))


def test_wide_german_export_never_stores_urine_glucose_as_blood(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "kumulativ.csv"
    path.write_text(
        "Patientennummer;Name;Vorname;Entnahmedatum;GPT (U/l);Bilirubin gesamt (µmol/l);"
        "C-Peptid (nmol/l);Glukose (Urin)\n"
        "DE-1001;Müller;Jürgen;30.11.2026 08:15;200;51,3;0,1;2,8\n",
        encoding="cp1252",
    )

    (summary,) = run(db, path, timezone="Europe/Berlin")

    assert summary.layout == "wide"
    stored = {lab.analyte: lab for lab in labs(db, "DE-1001")}
    assert set(stored) == {"ALT", "TBILI", "CPEPTIDE"}
    assert (stored["ALT"].value, stored["ALT"].original_unit) == (200.0, "U/l")
    assert stored["TBILI"].value == pytest.approx(3.0)
    assert stored["CPEPTIDE"].value == pytest.approx(0.302115, rel=1e-5)
    # the urine column is refused or left untracked, never read as blood glucose
    assert summary.imported == 3
