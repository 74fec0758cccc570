"""Hepatitis alert rules: Hy's law pattern, possible steroid-refractory hepatitis, infliximab."""

from __future__ import annotations

import bisect
import math
from datetime import date, datetime, timedelta

from irae_desktop.domain.alert_types import Alert, AlertSettings
from irae_desktop.domain.clinical_day import day_start, day_window
from irae_desktop.domain.grading import fmt_number
from irae_desktop.domain.steroids import is_systemic_steroid, total_prednisone_mg_per_kg
from irae_desktop.domain.timeline import LabPoint, PatientTimeline, sorted_times

_TOL = 1e-9
_NAMES = {"ALT": "ALT", "AST": "AST", "TBILI": "total bilirubin", "ALP": "ALP"}
INFLIXIMAB_NAMES = ("infliximab", "remicade", "inflectra", "renflexis", "avsola", "zessly")


def _at_least(value: float, bound: float) -> bool:
    return value >= bound or math.isclose(value, bound, rel_tol=_TOL)


def _above(value: float, bound: float) -> bool:
    return value > bound and not math.isclose(value, bound, rel_tol=_TOL)


def _x_uln(lab: LabPoint) -> float | None:
    if lab.uln is None or lab.uln <= 0:
        return None
    return lab.value / lab.uln


def _lower_bound_known(lab: LabPoint) -> bool:
    """The true value is at least `value` (exact, or censored from below)."""
    return lab.comparator in ("", ">", ">=")


def _describe(lab: LabPoint, multiple: float) -> str:
    return (
        f"{_NAMES.get(lab.analyte, lab.analyte)} {lab.comparator}{fmt_number(lab.value)} "
        f"{lab.unit} = {multiple:.1f} x ULN"
    )


def _nearest(
    pairs: list[tuple[LabPoint, float]],
    times: list[datetime],
    moment: datetime,
    window: tuple[datetime, datetime],
) -> list[tuple[float, LabPoint, float]]:
    """(seconds away, result, multiple) for the results within `window` (start included, end
    excluded) that are closest to `moment` from before and from after (all those at the
    closest times), in list order; `times` are the sorted collection times of `pairs`."""
    lo = bisect.bisect_left(times, window[0])
    hi = bisect.bisect_left(times, window[1])
    at = bisect.bisect_left(times, moment, lo, hi)
    first = at
    if at > lo:  # the closest time before, with every result sharing it
        first = at - 1
        while first > lo and times[first - 1] == times[at - 1]:
            first -= 1
    last = at
    if at < hi:  # the closest time at or after, with every result sharing it
        last = at + 1
        while last < hi and times[last] == times[at]:
            last += 1
    return [(abs((p.collected_at - moment).total_seconds()), p, m) for p, m in pairs[first:last]]


def _pairs_near(
    pairs: list[tuple[LabPoint, float]],
    times: list[datetime] | None,
    moment: datetime,
    window: tuple[datetime, datetime],
) -> list[tuple[float, LabPoint, float]]:
    """Candidates for the result nearest to `moment` within `window`: all of them when the
    results are not in time order, else only those at the closest times (see _nearest)."""
    if times is None:
        return [
            (abs((p.collected_at - moment).total_seconds()), p, m)
            for p, m in pairs
            if window[0] <= p.collected_at < window[1]
        ]
    return _nearest(pairs, times, moment, window)


