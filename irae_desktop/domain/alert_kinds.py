"""Every alert kind's stable identifier and lifecycle, and where an alert stands today.

Alerts describe the present (clinical reference, decision 13). A *condition* is re-evaluated on
the current data every time and is gone as soon as it no longer holds; acknowledging it would
only hide a fact that is still true, so it cannot be acknowledged. An *event* is something that
happened (a new maximum grade, a flare): it stays open until a clinician acknowledges it. An
unacknowledged event counts as current for the last 7 clinical days; after that it is still
shown, muted, as "unacknowledged", and no longer counts among the patient's critical alerts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from irae_desktop.domain.alert_types import Alert

Lifecycle = Literal["condition", "event"]
# current: counts on the worklist; unacknowledged: an older open event, shown muted;
# acknowledged: an event a clinician has closed
Standing = Literal["current", "unacknowledged", "acknowledged"]

# clinical days (today and the six before) an unacknowledged event counts as current
RECENT_EVENT_DAYS = 7


@dataclass(frozen=True, slots=True)
class AlertKind:
    id: str
    lifecycle: Lifecycle
    why: str  # why this lifecycle: shown to nobody, kept beside the choice it explains


ALERT_KINDS: dict[str, AlertKind] = {
    k.id: k
    for k in (
        AlertKind(
            "grade_escalation",
            "event",
            "a new maximum grade is a moment in the history; as a condition it would hold "
            "forever, so it is closed by a clinician having seen it",
        ),
        AlertKind(
            "flare",
            "event",
            "worsening after improvement is a change that calls for re-escalating "
            "immunosuppression once; it stays open until someone has acted on it "
            "(clinical reference, decision 14)",
        ),
        AlertKind(
            "hys_law",
            "event",
            "the pattern marks a moment of severe liver injury with prognostic weight; a later "
            "normal bilirubin does not undo it, so it must not vanish before someone has seen it",
        ),
        AlertKind(
            "ici_diabetes",
            "event",
            "ICI-diabetes is usually permanent and insulin lowers the glucose that revealed it; "
            "as a condition it would clear with treatment although the diagnosis stands",
        ),
        AlertKind(
            "steroid_refractory",
            "condition",
            "judged on the steroid run and the liver tests of today; it clears when ALT or AST "
            "fall or second-line immunosuppression starts",
        ),
        AlertKind(
            "infliximab_hepatitis",
            "condition",
            "infliximab on board while hepatitis is active now; it clears when hepatitis is "
            "no longer active",
        ),
        AlertKind(
            "labs_overdue",
            "condition",
            "true until the next liver or glucose result arrives, or the monitoring labs a "
            "treatment's label schedules",
        ),
        AlertKind(
            "steroid_dose_unjudged",
            "condition",
            "true while a running steroid has no readable dose per kilogram",
        ),
        AlertKind(
            "ici_diabetes_check",
            "condition",
            "true until C-peptide or ketones are measured near the high glucose",
        ),
        AlertKind(
            "needs_review",
            "condition",
            "true until a clinician confirms or corrects the held result "
            "(clinical reference, decision 11)",
        ),
        AlertKind(
            "steroid_hyperglycemia",
            "event",
            "an explanation offered once for a high glucose on high-dose steroids; re-judged "
            "every day it would stand on the worklist for as long as the glucose stays the "
            "latest high one, so it is closed by a clinician having read it",
        ),
        AlertKind(
            "jak_lab_threshold",
            "condition",
            "judged on the latest counts and the line's status today: it clears when a count "
            "comes back above the label's limit, a repeat is drawn or the line is stopped",
        ),
        AlertKind(
            "jak_renal",
            "condition",
            "judged on the latest eGFR while the line is planned, on or held; it clears with a "
            "better eGFR or when the line stops",
        ),
        AlertKind(
            "mmf_cytopenia",
            "condition",
            "true while mycophenolate is on and the latest neutrophil count is below the "
            "label's limit",
        ),
        AlertKind(
            "pjp_prophylaxis",
            "condition",
            "true while the high-dose steroid run goes on without a prophylaxis line on",
        ),
        AlertKind(
            "infection_screening",
            "condition",
            "true until the screens are recorded, and a result that is not negative for as "
            "long as the line is planned or runs: its management must stay in place",
        ),
        AlertKind(
            "duplicate_line",
            "condition",
            "true until the record is corrected (one line stopped or removed)",
        ),
    )
}


def lifecycle_of(kind: str) -> Lifecycle:
    """A kind this table does not know is treated as a condition: shown for as long as its
    rule returns it and never hidden by an acknowledgement."""
    found = ALERT_KINDS.get(kind)
    return found.lifecycle if found is not None else "condition"


def kind_of_key(key: str) -> str:
    """The kind an alert key names (keys are "kind:evidence")."""
    return key.split(":", 1)[0].strip()


def can_acknowledge(kind: str) -> bool:
    return lifecycle_of(kind) == "event"


def standing(alert: Alert, acknowledged: bool, raised_day: date, today: date) -> Standing:
    """Where `alert` stands on clinical day `today`; `raised_day` is the clinical day of
    `alert.raised_at` (the caller knows the team's time zone)."""
    if lifecycle_of(alert.kind) == "condition":
        return "current"
    if acknowledged:
        return "acknowledged"
    if (today - raised_day).days < RECENT_EVENT_DAYS:
        return "current"
    return "unacknowledged"
