"""Blood counts, creatinine and lipids carry their own grades but stay out of the irAE organs:
a patient's liver and glucose grades, the flare and new-maximum alerts and the overdue-labs
alerts are the same with or without a severe neutropenia; and a creatinine rise after the
first ICI start is graded against the pre-treatment baseline (CTCAE v5.0)."""

from __future__ import annotations

from irae_desktop.domain.alerts import current_grade, evaluate_alerts

from .builders import at, line, timeline

PEMBRO = line(1, "ici", "pembrolizumab", 0, dose=200, dose_unit="mg", frequency="q3w")
TOFACITINIB = line(2, "immunosuppression", "tofacitinib", 30, dose=5, dose_unit="mg")
# grade 1 hepatitis on day 28 (ALT 100 U/L, 2.5 x ULN 40), glucose normal
IRAE_LABS: list[tuple[str, int, float]] = [
    ("ALT", -1, 25.0),
    ("GLUCOSE", -1, 95.0),
    ("ALT", 28, 100.0),
    ("GLUCOSE", 28, 110.0),
]
# on tofacitinib: neutrophils 0.7 (v5.0 grade 3) then 0.3 (grade 4), lymphocytes 0.15 (grade
# 4), hemoglobin 7.5 g/dL (grade 3), platelets 20 (grade 4), all after the first ICI start
SEVERE_CYTOPENIA: list[tuple[str, int, float]] = [
    ("ANC", -1, 4.0),
    ("ANC", 40, 0.7),
    ("ANC", 44, 0.3),
    ("ALC", 44, 0.15),
    ("HGB", 44, 7.5),
    ("PLT", 44, 20.0),
]


def _irae_view(alerts):  # type: ignore[no-untyped-def]
    return sorted((a.key, a.kind, a.severity, a.title, a.organ) for a in alerts)


def test_severe_neutropenia_changes_no_irae_grade_or_alert() -> None:
    without = timeline(IRAE_LABS, [PEMBRO, TOFACITINIB])
    with_cytopenia = timeline([*IRAE_LABS, *SEVERE_CYTOPENIA], [PEMBRO, TOFACITINIB])
    graded = {(lab.analyte, lab.grade) for lab in with_cytopenia.labs}
    # the counts are graded ...
    assert {("ANC", 3), ("ANC", 4), ("ALC", 4), ("HGB", 3), ("PLT", 4)} <= graded
    # ... and no irAE organ takes their grade
    for organ in ("liver", "glucose"):
        before, after = current_grade(without, organ), current_grade(with_cytopenia, organ)
        assert before is not None and after is not None
        assert (before[0], before[1].analyte) == (after[0], after[1].analyte)
    assert current_grade(with_cytopenia, "liver")[0] == 1  # type: ignore[index]
    assert current_grade(with_cytopenia, "glucose")[0] == 0  # type: ignore[index]
    now = at(45)
    # the irAE alerts (liver and glucose) are the same; the counts speak only through the
    # treatment safety rules (clinical reference, section 10)
    alerts = evaluate_alerts(with_cytopenia, now)
    irae = [a for a in alerts if a.organ in ("liver", "glucose")]
    assert _irae_view(irae) == _irae_view(
        a for a in evaluate_alerts(without, now) if a.organ in ("liver", "glucose")
    )
    assert not [
        a
        for a in alerts
        if a.kind in ("grade_escalation", "flare") and a.organ not in ("liver", "glucose")
    ]
    assert all("ANC" not in a.title and "ALC" not in a.title for a in irae)
    assert {a.kind for a in alerts if a.organ == "blood"} == {"jak_lab_threshold"}


def test_creatinine_after_the_ici_start_is_graded_against_its_baseline() -> None:
    tl = timeline([("CREAT", -2, 0.5), ("CREAT", 20, 0.8), ("CREAT", 40, 1.6)], [PEMBRO])
    by_day = {lab.collected_at: lab for lab in tl.labs}
    baseline, day20, day40 = by_day[at(-2)], by_day[at(20)], by_day[at(40)]
    assert baseline.is_baseline and baseline.grade == 0
    # 0.8 = 1.6 x the baseline 0.5, within the reference range: grade 2 by baseline
    assert day20.grade == 2 and "x baseline (0.5)" in day20.grade_reason
    # 1.6 = 3.2 x baseline: grade 3 (1.3 x ULN alone would be grade 1)
    assert day40.grade == 3
    # under v6.0 the baseline counts only below the LLN (0.6): 0.5 is, so the same grades
    v6 = timeline(
        [("CREAT", -2, 0.5), ("CREAT", 20, 0.8), ("CREAT", 40, 1.6)],
        [PEMBRO],
        criteria_id="ctcae-6.0",
    )
    assert [lab.grade for lab in v6.labs] == [0, 2, 3]
    # a baseline of 0.7, not below the LLN: v6.0 grades by ULN only
    v6_normal = timeline(
        [("CREAT", -2, 0.7), ("CREAT", 20, 1.1), ("CREAT", 40, 2.2)],
        [PEMBRO],
        criteria_id="ctcae-6.0",
    )
    assert [lab.grade for lab in v6_normal.labs] == [0, 0, 2]
