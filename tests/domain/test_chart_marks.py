"""The marks the window and the page draw alike: the C-peptide line and the lane colours."""

from __future__ import annotations

import pytest

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.domain.chart_marks import (
    CPEPTIDE_DEFICIENT_BELOW_NG_ML,
    LANE_COLOURS,
    lane_colour_key,
)


def test_the_cpeptide_line_is_the_diabetes_alerts_default_threshold() -> None:
    # 0.2 nmol/L; C-peptide 1 ng/mL = 0.331 nmol/L, so about 0.60 ng/mL
    assert AlertSettings().diabetes_cpeptide_below_nmol_l == 0.2
    assert pytest.approx(0.604, abs=0.001) == CPEPTIDE_DEFICIENT_BELOW_NG_ML


@pytest.mark.parametrize(
    ("category", "agent", "key"),
    [
        ("ici", "pembrolizumab", "ici"),
        ("immunosuppression", "prednisone", "steroid"),
        ("immunosuppression", "Methylprednisolone IV", "steroid"),
        ("immunosuppression", "mycophenolate mofetil", "immunosuppression"),
        ("immunosuppression", "tofacitinib", "immunosuppression"),
        # budesonide acts in the gut: not a systemic steroid
        ("immunosuppression", "budesonide", "immunosuppression"),
        ("insulin", "insulin glargine", "insulin"),
        ("other", "levothyroxine", "other"),
        ("supportive", "pantoprazole", "other"),
    ],
)
def test_each_line_gets_its_kind_of_lane_colour(category: str, agent: str, key: str) -> None:
    assert lane_colour_key(category, agent) == key
    assert key in LANE_COLOURS


def test_the_kinds_of_lane_differ_in_colour() -> None:
    assert len(set(LANE_COLOURS.values())) == len(LANE_COLOURS)
