"""The grade bands one plot panel shades behind a patient's results: the bands the grader
applies to the panel's analytes now, where all of them agree (clinical reference, decision 15).

The window and the printed charts both take their bands from here, so they shade alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.domain.grade_bands import GradeBands, Side, grade_bands
from irae_desktop.domain.units import UnitError, convert


class BandSource(Protocol):
    """The fields of a stored result that decide its bands."""

    @property
    def collected_at(self) -> datetime: ...
    @property
    def value(self) -> float: ...
    @property
    def unit(self) -> str: ...
    @property
    def uln(self) -> float | None: ...
    @property
    def lln(self) -> float | None: ...
    @property
    def is_baseline(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class PanelBand:
    """A grade's interval in the analyte's canonical unit, or in multiples of its ULN."""

    grade: int
    side: Side
    low: float  # 0 when the band reaches down to nothing
    high: float | None  # None: no upper end


@dataclass(frozen=True, slots=True)
class PanelBands:
    bands: tuple[PanelBand, ...]
    # per analyte, the bands it is graded with now (canonical unit), for the words of a note
    by_analyte: Mapping[str, GradeBands]
    # the ULN the bands stand on (canonical unit), per analyte
    uln: Mapping[str, float | None]
    # the analytes whose bands differ: only the grades they share are shaded
    disagree: bool


# a clinician's baseline override: (value, ULN) in the canonical unit
Override = tuple[float, float | None]


def analyte_bands(
    analyte: str,
    results: Sequence[BandSource],
    criteria_id: str,
    override: Override | None = None,
    *,
    before_start: bool = False,
) -> tuple[GradeBands, float | None] | None:
    """The bands a new result of `analyte` would be graded with, in the canonical unit, and
    the ULN they stand on: the latest reference range, and the baseline the grader uses (a
    clinician's override, else the result it marked; its abnormal-baseline rules apply
    after the first ICI start). None when the analyte is unknown or its unit cannot be
    converted. `before_start`: the bands of results on or before the first ICI start, which
    the grader grades against the ULN whatever the baseline."""
    if analyte not in ANALYTES or not results:
        return None
    canonical = ANALYTES[analyte].canonical_unit
    latest = max(results, key=lambda r: r.collected_at)
    with_range = [r for r in results if r.uln is not None or r.lln is not None]
    ref = max(with_range, key=lambda r: r.collected_at) if with_range else latest
    marked = [r for r in results if r.is_baseline]
    base = max(marked, key=lambda r: r.collected_at) if marked else None
    try:
        uln = _in(analyte, ref.uln, ref.unit, canonical)
        lln = _in(analyte, ref.lln, ref.unit, canonical)
        baseline = baseline_uln = None
        if before_start:
            pass
        elif override is not None:
            baseline, baseline_uln = override
        elif base is not None:
            baseline = _in(analyte, base.value, base.unit, canonical)
            baseline_uln = _in(analyte, base.uln, base.unit, canonical)
        bands = grade_bands(
            analyte,
            canonical,
            uln=uln,
            lln=lln,
            baseline=baseline,
            baseline_uln=baseline_uln,
            criteria_id=criteria_id,
        )
    except (UnitError, ValueError):
        return None
    return bands, uln


def _in(analyte: str, value: float | None, unit: str, canonical: str) -> float | None:
    if value is None or unit == canonical:
        return value
    return convert(analyte, value, unit, canonical)


def panel_bands(
    results: Mapping[str, Sequence[BandSource]],
    criteria_id: str,
    *,
    relative: bool = False,
    overrides: Mapping[str, Override] | None = None,
    before_start: bool = False,
) -> PanelBands:
    """The bands shared by every analyte of a panel (analyte -> its results).

    `relative`: in multiples of each analyte's ULN, for a panel that plots value / ULN.
    `before_start`: the bands of results on or before the first ICI start (ULN rules).
    A grade is shaded only over the values where every analyte would get it, so a point inside
    a band has that band's grade whichever analyte it is.
    """
    by_analyte: dict[str, GradeBands] = {}
    ulns: dict[str, float | None] = {}
    scaled: list[list[PanelBand]] = []
    for analyte, rows in results.items():
        found = analyte_bands(
            analyte,
            rows,
            criteria_id,
            (overrides or {}).get(analyte),
            before_start=before_start,
        )
        if found is None:
            return PanelBands((), by_analyte, ulns, False)
        bands, uln = found
        by_analyte[analyte], ulns[analyte] = bands, uln
        scale = 1.0
        if relative:
            if not uln:
                return PanelBands((), by_analyte, ulns, False)
            scale = 1.0 / uln
        scaled.append(
            [
                PanelBand(
                    b.grade,
                    b.side,
                    (b.low or 0.0) * scale,
                    None if b.high is None else b.high * scale,
                )
                for b in bands.bands
            ]
        )
    if not scaled:
        return PanelBands((), by_analyte, ulns, False)
    shared = scaled[0]
    for other in scaled[1:]:
        shared = _intersect(shared, other)
    disagree = any(_key(s) != _key(scaled[0]) for s in scaled[1:])
    return PanelBands(tuple(shared), by_analyte, ulns, disagree)


def _key(bands: list[PanelBand]) -> list[tuple[int, str, float, float | None]]:
    return [
        (b.grade, b.side, round(b.low, 9), None if b.high is None else round(b.high, 9))
        for b in bands
    ]


def _intersect(a: list[PanelBand], b: list[PanelBand]) -> list[PanelBand]:
    out = []
    for x in a:
        for y in b:
            if (x.grade, x.side) != (y.grade, y.side):
                continue
            low = max(x.low, y.low)
            tops = [t for t in (x.high, y.high) if t is not None]
            high = min(tops) if tops else None
            # ends equal to 9 decimals are one point (as _key reads them), not a band: two
            # grades that only touch after scaling by each ULN share no value
            if high is None or round(high, 9) > round(low, 9):
                out.append(PanelBand(x.grade, x.side, low, high))
    return out


def same_bands(a: PanelBands, b: PanelBands) -> bool:
    """Both shade the same grades over the same values."""
    return _key(list(a.bands)) == _key(list(b.bands))
