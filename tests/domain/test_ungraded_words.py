"""What the window and every view say about a result without a grade (clinical reference,
decision 12): the message once it is saved, and the note beside the last grade. Expected texts
are the product's wording, put together by hand from the reason given."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from irae_desktop.domain.timeline import LabPoint
from irae_desktop.domain.ungraded import saved_message, ungraded_note


@pytest.mark.parametrize("reason", [None, ""])
def test_a_result_saved_without_a_grade_or_a_reason_says_so(reason: str | None) -> None:
    assert saved_message(None, reason) == (
        "Lab result saved WITHOUT a grade (not graded): no reason. "
        "To grade it, see the reason on the patient's Labs tab."
    )


def test_the_note_beside_the_last_grade_names_why_the_latest_result_has_none() -> None:
    lab = LabPoint(
        id=1,
        analyte="ALT",
        collected_at=datetime(2026, 3, 4, 8, tzinfo=UTC),
        value=90.0,
        comparator="",
        unit="U/L",
        uln=None,
        lln=None,
        grade=None,
        grade_reason="ALT 90 U/L: no ULN reported and no site default: not graded",
        criteria_id=None,
        is_baseline=False,
        source=None,
    )
    assert ungraded_note(lab) == "latest ungraded: no range"
