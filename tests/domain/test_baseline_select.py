"""The baseline is the latest result on or before the first ICI start, whatever order the results
come in, and carries that result's ULN, time and analyte (clinical reference, decision 3)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from irae_desktop.domain.baseline import BaselineOverride, select_baseline
from irae_desktop.domain.series import LabToGrade

START = date(2026, 3, 2)


def _alt(result_id: int, day: int, month: int, value: float) -> LabToGrade:
    at = datetime(2026, month, day, 8, tzinfo=UTC)
    return LabToGrade(result_id, "ALT", at, value, "", "U/L", 40.0, None)


def test_the_latest_result_before_the_start_is_the_baseline_in_any_order() -> None:
    latest = _alt(1, 25, 2, 95.0)  # 25 February: the last one before the start of 2 March
    earlier = _alt(2, 20, 2, 30.0)
    after = _alt(3, 5, 3, 300.0)
    for order in ([latest, earlier, after], [earlier, latest, after], [after, earlier, latest]):
        base = select_baseline(order, START, zone=UTC)["ALT"]
        assert (base.analyte, base.value, base.uln, base.result_id) == ("ALT", 95.0, 40.0, 1)
        assert base.collected_at == datetime(2026, 2, 25, 8, tzinfo=UTC)
        assert base.origin == "result"
        assert base.abnormal  # 95 U/L above its ULN of 40 U/L


def test_an_override_is_the_baseline_of_its_own_analyte() -> None:
    picked = BaselineOverride("TBILI", 2.0, 1.2, "Gilbert syndrome, usual value")
    baselines = select_baseline(
        [_alt(1, 25, 2, 95.0)], START, zone=UTC, overrides={"TBILI": picked}
    )
    base = baselines["TBILI"]
    assert (base.analyte, base.value, base.uln, base.origin) == ("TBILI", 2.0, 1.2, "override")
    assert base.reason == "Gilbert syndrome, usual value"
    assert base.result_id is None and base.collected_at is None
    assert baselines["ALT"].value == 95.0
