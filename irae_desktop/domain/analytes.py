"""The lab analytes the product knows, one table for every layer: code, long name and label,
display order (the order listed), organ, series colour, canonical and SI units, decimals,
plausible and possible limits, LOINC and local names. Screen, paper, store and command line
read these facts here; tests/test_one_analyte_table.py fails when another module spells a
label or a colour out."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Literal

from irae_desktop.domain.analyte_names import EUROPEAN_NAMES
from irae_desktop.domain.text_fold import fold_text

Organ = Literal["liver", "glucose", "other"]
# the organs with a worst current grade (worklist, alerts, handoff), in the order shown
GRADED_ORGANS: tuple[Organ, ...] = ("liver", "glucose")
# an organ's title in column heads and alert titles
ORGAN_TITLES: dict[str, str] = {"liver": "Liver", "glucose": "Glucose", "other": "Other"}


@dataclass(frozen=True, slots=True)
class Analyte:
    """One measurable quantity, identified by a short product code such as "ALT"."""

    code: str
    # the long label, as a clinician says it in full ("Alanine aminotransferase")
    name: str
    # the one short label on screen, on paper and in rule texts
    label: str
    # the colour of the analyte's series on the Trends tab and the PDF charts; analytes drawn
    # in one panel differ, and none is near a grade band's hue (Okabe-Ito blue, bluish green,
    # black: told apart with colour blindness too)
    colour: str
    # decimals shown per unit (standard spelling): the precision clinical labs report, so a
    # converted value never shows digits the measurement does (clinical reference, decision 7)
    precision: tuple[tuple[str, int], ...]
    canonical_unit: str
    # the unit shown when the team reads SI units (the canonical one where SI has no other)
    si_unit: str
    organ: Organ
    loinc: tuple[str, ...]
    local_names: tuple[str, ...]
    # values outside this range (canonical unit) are unusual but possible: graded, with a warning
    plausible_low: float
    plausible_high: float
    graded: bool
    # clinical reference, decision 11: below zero is never true; zero is true only where a
    # laboratory may report it (an undetectable enzyme or bilirubin), never for glucose or HbA1c
    zero_possible: bool = True
    # the highest value reported in a living patient (canonical unit): above it a result is
    # stored as "needs review", ungraded and out of every alert until a clinician confirms it
    possible_high: float = math.inf
    # where `possible_high` and `zero_possible` come from
    limits_source: str = ""
    # where the European names among `local_names` come from (see domain.analyte_names)
    names_source: str = ""


_GLUCOSE_PRECISION = (("mg/dL", 0), ("mmol/L", 1), ("g/L", 2))
_BLUE, _GREEN, _BLACK = "#0072B2", "#009E73", "#000000"

# in display order: the order a hepatology or endocrinology reader scans a flowsheet in
_LISTED: tuple[Analyte, ...] = (
    Analyte(
        code="ALT",
        name="Alanine aminotransferase",
        label="ALT",
        colour=_BLUE,
        precision=(("U/L", 0), ("µkat/L", 2)),
        canonical_unit="U/L",
        si_unit="U/L",
        organ="liver",
        loinc=("1742-6", "1743-4", "1744-2"),
        local_names=(
            "ALT (SGPT)",
            "SGPT",
            "ALAT",
            "GPT",
            "alanine aminotransferase",
            "alanine transaminase",
            "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
        ),
        plausible_low=0.0,
        plausible_high=10000.0,
        graded=True,
        zero_possible=True,
        possible_high=50000.0,
        limits_source=(
            "ischemic (shock liver) and acetaminophen hepatitis reach tens of thousands of U/L "
            "(Kalas et al., World J Hepatol 2021, doi 10.4254/wjh.v13.i11.1688: massive elevations "
            "above 5,000 U/L); 50,000 U/L lies above every value we know of; an undetectable "
            "activity may be reported as 0"
        ),
    ),
    Analyte(
        code="AST",
        name="Aspartate aminotransferase",
        label="AST",
        colour=_GREEN,
        precision=(("U/L", 0), ("µkat/L", 2)),
        canonical_unit="U/L",
        si_unit="U/L",
        organ="liver",
        loinc=("1920-8", "30239-8", "88112-8"),
        local_names=(
            "AST (SGOT)",
            "SGOT",
            "ASAT",
            "GOT",
            "aspartate aminotransferase",
            "aspartate transaminase",
            "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
        ),
        plausible_low=0.0,
        plausible_high=10000.0,
        graded=True,
        zero_possible=True,
        possible_high=50000.0,
        limits_source=(
            "as ALT: ischemic and toxic hepatitis reach tens of thousands of U/L (Kalas et al., "
            "World J Hepatol 2021); an undetectable activity may be reported as 0"
        ),
    ),
    Analyte(
        code="TBILI",
        name="Total bilirubin",
        label="Bilirubin",
        colour=_BLUE,
        precision=(("mg/dL", 1), ("µmol/L", 0)),
        canonical_unit="mg/dL",
        si_unit="µmol/L",
        organ="liver",
        loinc=("1975-2",),
        local_names=(
            "TBIL",
            "T BILI",
            "TBILI",
            "T. bili",
            "BILI",
            "bilirubin",
            "total bilirubin",
            "bilirubin total",
            "bilirubin, total",
            "Bilirubin.total [Mass/volume] in Serum or Plasma",
        ),
        plausible_low=0.0,
        plausible_high=50.0,
        graded=True,
        zero_possible=True,
        possible_high=100.0,
        limits_source=(
            "jaundice is visible from about 20 mg/dL and severe cholestasis with haemolysis "
            "reaches several tens of mg/dL (StatPearls, Unconjugated Hyperbilirubinemia, "
            "2020); 100 mg/dL "
            "(1,710 umol/L) lies above reported adult values; 0.0 is a reported lower bound"
        ),
    ),
    Analyte(
        code="DBILI",
        name="Direct bilirubin",
        label="Direct bilirubin",
        colour=_GREEN,
        precision=(("mg/dL", 1), ("µmol/L", 0)),
        canonical_unit="mg/dL",
        si_unit="µmol/L",
        organ="liver",
        loinc=("1968-7",),
        local_names=(
            "DBIL",
            "D BILI",
            "direct bilirubin",
            "bilirubin direct",
            "bilirubin, direct",
            "conjugated bilirubin",
            "Bilirubin.direct [Mass/volume] in Serum or Plasma",
        ),
        plausible_low=0.0,
        plausible_high=40.0,
        graded=False,
        zero_possible=True,
        possible_high=100.0,
        limits_source=(
            "a part of total bilirubin, so never above total bilirubin's limit; 0.0 is commonly "
            "reported"
        ),
    ),
    Analyte(
        code="ALP",
        name="Alkaline phosphatase",
        label="ALP",
        colour=_BLUE,
        precision=(("U/L", 0), ("µkat/L", 2)),
        canonical_unit="U/L",
        si_unit="U/L",
        organ="liver",
        loinc=("6768-6",),
        local_names=(
            "alkaline phos.",
            "ALK. PHOS.",
            "ALKP",
            "ALK PHOS",
            "alkaline phosphatase",
            "Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma",
        ),
        plausible_low=0.0,
        plausible_high=5000.0,
        graded=True,
        zero_possible=True,
        possible_high=20000.0,
        limits_source=(
            "infiltrative liver disease and bone disease reach a few thousand U/L (Kalas et al., "
            "World J Hepatol 2021); 20,000 U/L lies above them; an undetectable activity may be "
            "reported as 0"
        ),
    ),
    Analyte(
        code="GGT",
        name="Gamma-glutamyl transferase",
        label="GGT",
        colour=_GREEN,
        precision=(("U/L", 0), ("µkat/L", 2)),
        canonical_unit="U/L",
        si_unit="U/L",
        organ="liver",
        loinc=("2324-2",),
        local_names=(
            "GGTP",
            "gamma GT",
            "gamma-GT",
            "gamma glutamyl transferase",
            "gamma-glutamyl transferase",
            "gamma glutamyltransferase",
            "Gamma glutamyl transferase [Enzymatic activity/volume] in Serum or Plasma",
        ),
        plausible_low=0.0,
        plausible_high=5000.0,
        graded=True,
        zero_possible=True,
        possible_high=20000.0,
        limits_source=(
            "cholestasis and alcohol reach a few thousand U/L (Kalas et al., World J Hepatol "
            "2021); 20,000 U/L lies above them; an undetectable activity may be reported as 0"
        ),
    ),
    # serum, plasma or venous blood; a random (non-fasting) value unless stated
    Analyte(
        code="GLUCOSE",
        name="Glucose",
        label="Glucose",
        colour=_BLUE,
        precision=_GLUCOSE_PRECISION,
        canonical_unit="mg/dL",
        si_unit="mmol/L",
        organ="glucose",
        loinc=("2345-7", "2339-0", "15074-8"),
        local_names=(
            "GLU",
            "GLUC",
            "glucose",
            "blood glucose",
            "serum glucose",
            "plasma glucose",
            "random glucose",
            "glucose random",
            "Glucose [Mass/volume] in Serum or Plasma",
            "Glucose [Mass/volume] in Blood",
            "Glucose [Moles/volume] in Serum or Plasma",
        ),
        plausible_low=10.0,
        plausible_high=1000.0,
        graded=True,
        zero_possible=False,
        possible_high=2000.0,
        limits_source=(
            "clinical reference, decision 11 (about 2,000 mg/dL): the highest survived value on "
            "record is 2,656 mg/dL, 147.6 mmol/L (Guinness World Records, 2008; one 1990 letter "
            "reports 5,600 mg/dL, Soni et al., Diabetes Care 13:181), and a value above "
            "2,000 mg/dL is far more often a wrong unit (mmol/L read as mg/dL) than true; "
            "a clinician can "
            "confirm a true one. Glucose is never 0 in a living patient"
        ),
    ),
    Analyte(
        code="GLUCOSE_FASTING",
        name="Fasting glucose",
        label="Glucose (fasting)",
        colour=_GREEN,
        precision=_GLUCOSE_PRECISION,
        canonical_unit="mg/dL",
        si_unit="mmol/L",
        organ="glucose",
        loinc=("1558-6", "1554-5"),
        local_names=(
            "FBG",
            "FPG",
            "GLUF",
            "fasting glucose",
            "glucose fasting",
            "glucose, fasting",
            "fasting blood glucose",
            "fasting plasma glucose",
            "Fasting glucose [Mass/volume] in Serum or Plasma",
            "Glucose [Mass/volume] in Serum or Plasma --12 hours fasting",
        ),
        plausible_low=10.0,
        plausible_high=1000.0,
        graded=True,
        zero_possible=False,
        possible_high=2000.0,
        limits_source=("the same limits and sources as GLUCOSE"),
    ),
    Analyte(
        code="GLUCOSE_POC",
        name="Capillary glucose (point of care)",
        label="Glucose (POC)",
        colour=_BLACK,
        precision=_GLUCOSE_PRECISION,
        canonical_unit="mg/dL",
        si_unit="mmol/L",
        organ="glucose",
        loinc=("41653-7",),
        local_names=(
            "POC glucose",
            "POCT glucose",
            "glucose POC",
            "glucose POCT",
            "bedside glucose",
            "capillary glucose",
            "fingerstick glucose",
            "glucometer",
            "BGM",
            "Glucose [Mass/volume] in Capillary blood by Glucometer",
        ),
        plausible_low=10.0,
        plausible_high=1000.0,
        graded=True,
        zero_possible=False,
        possible_high=2000.0,
        limits_source=("the same limits and sources as GLUCOSE"),
    ),
    Analyte(
        code="CPEPTIDE",
        name="C-peptide",
        label="C-peptide",
        colour=_BLUE,
        precision=(("ng/mL", 2), ("nmol/L", 2), ("pmol/L", 0)),
        canonical_unit="ng/mL",
        si_unit="nmol/L",
        organ="glucose",
        loinc=("1986-9", "13037-7"),
        local_names=(
            "C-peptide",
            "C peptide",
            "CPEP",
            "C-PEP",
            "C peptide fasting",
            "C-peptide [Mass/volume] in Serum or Plasma",
        ),
        plausible_low=0.0,
        plausible_high=30.0,
        graded=False,
        zero_possible=True,
        possible_high=100.0,
        limits_source=(
            "insulinoma and insulin resistance reach a few tens of ng/mL; 100 ng/mL lies above "
            "them; undetectable C-peptide (type 1-like diabetes) may be reported as 0"
        ),
    ),
    Analyte(
        code="HBA1C",
        name="Hemoglobin A1c",
        label="HbA1c",
        colour=_BLUE,
        precision=(("%", 1), ("mmol/mol", 0)),
        canonical_unit="%",
        si_unit="mmol/mol",
        organ="glucose",
        loinc=("4548-4", "59261-8", "17856-6"),
        local_names=(
            "HbA1c",
            "Hb A1c",
            "A1C",
            "HGBA1C",
            "hemoglobin A1c",
            "haemoglobin A1c",
            "glycated hemoglobin",
            "glycosylated hemoglobin",
            "Hemoglobin A1c/Hemoglobin.total in Blood",
            "Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol",
        ),
        plausible_low=3.0,
        plausible_high=18.0,
        graded=False,
        zero_possible=False,
        possible_high=25.0,
        limits_source=(
            "glycated haemoglobin is a fraction of haemoglobin that is never 0; values in the low "
            "twenties of percent are reported in untreated diabetes, 25% lies above them"
        ),
    ),
    Analyte(
        code="BHB",
        name="Beta-hydroxybutyrate",
        label="Ketones (BHB)",
        colour=_BLUE,
        precision=(("mmol/L", 1), ("mg/dL", 1)),
        canonical_unit="mmol/L",
        si_unit="mmol/L",
        organ="glucose",
        loinc=("6873-4", "53060-9"),
        local_names=(
            "beta-hydroxybutyrate",
            "beta hydroxybutyrate",
            "B-hydroxybutyrate",
            "3-hydroxybutyrate",
            "BOHB",
            "ketones blood",
            "blood ketones",
            "serum ketones",
            "3-Hydroxybutyrate [Moles/volume] in Serum or Plasma",
        ),
        plausible_low=0.0,
        plausible_high=15.0,
        graded=False,
        zero_possible=True,
        possible_high=30.0,
        limits_source=(
            "severe diabetic ketoacidosis reaches about 10-20 mmol/L; 30 mmol/L lies above it; 0.0 "
            "is a reported lower bound"
        ),
    ),
)


def _with_european_names(analyte: Analyte) -> Analyte:
    european = EUROPEAN_NAMES.get(analyte.code)
    if european is None:
        return analyte
    return replace(
        analyte,
        local_names=(*analyte.local_names, *european.names),
        names_source=european.source,
    )


_ALL: tuple[Analyte, ...] = tuple(_with_european_names(a) for a in _LISTED)

ANALYTES: dict[str, Analyte] = {a.code: a for a in _ALL}
DISPLAY_ORDER: tuple[str, ...] = tuple(a.code for a in _ALL)


def graded_analytes(organ: Organ) -> tuple[str, ...]:
    """The graded analytes of an organ in display order: the ones its worst current grade on
    the worklist is taken from (clinical reference, sections 2 and 3)."""
    return tuple(a.code for a in _ALL if a.organ == organ and a.graded)


def organ_analytes(organ: Organ) -> frozenset[str]:
    """Every analyte of an organ, graded or not."""
    return frozenset(a.code for a in _ALL if a.organ == organ)


def panel_title(codes: tuple[str, ...]) -> str:
    """The title of a chart of these analytes, from their labels: "ALT/AST"; "Glucose" for
    glucose with its fasting and point-of-care kinds, whose labels all begin with it."""
    labels = [analyte_label(c) for c in codes]
    if all(label.startswith(labels[0]) for label in labels):
        return labels[0]
    return "/".join(labels)


def display_rank(code: str) -> tuple[int, str]:
    """Sort key putting analytes in display order; codes the product does not know go last."""
    analyte = ANALYTES.get(code)
    return (DISPLAY_ORDER.index(code) if analyte else len(DISPLAY_ORDER), code)


def analyte_label(code: str) -> str:
    """The analyte's one label ("Bilirubin" for TBILI); an unknown code as it is."""
    analyte = ANALYTES.get(code)
    return analyte.label if analyte else code


