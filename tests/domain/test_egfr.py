"""eGFR by the CKD-EPI 2021 creatinine equation (race-free), and a patient's eGFR for one
creatinine result.

    eGFR = 142 x min(Scr/k, 1)^a x max(Scr/k, 1)^-1.200 x 0.9938^age [x 1.012 if female]
    k = 0.7 (F) or 0.9 (M); a = -0.241 (F) or -0.302 (M); Scr in mg/dL

Each expected value is worked by hand below (natural logarithms to six places) and agrees
with the worked values published with the equation: a 50-year-old woman with creatinine
1.0 mg/dL has an eGFR of about 68-69, a 60-year-old man with 1.2 mg/dL about 69.
"""

from __future__ import annotations

from datetime import date

import pytest

from irae_desktop.domain.egfr import ckd_epi_2021, egfr_for_creatinine

CASES = [
    # woman, 50, Scr 1.0: Scr/k = 1.428571 > 1, so min(.)^a = 1;
    # max(.)^-1.2 = exp(-1.2 x ln 1.428571 = -1.2 x 0.356675) = exp(-0.428010) = 0.651805;
    # 0.9938^50 = exp(50 x -0.006219) = exp(-0.310965) = 0.732740;
    # 142 x 0.651805 x 0.732740 x 1.012 = 68.63
    (1.0, 50, "F", 68.6),
    # man, 60, Scr 1.2: Scr/k = 1.333333; max(.)^-1.2 = exp(-1.2 x 0.287682) = 0.708066;
    # 0.9938^60 = exp(-0.373158) = 0.688556; 142 x 0.708066 x 0.688556 = 69.23
    (1.2, 60, "M", 69.2),
    # woman, 30, Scr 0.6: Scr/k = 0.857143 < 1; min(.)^-0.241 = exp(-0.241 x -0.154151)
    # = exp(0.037150) = 1.037849; max(.) = 1; 0.9938^30 = exp(-0.186579) = 0.829793;
    # 142 x 1.037849 x 0.829793 x 1.012 = 123.76
    (0.6, 30, "F", 123.8),
    # man, 75, Scr 2.5: Scr/k = 2.777778; max(.)^-1.2 = exp(-1.2 x 1.021651) = 0.293470;
    # 0.9938^75 = exp(-0.466447) = 0.627227; 142 x 0.293470 x 0.627227 = 26.14
    (2.5, 75, "M", 26.1),
    # man, 40, Scr 0.9 = k: both min and max terms are 1; 0.9938^40 = exp(-0.248772)
    # = 0.779758; 142 x 0.779758 = 110.73
    (0.9, 40, "M", 110.7),
]


@pytest.mark.parametrize(("creatinine", "age", "sex", "expected"), CASES)
def test_worked_values(creatinine: float, age: int, sex: str, expected: float) -> None:
    assert round(ckd_epi_2021(creatinine, age, sex), 1) == expected


def test_the_female_factor_and_the_kinks() -> None:
    # at Scr = k both sexes reduce to 142 x 0.9938^age, the woman's x 1.012
    woman = ckd_epi_2021(0.7, 40, "F")
    man = ckd_epi_2021(0.9, 40, "M")
    assert woman == pytest.approx(man * 1.012, rel=1e-12)
    # a higher creatinine always gives a lower eGFR, on both sides of the kink
    assert ckd_epi_2021(0.5, 40, "F") > woman > ckd_epi_2021(0.9, 40, "F")


@pytest.mark.parametrize(
    ("creatinine", "age", "sex", "message"),
    [
        (1.0, 17, "F", "is for adults: age 17 is under 18"),
        (1.0, 12.5, "M", "is for adults: age 12.5 is under 18"),
        (0.0, 50, "F", "needs a creatinine above 0 mg/dL, not 0"),
        (-1.0, 50, "M", "needs a creatinine above 0 mg/dL, not -1"),
        (float("nan"), 50, "M", "needs a creatinine above 0 mg/dL, not nan"),
        (1.0, float("nan"), "M", "is for adults: age nan is under 18"),
        (1.0, 50, "U", "needs the sex, female (F) or male (M), not 'U'"),
        (1.0, 50, "", "needs the sex, female (F) or male (M), not ''"),
        (1.0, 50, "female", "not 'female'"),
    ],
)
def test_refusals(creatinine: float, age: float, sex: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        ckd_epi_2021(creatinine, age, sex)
    assert message in str(err.value)


def test_a_patients_egfr_uses_the_age_on_the_day_of_collection() -> None:
    # born 1976-05-02: 49 on 2026-05-01, 50 from 2026-05-02 (the birthday counts on its day)
    before = egfr_for_creatinine(
        1.0, "mg/dL", collected_on=date(2026, 5, 1), birth_date=date(1976, 5, 2), sex="F"
    )
    on = egfr_for_creatinine(
        1.0, "mg/dL", collected_on=date(2026, 5, 2), birth_date=date(1976, 5, 2), sex="F"
    )
    assert on.value is not None and round(on.value, 1) == 68.6  # the 50-year-old above
    assert before.value is not None and before.value > on.value
    assert on.reason == (
        "eGFR 69 mL/min/1.73 m² from creatinine 1 mg/dL, age 50, female "
        "(CKD-EPI 2021 creatinine equation)"
    )


def test_a_creatinine_in_micromoles_is_converted_first() -> None:
    # 106.08 µmol/L / 88.4 = 1.2 mg/dL: the 60-year-old man above
    found = egfr_for_creatinine(
        106.08, "µmol/L", collected_on=date(2026, 6, 1), birth_date=date(1966, 1, 1), sex="M"
    )
    assert found.value is not None and round(found.value, 1) == 69.2


@pytest.mark.parametrize(
    ("birth", "sex", "comparator", "unit", "why"),
    [
        (None, "F", "", "mg/dL", "no eGFR: the patient's birth date is not recorded"),
        (date(1970, 1, 1), None, "", "mg/dL", "no eGFR: the patient's sex is not recorded"),
        (date(1970, 1, 1), "U", "", "mg/dL", "sex is recorded as unknown"),
        (date(1970, 1, 1), "O", "", "mg/dL", "sex is recorded as other"),
        (date(2010, 1, 1), "F", "", "mg/dL", "is for adults: age 16 is under 18"),
        (date(1970, 1, 1), "M", "<", "mg/dL", "creatinine <1 mg/dL is censored: no exact eGFR"),
        (date(1970, 1, 1), "M", "", "mmol/mol", "unit 'mmol/mol' does not belong to CREAT"),
    ],
)
def test_no_egfr_says_why(
    birth: date | None, sex: str | None, comparator: str, unit: str, why: str
) -> None:
    found = egfr_for_creatinine(
        1.0,
        unit,
        comparator=comparator,
        collected_on=date(2026, 6, 1),
        birth_date=birth,
        sex=sex,
    )
    assert found.value is None
    assert why in found.reason
