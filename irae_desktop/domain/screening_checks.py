"""The infection screens a line's label asks for before its start (latent tuberculosis,
hepatitis B), against the results recorded (PatientTimeline.screenings): the judgement the
screening alert and the safety summary show.

A screen counts for a line when it was taken from 12 months before the start
(domain.safety_labels.SCREENING_VALID_DAYS) up to today; one taken after the start still
answers it late. The latest result of each test is read. Tuberculosis is screened by either
test: a positive one stands even beside a negative one of the other kind, and an indeterminate
one with no other result asks for a repeat. Hepatitis B needs both HBsAg and anti-HBc; a
positive anti-HBc beside a positive HBsAg adds nothing to it (clinical reference, section 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from irae_desktop.domain.safety_labels import SCREENING_VALID_DAYS, Severity
from irae_desktop.domain.timeline import (
    SCREENING_TESTS,
    PatientTimeline,
    ScreeningPoint,
    TreatmentSpan,
)

TB_TESTS = ("tb_igra", "tb_skin")
TB_WORDS = "latent TB test (IGRA or skin test)"

_TB_POSITIVE = "latent tuberculosis: treat it before the start, as the label says"
_HBSAG_POSITIVE = (
    "hepatitis B infection: hepatology review and antiviral prophylaxis before the start "
    "(risk of viral reactivation)"
)
_ANTI_HBC_POSITIVE = (
    "past hepatitis B infection, which can reactivate: check HBV DNA, then monitor it or give "
    "antiviral prophylaxis, with hepatology"
)
_REPEAT = "repeat it"
_REPEAT_TB = "repeat it, or do the other TB test"


@dataclass(frozen=True, slots=True)
class ScreeningResultFinding:
    point: ScreeningPoint
    meaning: str  # what the result means and what the label asks
    severity: Severity


@dataclass(frozen=True, slots=True)
class ScreeningFinding:
    line: TreatmentSpan
    missing: tuple[str, ...]  # the screens not recorded, in words
    findings: tuple[ScreeningResultFinding, ...]  # positive and indeterminate results
    counted: tuple[ScreeningPoint, ...]  # the latest result of each test that counts
    too_old: tuple[ScreeningPoint, ...]  # results taken before the 12 months, not counted

    @property
    def complete(self) -> bool:
        return not self.missing and not self.findings


def screen_words(point: ScreeningPoint) -> str:
    """ "TB skin test positive on 2026-02-20"."""
    name = SCREENING_TESTS.get(point.test, point.test)
    return f"{name} {point.result} on {point.taken_on.isoformat()}"


def screening_finding(
    timeline: PatientTimeline, line: TreatmentSpan, today: date
) -> ScreeningFinding:
    first = line.start - timedelta(days=SCREENING_VALID_DAYS)
    # the latest of each test; results are oldest first, the later id wins a tie
    latest: dict[str, ScreeningPoint] = {}
    too_old: dict[str, ScreeningPoint] = {}
    for point in sorted(timeline.screenings, key=lambda p: (p.taken_on, p.id)):
        if point.taken_on > today:
            continue
        (latest if point.taken_on >= first else too_old)[point.test] = point
    # a serious result is named with the weight it has before the start; once the line runs,
    # the team is reminded the management must be in place
    planned = line.status_on(today) == "planned"
    serious: Severity = "critical" if planned else "warning"
    missing: list[str] = []
    found: list[ScreeningResultFinding] = []
    tb = [latest[t] for t in TB_TESTS if t in latest]
    positive_tb = [p for p in tb if p.result == "positive"]
    if positive_tb:
        found += [ScreeningResultFinding(p, _TB_POSITIVE, serious) for p in positive_tb]
    elif not any(p.result == "negative" for p in tb):
        if tb:
            found += [ScreeningResultFinding(p, _REPEAT_TB, "warning") for p in tb]
        else:
            missing.append(TB_WORDS)
    hbsag, anti_hbc = latest.get("hbsag"), latest.get("anti_hbc")
    for test, hbv in (("hbsag", hbsag), ("anti_hbc", anti_hbc)):
        if hbv is None:
            missing.append(SCREENING_TESTS[test])
        elif hbv.result == "indeterminate":
            found.append(ScreeningResultFinding(hbv, _REPEAT, "warning"))
    if hbsag is not None and hbsag.result == "positive":
        found.append(ScreeningResultFinding(hbsag, _HBSAG_POSITIVE, serious))
    elif anti_hbc is not None and anti_hbc.result == "positive":
        found.append(ScreeningResultFinding(anti_hbc, _ANTI_HBC_POSITIVE, "warning"))
    return ScreeningFinding(
        line,
        tuple(missing),
        tuple(found),
        tuple(sorted(latest.values(), key=lambda p: (p.taken_on, p.id))),
        tuple(p for t, p in too_old.items() if t not in latest),
    )
