"""The trend page: panels only for measured analytes, steroid doses as prednisone equivalents."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from irae_desktop.reports.charts import chart_window
from irae_desktop.reports.patient_summary import write_patient_summary
from irae_desktop.reports.summary_data import load_patient_summary
from tests.reports.factory import NOW, hepatitis_patient
from tests.reports.pdftext import page_texts, squash


def test_trend_page_shows_lanes_and_prednisone_equivalents(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        hepatitis_patient(s)
    out = tmp_path / "s.pdf"
    write_patient_summary(db, "MRN-100", out, now=NOW)
    text = squash(" ".join(page_texts(out)))
    trends = text.split("Trends with CTCAE grade bands and treatments")[1].split("Bands show")[0]
    assert "ALT/AST (× ULN, log scale)" in trends
    assert "Bilirubin (mg/dL)" in trends
    # no glucose or C-peptide results: no empty panels
    assert "Glucose (mg/dL)" not in trends and "C-peptide" not in trends
    for lane in ("pembrolizumab", "Steroid (pred-eq mg)", "mycophenolate mofet"):
        assert lane in trends
    # methylprednisolone 140 mg/day is 175 mg prednisone, then the prednisone steps 60, 40 and
    # the planned 30 mg step ahead of today, in time order
    assert "Steroid (pred-eq mg) 175 60 40 30" in trends


def test_window_runs_from_before_the_first_ici_dose_to_the_planned_taper(db) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        hepatitis_patient(s)
    with db.read() as s:
        data = load_patient_summary(s, "MRN-100", now=NOW)
    start, end = chart_window(data, max_days=365)
    first_ici = min(t.line.start for t in data.treatments if t.line.category == "ici")
    assert start.date() == first_ici - timedelta(days=14)
    # the next prednisone step is 6 days ahead: the axis reaches past it
    assert end.date() >= NOW.date() + timedelta(days=6)
    start_capped, _ = chart_window(data, max_days=30)
    assert start_capped == NOW - timedelta(days=30)


def test_legend_gives_the_last_value_in_its_unit_not_the_multiple(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        hepatitis_patient(s)
    out = tmp_path / "s.pdf"
    write_patient_summary(db, "MRN-100", out, now=NOW)
    text = squash(" ".join(page_texts(out)))
    trends = text.split("Trends with CTCAE grade bands and treatments")[1].split("Bands show")[0]
    assert "■ ALT last 61" in trends and "■ AST last 55" in trends
    assert "■ Bilirubin last <0.1" in trends


def test_now_marker_sits_at_now_even_when_the_axis_runs_into_the_taper_plan(db) -> None:  # type: ignore[no-untyped-def]
    from reportlab.graphics.shapes import Line

    from irae_desktop.reports.chart_time import TimeAxis
    from irae_desktop.reports.charts import BAND_LABEL_W, LABEL_W, trend_drawing

    with db.write() as s:
        hepatitis_patient(s)
    with db.read() as s:
        data = load_patient_summary(s, "MRN-100", now=NOW)
    width = 500.0
    drawing = trend_drawing(data, width)
    start, end = chart_window(data, max_days=365)
    axis = TimeAxis(start, end, LABEL_W, width - LABEL_W - BAND_LABEL_W)
    markers = [
        item.x1
        for item in drawing.contents
        if isinstance(item, Line) and getattr(item, "strokeDashArray", None) == [2, 2]
    ]
    assert markers == [axis.x(NOW)]
    assert axis.x(NOW) < LABEL_W + width - LABEL_W - 2 - 10  # well left of the axis end


def test_a_crowded_chart_still_fits_on_one_page(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.reports.factory import add_lab, add_line, add_patient

    with db.write() as s:
        p = add_patient(s, "CROWD-1", "Crowded Chart")
        for analyte, value in (
            ("ALT", 90),
            ("AST", 80),
            ("TBILI", 1.5),
            ("ALP", 150),
            ("GLUCOSE", 300),
            ("CPEPTIDE", 0.2),
        ):
            add_lab(s, p, analyte, 3, value, None)
            add_lab(s, p, analyte, 1, value, None)
        for i in range(30):
            add_line(s, p, "immunosuppression", f"drug-{i:02d}", 10, "mg", -20 + i % 5)
    out = tmp_path / "crowd.pdf"
    pages = write_patient_summary(db, "CROWD-1", out, now=NOW, paper="a4")
    texts = page_texts(out)
    assert pages == len(texts)
    trends = squash(" ".join(texts)).split("Trends with CTCAE grade bands")[1]
    assert "C-peptide" in trends.split("Bands show")[0]
    for i in range(30):  # every lane is drawn (scaled down), and every line is in the table
        assert trends.count(f"drug-{i:02d}") == 2


def test_a_long_lane_label_takes_two_lines_rather_than_losing_letters() -> None:
    from irae_desktop.reports.chart_lanes import LABEL_MIN_SIZE, fit_label
    from irae_desktop.reports.fonts import register_fonts

    register_fonts()
    lines, size = fit_label("methylprednisolone sodium succinate", 72.0)
    assert lines == ["methylprednisolone", "sodium succinate"]
    assert size >= LABEL_MIN_SIZE
    assert fit_label("tofacitinib", 72.0) == (["tofacitinib"], 6.5)
