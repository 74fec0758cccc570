"""Axes the Trends tab reads at a glance: whole days with month and year, plain log ticks."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any

import pyqtgraph as pg

from irae_desktop.ui.patient.display import format_number

DAY = 86400.0
# the room one date label needs ("29 Sep 2026" at 8 pt), in pixels
DATE_LABEL_PX = 78.0
# the least room between two value ticks on a log axis, in pixels
LOG_TICK_PX = 22.0
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _local_day(seconds: float) -> date:
    return datetime.fromtimestamp(seconds).date()


def _midnight(day: date) -> float:
    return datetime(day.year, day.month, day.day).timestamp()


def _add_months(day: date, months: int) -> date:
    n = day.year * 12 + day.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


def date_ticks(lo: float, hi: float, pixels: float) -> tuple[str, list[float]]:
    """("day" or "month", tick positions at local midnight) for the span lo..hi (epoch
    seconds) drawn over `pixels`: as many as fit with a whole label each."""
    if hi <= lo or pixels <= 0:
        return "day", []
    fits = max(int(pixels // DATE_LABEL_PX), 1)
    days = (hi - lo) / DAY
    # a tick closer to an edge than half a label would lose its label (and the year with it)
    margin = (hi - lo) / pixels * DATE_LABEL_PX / 2
    inner_lo, inner_hi = lo + margin, hi - margin
    first, last = _local_day(lo), _local_day(hi)
    for step in (1, 2, 7, 14):
        if days / step <= fits:
            out = []
            day = first
            if step >= 7:  # weeks from fixed days of the month, so ticks do not wander
                day = date(first.year, first.month, 1)
            while day <= last:
                if step < 7 or day.day in ((1, 8, 15, 22) if step == 7 else (1, 15)):
                    at = _midnight(day)
                    if inner_lo <= at <= inner_hi:
                        out.append(at)
                day += timedelta(days=1 if step >= 7 else step)
            return "day", out
    for months in (1, 2, 3, 6, 12, 24, 60):
        if days / (30.44 * months) <= fits:
            out = []
            month = date(first.year, first.month, 1)
            while month <= last:
                if (month.year * 12 + month.month - 1) % months == 0:
                    at = _midnight(month)
                    if inner_lo <= at <= inner_hi:
                        out.append(at)
                month = _add_months(month, 1)
            return "month", out
    return "month", []


def date_labels(kind: str, values: list[float]) -> list[str]:
    """ "29 Sep" or "Oct", with the year on the first label and wherever the year changes."""
    out = []
    year = None
    for v in values:
        day = _local_day(v + 1.0)  # a hair past midnight: never the day before
        text = f"{day.day} {MONTHS[day.month - 1]}" if kind == "day" else MONTHS[day.month - 1]
        if day.year != year:
            text += f" {day.year}"
            year = day.year
        out.append(text)
    return out


class DateAxis(pg.AxisItem):
    """The shared time axis: whole local days, month names, the year where it changes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(orientation="bottom", **kwargs)
        self._kind = "day"

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:
        self._kind, values = date_ticks(minVal, maxVal, size)
        return [(DAY, values)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return date_labels(self._kind, list(values))


def log_ticks(lo: float, hi: float, pixels: float) -> list[float]:
    """Tick values (not their logs) for a log axis from 10**lo to 10**hi: the densest of a
    few plain series (1-2-3-...-9 down to powers of ten) with room between every two ticks."""
    if hi <= lo or pixels <= 0:
        return []
    per_decade = pixels / (hi - lo)
    for mantissas in _LOG_SERIES:
        gaps = [math.log10(b / a) for a, b in zip(mantissas, (*mantissas[1:], 10.0), strict=True)]
        if min(gaps) * per_decade >= LOG_TICK_PX:
            break
    values = []
    for exponent in range(math.floor(lo), math.ceil(hi) + 1):
        for m in mantissas:
            v = float(f"{m * 10.0**exponent:.6g}")
            if lo <= math.log10(v) <= hi:
                values.append(v)
    if not values:  # less than one tick's room: the ends, rounded
        values = [10.0**lo, 10.0**hi]
    return values


_LOG_SERIES: tuple[tuple[float, ...], ...] = (
    (1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 9.0),
    (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0),
    (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0),
    (1.0, 2.0, 3.0, 5.0, 7.0),
    (1.0, 2.0, 5.0),
    (1.0, 3.0),
    (1.0,),
)


class ValueAxis(pg.AxisItem):
    """The value axis: plain numbers, also in log scale (20, 50, 100 rather than 9·10¹)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(orientation="left", **kwargs)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[Any]:
        if not self.logMode:
            return super().tickValues(minVal, maxVal, size)
        return [(1.0, [math.log10(v) for v in log_ticks(minVal, maxVal, size)])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        return [format_number(float(f"{10.0**v:.3g}")) for v in values]
