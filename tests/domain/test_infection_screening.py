"""Latent tuberculosis and hepatitis B screening before a JAK inhibitor or infliximab (XELJANZ,
OLUMIANT and REMICADE US prescribing information: test for latent TB and screen for hepatitis B
before the start; clinical reference, section 10). A screen counts from 12 months before the
start."""

from __future__ import annotations

import pytest

from irae_desktop.domain.alerts import evaluate_alerts
from irae_desktop.domain.timeline import ScreeningPoint

from .builders import at, line
from .safety_builders import jak, patient, screen

REMICADE = (
    "REMICADE (infliximab) US prescribing information: Boxed Warning and Warnings and "
    "Precautions, Serious Infections (tuberculosis) and Hepatitis B Virus Reactivation"
)
OLUMIANT = (
    "OLUMIANT (baricitinib) US prescribing information: Boxed Warning and Warnings and "
    "Precautions, Serious Infections (tuberculosis, viral reactivation)"
)
IFX = line(2, "immunosuppression", "infliximab", 0, dose=5, dose_unit="mg/kg", frequency=None)
ALL_NEGATIVE = [
    screen(1, "tb_igra", -10, "negative"),
    screen(2, "hbsag", -10, "negative"),
    screen(3, "anti_hbc", -10, "negative"),
]


def _screening(screens: list[ScreeningPoint], lines=(IFX,), day: int = -1):  # type: ignore[no-untyped-def]
    tl = patient([], list(lines), screenings=screens)
    return [a for a in evaluate_alerts(tl, at(day, 18)) if a.kind == "infection_screening"]


def test_all_negative_within_12_months_is_complete() -> None:
    assert _screening(ALL_NEGATIVE) == []
    assert _screening(ALL_NEGATIVE, day=30) == []


def test_missing_screens_in_full() -> None:
    old = [screen(1, "tb_skin", -366, "negative"), screen(2, "hbsag", -365, "negative")]
    (alert,) = _screening(old)
    assert (alert.key, alert.severity, alert.title, alert.source, alert.organ) == (
        "infection_screening:2:missing",
        "warning",
        "Infliximab: infection screening missing",
        REMICADE,
        "infection",
    )
    # HBsAg of day -365 (2025-03-02) is within 12 months; the skin test of day -366 is not
    assert alert.rule == (
        "no latent TB test (IGRA or skin test) or anti-HBc recorded from 2025-03-02 (12 months "
        "before the start on 2026-03-02) to today; older, not counted: TB skin test negative on "
        "2025-03-01; the label asks for latent tuberculosis and hepatitis B screening before the "
        "start"
    )
    assert alert.evidence_at == at(0, 0)


@pytest.mark.parametrize(
    ("screens", "missing"),
    [
        ([], "latent TB test (IGRA or skin test), HBsAg or anti-HBc"),
        (ALL_NEGATIVE[1:], "latent TB test (IGRA or skin test)"),
        ([ALL_NEGATIVE[0], ALL_NEGATIVE[2]], "HBsAg"),
        (ALL_NEGATIVE[:2], "anti-HBc"),
        # either TB test will do
        ([screen(1, "tb_skin", -10, "negative"), *ALL_NEGATIVE[1:]], None),
        # anti-HBs and HBV DNA are not the screens the labels name
        ([ALL_NEGATIVE[0], screen(4, "anti_hbs", -10, "negative")], "HBsAg or anti-HBc"),
    ],
)
def test_what_is_missing(screens: list[ScreeningPoint], missing: str | None) -> None:
    found = _screening(screens)
    if missing is None:
        assert found == []
    else:
        (alert,) = found
        assert alert.rule.startswith(f"no {missing} recorded from ")


def test_a_screen_taken_after_the_start_answers_it_late() -> None:
    late = [screen(1, "tb_igra", 5, "negative"), *ALL_NEGATIVE[1:]]
    assert [a.key for a in _screening(late, day=4)] == ["infection_screening:2:missing"]
    assert _screening(late, day=5) == []


