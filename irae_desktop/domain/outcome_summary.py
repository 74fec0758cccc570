"""Summaries of a case series by agent: counts, median and IQR, and the Kaplan-Meier
proportion of lines back to grade <= 1 by day 7, 14 and 30."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from irae_desktop.domain.km import (
    FollowedLine,
    KmStep,
    kaplan_meier,
    median_days,
    proportion_reached_by,
)
from irae_desktop.domain.outcomes import OutcomeRow

SUMMARY_DAYS = (7, 14, 30)


@dataclass(frozen=True, slots=True)
class Spread:
    """Median and interquartile range (quartiles by the inclusive method, as a spreadsheet's
    QUARTILE.INC) of the lines that have a value."""

    n: int
    median: float
    q1: float
    q3: float


def spread(values: Iterable[int]) -> Spread | None:
    data = sorted(values)
    if not data:
        return None
    if len(data) == 1:
        return Spread(1, float(data[0]), float(data[0]), float(data[0]))
    q1, median, q3 = statistics.quantiles(data, n=4, method="inclusive")
    return Spread(len(data), median, q1, q3)


@dataclass(frozen=True, slots=True)
class AgentSummary:
    agent: str
    lines: int
    patients: int
    reached: int  # lines back to grade <= 1
    not_applicable: int  # lines started at grade <= 1: outside the time-to-event estimate
    days_to_grade_le1: Spread | None  # of the lines that reached it
    days_to_50pct_fall: Spread | None
    km: tuple[KmStep, ...]
    km_median_days: int | None
    reached_by: dict[int, float | None]  # day -> Kaplan-Meier proportion (None: not followed)


def followed_line(row: OutcomeRow) -> FollowedLine | None:
    """The line's time to grade <= 1, or censored at its last draw; None when it started at
    grade <= 1 (nothing to reach)."""
    if row.already_grade_le1_at_start:
        return None
    if row.days_to_grade_le1 is not None:
        return FollowedLine(row.days_to_grade_le1, True)
    return FollowedLine(row.followup_days, False)


def summarize(rows: Iterable[OutcomeRow]) -> list[AgentSummary]:
    """One summary per agent, in agent order."""
    by_agent: dict[str, list[OutcomeRow]] = {}
    for row in rows:
        by_agent.setdefault(row.agent, []).append(row)
    out = []
    for agent in sorted(by_agent):
        group = by_agent[agent]
        followed = [f for f in map(followed_line, group) if f is not None]
        steps = kaplan_meier(followed)
        out.append(
            AgentSummary(
                agent=agent,
                lines=len(group),
                patients=len({r.patient_id for r in group}),
                reached=sum(1 for r in group if r.reached_grade_le1),
                not_applicable=sum(1 for r in group if r.already_grade_le1_at_start),
                days_to_grade_le1=spread(
                    r.days_to_grade_le1 for r in group if r.days_to_grade_le1 is not None
                ),
                days_to_50pct_fall=spread(
                    r.days_to_50pct_fall for r in group if r.days_to_50pct_fall is not None
                ),
                km=steps,
                km_median_days=median_days(steps),
                reached_by={day: proportion_reached_by(steps, day) for day in SUMMARY_DAYS},
            )
        )
    return out
