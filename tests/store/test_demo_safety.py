"""The demonstration patients on rescue treatments show the safety state their story means:
counts drawn when the labels ask, the screens done before the JAK inhibitors, an eGFR worked
from creatinine, age and sex, and only the alerts a clinician should see."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from irae_desktop.cli.main import main
from irae_desktop.domain.safety_panel import treatment_safety
from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.outcomes_read import read_outcomes
from irae_desktop.store.patient_read import find_patient_id
from irae_desktop.store.timeline import load_timeline

ANCHOR = date(2026, 6, 1)
NOON = datetime(2026, 6, 1, 12, tzinfo=UTC)
NO_LIMIT = "no limit of the label met"
SCREENED = [
    ("Latent TB test", "TB interferon-gamma release assay negative"),
    ("HBsAg", "HBsAg negative"),
    ("anti-HBc", "anti-HBc negative"),
]


def _safety(db, mrn: str):  # type: ignore[no-untyped-def]
    with db.read() as s:
        timeline = load_timeline(s, find_patient_id(s, mrn))
    return {line.agent: line for line in treatment_safety(timeline, NOON)}


def test_the_hepatitis_patient_has_her_counts_and_lymphocytes_near_the_line(db) -> None:  # type: ignore[no-untyped-def]
    add_demo_patients(db, anchor=ANCHOR)
    lines = _safety(db, "DEMO-0001")
    assert list(lines) == ["mycophenolate mofetil", "tofacitinib", "prednisone"]
    tofacitinib = lines["tofacitinib"]
    # the latest counts are from day -2 (30 May): lymphocytes 0.57 x10^3/µL (570/mm3) are
    # above the label's 500/mm3, ANC 5.1 above 1,000/mm3, hemoglobin 12.4 above 9 g/dL
    # and no more than 2 g/dL below the 12.4 before the start
    assert [(c.what, c.latest, c.latest_on, c.status) for c in tofacitinib.checks] == [
        ("ALC", "0.57 x10^3/µL", date(2026, 5, 30), "ok"),
        ("ANC", "5.1 x10^3/µL", date(2026, 5, 30), "ok"),
        ("Hemoglobin", "12.4 g/dL", date(2026, 5, 30), "ok"),
        # CKD-EPI 2021, woman of 68, creatinine 0.77 mg/dL: 142 x (0.77/0.7)^-1.200
        # x 0.9938^68 x 1.012 = 142 x 0.8919 x 0.6551 x 1.012 = 84
        ("eGFR", "84 mL/min/1.73 m²", date(2026, 5, 30), "ok"),
        # the screens, all before the start on 9 May
        ("Latent TB test", SCREENED[0][1], date(2026, 5, 5), "ok"),
        ("HBsAg", SCREENED[1][1], date(2026, 4, 29), "ok"),
        ("anti-HBc", SCREENED[2][1], date(2026, 4, 29), "ok"),
    ]
    assert all(c.note == NO_LIMIT for c in tofacitinib.checks[:3])
    # tofacitinib from 9 May: ANC and hemoglobin at 4 to 8 weeks (by 4 July), lymphocytes
    # 3 months after the last draw (30 May + 91 days = 29 August), lipids by week 8
    assert [(u.what, u.last_done, u.due_on, u.overdue) for u in tofacitinib.due] == [
        ("Lymphocyte count (ALC)", date(2026, 5, 30), date(2026, 8, 29), False),
        ("Blood counts (ANC, Hemoglobin)", date(2026, 5, 30), date(2026, 7, 4), False),
        ("Lipids (Cholesterol, LDL, Triglycerides)", None, date(2026, 7, 4), False),
    ]
    # mycophenolate from 5 May, counts weekly in its first month: drawn 30 May (day 25);
    # from day 30 (4 June) two weeks are allowed, so the next is due on 14 June
    mmf = lines["mycophenolate mofetil"]
    assert [(c.what, c.latest, c.status) for c in mmf.checks] == [("ANC", "5.1 x10^3/µL", "ok")]
    assert [(u.last_done, u.due_on, u.overdue) for u in mmf.due] == [
        (date(2026, 5, 30), date(2026, 6, 14), False)
    ]
    # 34 days of prednisone at 20 mg/day or more and no prophylaxis: the one thing to act on
    (pjp,) = lines["prednisone"].checks
    assert (pjp.what, pjp.status) == ("Pneumocystis prophylaxis", "act")


def test_the_baricitinib_patient_was_screened_counted_and_had_her_lipids(db) -> None:  # type: ignore[no-untyped-def]
    add_demo_patients(db, anchor=ANCHOR)
    (baricitinib,) = _safety(db, "DEMO-0005").values()
    assert baricitinib.line == "baricitinib 4 mg once daily, from 2026-02-26"
    assert [(c.what, c.latest, c.latest_on, c.status) for c in baricitinib.checks] == [
        ("ALC", "1.42 x10^3/µL", date(2026, 5, 21), "ok"),
        ("ANC", "3.5 x10^3/µL", date(2026, 5, 21), "ok"),
        ("Hemoglobin", "12.9 g/dL", date(2026, 5, 21), "ok"),
        # woman of 63 (born 21 August 1962), creatinine 0.86 mg/dL: 142 x (0.86/0.7)^-1.200
        # x 0.9938^63 x 1.012 = 142 x 0.7811 x 0.6758 x 1.012 = 76, no renal dose change
        ("eGFR", "76 mL/min/1.73 m²", date(2026, 5, 21), "ok"),
        # screened three days before the start on 26 February
        ("Latent TB test", SCREENED[0][1], date(2026, 2, 23), "ok"),
        ("HBsAg", SCREENED[1][1], date(2026, 2, 23), "ok"),
        ("anti-HBc", SCREENED[2][1], date(2026, 2, 23), "ok"),
    ]
    # lipids drawn on 21 May, day 84 of the line: the label's 12 weeks; nothing else is due
    assert baricitinib.due == ()


def test_the_diabetes_case_series_has_the_baricitinib_line(db) -> None:  # type: ignore[no-untyped-def]
    add_demo_patients(db, anchor=ANCHOR)
    with db.read() as s:
        cohort = read_outcomes(s, "diabetes")
    # DEMO-0002 is on insulin only: no immunosuppression line to follow
    assert [(r.mrn, r.agent, r.position, r.start, r.irae_onset) for r in cohort.rows] == [
        ("DEMO-0005", "baricitinib", 1, date(2026, 2, 26), date(2026, 2, 21))
    ]


def test_the_alerts_list_shows_what_each_story_means(sqlite_url, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", sqlite_url, "demo"]) == 0
    capsys.readouterr()
    assert main(["--db", sqlite_url, "alerts", "--format", "json"]) == 0
    raised = json.loads(capsys.readouterr().out)
    kinds: dict[str, list[str]] = {}
    for alert in raised:
        kinds.setdefault(alert["mrn"], []).append(alert["kind"])
    assert {mrn: sorted(k) for mrn, k in kinds.items()} == {
        "DEMO-0001": ["flare", "grade_escalation", "hys_law", "pjp_prophylaxis"],
        "DEMO-0002": ["grade_escalation", "ici_diabetes"],
        "DEMO-0003": ["grade_escalation"],
        "DEMO-0004": ["grade_escalation"],
        "DEMO-0005": ["grade_escalation", "ici_diabetes"],
    }


@pytest.mark.parametrize("mrn", ["DEMO-0001", "DEMO-0005"])
def test_no_demo_safety_alert_about_missing_counts(db, mrn: str) -> None:  # type: ignore[no-untyped-def]
    add_demo_patients(db, anchor=ANCHOR)
    for line in _safety(db, mrn).values():
        assert all(c.status != "missing" for c in line.checks)
        assert not any(u.overdue for u in line.due)
