"""Team settings and site reference ranges: defaults, validation, audit, no invented ranges."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from irae_desktop.store.clinical_zone import local_zone_name
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import AppSetting
from irae_desktop.store.settings import (
    DEFAULTS,
    delete_site_range,
    get_setting,
    get_settings,
    get_site_range,
    list_site_ranges,
    seed_typical_site_ranges,
    set_setting,
    set_site_range,
    update_settings,
)
from tests.store.conftest import audit_rows


def _defaults() -> object:
    """The built-in settings, with the clinical time zone a new database gets: the zone of the
    computer that created it."""
    return replace(DEFAULTS, clinical_timezone=local_zone_name())


def test_defaults_without_any_row(db: Database) -> None:
    with db.read() as s:
        settings = get_settings(s)
    assert settings == _defaults()
    assert (settings.criteria_set, settings.units_system, settings.paper_size) == (
        "ctcae-5.0",
        "US",
        "letter",
    )


def test_change_is_saved_and_audited(db: Database) -> None:
    with db.write() as s:
        update_settings(
            s,
            "alice",
            {
                "criteria_set": "ctcae-6.0",
                "units_system": "US",
                "alert_thresholds": {"alt_rise_fold": 2},
            },
        )
    with db.read() as s:
        assert get_setting(s, "criteria_set") == "ctcae-6.0"
        assert get_settings(s).alert_thresholds == {"alt_rise_fold": 2.0}
    (event,) = audit_rows(db, "setting")
    # units_system did not change, so it is not in the trail
    assert json.loads(event.before_json or "") == {
        "alert_thresholds": {},
        "criteria_set": "ctcae-5.0",
    }
    assert json.loads(event.after_json or "")["criteria_set"] == "ctcae-6.0"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("criteria_set", "ctcae-4.0", "not a valid criteria_set"),
        ("units_system", "metric", "not a valid units_system"),
        ("paper_size", "A5", "not a valid paper_size"),
        ("clinical_timezone", "Mars/Olympus", "Unknown time zone"),
        ("alert_thresholds", {"x": "high"}, "must be a number"),
        ("alert_thresholds", {"x": -1}, "zero or more"),
        ("colour", "blue", "Unknown setting"),
    ],
)
def test_bad_values_refused_nothing_saved(
    db: Database, key: str, value: object, message: str
) -> None:
    with pytest.raises(StoreError, match=message), db.write() as s:
        update_settings(s, "alice", {"paper_size": "a4", key: value})
    with db.read() as s:
        assert get_settings(s) == _defaults()
    assert audit_rows(db, "setting") == []


def test_damaged_stored_value_falls_back_to_default(db: Database) -> None:
    with db.write() as s:
        s.add(AppSetting(key="units_system", value_json="{not json"))
        s.add(AppSetting(key="paper_size", value_json='"a4"'))
    with db.read() as s:
        settings = get_settings(s)
    assert (settings.units_system, settings.paper_size) == ("US", "a4")


def test_setting_same_value_writes_nothing(db: Database) -> None:
    with db.write() as s:
        set_setting(s, "alice", "paper_size", "letter")
    assert audit_rows(db, "setting") == []


def test_site_ranges_never_invented(db: Database) -> None:
    with db.read() as s:
        assert list_site_ranges(s) == []
        assert get_site_range(s, "ALT") is None


def test_site_range_converted_and_sex_specific(db: Database) -> None:
    with db.write() as s:
        set_site_range(s, "alice", "TBILI", lln=3.4, uln=20.5, unit="umol/L")
        set_site_range(s, "alice", "ALT", lln=7, uln=55)
        set_site_range(s, "alice", "ALT", lln=7, uln=33, sex="F")
    with db.read() as s:
        tbili = get_site_range(s, "TBILI")
        assert tbili is not None and tbili.unit == "mg/dL"
        assert tbili.uln == pytest.approx(20.5 / 17.1)
        assert get_site_range(s, "ALT", "F").uln == 33  # type: ignore[union-attr]
        assert get_site_range(s, "ALT", "M").uln == 55  # type: ignore[union-attr]
        assert get_site_range(s, "ALT", None).uln == 55  # type: ignore[union-attr]
    with db.write() as s:
        assert delete_site_range(s, "bob", "ALT", "F")
    actions = [e.action for e in audit_rows(db, "site_reference_range")]
    assert actions == ["create", "create", "create", "delete"]


@pytest.mark.parametrize(
    ("analyte", "kwargs", "message"),
    [
        ("XYZ", {"lln": 1, "uln": 2}, "Unknown test"),
        ("ALT", {"lln": 50, "uln": 10}, "below the upper"),
        ("ALT", {"lln": None, "uln": None}, "at least one"),
        ("ALT", {"lln": 1, "uln": 2, "unit": "mg/dL"}, "does not belong"),
        ("ALT", {"lln": 1, "uln": 2, "sex": "X"}, "Sex must be"),
    ],
)
def test_bad_site_range_refused(db: Database, analyte: str, kwargs, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError, match=message), db.write() as s:
        set_site_range(s, "alice", analyte, **kwargs)
    with db.read() as s:
        assert list_site_ranges(s) == []


def test_seed_only_fills_gaps(db: Database) -> None:
    with db.write() as s:
        set_site_range(s, "alice", "ALT", lln=None, uln=40)
    with db.write() as s:
        added = seed_typical_site_ranges(s, "alice")
    assert "ALT" not in added and {"AST", "TBILI", "ALP", "GGT", "GLUCOSE"} <= set(added)
    with db.read() as s:
        assert get_site_range(s, "ALT").uln == 40  # type: ignore[union-attr]
    with db.write() as s:
        assert seed_typical_site_ranges(s, "alice") == []
