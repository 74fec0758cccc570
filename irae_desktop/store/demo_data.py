"""The synthetic demonstration patients: each one's story, as data (see store/demo.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

# reference ranges reported with the synthetic results: (unit, lln, uln)
RANGES: dict[str, tuple[str, float | None, float | None]] = {
    "ALT": ("U/L", 7, 40),
    "AST": ("U/L", 10, 40),
    "TBILI": ("mg/dL", 0.1, 1.2),
    "ALP": ("U/L", 40, 120),
    "GLUCOSE": ("mg/dL", 70, 140),
    "CPEPTIDE": ("ng/mL", 0.8, 3.1),
    "HBA1C": ("%", 4.0, 5.6),
    "BHB": ("mmol/L", 0.0, 0.4),
    # a hospital haematology and chemistry laboratory's adult ranges; hemoglobin's is the
    # women's (the demonstration patients with counts are both women)
    "ALC": ("10^3/µL", 1.0, 4.8),
    "ANC": ("10^3/µL", 1.8, 7.7),
    "HGB": ("g/dL", 12.0, 15.5),
    "PLT": ("10^3/µL", 150, 400),
    "CREAT": ("mg/dL", 0.59, 1.04),
    "CHOL": ("mg/dL", None, 200),
    "LDL": ("mg/dL", None, 130),
    "TRIG": ("mg/dL", None, 150),
}


@dataclass
class Line:
    category: str
    agent: str
    dose: float
    dose_unit: str
    frequency: str
    route: str
    start: int
    stop: int | None = None
    indication: str | None = None
    reason_stopped: str | None = None
    steps: Sequence[tuple[int, float]] = ()
    holds: Sequence[tuple[int, int | None, str]] = ()


@dataclass
class DemoPatient:
    mrn: str
    name: str
    birth_date: date
    sex: str
    weight_kg: float
    diagnosis: str
    # analyte -> [(day offset, value)], comparator given as a string value like "<0.1"
    labs: dict[str, list[tuple[int, float | str]]]
    lines: list[Line]
    episodes: list[tuple[str, int, int | None, int, str]] = field(default_factory=list)
    notes: list[tuple[int, str, str]] = field(default_factory=list)
    # infection screening results: (test, day offset, result, note)
    screenings: list[tuple[str, int, str, str | None]] = field(default_factory=list)


def series(days: Iterable[int], values: Iterable[float | str]) -> list[tuple[int, float | str]]:
    return list(zip(days, values, strict=True))


def hepatitis_patient() -> DemoPatient:
    # grade 4 ICI hepatitis, refractory to steroids and MMF, responding to tofacitinib
    # fmt: off
    days = [-122, -99, -78, -57, -36, -35, -33, -31, -30, -29, -28, -27, -26, -25, -24, -23,
            -22, -21, -20, -19, -18, -16, -14, -12, -10, -8, -6, -4, -2]
    alt = [22, 26, 31, 35, 61, 95, 262, 480, 892, 910, 874, 905, 851, 822, 796, 805,
           612, 433, 301, 214, 163, 121, 98, 81, 66, 58, 52, 47, 44]
    ast = [24, 27, 30, 33, 55, 84, 231, 402, 705, 731, 690, 702, 655, 610, 588, 590,
           441, 300, 205, 150, 118, 90, 72, 61, 50, 44, 40, 37, 35]
    bili = [0.6, 0.7, 0.6, 0.7, 0.8, 0.9, 1.4, 1.9, 2.3, 2.6, 2.7, 2.5, 2.4, 2.2, 2.1, 2.0,
            1.8, 1.6, 1.4, 1.3, 1.2, 1.1, 1.0, 0.9, 0.9, 0.8, 0.8, 0.7, 0.7]
    alp = [88, 90, 94, 97, 110, 121, 150, 171, 188, 192, 190, 185, 181, 176, 170, 166,
           158, 150, 142, 136, 130, 124, 118, 112, 108, 104, 101, 99, 97]
    # complete blood counts with every pembrolizumab cycle, at the hepatitis work-up, before
    # mycophenolate (day -27) and tofacitinib (day -23), then weekly as the CellCept label
    # asks in mycophenolate's first month. High-dose steroids push neutrophils up and
    # lymphocytes down; mycophenolate and tofacitinib bring lymphocytes lower still: they
    # drift towards 0.5 x10^3/µL, tofacitinib's line, without crossing it.
    cbc_days = [-122, -99, -78, -57, -36, -33, -27, -23, -20, -13, -6, -2]
    alc = [1.84, 1.71, 1.66, 1.72, 1.38, 1.12, 0.74, 0.68, 0.63, 0.58, 0.56, 0.57]
    anc = [4.1, 3.8, 4.3, 3.9, 4.6, 5.4, 9.6, 8.9, 7.6, 6.3, 5.5, 5.1]
    hgb = [13.3, 13.1, 12.9, 13.0, 12.8, 12.7, 12.5, 12.4, 12.3, 12.2, 12.3, 12.4]
    plt = [246, 238, 251, 242, 236, 228, 262, 271, 258, 233, 219, 224]
    creat = [0.78, 0.81, 0.76, 0.80, 0.82, 0.84, 0.79, 0.77, 0.80, 0.78, 0.76, 0.77]
    # fmt: on
    return DemoPatient(
        mrn="DEMO-0001",
        name="Harriet Quill",
        birth_date=date(1958, 4, 17),
        sex="F",
        weight_kg=70.0,
        diagnosis="Metastatic melanoma",
        labs={
            "ALT": series(days, alt),
            "AST": series(days, ast),
            "TBILI": series(days, bili),
            "ALP": series(days, alp),
            "ALC": series(cbc_days, alc),
            "ANC": series(cbc_days, anc),
            "HGB": series(cbc_days, hgb),
            "PLT": series(cbc_days, plt),
            "CREAT": series(cbc_days, creat),
        },
        lines=[
            Line(
                "ici",
                "pembrolizumab",
                200,
                "mg",
                "every 3 weeks",
                "IV",
                -120,
                -30,
                indication="melanoma",
                reason_stopped="grade 4 immune-related hepatitis: permanently discontinued",
                steps=[(-120, 200), (-99, 200), (-78, 200), (-57, 200), (-36, 200)],
                holds=[(-33, -30, "grade 3 hepatitis")],
            ),
            Line(
                "immunosuppression",
                "prednisone",
                70,
                "mg",
                "once daily",
                "PO",
                -33,
                -30,
                indication="hepatitis",
                reason_stopped="escalated to IV methylprednisolone",
            ),
            Line(
                "immunosuppression",
                "methylprednisolone",
                140,
                "mg",
                "once daily",
                "IV",
                -30,
                -20,
                indication="hepatitis",
                reason_stopped="changed to oral prednisone taper",
            ),
            Line(
                "immunosuppression",
                "prednisone",
                60,
                "mg",
                "once daily",
                "PO",
                -20,
                indication="hepatitis",
                steps=[(-20, 60), (-13, 40), (-6, 30), (1, 20), (8, 10)],
            ),
            Line(
                "immunosuppression",
                "mycophenolate mofetil",
                1000,
                "mg",
                "twice daily",
                "PO",
                -27,
                indication="steroid-refractory hepatitis",
            ),
            Line(
                "immunosuppression",
                "tofacitinib",
                5,
                "mg",
                "twice daily",
                "PO",
                -23,
                indication="steroid- and MMF-refractory hepatitis",
            ),
        ],
        episodes=[("hepatitis", -35, None, 4, "improving")],
        # hepatitis B serology with the hepatitis work-up, and the latent TB test once a JAK
        # inhibitor was considered: all before tofacitinib started (day -23)
        screenings=[
            ("hbsag", -33, "negative", "sent with the hepatitis work-up"),
            ("anti_hbc", -33, "negative", "total antibody"),
            ("tb_igra", -27, "negative", "QuantiFERON-TB Gold Plus, before tofacitinib"),
        ],
        notes=[
            (
                -33,
                "ALT 262 U/L (6.6 x ULN), grade 3. No alcohol, paracetamol or new drugs. "
                "Viral serologies sent; ultrasound without biliary dilatation.",
                "Hold pembrolizumab. Prednisone 1 mg/kg. LFTs daily.",
            ),
            (
                -27,
                "ALT still >20 x ULN after 3 days of methylprednisolone 2 mg/kg. "
                "Bilirubin 2.5 mg/dL: Hy's law pattern.",
                "Steroid-refractory: add mycophenolate 1 g twice daily. Daily LFTs and INR.",
            ),
            (
                -23,
                "No meaningful fall on MMF after 4 days.",
                "Start tofacitinib 5 mg twice daily. Continue MMF and steroids.",
            ),
            (
                -2,
                "ALT 44 U/L, grade 1. Bilirubin normal. Tolerating taper.",
                "Prednisone taper 30 mg, then 20 mg from tomorrow. LFTs twice weekly. "
                "Pembrolizumab permanently discontinued.",
            ),
        ],
    )


def diabetes_patient() -> DemoPatient:
    g_days = [-80, -59, -38, -17, -6, -5, -4, -3, -2, -1]
    glucose: list[float | str] = [98, 104, 101, 126, 612, 418, 306, 241, 188, 164]
    return DemoPatient(
        mrn="DEMO-0002",
        name="Tomás Ferreira",
        birth_date=date(1966, 9, 2),
        sex="M",
        weight_kg=82.0,
        diagnosis="Clear-cell renal cell carcinoma",
        labs={
            "GLUCOSE": series(g_days, glucose),
            "CPEPTIDE": [(-6, "<0.1"), (-1, 0.06)],
            "HBA1C": [(-80, 5.4), (-6, 7.9)],
            "BHB": [(-6, 4.2), (-5, 1.6), (-4, 0.3)],
            "ALT": [(-80, 24), (-59, 28), (-38, 30), (-17, 27), (-6, 31)],
            "AST": [(-80, 22), (-59, 25), (-38, 26), (-17, 24), (-6, 29)],
        },
        lines=[
            Line(
                "ici",
                "nivolumab + ipilimumab",
                3,
                "mg/kg",
                "every 3 weeks",
                "IV",
                -78,
                indication="renal cell carcinoma",
                steps=[(-78, 3), (-57, 3), (-36, 3), (-15, 3)],
                holds=[(-6, None, "ICI diabetes with DKA")],
            ),
            Line(
                "insulin",
                "insulin glargine",
                24,
                "units",
                "once daily",
                "SC",
                -6,
                indication="ICI diabetes",
                steps=[(-6, 24), (-3, 28)],
            ),
            Line(
                "insulin",
                "insulin lispro",
                6,
                "units",
                "with meals",
                "SC",
                -5,
                indication="ICI diabetes",
            ),
        ],
        episodes=[("diabetes", -6, None, 4, "active")],
        notes=[
            (
                -6,
                "New-onset hyperglycaemia 612 mg/dL with ketoacidosis, C-peptide undetectable "
                "(<0.1 ng/mL): ICI-induced insulin-deficient diabetes.",
                "Admit, DKA protocol. Endocrinology consult. Hold nivolumab/ipilimumab. "
                "Steroids are not indicated.",
            ),
            (
                -1,
                "Off insulin infusion, on basal-bolus. Glucose 164 mg/dL.",
                "Insulin glargine 28 units nightly, lispro with meals. Diabetes education. "
                "Discuss ICI resumption at tumour board once stable.",
            ),
        ],
    )


def mild_transaminitis_patient() -> DemoPatient:
    days = [-92, -71, -50, -40, -33, -26, -19, -12]
    return DemoPatient(
        mrn="DEMO-0003",
        name="June Okafor",
        birth_date=date(1971, 1, 29),
        sex="F",
        weight_kg=64.0,
        diagnosis="Non-small cell lung cancer (adenocarcinoma)",
        labs={
            "ALT": series(days, [21, 25, 33, 58, 72, 51, 36, 29]),
            "AST": series(days, [19, 22, 28, 47, 61, 44, 31, 26]),
            "TBILI": series(days, [0.5, 0.6, 0.5, 0.6, 0.7, 0.6, 0.5, 0.5]),
            "ALP": series(days, [72, 75, 74, 80, 84, 79, 76, 74]),
        },
        lines=[
            Line(
                "ici",
                "atezolizumab",
                1200,
                "mg",
                "every 3 weeks",
                "IV",
                -90,
                indication="NSCLC",
                steps=[(-90, 1200), (-69, 1200), (-48, 1200), (-27, 1200), (-6, 1200)],
            ),
        ],
        episodes=[("hepatitis", -40, -19, 1, "resolved")],
        notes=[
            (
                -33,
                "Grade 1 transaminase rise (ALT 72 U/L), asymptomatic.",
                "Continue atezolizumab. Repeat LFTs weekly. No steroids.",
            ),
            (-12, "ALT back to normal without treatment.", "Sign off at next review if stable."),
        ],
    )


def abnormal_baseline_patient() -> DemoPatient:
    days = [-63, -49, -42, -35, -28, -21, -14, -7, -2]
    return DemoPatient(
        mrn="DEMO-0004",
        name="Lars Eriksen",
        birth_date=date(1953, 11, 8),
        sex="M",
        weight_kg=77.5,
        diagnosis="Uveal melanoma with liver metastases",
        labs={
            # baseline ALT 95 U/L = 2.4 x ULN: grades are multiples of the baseline
            "ALT": series(days, [95, 104, 131, 162, 198, 246, 305, 262, 214]),
            "AST": series(days, [88, 97, 120, 149, 180, 222, 276, 240, 199]),
            "TBILI": series(days, [0.9, 1.0, 1.0, 1.1, 1.2, 1.3, 1.3, 1.2, 1.1]),
            "ALP": series(days, [210, 216, 222, 230, 238, 246, 251, 244, 236]),
        },
        lines=[
            Line(
                "ici",
                "nivolumab",
                480,
                "mg",
                "every 4 weeks",
                "IV",
                -62,
                indication="uveal melanoma",
                steps=[(-62, 480), (-34, 480)],
                holds=[(-14, None, "grade 2 hepatitis on baseline-relative criteria")],
            ),
            Line(
                "immunosuppression",
                "prednisone",
                40,
                "mg",
                "once daily",
                "PO",
                -13,
                indication="hepatitis",
                steps=[(-13, 40)],
            ),
        ],
        episodes=[("hepatitis", -21, None, 2, "improving")],
        notes=[
            (
                -14,
                "ALT 305 U/L is 7.6 x ULN but 3.2 x his abnormal baseline (95 U/L, liver "
                "metastases): grade 2 by the baseline rule, not grade 3.",
                "Hold nivolumab. Prednisone 0.5 mg/kg. LFTs every 3 days.",
            ),
        ],
    )