@pytest.mark.parametrize(
    ("screens", "day", "expected"),
    [
        # planned: a positive TB test or HBsAg is critical (treat first); once on, a warning
        (
            [screen(1, "tb_igra", -10, "positive"), *ALL_NEGATIVE[1:]],
            -1,
            [("critical", "Infliximab: TB interferon-gamma release assay positive")],
        ),
        (
            [screen(1, "tb_igra", -10, "positive"), *ALL_NEGATIVE[1:]],
            3,
            [("warning", "Infliximab: TB interferon-gamma release assay positive")],
        ),
        # a positive skin test stands beside a negative IGRA
        (
            [*ALL_NEGATIVE, screen(4, "tb_skin", -9, "positive")],
            -1,
            [("critical", "Infliximab: TB skin test positive")],
        ),
        # an indeterminate IGRA with a negative skin test is a screen
        (
            [
                screen(1, "tb_igra", -10, "indeterminate"),
                screen(4, "tb_skin", -9, "negative"),
                *ALL_NEGATIVE[1:],
            ],
            -1,
            [],
        ),
        (
            [screen(1, "tb_igra", -10, "indeterminate"), *ALL_NEGATIVE[1:]],
            -1,
            [("warning", "Infliximab: TB interferon-gamma release assay indeterminate")],
        ),
        # a later negative of the same test replaces an indeterminate one
        ([screen(5, "tb_igra", -20, "indeterminate"), *ALL_NEGATIVE], -1, []),
        (
            [
                ALL_NEGATIVE[0],
                screen(2, "hbsag", -10, "positive"),
                screen(3, "anti_hbc", -10, "positive"),
            ],
            -1,
            [("critical", "Infliximab: HBsAg positive")],  # anti-HBc adds nothing to it
        ),
        (
            [*ALL_NEGATIVE[:2], screen(3, "anti_hbc", -10, "positive")],
            -1,
            [("warning", "Infliximab: anti-HBc positive")],
        ),
        (
            [*ALL_NEGATIVE[:2], screen(3, "anti_hbc", -10, "indeterminate")],
            -1,
            [("warning", "Infliximab: anti-HBc indeterminate")],
        ),
    ],
)
def test_results_that_are_not_negative(
    screens: list[ScreeningPoint], day: int, expected: list[tuple[str, str]]
) -> None:
    assert [(a.severity, a.title) for a in _screening(screens, day=day)] == expected


def test_result_texts_in_full() -> None:
    screens = [
        screen(1, "tb_igra", -10, "positive"),
        screen(2, "hbsag", -10, "positive"),
        screen(3, "anti_hbc", -10, "positive"),
    ]
    planned = {a.key: (a.severity, a.rule) for a in _screening(screens)}
    assert planned == {
        "infection_screening:2:1": (
            "critical",
            "TB interferon-gamma release assay positive on 2026-02-20: latent tuberculosis: "
            "treat it before the start, as the label says",
        ),
        "infection_screening:2:2": (
            "critical",
            "HBsAg positive on 2026-02-20: hepatitis B infection: hepatology review and "
            "antiviral prophylaxis before the start (risk of viral reactivation)",
        ),
    }
    on = {a.key: a.rule for a in _screening(screens, day=3)}
    assert on["infection_screening:2:1"].endswith(
        "; started on 2026-03-02: make sure this is in hand"
    )
    anti_hbc = [*ALL_NEGATIVE[:2], screen(3, "anti_hbc", -10, "positive")]
    (alert,) = _screening(anti_hbc)
    assert alert.rule == (
        "anti-HBc positive on 2026-02-20: past hepatitis B infection, which can reactivate: "
        "check HBV DNA, then monitor it or give antiviral prophylaxis, with hepatology"
    )
    assert alert.evidence_at == at(-10, 0)


def test_which_lines_need_the_screens() -> None:
    for agent in ("tofacitinib", "baricitinib", "Remicade"):
        (alert,) = _screening([], [jak(2, agent, 0)])
        assert alert.key == "infection_screening:2:missing"
    (alert,) = _screening([], [jak(2, "baricitinib", 0)])
    assert alert.source == OLUMIANT
    # held still needs it; stopped does not; mycophenolate and steroids do not
    assert _screening([], [jak(2, "baricitinib", 0, holds=((2, None),))], day=3) != []
    assert _screening([], [jak(2, "baricitinib", 0, 2)], day=3) == []
    assert _screening([], [jak(2, "mycophenolate mofetil", 0)]) == []
    assert (
        _screening([], [line(2, "immunosuppression", "prednisone", 0, dose=60, dose_unit="mg")])
        == []
    )
    # a planned line is judged from 30 days before its start, as its baseline counts are
    assert _screening([], [jak(2, "tofacitinib", 40)], day=9) == []
    assert _screening([], [jak(2, "tofacitinib", 40)], day=10) != []
    # two lines, each judged against its own start: the screens of day -10 count for a line
    # started on day 0, and are more than 12 months before one starting on day 370
    lines = [jak(2, "tofacitinib", 0), jak(3, "infliximab", 370)]
    found = _screening([*ALL_NEGATIVE], lines, day=360)
    assert [a.key for a in found] == ["infection_screening:3:missing"]
