"""The estimated glomerular filtration rate from serum creatinine, by the CKD-EPI 2021 creatinine
equation, which has no race term (Inker LA et al., N Engl J Med 2021;385:1737-49; the equation
the NKF-ASN task force recommends for the United States: Delgado C et al., Am J Kidney Dis
2022;79:268-88):

    eGFR = 142 x min(Scr/k, 1)^a x max(Scr/k, 1)^-1.200 x 0.9938^age [x 1.012 if female]

with Scr the serum creatinine in mg/dL, k = 0.7 (female) or 0.9 (male), a = -0.241 (female)
or -0.302 (male), age in years; in mL/min/1.73 m2. It was derived in adults only.

A laboratory's own eGFR is stored as the analyte EGFR; this is the product's own value for a
creatinine result, computed the same way for every patient whatever the laboratory reports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from irae_desktop.domain.age import age_years
from irae_desktop.domain.grade_parts import fmt_number
from irae_desktop.domain.units import UnitError, to_canonical

EQUATION = "CKD-EPI 2021 creatinine equation"
ADULT_AGE = 18
# (k, a, factor) by sex: the equation's sex-specific constants
_CONSTANTS = {"F": (0.7, -0.241, 1.012), "M": (0.9, -0.302, 1.0)}
_SEX_WORDS = {"F": "female", "M": "male", "O": "other", "U": "unknown"}


def ckd_epi_2021(creatinine_mg_dl: float, age: float, sex: str) -> float:
    """eGFR in mL/min/1.73 m2 for a serum creatinine in mg/dL, an age in years and a sex
    ("F" or "M"). ValueError for a creatinine that is not a positive number, an age under
    18 (the equation is for adults) or a sex other than female or male (the equation has
    constants for those two only)."""
    if not math.isfinite(creatinine_mg_dl) or creatinine_mg_dl <= 0:
        raise ValueError(f"eGFR needs a creatinine above 0 mg/dL, not {_number(creatinine_mg_dl)}")
    if not math.isfinite(age) or age < ADULT_AGE:
        raise ValueError(f"the {EQUATION} is for adults: age {_number(age)} is under {ADULT_AGE}")
    constants = _CONSTANTS.get(sex)
    if constants is None:
        raise ValueError(f"the {EQUATION} needs the sex, female (F) or male (M), not {sex!r}")
    kappa, alpha, factor = constants
    ratio = creatinine_mg_dl / kappa
    return (
        142.0
        * math.pow(min(ratio, 1.0), alpha)
        * math.pow(max(ratio, 1.0), -1.200)
        * math.pow(0.9938, age)
        * factor
    )


@dataclass(frozen=True, slots=True)
class PatientEgfr:
    """A patient's eGFR for one creatinine result, or None and why there is none."""

    value: float | None  # mL/min/1.73 m2
    reason: str


def egfr_for_creatinine(
    value: float,
    unit: str,
    *,
    comparator: str = "",
    collected_on: date,
    birth_date: date | None,
    sex: str | None,
) -> PatientEgfr:
    """The eGFR of a creatinine result (`value` in `unit`) for a patient with this birth date
    and sex ("F", "M"; another or none gives no eGFR), at the age the patient had on
    `collected_on`, the clinical day the sample was taken (clinical reference, decision 10).
    A censored creatinine ("<0.3") gives no exact eGFR. Never raises for the patient's
    record: the reason says what is missing."""
    shown = f"creatinine {comparator}{fmt_number(value)} {unit.strip()}"
    if comparator:
        return PatientEgfr(None, f"{shown} is censored: no exact eGFR")
    if birth_date is None:
        return PatientEgfr(None, "no eGFR: the patient's birth date is not recorded")
    if sex not in _CONSTANTS:
        return PatientEgfr(
            None,
            f"no eGFR: the patient's sex is {_recorded(sex)}; the {EQUATION} has "
            "constants for female and male only",
        )
    age = age_years(birth_date, collected_on)
    assert age is not None
    try:
        creatinine = to_canonical("CREAT", value, unit)
        egfr = ckd_epi_2021(creatinine, age, sex)
    except (UnitError, ValueError) as exc:
        return PatientEgfr(None, f"no eGFR for {shown}: {exc}")
    return PatientEgfr(
        egfr,
        f"eGFR {egfr:.0f} mL/min/1.73 m² from {shown}, age {age}, {_SEX_WORDS[sex]} ({EQUATION})",
    )


def _recorded(sex: str | None) -> str:
    if not sex:
        return "not recorded"
    return f"recorded as {_SEX_WORDS.get(sex, repr(sex))}"


def _number(value: float) -> str:
    """A number as written in the messages; "nan" or "inf" as it is."""
    return fmt_number(value) if math.isfinite(value) else str(value)