def hys_law(timeline: PatientTimeline, settings: AlertSettings) -> list[Alert]:
    """ALT or AST >= 3 x ULN with total bilirubin > 2 x ULN within 14 days, ALP < 2 x ULN.
    The days are clinical days: day 14 before or after the bilirubin's day is in, day 15 out
    (clinical reference, decision 10)."""
    amino = []
    for lab in timeline.labs_for("ALT", "AST"):
        m = _x_uln(lab)
        threshold = settings.hys_law_aminotransferase_x_uln
        if m is not None and _lower_bound_known(lab) and _at_least(m, threshold):
            amino.append((lab, m))
    if not amino:
        return []
    amino_times = sorted_times([lab for lab, _ in amino])
    alps = [(lab, m) for lab in timeline.labs_for("ALP") if (m := _x_uln(lab)) is not None]
    alp_times = sorted_times([lab for lab, _ in alps])
    best: tuple[datetime, str, str] | None = None
    for bili in timeline.labs_for("TBILI"):
        bm = _x_uln(bili)
        if bm is None or not _lower_bound_known(bili):
            continue
        if not _above(bm, settings.hys_law_bilirubin_x_uln):
            continue
        window = day_window(bili.collected_at, settings.hys_law_window_days, timeline.zone)
        near = _pairs_near(amino, amino_times, bili.collected_at, window)
        if not near:
            continue
        _, a_lab, a_m = min(near, key=lambda t: (t[0], -t[1].id))
        alp_text = "ALP not measured within the window"
        near_alp = _pairs_near(alps, alp_times, bili.collected_at, window)
        if near_alp:
            p_m = min(near_alp, key=lambda t: t[0])[2]
            if _at_least(p_m, settings.hys_law_alp_below_x_uln):
                continue  # cholestatic pattern: not Hy's law
            alp_text = f"ALP {p_m:.1f} x ULN (below {fmt_number(settings.hys_law_alp_below_x_uln)})"
        evidence_at = max(a_lab.collected_at, bili.collected_at)
        rule = (
            f"{_describe(a_lab, a_m)} (at least "
            f"{fmt_number(settings.hys_law_aminotransferase_x_uln)}) and {_describe(bili, bm)} "
            f"(above {fmt_number(settings.hys_law_bilirubin_x_uln)}) within "
            f"{settings.hys_law_window_days} days; {alp_text}; exclude other causes"
        )
        key = f"hys_law:{a_lab.id}:{bili.id}"
        if best is None or evidence_at > best[0]:
            best = (evidence_at, key, rule)
    if best is None:
        return []
    evidence_at, key, rule = best
    return [
        Alert(
            key=key,
            kind="hys_law",
            severity="critical",
            title="Hy's law pattern",
            rule=rule,
            source="FDA DILI guidance 2009",
            evidence_at=evidence_at,
            organ="liver",
        )
    ]


def _adequate_run(
    timeline: PatientTimeline, today: date, settings: AlertSettings
) -> tuple[date, date] | None:
    """The latest run of consecutive days at or above the adequate steroid dose."""
    steroids = [t for t in timeline.treatments if is_systemic_steroid(t)]
    if not steroids:
        return None
    run: tuple[date, date] | None = None
    day = min(t.start for t in steroids)
    threshold = settings.refractory_min_mg_per_kg_day
    while day <= today:
        per_kg = total_prednisone_mg_per_kg(steroids, day, timeline.weight_kg)
        if per_kg is not None and _at_least(per_kg, threshold):
            if run is not None and run[1] == day - timedelta(days=1):
                run = (run[0], day)
            else:
                run = (day, day)
        day += timedelta(days=1)
    return run


def steroid_refractory(
    timeline: PatientTimeline, now: datetime, settings: AlertSettings
) -> list[Alert]:
    """Adequate steroids (>= 0.5 mg/kg/day prednisone-equivalent) for 3 days or more, and
    neither ALT nor AST down by a grade or by 25% from its peak since steroid start. Days are
    clinical days (clinical reference, decision 10)."""
    today = timeline.day_of(now)
    run = _adequate_run(timeline, today, settings)
    if run is None or run[1] < today - timedelta(days=1):
        return []
    start = run[0]
    eval_from = start + timedelta(days=settings.refractory_after_days)
    if today < eval_from:
        return []
    for t in timeline.treatments:
        if t.category == "immunosuppression" and not is_systemic_steroid(t) and start <= t.start:
            return []  # second line already started
    findings = []
    for code in ("ALT", "AST"):
        labs = [
            lab
            for lab in timeline.labs_for(code)
            if lab.grade is not None
            and timeline.day_of(lab.collected_at) >= start - timedelta(days=3)
        ]
        later = [lab for lab in labs if timeline.day_of(lab.collected_at) >= eval_from]
        if not labs or not later:
            continue
        peak = max(labs, key=lambda lab: (lab.value, lab.collected_at))
        latest = later[-1]
        assert peak.grade is not None and latest.grade is not None
        fell_grade = latest.grade <= peak.grade - 1
        fell_value = _at_least((1 - settings.refractory_fall_fraction) * peak.value, latest.value)
        findings.append((code, peak, latest, fell_grade or fell_value))
    if not findings or any(improved for *_, improved in findings):
        return []
    worst = max(peak.grade or 0 for _, peak, _, _ in findings)
    if worst < settings.hepatitis_active_min_grade:
        return []
    parts = [
        f"{code} peak {fmt_number(peak.value)} {peak.unit} (grade {peak.grade}), latest "
        f"{fmt_number(latest.value)} {latest.unit} (grade {latest.grade}) on "
        f"{timeline.day_of(latest.collected_at).isoformat()}"
        for code, peak, latest, _ in findings
    ]
    days = (min(run[1], today) - start).days + 1
    rule = (
        f"{days} days of prednisone-equivalent at least "
        f"{fmt_number(settings.refractory_min_mg_per_kg_day)} mg/kg/day since {start.isoformat()}; "
        + "; ".join(parts)
        + f": no fall by a grade or by {settings.refractory_fall_fraction:.0%}; consider "
        "second-line immunosuppression (mycophenolate)"
    )
    return [
        Alert(
            key=f"steroid_refractory:{start.isoformat()}",
            kind="steroid_refractory",
            severity="critical",
            title="Possible steroid-refractory hepatitis",
            rule=rule,
            source="SITC; ASCO 2021",
            evidence_at=max(latest.collected_at for _, _, latest, _ in findings),
            organ="liver",
        )
    ]


