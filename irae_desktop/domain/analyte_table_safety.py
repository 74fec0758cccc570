"""The analyte table, continued: the lab analytes that watch the safety of the rescue
treatments (tofacitinib, baricitinib, mycophenolate, corticosteroids): blood counts, kidney
function and lipids. Same fields and rules as domain.analyte_table; listed after its rows, in
the order a haematology, renal and lipid flowsheet is read. Their organs are not irAE organs:
they never enter the worklist's grades or the irAE alerts (see analyte_table.GRADED_ORGANS).

Limits follow the clinical reference, decision 11: `possible_high` is where a value is far
more often a unit slip (a count per µL written as 10^9/L is 1,000 times too large; µmol/L
written as mg/dL is 88 times too large) than true, so it is held for a clinician to confirm.
"""

from __future__ import annotations

from irae_desktop.domain.analyte_table import Analyte

_BLUE, _GREEN, _BLACK = "#0072B2", "#009E73", "#000000"
# a count to two decimals per 10^9/L (labs print 0.45 or 1.2), to the cell per µL
_WHITE_COUNT_PRECISION = (("10^3/µL", 2), ("10^9/L", 2), ("/µL", 0))
_LIPID_PRECISION = (("mg/dL", 0), ("mmol/L", 2), ("g/L", 2))
_EGFR = "mL/min/1.73 m²"

