"""The shared time axis of the trend charts: the window shown, ticks, and the date scale."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors

from irae_desktop.reports.fonts import CONDENSED
from irae_desktop.reports.formatting import local_midnight, local_time, month_name
from irae_desktop.reports.layout import INK, MUTED
from irae_desktop.reports.summary_data import PatientSummaryData

PLAN_AHEAD_DAYS = 28


def chart_window(data: PatientSummaryData, max_days: int) -> tuple[datetime, datetime]:
    """Two weeks before the first ICI dose (or the first result) to now, at most max_days."""
    end = data.now
    candidates = [p.collected_at for p in data.labs]
    candidates += [
        local_midnight(t.line.start) - timedelta(days=14)
        for t in data.treatments
        if t.line.category == "ici"
    ]
    start = min(candidates, default=end - timedelta(days=30))
    start = max(start, end - timedelta(days=max_days))
    if end - start < timedelta(days=14):
        start = end - timedelta(days=14)
    # show the planned taper steps of the coming weeks, so the lanes read as a plan
    planned = [
        s.start for t in data.treatments if t.is_current for s in t.steps if s.state == "planned"
    ]
    ahead = max(planned, default=data.today)
    ahead_days = min((ahead - data.today).days + 4, PLAN_AHEAD_DAYS) if planned else 1
    return start, end + timedelta(days=ahead_days)


class TimeAxis:
    """Maps moments and days to x positions between x0 and x0 + width."""

    def __init__(self, start: datetime, end: datetime, x0: float, width: float):
        self.start, self.x0, self.width = start, x0, width
        self.span = max((end - start).total_seconds(), 1.0)

    def x(self, moment: datetime) -> float:
        return self.x0 + (moment - self.start).total_seconds() / self.span * self.width

    def xd(self, day: date) -> float:
        """Midday of the clinical day (the report's zone), where that day's marks sit."""
        return self.x(local_midnight(day) + timedelta(hours=12))

    def clamp(self, x: float) -> float:
        return min(max(x, self.x0), self.x0 + self.width)


def ticks(start: datetime, end: datetime) -> list[date]:
    days = (end - start).days
    step = next((s for limit, s in ((21, 2), (60, 7), (150, 14), (400, 30)) if days <= limit), 91)
    first = local_time(start).date() + timedelta(days=1)
    if step >= 30:
        first = date(first.year, first.month, 1) + timedelta(days=32)
        first = date(first.year, first.month, 1)
        out = []
        months = step // 30
        while first <= local_time(end).date():
            out.append(first)
            month = first.month - 1 + months
            first = date(first.year + month // 12, month % 12 + 1, 1)
        return out
    return [first + timedelta(days=i) for i in range(0, days, step)]


def draw_time_axis(
    drawing: Drawing,
    axis: TimeAxis,
    y: float,
    start: datetime,
    end: datetime,
    top: float,
    now: datetime,
) -> None:
    drawing.add(Line(axis.x0, y, axis.x0 + axis.width, y, strokeColor=INK, strokeWidth=0.6))
    monthly = (end - start).days > 150
    shown_year: list[int] = []

    def fmt(d: date) -> str:
        """ "29 Sep" or "Sep", with the year on the first label and where the year changes."""
        text = f"{d.day} {month_name(d)}" if not monthly else month_name(d)
        if not shown_year or shown_year[-1] != d.year:
            shown_year.append(d.year)
            text += f" {d.year}"
        return text

    for tick in ticks(start, end):
        tx = axis.xd(tick)
        if not axis.x0 <= tx <= axis.x0 + axis.width:
            continue
        drawing.add(
            Line(tx, y, tx, top - 2, strokeColor=colors.Color(0, 0, 0, alpha=0.08), strokeWidth=0.4)
        )
        drawing.add(
            String(
                tx,
                y - 8,
                fmt(tick),
                fontName=CONDENSED,
                fontSize=6,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    now_x = axis.x(now)
    drawing.add(
        Line(now_x, y, now_x, top - 2, strokeColor=INK, strokeWidth=0.5, strokeDashArray=[2, 2])
    )
