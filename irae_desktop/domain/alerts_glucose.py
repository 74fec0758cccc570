"""ICI-diabetes alert rules: marked or new hyperglycemia with low C-peptide or raised ketones."""

from __future__ import annotations

from datetime import datetime, tzinfo

from irae_desktop.domain.alert_types import Alert, AlertSettings
from irae_desktop.domain.clinical_day import day_window
from irae_desktop.domain.grading import fmt_number
from irae_desktop.domain.timeline import LabPoint, PatientTimeline, labs_within, sorted_times
from irae_desktop.domain.units import CPEPTIDE_NMOL_PER_NG

GLUCOSE_CODES = ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC")


def _is_hyper(lab: LabPoint) -> bool:
    """Graded 1 or more for being high (not for hypoglycemia)."""
    return (lab.grade or 0) >= 1 and lab.uln is not None and lab.value > lab.uln


def _trigger_reason(lab: LabPoint, settings: AlertSettings, new_after_ici: bool) -> str:
    """Why this glucose counts as diabetes-range hyperglycemia ("" when it does not)."""
    at_least = lab.comparator in ("", ">", ">=")
    if at_least and lab.value > settings.diabetes_glucose_above_mg_dl:
        return f"above {fmt_number(settings.diabetes_glucose_above_mg_dl)} mg/dL"
    if at_least and (lab.grade or 0) >= 3 and _is_hyper(lab):
        return f"grade {lab.grade}"
    if new_after_ici and at_least and _is_hyper(lab):
        return f"new hyperglycemia (grade {lab.grade}) after ICI start"
    return ""


def _supporting(
    others: list[LabPoint],
    times: list[datetime] | None,
    glucose: LabPoint,
    settings: AlertSettings,
    zone: tzinfo,
) -> tuple[list[LabPoint], list[tuple[LabPoint, str]]]:
    """(C-peptide and ketone results in the window, those among them that support diabetes);
    the window is counted in clinical days (clinical reference, decision 10)."""
    start, end = day_window(glucose.collected_at, settings.diabetes_window_days, zone)
    cpep_limit = settings.diabetes_cpeptide_below_nmol_l / CPEPTIDE_NMOL_PER_NG
    nearby = labs_within(others, times, start, end)
    support: list[tuple[LabPoint, str]] = []
    for lab in nearby:
        shown = f"{lab.comparator}{fmt_number(lab.value)} {lab.unit}"
        if lab.analyte == "CPEPTIDE":
            if lab.comparator in ("", "<", "<=") and lab.value < cpep_limit:
                support.append(
                    (
                        lab,
                        f"C-peptide {shown} (below "
                        f"{fmt_number(settings.diabetes_cpeptide_below_nmol_l)} nmol/L = "
                        f"{cpep_limit:.2f} ng/mL)",
                    )
                )
        elif lab.comparator in ("", ">", ">=") and lab.value > settings.diabetes_bhb_above_mmol_l:
            support.append(
                (
                    lab,
                    f"beta-hydroxybutyrate {shown} (above "
                    f"{fmt_number(settings.diabetes_bhb_above_mmol_l)} mmol/L)",
                )
            )
    return nearby, support


def ici_diabetes(timeline: PatientTimeline, settings: AlertSettings) -> list[Alert]:
    """The latest diabetes-range glucose, with the C-peptide or ketones that support it; or a
    reminder to measure them when neither was measured within the window."""
    start = timeline.first_ici_start
    glucose = timeline.labs_for(*GLUCOSE_CODES)
    hyper_before = start is not None and any(
        _is_hyper(lab) for lab in glucose if timeline.day_of(lab.collected_at) <= start
    )
    triggers = []
    for lab in glucose:
        after_ici = start is not None and timeline.day_of(lab.collected_at) > start
        why = _trigger_reason(lab, settings, after_ici and not hyper_before)
        if why:
            triggers.append((lab, why))
    others = timeline.labs_for("CPEPTIDE", "BHB")
    times = sorted_times(others)
    # the pattern is an event (clinical reference, decision 13): it is raised at the first
    # diabetes-range glucose that its C-peptide or ketones support, with the first result that
    # supports it, so later draws of the same episode do not raise it again as if new
    for lab, why in triggers:
        _nearby, support = _supporting(others, times, lab, settings, timeline.zone)
        if support:
            evidence, words = min(support, key=lambda s: s[0].collected_at)
            rule = (
                f"glucose {lab.comparator}{fmt_number(lab.value)} {lab.unit} on "
                f"{timeline.day_of(lab.collected_at).isoformat()} ({why}) with {words} within "
                f"{settings.diabetes_window_days} days: urgent endocrine review, insulin; "
                "steroids do not treat it"
            )
            return [
                Alert(
                    key=f"ici_diabetes:{lab.id}:{evidence.id}",
                    kind="ici_diabetes",
                    severity="critical",
                    title="ICI-diabetes pattern",
                    rule=rule,
                    source="ASCO 2021",
                    evidence_at=max(lab.collected_at, evidence.collected_at),
                    organ="glucose",
                )
            ]
    for lab, why in reversed(triggers):
        nearby, _support = _supporting(others, times, lab, settings, timeline.zone)
        if nearby:
            continue  # measured and not supportive: no reminder for this one
        if start is None or timeline.day_of(lab.collected_at) <= start:
            continue
        rule = (
            f"glucose {lab.comparator}{fmt_number(lab.value)} {lab.unit} on "
            f"{timeline.day_of(lab.collected_at).isoformat()} ({why}) on immunotherapy, no "
            "C-peptide or beta-hydroxybutyrate within "
            f"{settings.diabetes_window_days} days: measure both"
        )
        return [
            Alert(
                key=f"ici_diabetes_check:{lab.id}",
                kind="ici_diabetes_check",
                severity="warning",
                title="Hyperglycemia on ICI: check C-peptide and ketones",
                rule=rule,
                source="ASCO 2021",
                evidence_at=lab.collected_at,
                organ="glucose",
            )
        ]
    return []
