"""The names European laboratories give the treatment-safety analytes (blood counts, kidney,
lipids), with where each was found; compared as in domain.analyte_names.

A bare "Lymphozyten", "linfociti" or "Neutrophile" is the same word for the absolute count and
for the differential's percentage: such names are shared names, taken for the count only when
the unit is a count unit. Names are listed for the languages whose spellings were found on a
public page; Dutch, Portuguese and Nordic spellings are not listed yet (such a test is imported
as "not tracked" and listed in the import summary, never guessed).
"""

from __future__ import annotations

from irae_desktop.domain.analyte_names import LocalNames

_GERMAN_DIFFERENTIAL = (
    "laborwert.info 'Differentialblutbild' (Lymphozyten, segmentkernige neutrophile "
    "Granulozyten: Anteil in % and absolute Zahl per µl); facharzt24.com "
    "'Differentialblutbild' (prozentual and absolut per Mikroliter)"
)
_FRENCH_NFS = (
    "e-sante.be 'NFS [Numération formule sanguine]' (Plaquettes, Polynucléaires neutrophiles "
    "and Lymphocytes in G/l and %, Hémoglobine in g/dl)"
)
_ITALIAN = (
    "lucaventuri.it 'Emocromo' (Emoglobina g/dL, Piastrine mila/microL); analisi.info "
    "'Guida ai parametri' (Creatinina, eGFR, Colesterolo, LDL, Trigliceridi); isit100.fe.it "
    "'Emocromo' (formula leucocitaria: neutrofili, linfociti in %)"
)
_SPANISH = (
    "labtestsonline.es 'Hemograma' (hemoglobina, plaquetas, neutrófilos, linfocitos); "
    "ensegundos.do (Linfocitos and Neutrófilos as absolute counts, Plaquetas per mm3)"
)
_GERMAN_LIPIDS = (
    "infinitelexicon.com 'Cholesterinwerten' (Gesamtcholesterin, LDL-Cholesterin, "
    "Triglyceride, mg/dl or mmol/l); labor-enders.de (Gesamt-Cholesterin); labor-becker.de "
    "'LDL-Cholesterin'; schenk-ansorge.de 'Cholesterin' (KE = SI x 38,67)"
)

SAFETY_EUROPEAN_NAMES: dict[str, LocalNames] = {
    "ALC": LocalNames(
        names=("Lymphozyten absolut",),
        shared_names=("Lymphozyten", "linfociti", "linfocitos"),
        source=f"{_GERMAN_DIFFERENTIAL}; {_FRENCH_NFS}; {_ITALIAN}; {_SPANISH}",
    ),
    "ANC": LocalNames(
        names=("Neutrophile absolut", "Neutrophile Granulozyten absolut"),
        shared_names=(
            "Neutrophile",
            "Neutrophile Granulozyten",
            "polynucléaires neutrophiles",
            "neutrofili",
            "neutrófilos",
        ),
        source=f"{_GERMAN_DIFFERENTIAL}; {_FRENCH_NFS}; {_ITALIAN}; {_SPANISH}",
    ),
    "HGB": LocalNames(
        names=("Hämoglobin", "hémoglobine", "emoglobina", "hemoglobina"),
        source=(
            "German 'Hämoglobin' as on the Differentialblutbild pages above; "
            f"{_FRENCH_NFS}; {_ITALIAN}; {_SPANISH}"
        ),
    ),
    "PLT": LocalNames(
        names=("Thrombozyten", "plaquettes", "piastrine", "plaquetas"),
        source=(
            "gesundheits-lexikon.com 'Großes Blutbild' and laborwert.info (Thrombozyten); "
            f"{_FRENCH_NFS}; {_ITALIAN}; {_SPANISH}"
        ),
    ),
    "CREAT": LocalNames(
        names=(
            "Kreatinin",
            "Plasmakreatinin",
            "créatininémie",
            "S-créatinine",
            "P-créatinine",
            "creatinina",
        ),
        source=(
            "de.toptenid.com 'GFR Blutwert' (Kreatinin, Plasmakreatininkonzentration); "
            "medizinonline.com/fr (P-/S-créatinine, DFGe); labtestsonline.fr 'DFG estimé' "
            f"(créatinine); {_ITALIAN}"
        ),
    ),
    "EGFR": LocalNames(
        names=(
            "DFG estimé",
            "DFGe",
            "DFG (CKD-EPI)",
            "débit de filtration glomérulaire estimé",
        ),
        source=(
            "labtestsonline.fr 'DFG estimé' (Débit de filtration glomérulaire estimé); "
            "biodoc.fr 'Mesure du DFG par formule CKD-EPI'; gpnotebook.com/fr (DFGe, "
            "ml/min/1,73m2); medizinonline.com/fr (DFGe, mL/min/1,73m2)"
        ),
    ),
    "CHOL": LocalNames(
        names=(
            "Cholesterin",
            "Gesamtcholesterin",
            "Gesamt-Cholesterin",
            "colesterolo",
            "colesterolo totale",
        ),
        source=f"{_GERMAN_LIPIDS}; UKSH Labindex 'Cholesterin' (LOINC 14647-2); {_ITALIAN}",
    ),
    "LDL": LocalNames(
        names=("LDL-Cholesterin", "colesterolo LDL"),
        source=f"{_GERMAN_LIPIDS}; {_ITALIAN}",
    ),
    "TRIG": LocalNames(
        names=("Triglyceride", "Triglyzeride", "trigliceridi"),
        source=f"{_GERMAN_LIPIDS}; {_ITALIAN}",
    ),
}
