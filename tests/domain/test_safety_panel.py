"""The treatment safety summary: one table per line not stopped whose label this program knows,
and per systemic steroid line on; each row the check, the label's rule, the latest value and date
and a status word, then the labs due next (clinical reference, section 10)."""

from __future__ import annotations

from irae_desktop.domain.safety_panel import DueLab, SafetyCheck, treatment_safety

from .builders import at, d, line
from .safety_builders import jak, patient, screen

PEMBRO = line(1, "ici", "pembrolizumab", -60, dose=200, dose_unit="mg", frequency="q3w")
SCREENS = [
    screen(1, "tb_igra", -5, "negative"),
    screen(2, "hbsag", -5, "negative"),
    screen(3, "anti_hbc", -5, "positive"),
]
WITHIN = "within 12 months before the start"
TB_RULE = f"IGRA or tuberculin skin test {WITHIN}"


def test_a_tofacitinib_line_on() -> None:
    tl = patient(
        [
            ("ALC", -2, 0.9),
            ("ANC", -2, 2.0),
            ("HGB", -2, 11.0),
            ("ALC", 10, 0.45),
            ("ANC", 10, 1.5),
            ("EGFR", 10, 45.0),
        ],
        [PEMBRO, jak(2, "tofacitinib", 0)],
        screenings=SCREENS,
    )
    (summary,) = treatment_safety(tl, at(12))
    assert (summary.line_id, summary.agent, summary.line, summary.status) == (
        2,
        "tofacitinib",
        "tofacitinib 5 mg twice daily, from 2026-03-02",
        "on",
    )
    assert summary.source.startswith("XELJANZ (tofacitinib) US prescribing information")
    assert summary.checks == (
        SafetyCheck(
            "ALC",
            "lymphocytes <500 cells/mm3, confirmed by repeat testing: discontinue",
            "0.45 x10^3/µL",
            d(10),
            "attention",
            "lymphocytes <500 cells/mm3 once: discontinue only when confirmed by repeat "
            "testing; repeat it",
        ),
        SafetyCheck(
            "ANC",
            "ANC <500 cells/mm3, confirmed by repeat testing: discontinue; ANC 500 to 1,000 "
            "cells/mm3, the decrease persists (two counts in a row): interrupt",
            "1.5 x10^3/µL",
            d(10),
            "ok",
            "no limit of the label met",
        ),
        SafetyCheck(
            "Hemoglobin",
            "hemoglobin <8 g/dL or a decrease of more than 2 g/dL, confirmed by repeat testing: "
            "interrupt",
            "11 g/dL",
            d(-2),
            "ok",
            "no limit of the label met (the count before the start)",
        ),
        SafetyCheck(
            "eGFR",
            "eGFR <60 mL/min/1.73 m², moderate or severe renal impairment: 5 mg once daily; the "
            "label grades it by creatinine clearance (50 mL/min or less)",
            "45 mL/min/1.73 m²",
            d(10),
            "act",
            "reduce the dose (reported on 2026-03-12)",
        ),
        SafetyCheck(
            "Latent TB test",
            TB_RULE,
            "TB interferon-gamma release assay negative",
            d(-5),
            "ok",
            "negative",
        ),
        SafetyCheck("HBsAg", WITHIN, "HBsAg negative", d(-5), "ok", "negative"),
        SafetyCheck(
            "anti-HBc",
            WITHIN,
            "anti-HBc positive",
            d(-5),
            "act",
            "past hepatitis B infection, which can reactivate: check HBV DNA, then monitor it or "
            "give antiviral prophylaxis, with hepatology",
        ),
    )
    assert summary.due == (
        DueLab(
            "Lymphocyte count (ALC)",
            "lymphocytes at baseline, then every 3 months",
            d(10),
            d(101),
            False,
        ),
        DueLab(
            "Blood counts (ANC, Hemoglobin)",
            "ANC and hemoglobin at baseline, after 4 to 8 weeks, then every 3 months",
            d(-2),
            d(56),
            False,
        ),
        DueLab(
            "Lipids (Cholesterol, LDL, Triglycerides)",
            "lipid parameters 4 to 8 weeks after the start",
            None,
            d(56),
            False,
        ),
    )
    (later,) = treatment_safety(tl, at(57))
    assert [row.overdue for row in later.due] == [False, True, True]


