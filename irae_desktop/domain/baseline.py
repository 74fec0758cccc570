"""Baseline per analyte: the last result on or before the first ICI start, or a clinician's pick."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Literal, Protocol

from irae_desktop.domain.clinical_day import on_or_before


class BaselineSource(Protocol):
    """Anything with the fields of a lab result that baseline selection reads."""

    @property
    def id(self) -> int: ...
    @property
    def analyte(self) -> str: ...
    @property
    def collected_at(self) -> datetime: ...
    @property
    def value(self) -> float: ...
    @property
    def uln(self) -> float | None: ...


@dataclass(frozen=True, slots=True)
class BaselineOverride:
    """A clinician's chosen baseline for one analyte (value and ULN in the canonical unit)."""

    analyte: str
    value: float
    uln: float | None
    reason: str


@dataclass(frozen=True, slots=True)
class Baseline:
    analyte: str
    value: float
    uln: float | None
    origin: Literal["result", "override"]
    result_id: int | None = None
    collected_at: datetime | None = None
    reason: str | None = None

    @property
    def abnormal(self) -> bool:
        """Above the ULN reported with the baseline result (clinical reference, decision 3)."""
        return self.uln is not None and self.value > self.uln


def select_baseline(
    results: Iterable[BaselineSource],
    first_ici_start: date | None,
    *,
    zone: tzinfo,
    overrides: Mapping[str, BaselineOverride] | None = None,
) -> dict[str, Baseline]:
    """Analyte -> baseline. Automatic: the last result collected on or before the start date
    of the first ICI line, that day being the clinical day in `zone` (clinical reference,
    decision 10; a naive time is UTC). A clinician's override wins. No ICI start and no
    override: no baseline (graded as a normal baseline).
    """
    chosen: dict[str, BaselineSource] = {}
    if first_ici_start is not None:
        by_start = on_or_before(first_ici_start, zone)
        for result in results:
            if not by_start(result.collected_at):
                continue
            best = chosen.get(result.analyte)
            if best is None or (result.collected_at, result.id) > (best.collected_at, best.id):
                chosen[result.analyte] = result
    baselines = {
        code: Baseline(
            analyte=code,
            value=r.value,
            uln=r.uln,
            origin="result",
            result_id=r.id,
            collected_at=r.collected_at,
        )
        for code, r in chosen.items()
    }
    for code, override in (overrides or {}).items():
        baselines[code] = Baseline(
            analyte=code,
            value=override.value,
            uln=override.uln,
            origin="override",
            reason=override.reason,
        )
    return baselines
