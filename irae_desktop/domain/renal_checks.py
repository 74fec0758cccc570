"""A JAK inhibitor line's kidney function against its label's renal bands
(domain.safety_labels): the judgement the renal alert and the safety summary show.

The eGFR is the newest kidney result from 30 days before the line's start to today: an eGFR the
laboratory reported, or one worked out from a creatinine by the CKD-EPI 2021 equation
(domain.egfr) with the patient's age on the day it was drawn and sex; at the same time the
reported one is used. Without a birth date or a sex recorded as female or male no eGFR is worked
out, and nothing is guessed (clinical reference, section 10).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

from irae_desktop.domain.age import age_years
from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.domain.count_checks import window_start
from irae_desktop.domain.egfr import ADULT_AGE, EQUATION, ckd_epi_2021
from irae_desktop.domain.safety_labels import AgentLabel, RenalBand
from irae_desktop.domain.safety_values import Meets, labs_between, meets_below, value_text
from irae_desktop.domain.timeline import LabPoint, PatientTimeline, TreatmentSpan

# "act": a band applies; "unsure": a censored eGFR may lie in a band; "ok": above every band;
# "missing": no creatinine or eGFR; "unknown": a creatinine whose eGFR cannot be worked out
RenalState = Literal["act", "unsure", "ok", "missing", "unknown"]

_FLIPPED = {"": "", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_SEX_WORDS = {"F": "female", "M": "male"}


@dataclass(frozen=True, slots=True)
class RenalFinding:
    line: TreatmentSpan
    state: RenalState
    words: str = ""  # the eGFR and where it comes from, or why there is none
    lab: LabPoint | None = None  # the result it rests on
    band: RenalBand | None = None  # the band that applies (or may apply, when unsure)
    shown: str = ""  # the eGFR as shown: "49.9 mL/min/1.73 m²", ">90 mL/min/1.73 m²"
    basis: str = ""  # where it comes from: "reported by the laboratory", or how it was worked out


def _computed(timeline: PatientTimeline, creatinine: LabPoint) -> tuple[float, str, str] | str:
    """(eGFR, its comparator, how it was worked out), or why it cannot be."""
    day = timeline.day_of(creatinine.collected_at)
    shown = f"creatinine {value_text(creatinine)} on {day.isoformat()}"
    age = age_years(timeline.birth_date, day)
    sex = timeline.sex if timeline.sex in _SEX_WORDS else None
    if age is None or sex is None:
        missing = " and no ".join(
            what
            for what, absent in (("birth date", age is None), ("sex (female or male)", sex is None))
            if absent
        )
        return (
            f"the eGFR cannot be worked out from {shown}: no {missing} recorded; record "
            f"{'it' if ' and ' not in missing else 'them'}, or enter the laboratory's eGFR"
        )
    if age < ADULT_AGE:
        return (
            f"the eGFR cannot be worked out from {shown}: the {EQUATION} is for adults; enter "
            "the laboratory's eGFR"
        )
    try:
        egfr = ckd_epi_2021(creatinine.value, age, sex)
    except ValueError as exc:
        return f"the eGFR cannot be worked out from {shown}: {exc}"
    # eGFR falls as creatinine rises: a creatinine below a bound is an eGFR above the bound's
    comparator = _FLIPPED[creatinine.comparator]
    return egfr, comparator, f"{EQUATION} from {shown} (age {age}, {_SEX_WORDS[sex]})"


def _rounded(value: float, comparator: str, bands: tuple[RenalBand, ...]) -> str:
    """A worked-out eGFR as laboratories report it, a whole number; with two decimals when the
    whole number would be a band's bound (59.97 is below 60, and must not read "60"). A
    censored one is rounded outwards, so it stays true: below 27.04 reads "<28"."""
    if comparator.startswith("<"):
        return f"{math.ceil(value)}"
    if comparator.startswith(">"):
        return f"{math.floor(value)}"
    whole = f"{value:.0f}"
    return f"{value:.2f}" if any(float(whole) == b.below for b in bands) else whole


def _band(
    bands: tuple[RenalBand, ...], value: float, comparator: str
) -> tuple[RenalBand | None, Meets]:
    """The most severe band the eGFR certainly lies in, else the most severe it may lie in."""
    maybe = None
    for band in bands:
        found = meets_below(value, comparator, band.below)
        if found == "yes":
            return band, "yes"
        if found == "maybe" and maybe is None:
            maybe = band
    return (maybe, "maybe") if maybe is not None else (None, "no")


def renal_finding(
    timeline: PatientTimeline, line: TreatmentSpan, label: AgentLabel, today: date
) -> RenalFinding:
    first = window_start(line)
    reported = labs_between(timeline, "EGFR", first, today)
    creatinine = labs_between(timeline, "CREAT", first, today)
    newest_reported = reported[-1] if reported else None
    newest_creatinine = creatinine[-1] if creatinine else None
    if newest_reported is None and newest_creatinine is None:
        return RenalFinding(line, "missing", "no creatinine or eGFR since 30 days before the start")
    if newest_reported is not None and (
        newest_creatinine is None or newest_reported.collected_at >= newest_creatinine.collected_at
    ):
        lab = newest_reported
        value, comparator = lab.value, lab.comparator
        shown = value_text(lab)
        basis = f"reported on {timeline.day_of(lab.collected_at).isoformat()}"
    else:
        assert newest_creatinine is not None
        lab = newest_creatinine
        computed = _computed(timeline, lab)
        if isinstance(computed, str):
            return RenalFinding(line, "unknown", computed, lab)
        value, comparator, basis = computed
        number = _rounded(value, comparator, label.renal)
        shown = f"{comparator}{number} {ANALYTES['EGFR'].canonical_unit}"
    band, how = _band(label.renal, value, comparator)
    state: RenalState = "ok" if band is None else "act" if how == "yes" else "unsure"
    words = f"eGFR {shown}, {basis}"
    return RenalFinding(line, state, words, lab, band, shown, basis)