def test_a_planned_line_shows_the_limits_for_starting() -> None:
    tl = patient([("ALC", -3, 0.42), ("HGB", -3, 8.5)], [jak(2, "baricitinib", 0)])
    (summary,) = treatment_safety(tl, at(-1))
    assert summary.status == "planned" and summary.due == ()
    assert [(c.what, c.rule, c.latest, c.status, c.note) for c in summary.checks[:3]] == [
        (
            "ALC",
            "lymphocytes <500 cells/mm3: do not start",
            "0.42 x10^3/µL",
            "act",
            "do not start",
        ),
        (
            "ANC",
            "ANC <1,000 cells/mm3: do not start",
            "",
            "missing",
            "no result since 2026-01-31, 30 days before the start",
        ),
        (
            "Hemoglobin",
            "hemoglobin <8 g/dL: do not start",
            "8.5 g/dL",
            "ok",
            "no limit of the label met",
        ),
    ]
    renal = summary.checks[3]
    assert (renal.status, renal.note) == (
        "missing",
        "no creatinine or eGFR since 30 days before the start",
    )
    assert [(c.what, c.status, c.note) for c in summary.checks[4:]] == [
        ("Latent TB test", "missing", "not recorded"),
        ("HBsAg", "missing", "not recorded"),
        ("anti-HBc", "missing", "not recorded"),
    ]
    # started regardless: told so, against the limits that now apply
    (started,) = treatment_safety(tl, at(1))
    alc = started.checks[0]
    assert (alc.rule, alc.status, alc.note) == (
        "lymphocytes <500 cells/mm3: interrupt",
        "act",
        "started below the label's limit for starting (lymphocytes <500 cells/mm3): repeat it",
    )


def test_a_held_line_waiting_for_its_count() -> None:
    held = jak(2, "tofacitinib", 0, holds=((12, None),))
    tl = patient(
        [("ALC", -3, 0.9), ("ANC", -3, 2.0), ("HGB", -3, 11.0), ("ANC", 10, 0.7), ("ANC", 12, 0.8)],
        [held],
    )
    (summary,) = treatment_safety(tl, at(13))
    anc = summary.checks[1]
    assert (anc.status, anc.note) == (
        "attention",
        "held: keep it held (below the limit twice: interrupt; resume when ANC is above 1,000 "
        "cells/mm3)",
    )
    assert summary.due == ()  # a held line's monitoring is the team's call


def test_mycophenolate_and_infliximab_and_steroids() -> None:
    lines = [
        PEMBRO,
        line(
            2,
            "immunosuppression",
            "CellCept",
            0,
            dose=1000,
            dose_unit="mg",
            frequency="twice daily",
        ),
        line(3, "immunosuppression", "infliximab", 20, frequency=None),
        line(4, "immunosuppression", "prednisone", -30, dose=40, dose_unit="mg"),
        line(5, "immunosuppression", "prednisone", -40, -30, dose=60, dose_unit="mg"),  # stopped
    ]
    tl = patient([("ANC", 5, 1.2), ("HGB", 5, 10.0)], lines, screenings=SCREENS[:2])
    steroid, mmf, ifx = treatment_safety(tl, at(8))
    assert (steroid.agent, steroid.status, steroid.due) == ("prednisone", "on", ())
    assert steroid.checks == (
        SafetyCheck(
            "Pneumocystis prophylaxis",
            "consider it from 28 days at 20 mg/day prednisone-equivalent or more",
            "49 days since 2026-01-21",
            d(8),
            "act",
            "none on: consider trimethoprim-sulfamethoxazole; atovaquone, dapsone or pentamidine "
            "if it cannot be given",
        ),
    )
    assert mmf.agent == "mycophenolate mofetil"
    assert [(c.what, c.latest, c.status, c.note) for c in mmf.checks] == [
        (
            "ANC",
            "1.2 x10^3/µL",
            "act",
            "interrupt or reduce the dose; perform the appropriate diagnostic tests",
        )
    ]
    assert mmf.due == (
        DueLab(
            "Blood counts (ANC, Hemoglobin)",
            "complete blood counts weekly in the first month, twice a month in months 2 and 3, "
            "then monthly",
            d(5),
            d(12),
            False,
        ),
    )
    assert (ifx.agent, ifx.status) == ("infliximab", "planned")
    assert [(c.what, c.status) for c in ifx.checks] == [
        ("Latent TB test", "ok"),
        ("HBsAg", "ok"),
        ("anti-HBc", "missing"),
    ]


def test_the_steroid_row_counts_towards_28_days_and_names_the_prophylaxis() -> None:
    pred = line(4, "immunosuppression", "prednisone", 0, dose=40, dose_unit="mg")
    (summary,) = treatment_safety(patient([], [pred]), at(9))
    assert (summary.checks[0].status, summary.checks[0].note) == (
        "ok",
        "day 10 of 28; consider it by 2026-03-29 if the dose stays",
    )
    bactrim = line(9, "other", "Bactrim DS", 3)
    (summary,) = treatment_safety(patient([], [pred, bactrim]), at(40))
    assert (summary.checks[0].latest, summary.checks[0].status, summary.checks[0].note) == (
        "Bactrim DS",
        "ok",
        "Bactrim DS on since 2026-03-05",
    )
    low = line(4, "immunosuppression", "prednisone", 0, dose=10, dose_unit="mg")
    (summary,) = treatment_safety(patient([], [low]), at(40))
    assert summary.checks[0].note == "not on 20 mg/day or more today"


def test_lines_the_summary_leaves_out() -> None:
    lines = [
        PEMBRO,  # no label facts here
        jak(2, "tofacitinib", -20, -5),  # stopped
        line(3, "immunosuppression", "prednisone", 0, dose=40, dose_unit="mg", holds=((2, None),)),
        line(4, "immunosuppression", "budesonide", 0, dose=9, dose_unit="mg"),
    ]
    assert treatment_safety(patient([], lines), at(5)) == []