def decimals_for(code: str, unit: str) -> int | None:
    """Decimals to show a value of `code` in `unit` (standard spelling); None if not listed."""
    analyte = ANALYTES.get(code)
    if analyte is None:
        return None
    return dict(analyte.precision).get(unit)


_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_name(text: str) -> str:
    """Lower case without accents, every run of spaces and punctuation reduced to one space:
    "Bilirubine totale", "BILIRUBINE-TOTALE" and "bilirubine totale" are one name."""
    return _NON_WORD.sub(" ", fold_text(text)).strip()


def _build_index() -> dict[str, Analyte]:
    index: dict[str, Analyte] = {}
    for analyte in _ALL:
        keys = (analyte.code, analyte.name, *analyte.loinc, *analyte.local_names)
        for key in keys:
            norm = normalise_name(key)
            clash = index.get(norm)
            if clash is not None and clash.code != analyte.code:
                raise RuntimeError(f"name {key!r} maps to both {clash.code} and {analyte.code}")
            index[norm] = analyte
    return index


_INDEX = _build_index()


def lookup_analyte(text: str) -> Analyte | None:
    """The analyte named by a product code, a LOINC code or a known local name; None if unknown."""
    if not text:
        return None
    return _INDEX.get(normalise_name(text))


def get_analyte(code: str) -> Analyte:
    """The analyte for a product code, or a KeyError with a plain message."""
    analyte = ANALYTES.get(code.strip().upper()) if code else None
    if analyte is None:
        known = ", ".join(ANALYTES)
        raise KeyError(f"unknown analyte {code!r} (known: {known})")
    return analyte
