"""LabRow, the bulk writer's light form of a LabRecord, must stay field for field the same."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from irae_desktop.domain.records import LabRecord, ResultStatus
from irae_desktop.store.lab_rows import LabRow


def test_fields_mirror_lab_record() -> None:
    record_fields = [f.name for f in dataclasses.fields(LabRecord) if f.name != "patient"]

    assert list(LabRow._fields) == record_fields


def test_record_round_trip() -> None:
    row = LabRow(
        "M1",
        "ALT",
        datetime(2024, 3, 1, 8, tzinfo=UTC),
        41.0,
        "U/L",
        "<",
        "<41",
        "U/L",
        7.0,
        56.0,
        ResultStatus.CORRECTED,
        "H",
        "line 2",
        ("a warning",),
    )

    record = row.record()

    assert record == LabRecord(
        mrn="M1",
        analyte="ALT",
        collected_at=datetime(2024, 3, 1, 8, tzinfo=UTC),
        value=41.0,
        unit="U/L",
        comparator="<",
        original_text="<41",
        original_unit="U/L",
        lln=7.0,
        uln=56.0,
        status=ResultStatus.CORRECTED,
        abnormal_flag="H",
        source_ref="line 2",
        warnings=("a warning",),
    )
