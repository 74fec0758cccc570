"""The demonstration patient with ICI diabetes on baricitinib (see store/demo.py)."""

from __future__ import annotations

from datetime import date

from irae_desktop.store.demo_data import DemoPatient, Line, series


def jak_diabetes_patient() -> DemoPatient:
    """Insulin-deficient ICI diabetes on pembrolizumab; baricitinib added to keep what is
    left of her beta cells (under study: the BANDIT trial of baricitinib in new type 1
    diabetes, Waibel et al., N Engl J Med 2023), after the latent tuberculosis and hepatitis B
    screens the OLUMIANT label asks for before the start."""
    # fmt: off
    # glucose creeping up over four cycles, then the presentation with ketosis on day -100
    g_days = [-190, -169, -148, -127, -106, -100, -99, -97, -93, -79, -58, -37, -16, -11]
    glucose: list[float | str] = [94, 101, 112, 138, 186, 498, 342, 246, 198, 164, 152, 141,
                                  138, 132]
    # counts before pembrolizumab, at the presentation, the baricitinib baseline (day -98,
    # with the screens) and about monthly on it; the label sets no interval for them
    cbc_days = [-190, -100, -98, -67, -39, -11]
    # fmt: on
    return DemoPatient(
        mrn="DEMO-0005",
        name="Ingrid Solberg",
        birth_date=date(1962, 8, 21),
        sex="F",
        weight_kg=61.0,
        diagnosis="Recurrent head and neck squamous cell carcinoma",
        labs={
            "GLUCOSE": series(g_days, glucose),
            # still measurable at the onset, then falling: beta cells being lost
            "CPEPTIDE": [(-100, 0.52), (-93, 0.41), (-58, 0.28), (-11, 0.19)],
            "HBA1C": [(-190, 5.5), (-100, 7.6), (-11, 7.1)],
            "BHB": [(-100, 2.1), (-99, 0.6), (-97, 0.2)],
            # baricitinib lowers lymphocytes and neutrophils a little: all well above the
            # label's lines (500 and 1,000 cells/mm3, hemoglobin 8 g/dL)
            "ALC": series(cbc_days, [1.92, 1.64, 1.71, 1.48, 1.39, 1.42]),
            "ANC": series(cbc_days, [4.4, 5.9, 5.2, 3.6, 3.3, 3.5]),
            "HGB": series(cbc_days, [13.4, 13.9, 13.1, 12.9, 12.8, 12.9]),
            "PLT": series(cbc_days, [268, 281, 274, 249, 241, 252]),
            # eGFR about 75 by CKD-EPI 2021 at 63 to 64 years: no renal dose change
            "CREAT": series(cbc_days, [0.84, 0.97, 0.88, 0.86, 0.85, 0.86]),
            # about 12 weeks after the start (day 84 of the line), as the label asks
            "CHOL": [(-11, 194)],
            "LDL": [(-11, 118)],
            "TRIG": [(-11, 142)],
        },
        lines=[
            Line(
                "ici",
                "pembrolizumab",
                200,
                "mg",
                "every 3 weeks",
                "IV",
                -190,
                indication="head and neck squamous cell carcinoma",
                steps=[
                    (-190, 200),
                    (-169, 200),
                    (-148, 200),
                    (-127, 200),
                    (-106, 200),
                    (-79, 200),
                    (-58, 200),
                    (-37, 200),
                    (-16, 200),
                ],
                holds=[(-100, -79, "ICI diabetes with ketosis, until glucose controlled")],
            ),
            Line(
                "insulin",
                "insulin glargine",
                16,
                "units",
                "once daily",
                "SC",
                -100,
                indication="ICI diabetes",
                steps=[(-100, 16), (-93, 20), (-58, 22)],
            ),
            Line(
                "insulin",
                "insulin lispro",
                4,
                "units",
                "with meals",
                "SC",
                -99,
                indication="ICI diabetes",
            ),
            Line(
                "immunosuppression",
                "baricitinib",
                4,
                "mg",
                "once daily",
                "PO",
                -95,
                indication="ICI diabetes: to preserve beta-cell function (under study)",
            ),
        ],
        episodes=[("diabetes", -100, None, 3, "active")],
        screenings=[
            ("tb_igra", -98, "negative", "QuantiFERON-TB Gold Plus, before baricitinib"),
            ("hbsag", -98, "negative", None),
            ("anti_hbc", -98, "negative", "total antibody"),
        ],
        notes=[
            (
                -100,
                "Glucose 498 mg/dL with beta-hydroxybutyrate 2.1 mmol/L, HbA1c 7.6% from 5.5% "
                "before pembrolizumab, C-peptide 0.52 ng/mL: ICI-induced insulin-deficient "
                "diabetes. No steroids given.",
                "Hold pembrolizumab. Basal-bolus insulin. Endocrinology consult. Screen for "
                "latent TB and hepatitis B: baricitinib to be discussed.",
            ),
            (
                -95,
                "IGRA, HBsAg and anti-HBc negative. Counts and creatinine normal (eGFR about "
                "75). Residual C-peptide.",
                "Start baricitinib 4 mg once daily (beta-cell preservation, off label). Lipids "
                "at 12 weeks. Resume pembrolizumab once glucose controlled.",
            ),
            (
                -11,
                "C-peptide 0.19 ng/mL, still falling; glucose controlled on insulin. Counts "
                "stable on baricitinib. 12-week lipids drawn.",
                "Continue insulin and pembrolizumab. Review baricitinib with endocrinology.",
            ),
        ],
    )
