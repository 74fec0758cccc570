"""The Alert record and the team's alert thresholds (AlertSettings), shared by every alert rule."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, Literal

from irae_desktop.domain.chart_marks import CPEPTIDE_DEFICIENT_BELOW_NMOL_L

Severity = Literal["critical", "warning", "info"]

SEVERITY_ORDER: dict[str, int] = {"critical": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert occurrence. `key` starts with the kind and names the evidence, so an
    acknowledgement sticks to this occurrence and a new one (new evidence) alerts again.

    `kind` is a stable identifier (see alert_kinds); whether the alert is a condition or an
    event follows from it. `began_at` is when a condition started to hold, where that differs
    from the time of its evidence (labs overdue: the moment the next result fell due)."""

    key: str
    kind: str
    severity: Severity
    title: str
    rule: str
    source: str
    evidence_at: datetime
    organ: str
    began_at: datetime | None = None

    @property
    def raised_at(self) -> datetime:
        """The instant the alert was raised: when its condition began, else its evidence."""
        return self.began_at if self.began_at is not None else self.evidence_at


@dataclass(frozen=True, slots=True)
class AlertSettings:
    """Alert thresholds, stored as a team setting.

    Defaults follow ASCO 2021 (docs/clinical-reference.md section 4).
    """

    hys_law_aminotransferase_x_uln: float = 3.0
    hys_law_bilirubin_x_uln: float = 2.0
    hys_law_alp_below_x_uln: float = 2.0
    hys_law_window_days: int = 14
    refractory_min_mg_per_kg_day: float = 0.5
    refractory_after_days: int = 3
    refractory_fall_fraction: float = 0.25
    diabetes_glucose_above_mg_dl: float = 250.0
    diabetes_cpeptide_below_nmol_l: float = CPEPTIDE_DEFICIENT_BELOW_NMOL_L
    diabetes_bhb_above_mmol_l: float = 0.6
    diabetes_window_days: int = 7
    overdue_days_grade1: int = 7
    overdue_days_grade2: int = 3
    overdue_days_grade3: int = 2
    overdue_days_grade4: int = 2
    hepatitis_active_min_grade: int = 2

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AlertSettings:
        """Settings from a stored dict; unknown keys are ignored, missing ones take defaults.

        A value of the wrong type raises ValueError naming the setting.
        """
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            raw = data[f.name]
            want = int if f.type in ("int", int) else float
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise ValueError(f"alert setting {f.name} must be a number, not {raw!r}")
            if raw < 0:
                raise ValueError(f"alert setting {f.name} cannot be negative ({raw})")
            if want is int and raw != int(raw):
                raise ValueError(f"alert setting {f.name} must be a whole number ({raw})")
            values[f.name] = want(raw)
        return cls(**values)

    def overdue_days(self, grade: int) -> int | None:
        """Longest gap between labs allowed at this grade; None at grade 0."""
        return {
            1: self.overdue_days_grade1,
            2: self.overdue_days_grade2,
            3: self.overdue_days_grade3,
            4: self.overdue_days_grade4,
        }.get(min(grade, 4))
