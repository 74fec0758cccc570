"""European test names: each finds its analyte whatever the case, accents or punctuation, the
ambiguous and urine names find none, every list names its sources and follows the analyte
table's own names, and a name two analytes claim is refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from irae_desktop.domain.analyte_names import EUROPEAN_NAMES
from irae_desktop.domain.analyte_table import LISTED, Analyte
from irae_desktop.domain.analytes import (
    ANALYTES,
    _build_index,
    _with_european_names,
    lookup_analyte,
)
from irae_desktop.domain.text_fold import fold_text
from irae_desktop.domain.units import normalise_unit, to_canonical

EVERY_NAME = [(code, name) for code, names in EUROPEAN_NAMES.items() for name in names.names]


@pytest.mark.parametrize(("code", "name"), EVERY_NAME)
def test_every_european_name_finds_its_analyte(code: str, name: str) -> None:
    found = lookup_analyte(name)
    assert found is not None and found.code == code
    shouted = lookup_analyte(name.upper().replace(" ", "-"))
    assert shouted is not None and shouted.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Bilirubin gesamt", "TBILI"),
        ("BILIRUBINE-TOTALE", "TBILI"),
        ("Bilirubine totale", "TBILI"),
        ("Alkalische Phosphatase", "ALP"),
        ("alkaliskt fosfatas", "ALP"),
        ("Phosphatases alcalines", "ALP"),
        ("C-Peptid", "CPEPTIDE"),
        ("péptido C", "CPEPTIDE"),
        ("γ-GT", "GGT"),
        ("gamma-GT", "GGT"),
        ("Glykiertes Hämoglobin", "HBA1C"),
        ("hémoglobine glyquée", "HBA1C"),
        ("β-Hydroxybutyrat", "BHB"),
        ("bêta-hydroxybutyrate", "BHB"),
        ("Glycémie à jeun", "GLUCOSE_FASTING"),
        ("fP-Gluk", "GLUCOSE_FASTING"),
        ("P-Glukos", "GLUCOSE"),
        ("ALT (GPT)", "ALT"),
        ("ALT/GPT", "ALT"),
        ("ASAT (TGO)", "AST"),
        ("Bilirubin konjugiert", "DBILI"),
        ("bilirubine conjuguée", "DBILI"),
    ],
)
def test_names_compare_without_case_accents_or_punctuation(text: str, code: str) -> None:
    found = lookup_analyte(text)
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    "text",
    [
        # ambiguous abbreviations: alkaline phosphatase in one country, something else in another
        "AP",
        "AF",
        "FA",
        "GT",
        # urine is not blood
        "U-Glukos",
        "U-Gluk",
        "dU-Glukos",
        "U-Glukose",
        "Glukose im Urin",
        "Urine Glucose",
        "glucosa en orina",
        "Ketone",
        # the indirect fraction is not total bilirubin
        "Bilirubin indirekt",
        "bilirubine non conjuguée",
        "bilirrubina indirecta",
    ],
)
def test_ambiguous_and_urine_names_find_no_analyte(text: str) -> None:
    assert lookup_analyte(text) is None


def test_every_analyte_with_european_names_cites_its_sources() -> None:
    for code, names in EUROPEAN_NAMES.items():
        assert code in ANALYTES
        assert names.names and len(names.source) > 40
        assert ANALYTES[code].names_source == names.source
        assert set(names.names) <= set(ANALYTES[code].local_names)


def _row(code: str) -> Analyte:
    return next(a for a in LISTED if a.code == code)


def test_european_names_follow_the_table_s_own_names_with_their_source() -> None:
    row = _row("TBILI")  # as the analyte table lists it, before the European names
    assert "bilirubine totale" not in row.local_names
    enriched = _with_european_names(row)
    assert "bilirubine totale" in enriched.local_names
    assert enriched.local_names == (*row.local_names, *EUROPEAN_NAMES["TBILI"].names)
    assert enriched.names_source == EUROPEAN_NAMES["TBILI"].source
    # nothing else of the row changes
    assert replace(enriched, local_names=row.local_names, names_source=row.names_source) == row


def test_an_analyte_without_european_names_is_kept_as_it_is() -> None:
    row = replace(_row("ALT"), code="NOT_LISTED")  # no European names under that code
    assert _with_european_names(row) is row


def test_a_name_claimed_by_two_analytes_is_refused_naming_both() -> None:
    # "SGPT" is ALT's; an AST row that also claims it would make a lab's "SGPT" ambiguous
    ast = replace(_row("AST"), local_names=(*_row("AST").local_names, "SGPT"))
    with pytest.raises(RuntimeError) as caught:
        _build_index((_row("ALT"), ast))
    assert str(caught.value) == "name 'SGPT' maps to both ALT and AST"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Prøvetakingsdato", "provetakingsdato"),
        ("Näytteenottoaika", "naytteenottoaika"),
        ("Maßeinheit", "masseinheit"),
        ("Unità", "unita"),
        ("Date de prélèvement", "date de prelevement"),
        ("Klokkeslæt", "klokkeslaet"),
        ("γ-GT", "gamma-gt"),
        ("µmol/l", "umol/l"),
        ("plain ASCII", "plain ascii"),
    ],
)
def test_fold_text(text: str, folded: str) -> None:
    assert fold_text(text) == folded


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("U/l", "U/L"),
        ("UI/L", "U/L"),
        ("E/L", "U/L"),
        ("IE/l", "U/L"),
        ("µkat/l", "µkat/L"),
        ("ukat/l", "µkat/L"),
        ("μkat/L", "µkat/L"),
        ("mikromol/l", "µmol/L"),
        ("µmol/l", "µmol/L"),
        ("mmol/l", "mmol/L"),
        ("pmol/l", "pmol/L"),
        ("mmol/mol Hb", "mmol/mol"),
    ],
)
def test_european_unit_spellings(text: str, unit: str) -> None:
    assert normalise_unit(text) == unit


def test_european_enzyme_units_convert() -> None:
    assert to_canonical("ALT", 3.1, "µkat/l") == pytest.approx(186.0)
    assert to_canonical("ALP", 400.0, "E/L") == 400.0
    assert to_canonical("GGT", 38.0, "UI/L") == 38.0
