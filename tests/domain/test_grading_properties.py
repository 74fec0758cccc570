"""Properties that hold for any input: grades never fall as a value rises; units round-trip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from irae_desktop.domain.grading import grade_value
from irae_desktop.domain.units import convert, to_canonical
from irae_desktop.domain.values import parse_result_text

LIVER = st.sampled_from(["ALT", "AST", "TBILI", "ALP", "GGT"])
CRITERIA = st.sampled_from(["ctcae-5.0", "ctcae-6.0"])
POSITIVE = st.floats(min_value=0.01, max_value=1e5, allow_nan=False, allow_infinity=False)
UNITS = {"ALT": "U/L", "AST": "U/L", "TBILI": "mg/dL", "ALP": "U/L", "GGT": "U/L"}


@settings(max_examples=80, deadline=None)
@given(LIVER, CRITERIA, POSITIVE, POSITIVE, POSITIVE, st.one_of(st.none(), POSITIVE))
def test_liver_grade_never_falls_as_the_value_rises(
    analyte: str, criteria: str, a: float, b: float, uln: float, baseline: float | None
) -> None:
    low, high = sorted((a, b))
    kwargs = {"baseline": baseline, "baseline_uln": uln, "criteria_id": criteria}
    g_low = grade_value(analyte, low, "", UNITS[analyte], uln, None, **kwargs).grade  # type: ignore[arg-type]
    g_high = grade_value(analyte, high, "", UNITS[analyte], uln, None, **kwargs).grade  # type: ignore[arg-type]
    assert g_low is not None and g_high is not None
    assert g_low <= g_high


@settings(max_examples=80, deadline=None)
@given(st.floats(min_value=20, max_value=2000), st.sampled_from(["mg/dL", "mmol/L"]))
def test_fasting_glucose_grade_never_falls_above_the_uln(value: float, unit: str) -> None:
    uln = 99.0 if unit == "mg/dL" else 5.5
    lln = 70.0 if unit == "mg/dL" else 3.9
    if value <= (uln if unit == "mg/dL" else uln * 18.016):
        return
    v = value if unit == "mg/dL" else value / 18.016
    here = grade_value("GLUCOSE_FASTING", v, "", unit, uln, lln).grade
    above = grade_value("GLUCOSE_FASTING", v * 1.01, "", unit, uln, lln).grade
    assert here is not None and above is not None and here <= above


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(
        [
            ("GLUCOSE", "mmol/L"),
            ("TBILI", "µmol/L"),
            ("CPEPTIDE", "pmol/L"),
            ("HBA1C", "mmol/mol"),
            ("ALT", "µkat/L"),
        ]
    ),
    st.floats(min_value=0.001, max_value=1e4),
)
def test_conversions_round_trip(pair: tuple[str, str], value: float) -> None:
    analyte, unit = pair
    canonical = to_canonical(analyte, value, unit)
    back = convert(
        analyte,
        canonical,
        "mg/dL"
        if analyte in ("GLUCOSE", "TBILI")
        else {"CPEPTIDE": "ng/mL", "HBA1C": "%", "ALT": "U/L"}[analyte],
        unit,
    )
    assert abs(back - value) <= 1e-9 * max(1.0, abs(value))


@settings(max_examples=80, deadline=None)
@given(st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False))
def test_plain_numbers_read_back_exactly(number) -> None:  # type: ignore[no-untyped-def]
    text = f"{number:f}"
    assert parse_result_text(text) == (float(text), "")
    assert parse_result_text(f"<{text}") == (float(text), "<")
