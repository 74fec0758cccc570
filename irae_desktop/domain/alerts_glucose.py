"""ICI-diabetes alert rules: marked or new hyperglycemia with low C-peptide or raised ketones;
hyperglycemia on high-dose steroids with preserved C-peptide told apart as likely
steroid-induced (clinical reference, section 10)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from irae_desktop.domain.alert_types import Alert, AlertSettings
from irae_desktop.domain.clinical_day import day_window
from irae_desktop.domain.grading import fmt_number
from irae_desktop.domain.steroids import steroid_day
from irae_desktop.domain.timeline import LabPoint, PatientTimeline, labs_within, sorted_times
from irae_desktop.domain.units import CPEPTIDE_NMOL_PER_NG

GLUCOSE_CODES = ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC")
STEROID_KIND = "steroid_hyperglycemia"
# product decision (clinical reference, section 10): from 20 mg/day prednisone-equivalent a
# steroid raises glucose enough to explain a diabetes-range value (the dose from which ASCO
# 2021 and NCCN count steroids as high enough for Pneumocystis prophylaxis)
HIGH_DOSE_STEROID_MG_DAY = 20.0


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


def _steroid_words(timeline: PatientTimeline, lab: LabPoint) -> tuple[str, float | None]:
    """("; on systemic steroids that day: prednisone 60 mg/day prednisone-equivalent" or "",
    that day's prednisone-equivalent mg, None when unknown or none)."""
    day = steroid_day(timeline.treatments, timeline.day_of(lab.collected_at), timeline.weight_kg)
    if not day.parts:
        return "", None
    return f"; on systemic steroids that day: {day.words()}", day.total_mg


def _high_dose(mg: float | None) -> bool:
    return mg is not None and mg >= HIGH_DOSE_STEROID_MG_DAY


def _preserved_cpeptide(nearby: list[LabPoint], settings: AlertSettings) -> LabPoint | None:
    """The latest C-peptide of the window that is certainly not below the deficient threshold."""
    limit = settings.diabetes_cpeptide_below_nmol_l / CPEPTIDE_NMOL_PER_NG
    kept = [
        lab
        for lab in nearby
        if lab.analyte == "CPEPTIDE" and lab.comparator in ("", ">", ">=") and lab.value >= limit
    ]
    return kept[-1] if kept else None


def steroid_hyperglycemia(
    timeline: PatientTimeline,
    triggers: list[tuple[LabPoint, str]],
    others: list[LabPoint],
    settings: AlertSettings,
) -> list[Alert]:
    """The latest diabetes-range glucose drawn on at least 20 mg/day prednisone-equivalent,
    with a C-peptide that is not low and no raised ketones nearby: likely steroid-induced, not
    ICI diabetes (the caller has found no C-peptide or ketones that support ICI diabetes)."""
    times = sorted_times(others)
    limit = settings.diabetes_cpeptide_below_nmol_l / CPEPTIDE_NMOL_PER_NG
    for lab, why in reversed(triggers):
        steroids, mg = _steroid_words(timeline, lab)
        if not _high_dose(mg):
            continue
        nearby, _support = _supporting(others, times, lab, settings, timeline.zone)
        cpeptide = _preserved_cpeptide(nearby, settings)
        if cpeptide is None:
            continue
        ketones = [x for x in nearby if x.analyte == "BHB"]
        ketone_words = (
            f"beta-hydroxybutyrate {ketones[-1].comparator}{fmt_number(ketones[-1].value)} "
            f"{ketones[-1].unit} (not above {fmt_number(settings.diabetes_bhb_above_mmol_l)} "
            "mmol/L)"
            if ketones
            else "ketones not measured"
        )
        rule = (
            f"glucose {lab.comparator}{fmt_number(lab.value)} {lab.unit} on "
            f"{timeline.day_of(lab.collected_at).isoformat()} ({why}){steroids}; C-peptide "
            f"{cpeptide.comparator}{fmt_number(cpeptide.value)} {cpeptide.unit} on "
            f"{timeline.day_of(cpeptide.collected_at).isoformat()} (not below "
            f"{fmt_number(settings.diabetes_cpeptide_below_nmol_l)} nmol/L = {limit:.2f} ng/mL), "
            f"{ketone_words}: likely steroid-induced hyperglycemia, not ICI diabetes; treat the "
            "glucose, and think again if C-peptide falls or ketones rise"
        )
        return [
            Alert(
                key=f"{STEROID_KIND}:{lab.id}:{cpeptide.id}",
                kind=STEROID_KIND,
                severity="info",
                title="Hyperglycemia on high-dose steroids: likely steroid-induced",
                rule=rule,
                source="ASCO 2021",
                evidence_at=max(lab.collected_at, cpeptide.collected_at),
                organ="glucose",
            )
        ]
    return []


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
            steroids, _mg = _steroid_words(timeline, lab)
            rule = (
                f"glucose {lab.comparator}{fmt_number(lab.value)} {lab.unit} on "
                f"{timeline.day_of(lab.collected_at).isoformat()} ({why}) with {words} within "
                f"{settings.diabetes_window_days} days{steroids}: urgent endocrine review, "
                "insulin; steroids do not treat it"
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
    found = steroid_hyperglycemia(timeline, triggers, others, settings)
    for lab, why in reversed(triggers):
        nearby, _support = _supporting(others, times, lab, settings, timeline.zone)
        if nearby:
            continue  # measured and not supportive: no reminder for this one
        if start is None or timeline.day_of(lab.collected_at) <= start:
            continue
        steroids, mg = _steroid_words(timeline, lab)
        if _high_dose(mg):
            steroids += (
                ": steroid-induced hyperglycemia is likely, and only C-peptide and ketones tell "
                "it from ICI diabetes"
            )
        rule = (
            f"glucose {lab.comparator}{fmt_number(lab.value)} {lab.unit} on "
            f"{timeline.day_of(lab.collected_at).isoformat()} ({why}) on immunotherapy, no "
            "C-peptide or beta-hydroxybutyrate within "
            f"{settings.diabetes_window_days} days{steroids}: measure both"
        )
        return [
            *found,
            Alert(
                key=f"ici_diabetes_check:{lab.id}",
                kind="ici_diabetes_check",
                severity="warning",
                title="Hyperglycemia on ICI: check C-peptide and ketones",
                rule=rule,
                source="ASCO 2021",
                evidence_at=lab.collected_at,
                organ="glucose",
            ),
        ]
    return found