SAFETY_LISTED: tuple[Analyte, ...] = (
    Analyte(
        code="ALC",
        name="Absolute lymphocyte count",
        label="ALC",
        colour=_BLUE,
        precision=_WHITE_COUNT_PRECISION,
        canonical_unit="10^3/µL",
        si_unit="10^9/L",
        organ="blood",
        loinc=("731-0", "26474-7"),
        local_names=(
            "ABS LYMPH",
            "Abs lymphs",
            "Lymphs abs",
            "Lymphs (Absolute)",
            "Lymphocytes abs",
            "Lymphocytes, absolute",
            "Absolute lymphocytes",
            "Lymphocyte count",
            "Lymphocytes [#/volume] in Blood by Automated count",
            "Lymphocytes [#/volume] in Blood",
        ),
        # the same words name the differential's percentage ("LYMPH%" and "LYMPH#" are one
        # name once punctuation folds): a count only with a count unit
        # ("LYMPH" too, the analyser's name of both, hence the code ALC)
        shared_names=("Lymphocytes", "Lymphocyte", "Lymphs", "LYMPH", "LYM", "LY"),
        plausible_low=0.0,
        plausible_high=50.0,
        graded=True,
        zero_possible=True,
        possible_high=500.0,
        limits_source=(
            "after lymphocyte-depleting treatment (anti-thymocyte globulin, alemtuzumab) a lab "
            "may report 0.00; chronic lymphocytic leukaemia reaches several hundred x10^9/L, "
            "and above 500 a count per µL labelled 10^9/L (1,000 times too large) is far more "
            "likely; a clinician confirms a true one"
        ),
    ),
    Analyte(
        code="ANC",
        name="Absolute neutrophil count",
        label="ANC",
        colour=_GREEN,
        precision=_WHITE_COUNT_PRECISION,
        canonical_unit="10^3/µL",
        si_unit="10^9/L",
        organ="blood",
        loinc=("751-8", "26499-4"),
        local_names=(
            "ABS NEUT",
            "Abs neuts",
            "Neutrophils abs",
            "Neutrophils (Absolute)",
            "Neutrophils, absolute",
            "Absolute neutrophils",
            "Neutrophil count",
            "Neutrophils [#/volume] in Blood by Automated count",
            "Neutrophils [#/volume] in Blood",
        ),
        # also the differential's percentage; a bare "NE" is left out (norepinephrine), and
        # granulocyte or segmented-neutrophil counts are other counts
        shared_names=("Neutrophils", "Neutrophil", "Neuts", "NEUT"),
        plausible_low=0.0,
        plausible_high=50.0,
        graded=True,
        zero_possible=True,
        possible_high=200.0,
        limits_source=(
            "agranulocytosis is reported as 0.00; leukaemoid reactions reach about 100 "
            "x10^9/L and chronic myeloid leukaemia a few hundred, and above 200 a count per "
            "µL labelled 10^9/L (1,000 times too large) is far more likely; a clinician "
            "confirms a true one"
        ),
    ),
    Analyte(
        code="HGB",
        name="Hemoglobin",
        label="Hemoglobin",
        colour=_BLACK,
        precision=(("g/dL", 1), ("g/L", 0), ("mmol/L", 1)),
        canonical_unit="g/dL",
        si_unit="g/L",
        organ="blood",
        loinc=("718-7", "59260-0"),
        local_names=(
            "Hgb",
            "Hb",
            "Haemoglobin",
            "hemoglobin",
            "Hemoglobin [Mass/volume] in Blood",
            "Hemoglobin [Moles/volume] in Blood",
        ),
        plausible_low=3.0,
        plausible_high=22.0,
        graded=True,
        zero_possible=False,
        possible_high=25.0,
        limits_source=(
            "a living patient always has hemoglobin: survival is reported down to about "
            "2 g/dL, so 0 is refused and below 3 is unusual; untreated polycythaemia vera "
            "reaches the low twenties of g/dL, and above 25 g/dL a value in g/L labelled g/dL "
            "(10 times too large) is far more likely"
        ),
    ),
    Analyte(
        code="PLT",
        name="Platelet count",
        label="Platelets",
        colour=_BLACK,
        precision=(("10^3/µL", 0), ("10^9/L", 0), ("/µL", 0)),
        canonical_unit="10^3/µL",
        si_unit="10^9/L",
        organ="blood",
        loinc=("777-3", "26515-7"),
        local_names=(
            "PLT",
            "Platelets",
            "Platelet",
            "Plt count",
            "Thrombocytes",
            "Platelets [#/volume] in Blood by Automated count",
            "Platelets [#/volume] in Blood",
        ),
        plausible_low=0.0,
        plausible_high=1500.0,
        graded=True,
        zero_possible=True,
        possible_high=5000.0,
        limits_source=(
            "severe immune thrombocytopenia is reported as 0 x10^9/L; essential "
            "thrombocythaemia reaches a few thousand x10^9/L (extreme thrombocytosis starts at "
            "1,000), and above 5,000 a count per µL labelled 10^9/L (1,000 times too large) is "
            "far more likely"
        ),
    ),
    Analyte(
        code="CREAT",
        name="Creatinine",
        label="Creatinine",
        colour=_BLUE,
        precision=(("mg/dL", 2), ("µmol/L", 0), ("mg/L", 1)),
        canonical_unit="mg/dL",
        si_unit="µmol/L",
        organ="kidney",
        loinc=("2160-0", "38483-4", "14682-9"),
        local_names=(
            "Creat",
            "CREA",
            "CRE",
            "SCr",
            "Serum creatinine",
            "Creatinine, serum",
            "Creatinine [Mass/volume] in Serum or Plasma",
            "Creatinine [Mass/volume] in Blood",
            "Creatinine [Moles/volume] in Serum or Plasma",
        ),
        plausible_low=0.1,
        plausible_high=15.0,
        graded=True,
        zero_possible=False,
        possible_high=30.0,
        limits_source=(
            "muscle makes creatinine all the time, so it is never 0; untreated kidney failure "
            "reaches 15-25 mg/dL and the highest on record is 73.8 mg/dL (Case Rep Nephrol "
            "2021, doi 10.1155/2021/6048919), but above 30 mg/dL a value in µmol/L labelled "
            "mg/dL (88 times too large) is far more likely; a clinician confirms a true one"
        ),
    ),
    # the laboratory's own eGFR, whichever creatinine equation it used (LOINC 98979-8 is
    # CKD-EPI 2021, 62238-1 CKD-EPI 2009, 33914-3 MDRD); race-adjusted codes are left out.
    # The product computes its own CKD-EPI 2021 value from creatinine (domain.egfr)
    Analyte(
        code="EGFR",
        name="Estimated glomerular filtration rate",
        label="eGFR",
        colour=_GREEN,
        precision=((_EGFR, 0), ("mL/s/1.73 m²", 2)),
        canonical_unit=_EGFR,
        si_unit=_EGFR,
        organ="kidney",
        loinc=("98979-8", "62238-1", "33914-3"),
        local_names=(
            "eGFR",
            "GFR, estimated",
            "Estimated GFR",
            "GFR estimated",
            "eGFR (CKD-EPI)",
            "GFR (CKD-EPI)",
            "eGFR CKD-EPI 2021",
            "eGFR (CKD-EPI 2021)",
            "eGFR creatinine",
        ),
        plausible_low=5.0,
        plausible_high=150.0,
        graded=False,
        zero_possible=False,
        possible_high=250.0,
        limits_source=(
            "computed from a creatinine a lab reports, so never 0 (a lab writes '<5' or "
            "'<15'); CKD-EPI 2021 gives about 200 for the lowest adult creatinine a lab "
            "reports, so above 250 the value is not an eGFR"
        ),
    ),
    Analyte(
        code="CHOL",
        name="Total cholesterol",
        label="Cholesterol",
        colour=_BLUE,
        precision=_LIPID_PRECISION,
        canonical_unit="mg/dL",
        si_unit="mmol/L",
        organ="lipids",
        loinc=("2093-3", "14647-2"),
        local_names=(
            "Chol",
            "Cholesterol",
            "Cholesterol, total",
            "Cholesterol total",
            "Cholesterol [Mass/volume] in Serum or Plasma",
            "Cholesterol [Moles/volume] in Serum or Plasma",
        ),
        plausible_low=50.0,
        plausible_high=1000.0,
        graded=True,
        zero_possible=False,
        possible_high=3000.0,
        limits_source=(
            "every living patient has cholesterol; chylomicronaemia reaches about 1,400 mg/dL "
            "(37 mmol/L, J Med Case Rep 2007, 1:51) and cholestasis with lipoprotein X "
            "around 2,000 mg/dL; 3,000 mg/dL lies above them"
        ),
    ),
    Analyte(
        code="LDL",
        name="LDL cholesterol",
        label="LDL",
        colour=_GREEN,
        precision=_LIPID_PRECISION,
        canonical_unit="mg/dL",
        si_unit="mmol/L",
        organ="lipids",
        loinc=("13457-7", "18262-6", "2089-1"),
        local_names=(
            "LDL-C",
            "LDL Chol",
            "LDL cholesterol calc",
            "LDL calculated",
            "LDL direct",
            "Direct LDL",
            "Cholesterol, LDL",
            "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation",
            "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay",
            "Cholesterol in LDL [Mass/volume] in Serum or Plasma",
        ),
        plausible_low=10.0,
        plausible_high=600.0,
        graded=False,
        zero_possible=True,
        possible_high=1500.0,
        limits_source=(
            "a statin with a PCSK9 inhibitor, or abetalipoproteinaemia, brings LDL near 0 and "
            "a direct assay may report 0; homozygous familial hypercholesterolaemia reaches "
            "about 1,000 mg/dL untreated, 1,500 mg/dL lies above it"
        ),
    ),
    Analyte(
        code="TRIG",
        name="Triglycerides",
        label="Triglycerides",
        colour=_BLACK,
        precision=_LIPID_PRECISION,
        canonical_unit="mg/dL",
        si_unit="mmol/L",
        organ="lipids",
        loinc=("2571-8", "14927-8"),
        local_names=(
            "TRIG",
            "Trigs",
            "Triglyceride",
            "Triglyceride [Mass/volume] in Serum or Plasma",
            "Triglyceride [Moles/volume] in Serum or Plasma",
        ),
        # "TG" is also thyroglobulin (ng/mL), followed after thyroid cancer
        shared_names=("TG",),
        plausible_low=10.0,
        plausible_high=5000.0,
        graded=True,
        zero_possible=False,
        possible_high=70000.0,
        limits_source=(
            "every living patient has triglycerides; chylomicronaemia exceeds 10,000 mg/dL "
            "in adults (16,900 mg/dL: BMC Endocr Disord 2019, doi 10.1186/s12902-019-0425-9) "
            "and reached 734 mmol/L, 64,956 mg/dL, in an infant with lipoprotein lipase "
            "deficiency (J Clin Lipidol 2017, PMID 29174071); 70,000 mg/dL lies above them"
        ),
    ),
)