def _hepatitis_active_on(
    timeline: PatientTimeline, day: date, settings: AlertSettings
) -> tuple[str, datetime | None]:
    """Why hepatitis counts as active on `day` ("" when it does not), and since when the
    evidence stands (an open episode's onset, or the liver result that shows it)."""
    for ep in timeline.episodes:
        organ = ep.organ.lower()
        liver = ("hepat" in organ or "liver" in organ) and ep.status != "resolved"
        if liver and ep.onset <= day and (ep.resolution is None or day <= ep.resolution):
            since = day_start(ep.onset, timeline.zone)
            return f"hepatitis episode since {ep.onset.isoformat()}", since
    for code in ("ALT", "AST"):
        before = [
            lab
            for lab in timeline.labs_for(code)
            if lab.grade is not None
            and day - timedelta(days=14) <= timeline.day_of(lab.collected_at) <= day
        ]
        if before and (before[-1].grade or 0) >= settings.hepatitis_active_min_grade:
            lab = before[-1]
            return f"{code} grade {lab.grade} on {timeline.day_of(lab.collected_at)}", (
                lab.collected_at
            )
    return "", None


def infliximab_in_hepatitis(
    timeline: PatientTimeline, now: datetime, settings: AlertSettings
) -> list[Alert]:
    """Infliximab on board while immune-related hepatitis is active today: contraindicated.

    A condition (clinical reference, decision 13): it holds while hepatitis is active now and
    the infliximab line either runs today or was started while hepatitis was active; it is gone
    once hepatitis is no longer active."""
    today = timeline.day_of(now)
    lines = [
        t
        for t in timeline.treatments
        if t.start <= today and any(name in t.agent.lower() for name in INFLIXIMAB_NAMES)
    ]
    if not lines:
        return []
    why_now, active_since = _hepatitis_active_on(timeline, today, settings)
    if not why_now:
        return []
    alerts = []
    for line in lines:
        why_then, _ = _hepatitis_active_on(timeline, line.start, settings)
        if not why_then and not line.active_on(today):
            continue
        started = day_start(line.start, timeline.zone)
        began = started if why_then or active_since is None else max(started, active_since)
        when = f"started {line.start.isoformat()} while" if why_then else "on board and"
        alerts.append(
            Alert(
                key=f"infliximab_hepatitis:{line.id}",
                kind="infliximab_hepatitis",
                severity="critical",
                title="Infliximab with active hepatitis",
                rule=(
                    f"{line.agent} {when} hepatitis is active ({why_then or why_now}); "
                    f"still active now ({why_now}); infliximab is contraindicated in "
                    "immune-related hepatitis"
                ),
                source="ASCO 2021; SITC; ESMO; NCCN",
                evidence_at=started,
                organ="liver",
                began_at=began,
            )
        )
    return alerts


def steroid_dose_unjudged(timeline: PatientTimeline, now: datetime) -> list[Alert]:
    """A systemic steroid is running but its mg/kg dose cannot be worked out (no weight, or a
    dose or frequency that cannot be read), so the steroid-refractory rule cannot run."""
    today = timeline.day_of(now)
    alerts = []
    for span in timeline.treatments:
        if not is_systemic_steroid(span) or not span.active_on(today):
            continue
        if total_prednisone_mg_per_kg([span], today, timeline.weight_kg) is not None:
            continue
        why = (
            "no weight is recorded"
            if not timeline.weight_kg
            else "its dose, unit or frequency cannot be read"
        )
        alerts.append(
            Alert(
                key=f"steroid_dose_unjudged:{span.id}",
                kind="steroid_dose_unjudged",
                severity="info",
                title="Steroid dose per kg unknown",
                rule=(
                    f"{span.agent} since {span.start.isoformat()}: {why}, so prednisone-equivalent "
                    "mg/kg/day and the steroid-refractory check cannot be worked out"
                ),
                source="SITC; ASCO 2021",
                evidence_at=day_start(span.start, timeline.zone),
                organ="liver",
            )
        )
    return alerts
