"""The trend bands are the grader's: abnormal-baseline multiples, v6.0 ALP, glucose hyper and
hypo, and the window and the printed chart shade the same band (clinical reference, decision
15). Expected edges are the CTCAE table multiples worked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from irae_desktop.domain.timeline import LabPoint
from irae_desktop.reports.charts import PANELS as PDF_PANELS
from irae_desktop.reports.charts import chart_bands
from irae_desktop.reports.summary_data import load_patient_summary
from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.models import Patient
from irae_desktop.store.patient_read import StoredLab
from irae_desktop.ui.patient.trends_data import PANELS, analyte_arrays, build_panels

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _row(n: int, analyte: str, value: float, uln: float | None, lln: float | None = None,
         *, unit: str = "U/L", baseline: bool = False) -> StoredLab:  # fmt: skip
    return StoredLab(
        n, analyte, T0 + timedelta(days=n), value, "", unit, uln, lln, None, None,
        "ctcae-5.0", baseline, "final", None, None, str(value), unit, 1,
    )  # fmt: skip


def _point(row: StoredLab) -> LabPoint:
    return LabPoint(
        row.id, row.analyte, row.collected_at, row.value, row.comparator, row.unit, row.uln,
        row.lln, None, None, row.criteria, row.is_baseline, None,
    )  # fmt: skip


def _edges(panel) -> list[tuple[int, float, float]]:  # type: ignore[no-untyped-def]
    return [(b.grade, round(b.low, 4), round(b.high, 4)) for b in panel.bands]


def _panel(labs: tuple[StoredLab, ...], key: str, criteria: str, **kw):  # type: ignore[no-untyped-def]
    panels = build_panels(labs, system="US", times_uln=False, criteria=criteria, **kw)
    return next(p for p in panels if p.panel.key == key)


def test_v6_alp_400_sits_in_the_grade_1_band_it_is_graded() -> None:
    labs = (_row(1, "ALP", 100, 120), _row(2, "ALP", 400, 120))
    panel = _panel(labs, "alp", "ctcae-6.0")
    # v6.0 ALP has grade 1 only: above the ULN of 120 U/L, no upper end
    assert [(g, lo) for g, lo, _ in _edges(panel)] == [(1, 120.0)]
    assert _edges(_panel(labs, "alp", "ctcae-5.0")) == [
        (1, 120.0, 300.0), (2, 300.0, 600.0), (3, 600.0, 2400.0), (4, 2400.0, 1e7),
    ]  # fmt: skip


def test_abnormal_baseline_alt_bands_are_baseline_multiples_not_uln_multiples() -> None:
    # baseline ALT 95 U/L with ULN 40 (the demo patient Lars Eriksen), v5.0: 1.5/3/5/20 x 95
    labs = (_row(1, "ALT", 95, 40, baseline=True), _row(2, "ALT", 214, 40), _row(3, "ALT", 305, 40))
    panel = _panel(labs, "enzymes", "ctcae-5.0")
    assert _edges(panel) == [
        (1, 142.5, 285.0), (2, 285.0, 475.0), (3, 475.0, 1900.0), (4, 1900.0, 1e7),
    ]  # fmt: skip
    assert "abnormal baseline 95 U/L" in panel.band_note
    v6 = _panel(labs, "enzymes", "ctcae-6.0")
    assert _edges(v6)[:2] == [(1, 95.0, 142.5), (2, 142.5, 190.0)]


def test_alt_and_ast_with_their_own_baselines_get_a_panel_each() -> None:
    labs = (
        _row(1, "ALT", 95, 40, baseline=True), _row(2, "ALT", 305, 40),
        _row(3, "AST", 88, 40, baseline=True), _row(4, "AST", 276, 40),
    )  # fmt: skip
    keys = [p.panel.key for p in build_panels(labs, system="US", times_uln=True)]
    assert keys[:2] == ["alt", "ast"]
    ast = next(p for p in build_panels(labs, system="US", times_uln=True) if p.panel.key == "ast")
    # x ULN: 1.5 x 88 / 40 = 3.3, 3 x 88 / 40 = 6.6
    assert _edges(ast)[0] == (1, 3.3, 6.6)


def test_glucose_bands_hyper_and_hypo_in_us_and_si() -> None:
    labs = (_row(1, "GLUCOSE_FASTING", 180, 99, 70, unit="mg/dL"),)
    panel = _panel(labs, "glucose", "ctcae-5.0")
    high = [(g, lo) for g, lo, _ in _edges(panel) if g and lo >= 99]
    assert high == [(1, 99.0), (2, 160.0), (3, 250.0), (4, 500.0)]
    low = sorted(((g, hi) for g, lo, hi in _edges(panel) if hi <= 70), reverse=True)
    assert low == [(4, 30.0), (3, 40.0), (2, 55.0), (1, 70.0)]
    si = build_panels(labs, system="SI", times_uln=False)
    si_glucose = next(p for p in si if p.panel.key == "glucose")
    # 160 mg/dL / 18.016 = 8.881 mmol/L
    assert round(si_glucose.bands[1].low, 3) == 8.881


def test_mixed_fasting_and_random_glucose_shade_only_the_shared_grades() -> None:
    labs = (
        _row(1, "GLUCOSE_FASTING", 180, 99, 70, unit="mg/dL"),
        _row(2, "GLUCOSE", 200, 140, 70, unit="mg/dL"),
    )
    panel = _panel(labs, "glucose", "ctcae-5.0")
    high = [(g, lo) for g, lo, _ in _edges(panel) if lo >= 99]
    assert high == [(3, 250.0), (4, 500.0)]  # a random 200 mg/dL has no grade 1-2


def test_y_range_keeps_the_uln_in_view_so_noise_stays_flat() -> None:
    labs = tuple(_row(i, "TBILI", v, 1.2, unit="mg/dL") for i, v in enumerate((0.5, 0.6, 0.7)))
    panel = _panel(labs, "bilirubin", "ctcae-5.0")
    assert 1.2 in panel.keep_in_view


def test_panels_follow_the_patients_problem() -> None:
    labs = (_row(1, "ALT", 30, 40), _row(2, "GLUCOSE", 300, 140, 70, unit="mg/dL"),
            _row(3, "BHB", 3.2, 0.4, unit="mmol/L"))  # fmt: skip

    def keys(problems: set[str]) -> list[str]:
        return [p.panel.key for p in build_panels(labs, system="US", times_uln=True,
                                                  problems=problems)]  # fmt: skip

    assert keys({"diabetes"}) == ["glucose", "ketones", "enzymes"]
    assert keys({"hepatitis"}) == ["enzymes", "glucose", "ketones"]
    assert keys({"hepatitis", "diabetes"}) == ["enzymes", "glucose", "ketones"]


@pytest.mark.parametrize("criteria", ["ctcae-5.0", "ctcae-6.0"])
def test_window_and_pdf_draw_the_same_band_for_the_same_value(criteria: str) -> None:
    labs = (
        _row(1, "ALT", 95, 40, baseline=True), _row(2, "ALT", 214, 40), _row(3, "ALT", 305, 40),
        _row(4, "ALP", 400, 120), _row(5, "TBILI", 1.4, 1.2, unit="mg/dL"),
        _row(6, "GLUCOSE_FASTING", 180, 99, 70, unit="mg/dL"),
    )  # fmt: skip
    points = [_point(r) for r in labs]
    window = {p.panel.key: p for p in build_panels(labs, system="US", times_uln=True,
                                                   criteria=criteria)}  # fmt: skip
    pairs = {"enzymes": 0, "bilirubin": 1, "alp": 2, "glucose": 3}
    for key, n in pairs.items():
        pdf, _found = chart_bands(PDF_PANELS[n], points, criteria)
        assert [(g, round(lo, 6), round(hi, 6)) for g, lo, hi in pdf] == [
            (b.grade, round(b.low, 6), round(b.high, 6)) for b in window[key].bands
        ], key
        assert pdf, key
    # ALT 305 U/L = 7.625 x ULN: v5.0 grade 2 band (285-475 U/L = 7.125-11.875 x ULN)
    if criteria == "ctcae-5.0":
        band = next(b for b in window["enzymes"].bands if b.low <= 7.625 < b.high)
        assert band.grade == 2


def test_demo_patient_bands_match_between_window_and_pdf(db) -> None:  # type: ignore[no-untyped-def]
    add_demo_patients(db, anchor=date.today())
    with db.read() as s:
        pid = s.scalar(select(Patient.id).where(Patient.mrn == "DEMO-0004"))
        data = load_patient_summary(s, "DEMO-0004", now=datetime.now(UTC))
    from irae_desktop.ui.patient.snapshot import load_snapshot

    snapshot = load_snapshot(db, pid)
    arrays = analyte_arrays(snapshot.labs)
    window = build_panels(snapshot.labs, system="US", times_uln=True, arrays=arrays)
    alt = next(p for p in window if p.panel.key == "alt")
    # his ALT 214 U/L (5.35 x ULN) and 305 U/L: v5.0 grades 1 and 2 against baseline 95 U/L
    assert [b.grade for b in alt.bands if b.low <= 5.35 < b.high] == [1]
    assert [b.grade for b in alt.bands if b.low <= 7.625 < b.high] == [2]
    pdf_spec = next(p for p in PDF_PANELS if p.analytes == ("ALT", "AST"))
    from dataclasses import replace

    pdf, _ = chart_bands(replace(pdf_spec, analytes=("ALT",)), data.labs, data.criteria)
    assert [(g, round(lo, 6)) for g, lo, _ in pdf] == [
        (b.grade, round(b.low, 6)) for b in alt.bands
    ]
    assert PANELS  # the window's panel table is the one the bands were drawn for


def test_abnormal_baselines_are_drawn_and_named_in_the_window() -> None:
    labs = (_row(1, "ALT", 95, 40, baseline=True), _row(2, "ALT", 305, 40))
    panel = next(p for p in build_panels(labs, system="US", times_uln=True))
    # 95 / 40 = 2.375 x ULN
    assert panel.baselines == ((2.375, "ALT abnormal baseline 95 U/L: grades relative to it"),)


def test_pdf_band_labels_and_baseline_caption_stay_clear_of_the_data(db) -> None:  # type: ignore[no-untyped-def]
    from reportlab.graphics.shapes import PolyLine, String

    from irae_desktop.reports.charts import BAND_LABEL_W, trend_drawing
    from irae_desktop.reports.fonts import register_fonts

    register_fonts()
    add_demo_patients(db, anchor=date.today())
    with db.read() as s:
        data = load_patient_summary(s, "DEMO-0004", now=datetime.now(UTC))
    width = 500.0
    drawing = trend_drawing(data, width)
    strings = [i for i in drawing.contents if isinstance(i, String)]
    lines = [i for i in drawing.contents if isinstance(i, PolyLine)]
    plot_right = width - BAND_LABEL_W
    grade_labels = [s for s in strings if s.text in ("G1", "G2", "G3", "G4")]
    assert grade_labels and all(s.x >= plot_right for s in grade_labels)  # in the margin
    captions = [s for s in strings if "abnormal baseline" in s.text]
    assert [c.text.split(" abnormal")[0] for c in captions] == ["ALT", "AST", "ALP"]
    for caption in captions:
        for line in lines:
            ys = line.points[1::2]
            near = [y for y in ys if caption.y - 60 < y < caption.y + 8]
            assert all(y < caption.y - 2 for y in near), caption.text


def test_a_clinicians_baseline_override_sets_the_bands_in_window_and_pdf(db) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.store.labs import set_baseline_override
    from irae_desktop.ui.patient.snapshot import load_snapshot

    add_demo_patients(db, anchor=date.today())
    with db.read() as s:
        pid = s.scalar(select(Patient.id).where(Patient.mrn == "DEMO-0003"))
    with db.write() as s:
        # ALT baseline set by hand to 100 U/L with ULN 40: abnormal, v5.0 grade 1 from 150 U/L
        set_baseline_override(s, "tester", pid, "ALT", 100.0, 40.0, "known NAFLD")
    snapshot = load_snapshot(db, pid)
    assert snapshot.baseline_overrides == {"ALT": (100.0, 40.0)}
    window = build_panels(
        snapshot.labs, system="US", times_uln=False, overrides=snapshot.baseline_overrides
    )
    alt = next(p for p in window if p.panel.key == "alt")
    # 1.5 / 3 / 5 / 20 x 100 U/L
    assert [(b.grade, round(b.low, 6)) for b in alt.bands] == [
        (1, 150.0), (2, 300.0), (3, 500.0), (4, 2000.0),
    ]  # fmt: skip
    with db.read() as s:
        data = load_patient_summary(s, "DEMO-0003", now=datetime.now(UTC))
    from dataclasses import replace

    spec = next(p for p in PDF_PANELS if p.analytes == ("ALT", "AST"))
    pdf, _ = chart_bands(
        replace(spec, analytes=("ALT",), relative=False),
        data.labs,
        data.criteria,
        data.baseline_overrides,
    )
    assert [(g, round(lo, 6)) for g, lo, _ in pdf] == [
        (1, 150.0),
        (2, 300.0),
        (3, 500.0),
        (4, 2000.0),
    ]


def test_results_before_the_first_ici_start_get_the_uln_bands() -> None:
    # ALT 95 U/L baseline (ULN 40) and ALT 150 U/L, both before the first ICI start on day 3,
    # are graded against the ULN (150 = 3.75 x ULN: grade 2); later results against 95 U/L
    labs = (_row(1, "ALT", 95, 40, baseline=True), _row(2, "ALT", 150, 40), _row(5, "ALT", 305, 40))
    start = (T0 + timedelta(days=3)).date()
    panel = next(
        p
        for p in build_panels(labs, system="US", times_uln=False, first_ici_start=start)
        if p.panel.key == "enzymes"
    )
    boundary = datetime(start.year, start.month, start.day + 1).timestamp()
    after = [(b.grade, b.low) for b in panel.bands if b.x_from == boundary]
    before = [(b.grade, b.low) for b in panel.bands if b.x_to == boundary]
    assert after == [(1, 142.5), (2, 285.0), (3, 475.0), (4, 1900.0)]
    assert before == [(1, 40.0), (2, 120.0), (3, 200.0), (4, 800.0)]
    # a normal baseline: one set of bands for all time
    normal = (_row(1, "ALT", 30, 40, baseline=True), _row(5, "ALT", 305, 40))
    plain = next(
        p for p in build_panels(normal, system="US", times_uln=False, first_ici_start=start)
    )
    assert all(b.x_from is None and b.x_to is None for b in plain.bands)


def test_pdf_uses_the_same_bands_before_the_first_ici_start() -> None:
    labs = (_row(1, "ALT", 95, 40, baseline=True), _row(2, "ALT", 150, 40), _row(5, "ALT", 305, 40))
    points = [_point(r) for r in labs]
    spec = next(p for p in PDF_PANELS if p.analytes == ("ALT", "AST"))
    early, _ = chart_bands(spec, points, "ctcae-5.0", before_start=True)
    later, _ = chart_bands(spec, points, "ctcae-5.0")
    # x ULN of 40: before the start 1 / 3 / 5 / 20; after it 1.5 / 3 / 5 / 20 x 95 / 40
    assert [(g, round(lo, 4)) for g, lo, _ in early] == [(1, 1.0), (2, 3.0), (3, 5.0), (4, 20.0)]
    assert [(g, round(lo, 4)) for g, lo, _ in later] == [
        (1, 3.5625), (2, 7.125), (3, 11.875), (4, 47.5),
    ]  # fmt: skip


def test_the_band_note_gives_the_uln_at_clinical_precision_in_si() -> None:
    # ULN 1.2 mg/dL is 20.52 umol/L exactly; the labs show it as 21, and so does the note
    labs = (
        _row(1, "TBILI", 0.7, 1.2, 0.1, unit="mg/dL"),
        _row(2, "TBILI", 0.9, 1.2, 0.1, unit="mg/dL"),
    )
    panels = build_panels(labs, system="SI", times_uln=False, criteria="ctcae-5.0")
    note = next(p for p in panels if "TBILI" in p.panel.analytes).band_note
    assert "Bilirubin ULN 21 \u00b5mol/L" in note
