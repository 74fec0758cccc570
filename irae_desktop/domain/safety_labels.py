"""The safety facts of the rescue treatments, as their labels and guidelines state them: one
table, read by the alert rules (domain.alerts_jak, domain.alerts_immunosuppression) and by the
treatment safety summary (domain.safety_panel), so the screen, the paper and the alerts quote
the same numbers.

Per agent (its generic name, as domain.agents knows it): the blood counts below which it must
not be started, the counts at which it is interrupted, reduced or stopped during treatment, the
kidney function bands of its dose, the labs it needs and how often, whether it needs the
infection screens before its start, and where each fact comes from. Counts are in the
canonical unit of their analyte (10^3/µL = 10^9/L = 1,000 cells/mm3), hemoglobin in g/dL, eGFR
in mL/min/1.73 m2. The labels' own words are kept beside the numbers.

Section numbers move between revisions of a US prescribing information, so a fact is cited by
its section's title.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from irae_desktop.domain.agents import agent_key

Severity = Literal["critical", "warning", "info"]

DO_NOT_START = "do not start"
INTERRUPT = "interrupt"
DISCONTINUE = "discontinue"
INTERRUPT_OR_REDUCE = "interrupt or reduce the dose"
REDUCE_DOSE = "reduce the dose"
NOT_RECOMMENDED = "not recommended"

# product decisions (clinical reference, section 10), kept with the facts they apply:
# a count drawn up to 30 clinical days before a line's start (the start day included) is its
# baseline, and a repeat must come from that window on to confirm a value
BASELINE_WINDOW_DAYS = 30
# an infection screen taken more than 12 months before a start no longer counts for it
SCREENING_VALID_DAYS = 365


@dataclass(frozen=True, slots=True)
class CountLimit:
    """A count the label acts on: met below `bound` (at or below it when `inclusive`), in the
    analyte's canonical unit, or by a fall of more than `fall_more_than` from the value at
    the line's start. `confirm`: the label's words when it acts only on a value a repeat
    confirms ("" when one value is enough)."""

    analyte: str
    bound: float
    action: str
    words: str  # the label's threshold as it writes it
    inclusive: bool = False
    confirm: str = ""
    fall_more_than: float | None = None
    then: str = ""  # what the label says follows: when the line may go on again


@dataclass(frozen=True, slots=True)
class RenalBand:
    """eGFR below `below` calls for `action`; bands run from the most severe."""

    below: float
    action: str
    severity: Severity
    words: str


@dataclass(frozen=True, slots=True)
class LabSchedule:
    """Labs a line needs while it is on, in clinical days from its start (day 0).

    `first`: one-off checks, each a window (from day, by day) in which a draw is due; a later
    draw still answers an overdue one. `periods`: from each listed day on, the longest gap
    allowed between draws. `each`: every analyte must be drawn (a blood count), else any one
    of them answers (a lipid panel)."""

    code: str  # stable identifier in alert keys
    name: str
    analytes: tuple[str, ...]
    words: str
    organ: str
    first: tuple[tuple[int, int], ...] = ()
    periods: tuple[tuple[int, int], ...] = ()
    each: bool = True


@dataclass(frozen=True, slots=True)
class AgentLabel:
    generic: str
    source: str
    jak_inhibitor: bool = False
    before_start: tuple[CountLimit, ...] = ()
    during: tuple[CountLimit, ...] = ()  # the most severe action first
    renal: tuple[RenalBand, ...] = ()
    renal_source: str = ""
    schedules: tuple[LabSchedule, ...] = ()
    # latent tuberculosis and hepatitis B screening before the start
    screening: bool = False
    screening_source: str = ""


_XELJANZ = "XELJANZ (tofacitinib) US prescribing information"
_OLUMIANT = "OLUMIANT (baricitinib) US prescribing information"
_CELLCEPT = "CellCept (mycophenolate mofetil) US prescribing information"
_REMICADE = "REMICADE (infliximab) US prescribing information"

_LYMPHOCYTES_500 = "lymphocytes <500 cells/mm3"
_REPEAT_TESTING = "confirmed by repeat testing"
_ANC_1000 = "ANC <1,000 cells/mm3"

TOFACITINIB = AgentLabel(
    generic="tofacitinib",
    source=f"{_XELJANZ}: Dosage and Administration (dosage modifications for lymphopenia, "
    "neutropenia and anemia); Warnings and Precautions, Laboratory Abnormalities",
    jak_inhibitor=True,
    before_start=(
        CountLimit("ALC", 0.5, DO_NOT_START, _LYMPHOCYTES_500),
        CountLimit("ANC", 1.0, DO_NOT_START, _ANC_1000),
        CountLimit("HGB", 9.0, DO_NOT_START, "hemoglobin <9 g/dL"),
    ),
    during=(
        CountLimit("ALC", 0.5, DISCONTINUE, _LYMPHOCYTES_500, confirm=_REPEAT_TESTING),
        CountLimit("ANC", 0.5, DISCONTINUE, "ANC <500 cells/mm3", confirm=_REPEAT_TESTING),
        # "for persistent decreases in this range": the interruption waits for a second value
        CountLimit(
            "ANC",
            1.0,
            INTERRUPT,
            "ANC 500 to 1,000 cells/mm3",
            inclusive=True,
            confirm="the decrease persists (two counts in a row)",
            then="resume when ANC is above 1,000 cells/mm3",
        ),
        CountLimit(
            "HGB",
            8.0,
            INTERRUPT,
            "hemoglobin <8 g/dL or a decrease of more than 2 g/dL",
            confirm=_REPEAT_TESTING,
            fall_more_than=2.0,
            then="resume when hemoglobin has normalized",
        ),
    ),
    # the label grades renal impairment by Cockcroft-Gault creatinine clearance (moderate
    # 30-50 mL/min, severe <30: 5 mg once daily); the product has eGFR, and eGFR below 60
    # (KDIGO G3a and worse) is where moderate impairment begins on that scale (section 10)
    renal=(
        RenalBand(
            60.0,
            REDUCE_DOSE,
            "warning",
            "eGFR <60 mL/min/1.73 m², moderate or severe renal impairment: 5 mg once daily; the "
            "label grades it by creatinine clearance (50 mL/min or less)",
        ),
    ),
    renal_source=f"{_XELJANZ}: Dosage and Administration, renal impairment",
    schedules=(
        # lymphocytes are not asked for at 4 to 8 weeks, neutrophils and hemoglobin are
        LabSchedule(
            "lymphocytes",
            "Lymphocyte count",
            ("ALC",),
            "lymphocytes at baseline, then every 3 months",
            "blood",
            periods=((0, 91),),
        ),
        LabSchedule(
            "counts",
            "Blood counts",
            ("ANC", "HGB"),
            "ANC and hemoglobin at baseline, after 4 to 8 weeks, then every 3 months",
            "blood",
            first=((28, 56),),
            periods=((56, 91),),
        ),
        LabSchedule(
            "lipids",
            "Lipids",
            ("CHOL", "LDL", "TRIG"),
            "lipid parameters 4 to 8 weeks after the start",
            "lipids",
            first=((28, 56),),
            each=False,
        ),
    ),
    screening=True,
    screening_source=f"{_XELJANZ}: Boxed Warning and Warnings and Precautions, Serious "
    "Infections (tuberculosis, viral reactivation)",
)

BARICITINIB = AgentLabel(
    generic="baricitinib",
    source=f"{_OLUMIANT}: Dosage and Administration (dosage modifications for cytopenias); "
    "Warnings and Precautions, Laboratory Abnormalities",
    jak_inhibitor=True,
    before_start=(
        CountLimit("ALC", 0.5, DO_NOT_START, _LYMPHOCYTES_500),
        CountLimit("ANC", 1.0, DO_NOT_START, _ANC_1000),
        CountLimit("HGB", 8.0, DO_NOT_START, "hemoglobin <8 g/dL"),
    ),
    during=(
        CountLimit("ALC", 0.5, INTERRUPT, _LYMPHOCYTES_500, then="resume once above 500 cells/mm3"),
        CountLimit("ANC", 1.0, INTERRUPT, _ANC_1000, then="resume once above 1,000 cells/mm3"),
        CountLimit("HGB", 8.0, INTERRUPT, "hemoglobin <8 g/dL", then="resume once above 8 g/dL"),
    ),
    # rheumatoid arthritis dosing: 2 mg once daily, 1 mg at eGFR 30 to <60
    renal=(
        RenalBand(30.0, NOT_RECOMMENDED, "critical", "eGFR <30 mL/min/1.73 m²: not recommended"),
        RenalBand(
            60.0,
            REDUCE_DOSE,
            "warning",
            "eGFR 30 to <60 mL/min/1.73 m²: 1 mg once daily (rheumatoid arthritis dosing)",
        ),
    ),
    renal_source=f"{_OLUMIANT}: Dosage and Administration, renal impairment",
    # the counts are checked at baseline and "thereafter according to routine patient
    # management": the label sets no interval, so none is scheduled here
    schedules=(
        LabSchedule(
            "lipids",
            "Lipids",
            ("CHOL", "LDL", "TRIG"),
            "lipid parameters about 12 weeks after the start",
            "lipids",
            first=((70, 91),),
            each=False,
        ),
    ),
    screening=True,
    screening_source=f"{_OLUMIANT}: Boxed Warning and Warnings and Precautions, Serious "
    "Infections (tuberculosis, viral reactivation)",
)

MYCOPHENOLATE_MOFETIL = AgentLabel(
    generic="mycophenolate mofetil",
    source=f"{_CELLCEPT}: Warnings and Precautions, Blood Dyscrasias (neutropenia)",
    during=(
        CountLimit(
            "ANC",
            1.3,
            INTERRUPT_OR_REDUCE,
            "ANC <1.3 x10^3/µL",
            then="perform the appropriate diagnostic tests",
        ),
    ),
    schedules=(
        LabSchedule(
            "counts",
            "Blood counts",
            ("ANC", "HGB"),
            "complete blood counts weekly in the first month, twice a month in months 2 "
            "and 3, then monthly",
            "blood",
            periods=((0, 7), (30, 15), (90, 30)),
        ),
    ),
)

# mycophenolic acid (Myfortic) is the same active moiety: the Myfortic label asks for the
# blood counts to be watched without an interval of its own, so CellCept's apply (section 10)
MYCOPHENOLIC_ACID = replace(
    MYCOPHENOLATE_MOFETIL,
    generic="mycophenolic acid",
    source=MYCOPHENOLATE_MOFETIL.source + ", applied to mycophenolic acid (the same active moiety)",
)

INFLIXIMAB = AgentLabel(
    generic="infliximab",
    source=_REMICADE,
    screening=True,
    screening_source=f"{_REMICADE}: Boxed Warning and Warnings and Precautions, Serious "
    "Infections (tuberculosis) and Hepatitis B Virus Reactivation",
)

LABELS: dict[str, AgentLabel] = {
    label.generic: label
    for label in (
        TOFACITINIB,
        BARICITINIB,
        MYCOPHENOLATE_MOFETIL,
        MYCOPHENOLIC_ACID,
        INFLIXIMAB,
    )
}


def limit_rule(limit: CountLimit) -> str:
    """The label's rule in words: "lymphocytes <500 cells/mm3, confirmed by repeat testing:
    discontinue"."""
    confirm = f", {limit.confirm}" if limit.confirm else ""
    return f"{limit.words}{confirm}: {limit.action}"


def label_for(agent: str) -> AgentLabel | None:
    """The label facts of a recorded agent, however it was written; None for other drugs."""
    return LABELS.get(agent_key(agent))


@dataclass(frozen=True, slots=True)
class PjpRule:
    """Pneumocystis prophylaxis for a patient on long high-dose steroids."""

    min_mg_per_day: float  # prednisone-equivalent
    min_days: int
    drugs: str
    source: str


PJP = PjpRule(
    min_mg_per_day=20.0,
    min_days=28,
    drugs="trimethoprim-sulfamethoxazole; atovaquone, dapsone or pentamidine if it cannot be given",
    source="ASCO 2021; NCCN (Prevention and Treatment of Cancer-Related Infections)",
)
