"""The analyte table: one row per lab analyte the product knows, with every fact about it
that more than one place needs (code, long name and short label, series colour, decimals,
canonical and SI units, organ, LOINC and local names, plausible and possible limits).
Listed in display order; the analytes that watch the safety of rescue treatments continue it
in domain.analyte_table_safety. Read it through domain.analytes, which indexes both."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Organ = Literal["liver", "glucose", "blood", "kidney", "lipids", "other"]
# the organs with a worst current grade (worklist, alerts, handoff), in the order shown: the
# organs of the irAEs the product follows. Blood counts, kidney and lipids are watched for the
# safety of rescue treatments; their results carry their own grades on the Labs tab but never
# enter an irAE organ's grade, column or alert
GRADED_ORGANS: tuple[Organ, ...] = ("liver", "glucose")
# an organ's title in column heads and alert titles
ORGAN_TITLES: dict[str, str] = {
    "liver": "Liver",
    "glucose": "Glucose",
    "blood": "Blood counts",
    "kidney": "Kidney",
    "lipids": "Lipids",
    "other": "Other",
}


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
    # names another test goes by too ("Lymphocytes" is also the percentage of the white-cell
    # differential, "TG" also thyroglobulin): a row so named is this analyte only when its
    # unit is one of this analyte's units (see importers.validate)
    shared_names: tuple[str, ...] = ()


_GLUCOSE_PRECISION = (("mg/dL", 0), ("mmol/L", 1), ("g/L", 2))
_BLUE, _GREEN, _BLACK = "#0072B2", "#009E73", "#000000"

# in display order: the order a hepatology or endocrinology reader scans a flowsheet in
LISTED: tuple[Analyte, ...] = (
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
