"""The names European laboratories give the tracked analytes, with where each was found.

German, French, Dutch, Spanish, Italian, Portuguese, Swedish, Danish, Norwegian and Finnish
reports name the same tests differently, and Nordic laboratories put the specimen in front of
the name (NPU/Nordic system prefixes: B blood, P plasma, S serum, U urine, a leading "f" for
fasting; "P-ALAT", "fP-Gluk"). Names compare after folding accents and punctuation (see
`analytes.normalise_name`), so "Bilirubine totale" is also "BILIRUBINE-TOTALE"; only one
spelling of each is listed.

Left out on purpose, because in a lab file they are ambiguous: a bare "AP", "AF", "FA" or "GT"
(alkaline phosphatase in some countries, other tests or nothing in others: only the full name or
a specimen-prefixed code is taken), a bare "Ketone" (urine sticks report ketones too), and every
urine name ("U-Glukos", "Glukose im Urin"): urine glucose is not blood glucose, so such a test
stays "not tracked". A bare "Bilirubin" (and its translations) is total bilirubin, as it already
is in English: laboratories name the direct/conjugated fraction explicitly, and the indirect
fraction is in no list, so it is never read as total.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LocalNames:
    """Names one analyte goes by in European reports, and the public pages that use them."""

    names: tuple[str, ...]
    source: str
    # names another test goes by too (see analyte_table.Analyte.shared_names)
    shared_names: tuple[str, ...] = ()


_NORDIC_PREFIXES = (
    "NPU/Nordic specimen prefixes (B blood, P plasma, S serum, U urine, f fasting): Akademiska "
    "sjukhuset, 'Förklaring till analysförteckning' (akademiska.se); Finnish codes: Leppänen, "
    "'Laboratoriotutkimukset' (S-ALAT, S-ASAT, S-AFOS, S-GT, B-/fB-/fP-Gluk, B-HbA1c)"
)

EUROPEAN_NAMES: dict[str, LocalNames] = {
    "ALT": LocalNames(
        names=(
            "ALT (GPT)",
            "GPT (ALT)",
            "ALAT (GPT)",
            "GPT (ALAT)",
            "TGP",
            "ALT (TGP)",
            "ALAT (TGP)",
            "Alanin-Aminotransferase",
            "Glutamat-Pyruvat-Transaminase",
            "transaminase glutamique pyruvique",
            "alanina aminotransferasa",
            "alanina aminotransferasi",
            "alanina transaminasi",
            "alanina aminotransferase",
            "transaminase glutamico piruvica",
            "alaninaminotransferas",
            "alaninaminotransferase",
            "alaniiniaminotransferaasi",
            "P-ALAT",
            "S-ALAT",
            "P-ALT",
            "S-ALT",
        ),
        source=(
            "klarbefund.de 'Leberwerte (GPT, GOT, γ-GT) erklärt' and gesund.at (GPT (ALT)); "
            "docteurayoub.space 'Bilan hépatique' (ALAT (TGP)); mijnlever.be 'bloedwaarden' "
            "(ALAT, ALT, GPT); labtestsonline.es and laboratoriogoes.com.br (TGP, alanina "
            "aminotransferase); valorinormali.com (ALT o GPT); medicinskordbok.se "
            "'Analysförteckningar' (P-ALAT alaninaminotransferas); lab.nordlandssykehuset.no "
            "(ALAT); " + _NORDIC_PREFIXES
        ),
    ),
    "AST": LocalNames(
        names=(
            "AST (GOT)",
            "GOT (AST)",
            "ASAT (GOT)",
            "GOT (ASAT)",
            "TGO",
            "AST (TGO)",
            "ASAT (TGO)",
            "Aspartat-Aminotransferase",
            "Glutamat-Oxalacetat-Transaminase",
            "transaminase glutamique oxaloacetique",
            "aspartato aminotransferasa",
            "aspartato aminotransferasi",
            "aspartato transaminasi",
            "aspartato aminotransferase",
            "transaminase glutamico oxalacetica",
            "aspartataminotransferas",
            "aspartataminotransferase",
            "aspartaattiaminotransferaasi",
            "P-ASAT",
            "S-ASAT",
            "P-AST",
            "S-AST",
        ),
        source=(
            "klarbefund.de and gesund.at (GOT (AST)); docteurayoub.space (ASAT (TGO)); "
            "mijnlever.be (ASAT, AST, GOT); laboratoriogoes.com.br (TGO, aspartato "
            "aminotransferase); valorinormali.com (AST o GOT); regionhalland.se 'Laboratoriet "
            "informerar 160602' (P-ASAT); " + _NORDIC_PREFIXES
        ),
    ),
    "TBILI": LocalNames(
        names=(
            "Bilirubin gesamt",
            "Gesamtbilirubin",
            "Gesamt-Bilirubin",
            "bilirubine totale",
            "bilirubine",
            "totaal bilirubine",
            "bilirubine totaal",
            "bilirrubina total",
            "bilirrubina",
            "bilirubina totale",
            "bilirubina",
            "bilirubin totalt",
            "kokonaisbilirubiini",
            "bilirubiini",
            "P-Bilirubin",
            "S-Bilirubin",
            "P-Bil",
            "S-Bil",
        ),
        source=(
            "infinitelexicon.com 'Leberwerten' (Bilirubin gesamt und direkt); ameli.fr 'Le bilan "
            "hépatique' (bilirubine totale); ntvg.nl 'ALAT en ASAT' (totaal bilirubine); "
            "laboratoriosgonzalez.com 'Perfil hepático' (bilirrubina total); articoli-medicina "
            "blog (bilirubina totale - BT); atendimentodescomplicado.com.br (bilirrubina total); "
            + _NORDIC_PREFIXES
        ),
    ),
    "DBILI": LocalNames(
        names=(
            "Bilirubin direkt",
            "direktes Bilirubin",
            "Bilirubin konjugiert",
            "konjugiertes Bilirubin",
            "bilirubine conjuguee",
            "bilirubine directe",
            "bilirubine direct",
            "directe bilirubine",
            "geconjugeerd bilirubine",
            "bilirrubina directa",
            "bilirrubina conjugada",
            "bilirubina diretta",
            "bilirubina coniugata",
            "bilirrubina direta",
            "bilirubin konjugerat",
            "konjugerat bilirubin",
            "bilirubin konjugeret",
            "konjugoitunut bilirubiini",
        ),
        source=(
            "infinitelexicon.com (Bilirubin direkt); docteurayoub.space (bilirubine conjuguée); "
            "lab2u.fr (bilirubine conjuguée, dite directe); laboratoriosgonzalez.com (bilirrubina "
            "directa); atendimentodescomplicado.com.br (bilirrubina direta)"
        ),
    ),
    "ALP": LocalNames(
        names=(
            "Alkalische Phosphatase",
            "alk. Phosphatase",
            "Alkalische Phosphatase (AP)",
            "AP (alkalische Phosphatase)",
            "phosphatases alcalines",
            "phosphatase alcaline",
            "PAL",
            "phosphatases alcalines (PAL)",
            "alkalische fosfatase",
            "alk. fosfatase",
            "fosfatasa alcalina",
            "fosfatasi alcalina",
            "fosfatase alcalina",
            "alkaliskt fosfatas",
            "alkalisk fosfatas",
            "basisk fosfatase",
            "alkalinen fosfataasi",
            "AFOS",
            "P-ALP",
            "S-ALP",
            "P-AFOS",
            "S-AFOS",
        ),
        source=(
            "medical-tribune.de (Alkalische Phosphatase (AP)); pta-forum.de (AP); ameli.fr and "
            "studylibfr.com (phosphatases alcalines (PAL)); gezondheid.be (alkalische fosfatase "
            "(AF)); laboratoriosgonzalez.com (fosfatasa alcalina); ok-salute.it (fosfatasi "
            "alcalina); blog 'exames hepatograma' (fosfatase alcalina); medicinskordbok.se (P-ALP "
            "alkalisk fosfatas); Region Jönköping LabNytt 2019 (S-ALP); " + _NORDIC_PREFIXES
        ),
    ),
    "GGT": LocalNames(
        names=(
            "γ-GT",
            "Gamma-Glutamyltransferase",
            "gamma glutamyl transpeptidase",
            "gamma-glutamyltranspeptidase",
            "gamma glutamyltransferase (GGT)",
            "Gamma GT (GGT)",
            "gamma-glutamyltransferase (gamma-GT)",
            "gammaglutamiltransferasa",
            "gamma glutamil transferasa",
            "gamma glutamil transpeptidasa",
            "gamma glutamil transferasi",
            "gamma glutamil transpeptidasi",
            "gamma GGT",
            "gama GT",
            "gama-glutamiltransferase",
            "gama glutamil transpeptidase",
            "glutamyltransferas",
            "glutamyylitransferaasi",
            "P-GT",
            "S-GT",
            "P-GGT",
            "S-GGT",
        ),
        source=(
            "klarbefund.de (γ-GT, Gamma-GT); thieme-connect.de Holstege 2018 "
            "(γ-Glutamyltranspeptidase); journaldesfemmes.fr (Gamma-GT ou GGT); gezondheid.be "
            "(gamma-glutamyltransferase (Gamma-GT)); ok-salute.it (gamma glutamil transpeptidasi, "
            "Gamma-GGT); laboratoriogoes.com.br (gama-glutamiltransferase); regionhalland.se "
            "(P-GT); " + _NORDIC_PREFIXES
        ),
    ),
    "GLUCOSE": LocalNames(
        names=(
            "Glukose",
            "Glucose im Plasma",
            "Glukose im Plasma",
            "Blutzucker",
            "glycemie",
            "glucosa",
            "glucosa en suero",
            "glicemia",
            "glicose",
            "glukos",
            "glukoosi",
            "P-Glukos",
            "S-Glukos",
            "B-Glukos",
            "P-Glukose",
            "S-Glukose",
            "B-Glukose",
            "P-Gluk",
            "S-Gluk",
            "B-Gluk",
            "P-Glucose",
            "S-Glucose",
        ),
        source=(
            "pta-forum.de (Glucose); kookas.fi 'Mitä laboratoriotutkimukset ovat?' (B-Gluk, "
            "verensokeri, mmol/l); terveyskyla.fi (prefixes P/fP, S/fS); " + _NORDIC_PREFIXES
        ),
    ),
    "GLUCOSE_FASTING": LocalNames(
        names=(
            "Nüchternglukose",
            "Glukose nüchtern",
            "Nüchtern-Blutzucker",
            "glycemie a jeun",
            "glucose a jeun",
            "nuchtere glucose",
            "glucose nuchter",
            "glucosa en ayunas",
            "glucosa basal",
            "glicemia a digiuno",
            "glicemia em jejum",
            "glicose em jejum",
            "fasteglukose",
            "fasteglukos",
            "paastoglukoosi",
            "fP-Gluk",
            "fS-Gluk",
            "fB-Gluk",
            "fP-Glukos",
            "fS-Glukos",
            "fP-Glukose",
            "fS-Glukose",
        ),
        source=(
            "Leppänen 'Laboratoriotutkimukset' (fB-Gluk, fP-Gluk, fS-Gluk: paastonäyte); "
            "terveyskyla.fi (the f prefix is a fasting sample); " + _NORDIC_PREFIXES
        ),
    ),
    "CPEPTIDE": LocalNames(
        names=(
            "C-Peptid",
            "peptide C",
            "peptido C",
            "peptideo C",
            "C-peptidi",
            "P-C-peptid",
            "S-C-peptid",
            "fS-C-peptid",
            "S-C-peptidi",
            "fS-C-peptidi",
            "C-Peptid nüchtern",
            "C-Peptid im Serum",
        ),
        source=(
            "labor-gaertner.de Leistungsverzeichnis 'C-Peptid' (nüchtern, µg/l and nmol/l, "
            "1 µg/l = 0,331 nmol/l); laborkrone.de ('C-Peptid im Serum'); team-w.ch (pmol/l); "
            "French 'peptide C', Spanish 'péptido C', Portuguese 'peptídeo C', Nordic "
            "'C-peptid'/'C-peptidi' with specimen prefixes: " + _NORDIC_PREFIXES
        ),
    ),
    "HBA1C": LocalNames(
        names=(
            "HbA1c (IFCC)",
            "HbA1c IFCC",
            "HbA1c (NGSP)",
            "HbA1c (DCCT)",
            "Hämoglobin A1c",
            "glykiertes Hämoglobin",
            "glykosyliertes Hämoglobin",
            "hemoglobine glyquee",
            "hemoglobine glycosylee",
            "geglyceerd hemoglobine",
            "hemoglobina glicada",
            "hemoglobina glicosilada",
            "emoglobina glicata",
            "emoglobina glicosilata",
            "B-HbA1c",
            "B-HbA1c (IFCC)",
            "glykoitunut hemoglobiini",
        ),
        source=(
            "mul-poliklinik.de 'Laborinformation 09/2009' (HbA1c (NGSP) %, HbA1c (IFCC) "
            "mmol/mol); schenk-ansorge.de (glykiertes Hämoglobin, mmol/mol Hb); spitalwallis.ch "
            "(HbA1c IFCC); " + _NORDIC_PREFIXES
        ),
    ),
    "BHB": LocalNames(
        names=(
            "β-Hydroxybutyrat",
            "Beta-Hydroxybutyrat",
            "3-Hydroxybutyrat",
            "beta-hydroxybutyraat",
            "beta-hydroxyboterzuur",
            "beta-hidroxibutirato",
            "3-hidroxibutirato",
            "beta-idrossibutirrato",
            "3-idrossibutirrato",
            "beta-hydroksybutyrat",
            "beetahydroksibutyraatti",
            "P-beta-hydroxybutyrat",
            "B-beta-hydroxybutyrat",
        ),
        source=(
            "translations of the LOINC component 3-Hydroxybutyrate (6873-4, 53060-9): German "
            "'β-Hydroxybutyrat', French 'bêta-hydroxybutyrate' (same letters as English once "
            "accents fold), Spanish/Portuguese 'beta-hidroxibutirato', Italian "
            "'beta-idrossibutirrato', Norwegian 'beta-hydroksybutyrat'; Nordic specimen prefixes: "
            + _NORDIC_PREFIXES
        ),
    ),
}

# words that, inside a test name, say it is not the blood analyte its other words name: another
# specimen ("Glukose (Urin)", "Glucose, liquide pleural") or another fraction ("Bilirubin
# (indirekt)"); a name carrying one, or starting with a urine prefix, is never matched by its
# remaining words
URINE_PREFIXES = frozenset({"u", "du", "cu"})
OTHER_SPECIMEN_OR_FRACTION = frozenset(
    {
        "urine",
        "urin",
        "orina",
        "urina",
        "virtsa",
        "harn",
        "sammelurin",
        "liquor",
        "csf",
        "lcr",
        "ascites",
        "aszites",
        "pleural",
        "pleura",
        "punctat",
        "punktat",
        "drain",
        "dialysate",
        "dialysat",
        "indirect",
        "indirekt",
        "indirecte",
        "indirecta",
        "indireta",
        "indiretta",
        "unconjugated",
        "unkonjugiert",
        "ongeconjugeerd",
        "okonjugerat",
        "free",
        "frei",
        "libre",
        "neonatal",
        # another lipid fraction or a derived quantity: "Cholesterol (HDL)" is not total
        # cholesterol, "Kreatinin (Clearance)" not serum creatinine, "(ratio)" not either part
        "hdl",
        "vldl",
        "ratio",
        "quotient",
        "rapport",
        "clearance",
    }
)
