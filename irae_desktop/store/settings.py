"""Team settings kept with the data (criteria set, units, clinical time zone, alert thresholds)
and site ranges."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.domain.units import UnitError, to_canonical, unit_for
from irae_desktop.store.audit import record_event
from irae_desktop.store.clinical_zone import SETTING_KEY as ZONE_KEY
from irae_desktop.store.clinical_zone import local_zone_name, valid_zone
from irae_desktop.store.errors import StoreError
from irae_desktop.store.grading import regrade_all
from irae_desktop.store.models import RANGE_SEXES, AppSetting, SiteReferenceRange

CRITERIA_SETS = ("ctcae-5.0", "ctcae-6.0")
UNIT_SYSTEMS = ("US", "SI")
PAPER_SIZES = ("letter", "a4")
PRIVACY_MAX_MINUTES = 240
SEXES = RANGE_SEXES


@dataclass(frozen=True)
class TeamSettings:
    """What the whole team sees the same way. `alert_thresholds` empty means the built-in ones."""

    criteria_set: str = "ctcae-5.0"
    units_system: str = "US"
    alert_thresholds: dict[str, float] = field(default_factory=dict)
    paper_size: str = "letter"
    # the zone whose calendar days the day-based rules count (clinical reference, decision 10);
    # also the zone times are shown in and files' times without an offset are read in.
    # Unstored, it is this computer's zone (get_settings fills it in).
    clinical_timezone: str = "UTC"
    # the window hides patient data after this many minutes without a key or click; 0: never
    privacy_minutes: int = 10


DEFAULTS = TeamSettings()
KEYS = tuple(asdict(DEFAULTS))
# changing one of these changes stored grades: the change regrades every result
REGRADING_KEYS = ("criteria_set", ZONE_KEY)

# Typical adult ranges in canonical units, offered as a starting point the site checks against
# its own laboratory's ranges; written only when a user asks for them.
TYPICAL_ADULT_RANGES: dict[str, tuple[float | None, float | None]] = {
    "ALT": (7.0, 55.0),
    "AST": (8.0, 48.0),
    "ALP": (40.0, 129.0),
    "GGT": (8.0, 61.0),
    "TBILI": (0.1, 1.2),
    "GLUCOSE": (70.0, 140.0),
    "GLUCOSE_FASTING": (70.0, 99.0),
    "CPEPTIDE": (1.1, 4.4),
    "HBA1C": (4.0, 5.6),
}


def _validate(key: str, value: Any) -> Any:
    choices = {
        "criteria_set": CRITERIA_SETS,
        "units_system": UNIT_SYSTEMS,
        "paper_size": PAPER_SIZES,
    }
    if key in choices:
        if value not in choices[key]:
            raise StoreError(f"{value!r} is not a valid {key}; choose {', '.join(choices[key])}.")
        return value
    if key == ZONE_KEY:
        if not isinstance(value, str) or valid_zone(value) is None:
            raise StoreError(
                f"Unknown time zone {value!r}; use an IANA name such as Australia/Sydney."
            )
        return value
    if key == "privacy_minutes":
        if isinstance(value, bool) or not isinstance(value, int):
            raise StoreError(
                f"The privacy screen's idle time must be whole minutes, not {value!r}."
            )
        if not 0 <= value <= PRIVACY_MAX_MINUTES:
            raise StoreError(
                f"The privacy screen's idle time must be 0 (never) to {PRIVACY_MAX_MINUTES} "
                f"minutes, not {value}."
            )
        return value
    if key == "alert_thresholds":
        if not isinstance(value, Mapping):
            raise StoreError("Alert thresholds must be a table of names and numbers.")
        cleaned: dict[str, float] = {}
        for name, number in value.items():
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise StoreError(f"Alert threshold {name!r} must be a number, not {number!r}.")
            if not math.isfinite(number) or number < 0:
                raise StoreError(f"Alert threshold {name!r} must be zero or more, not {number}.")
            cleaned[str(name)] = float(number)
        return cleaned
    raise StoreError(f"Unknown setting {key!r}.")


def _stored(session: Session) -> dict[str, Any]:
    rows = session.scalars(select(AppSetting).where(AppSetting.key.in_(KEYS)))
    found: dict[str, Any] = {}
    for row in rows:
        try:
            found[row.key] = _validate(row.key, json.loads(row.value_json))
        except (ValueError, StoreError):
            continue  # a damaged or hand-edited value falls back to the default, never crashes
    return found


def get_settings(session: Session) -> TeamSettings:
    stored = _stored(session)
    if ZONE_KEY not in stored:
        stored[ZONE_KEY] = local_zone_name()
    return TeamSettings(**{**asdict(DEFAULTS), **stored})


def get_setting(session: Session, key: str) -> Any:
    if key not in KEYS:
        raise StoreError(f"Unknown setting {key!r}.")
    return getattr(get_settings(session), key)


def update_settings(
    session: Session,
    user: str,
    changes: Mapping[str, Any],
    *,
    reason: str | None = None,
    regrade: bool = True,
) -> TeamSettings:
    """Validates every change first, then saves them and audits the ones that differ. A new
    criteria set or clinical time zone regrades every stored result in the same transaction,
    audited (`regrade=False`: the caller regrades with regrade_everything, e.g. after also
    changing site ranges)."""
    cleaned = {key: _validate(key, value) for key, value in changes.items()}
    current = asdict(get_settings(session))
    before, after = {}, {}
    for key, value in cleaned.items():
        if current[key] == value:
            continue
        row = session.get(AppSetting, key)
        text = json.dumps(value, sort_keys=True)
        if row is None:
            session.add(AppSetting(key=key, value_json=text))
        else:
            row.value_json = text
        before[key], after[key] = current[key], value
    if after:
        session.flush()
        record_event(
            session,
            user=user,
            action="update",
            entity="setting",
            before=before,
            after=after,
            reason=reason,
        )
    if regrade and any(key in after for key in REGRADING_KEYS):
        regrade_everything(session, user, _why(before, after))
    return get_settings(session)


def _why(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    names = {"criteria_set": "criteria set", ZONE_KEY: "clinical time zone"}
    return "; ".join(
        f"{names[key]} changed from {before[key]} to {after[key]}"
        for key in REGRADING_KEYS
        if key in after
    )


def regrade_everything(session: Session, user: str, why: str) -> int:
    """Regrades every stored result with the settings now saved, in the caller's transaction,
    and audits how many grades changed and why. Returns that number."""
    changed = regrade_all(session)
    current = get_settings(session)
    record_event(
        session,
        user=user,
        action="regrade",
        entity="lab_result",
        after={
            "results_changed": changed,
            "criteria_set": current.criteria_set,
            ZONE_KEY: current.clinical_timezone,
        },
        reason=why,
    )
    return changed


def set_setting(session: Session, user: str, key: str, value: Any) -> TeamSettings:
    return update_settings(session, user, {key: value})


# --- site reference ranges -------------------------------------------------------------------


def list_site_ranges(session: Session) -> list[SiteReferenceRange]:
    query = select(SiteReferenceRange).order_by(SiteReferenceRange.analyte, SiteReferenceRange.sex)
    return list(session.scalars(query))


def get_site_range(
    session: Session, analyte: str, sex: str | None = None
) -> SiteReferenceRange | None:
    """The range for this sex if the site set one, else the one for any sex, else None."""
    rows = {
        r.sex: r
        for r in session.scalars(
            select(SiteReferenceRange).where(SiteReferenceRange.analyte == analyte)
        )
    }
    if sex in ("F", "M") and sex in rows:
        return rows[sex]
    return rows.get("")


def _range_snapshot(r: SiteReferenceRange) -> dict[str, Any]:
    return {"analyte": r.analyte, "sex": r.sex, "lln": r.lln, "uln": r.uln, "unit": r.unit}


def set_site_range(
    session: Session,
    user: str,
    analyte: str,
    *,
    lln: float | None,
    uln: float | None,
    unit: str | None = None,
    sex: str = "",
) -> SiteReferenceRange:
    """Saves the site default for an analyte (converted to its canonical unit), audited."""
    if analyte not in ANALYTES:
        raise StoreError(f"Unknown test {analyte!r}.")
    if sex not in SEXES:
        raise StoreError(f"Sex must be F, M or blank for both, not {sex!r}.")
    if lln is None and uln is None:
        raise StoreError("Give at least one limit of the range.")
    canonical_unit = ANALYTES[analyte].canonical_unit
    try:
        spelled = unit_for(analyte, unit) if unit else canonical_unit
        limits = [
            None if v is None else to_canonical(analyte, float(v), spelled) for v in (lln, uln)
        ]
    except UnitError as exc:
        raise StoreError(f"{analyte}: {exc}.") from exc
    low, high = limits
    for v in limits:
        if v is not None and (not math.isfinite(v) or v < 0):
            raise StoreError(f"{analyte}: {v} is not a valid limit.")
    if low is not None and high is not None and low >= high:
        raise StoreError(f"{analyte}: the lower limit must be below the upper limit.")
    row = session.scalars(
        select(SiteReferenceRange).where(
            SiteReferenceRange.analyte == analyte, SiteReferenceRange.sex == sex
        )
    ).one_or_none()
    before = _range_snapshot(row) if row else None
    if row is None:
        row = SiteReferenceRange(analyte=analyte, sex=sex)
        session.add(row)
    row.lln, row.uln, row.unit = low, high, canonical_unit
    session.flush()
    record_event(
        session,
        user=user,
        action="update" if before else "create",
        entity="site_reference_range",
        entity_id=row.id,
        before=before,
        after=_range_snapshot(row),
    )
    return row


def delete_site_range(session: Session, user: str, analyte: str, sex: str = "") -> bool:
    row = session.scalars(
        select(SiteReferenceRange).where(
            SiteReferenceRange.analyte == analyte, SiteReferenceRange.sex == sex
        )
    ).one_or_none()
    if row is None:
        return False
    record_event(
        session,
        user=user,
        action="delete",
        entity="site_reference_range",
        entity_id=row.id,
        before=_range_snapshot(row),
    )
    session.delete(row)
    session.flush()
    return True


def seed_typical_site_ranges(session: Session, user: str) -> list[str]:
    """Adds the typical adult ranges for analytes that have none yet; returns the ones added.

    Called only when a user asks for it: the app never grades against a range nobody chose.
    """
    have = {r.analyte for r in list_site_ranges(session) if r.sex == ""}
    added = []
    for code, (low, high) in TYPICAL_ADULT_RANGES.items():
        if code in have or code not in ANALYTES:
            continue
        set_site_range(session, user, code, lln=low, uln=high)
        added.append(code)
    return added
