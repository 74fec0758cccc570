"""Cost per result of the treatment-safety analytes against the liver and glucose analytes,
measured in the same run: grading a series (the import's and regrade's path) and evaluating every
alert over a patient's timeline.

Each case grades the same number of results; the baseline is the older analytes (ALT, AST,
bilirubin, glucose), the measured side the newer ones (lymphocytes, neutrophils, hemoglobin,
platelets, creatinine, triglycerides). The printed ratio is new / old per result: 1.0 means the
new analytes cost the same.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from irae_desktop.domain.alerts import evaluate_alerts
from irae_desktop.domain.series import LabToGrade, grade_series
from irae_desktop.domain.timeline import LabPoint, PatientTimeline, TreatmentSpan

# analyte: (canonical unit, lln, uln, typical value)
OLD = {
    "ALT": ("U/L", None, 40.0, 35.0),
    "AST": ("U/L", None, 40.0, 35.0),
    "TBILI": ("mg/dL", None, 1.2, 0.8),
    "GLUCOSE": ("mg/dL", 70.0, 140.0, 120.0),
}
NEW = {
    "ALC": ("10^3/µL", 1.0, 4.8, 1.2),
    "ANC": ("10^3/µL", 1.8, 7.7, 3.0),
    "HGB": ("g/dL", 12.0, 16.0, 11.5),
    "PLT": ("10^3/µL", 150.0, 400.0, 180.0),
    "CREAT": ("mg/dL", 0.6, 1.1, 0.9),
    "TRIG": ("mg/dL", None, 150.0, 140.0),
}
START = date(2026, 1, 5)


def _labs(spec: dict[str, tuple[str, float | None, float, float]], n: int) -> list[LabToGrade]:
    rng = random.Random(7)
    names = list(spec)
    t0 = datetime(2026, 1, 1, 8, tzinfo=UTC)
    out = []
    for i in range(n):
        code = names[i % len(names)]
        unit, lln, uln, typical = spec[code]
        value = round(typical * rng.lognormvariate(0.0, 0.5), 2)
        out.append(LabToGrade(i + 1, code, t0 + timedelta(hours=6 * i), value, "", unit, uln, lln))
    return out


def _timeline(labs: list[LabToGrade]) -> PatientTimeline:
    grades = grade_series(labs, START, zone=UTC)
    points = [
        LabPoint(
            lab.id, lab.analyte, lab.collected_at, lab.value, "", lab.unit, lab.uln, lab.lln,
            grades[lab.id].grade, grades[lab.id].reason, "ctcae-5.0", grades[lab.id].is_baseline,
            "bench",
        )
        for lab in labs
    ]  # fmt: skip
    lines = [
        TreatmentSpan(1, "ici", "pembrolizumab", 200, "mg", "q3w", "IV", START, None),
        TreatmentSpan(2, "immunosuppression", "tofacitinib", 10, "mg", "bid", "PO", START, None),
        TreatmentSpan(3, "immunosuppression", "prednisone", 60, "mg", "daily", "PO", START, None),
    ]
    return PatientTimeline(
        1, "B-1", "Bench", 70.0, "F", date(1960, 1, 1), points, lines, START, zone=UTC
    )


def _paired(old, new, repeats: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Old and new timed in turn, so a machine that slows down weighs on both: the medians of
    each side and the median of the pairs' ratios."""
    olds, news, ratios = [], [], []
    for _ in range(repeats):
        began = time.perf_counter()
        old()
        olds.append(time.perf_counter() - began)
        began = time.perf_counter()
        new()
        news.append(time.perf_counter() - began)
        ratios.append(news[-1] / olds[-1])
    return statistics.median(olds), statistics.median(news), statistics.median(ratios)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    n = args.results
    old, new = _labs(OLD, n), _labs(NEW, n)
    grade_series(old, START, zone=UTC), grade_series(new, START, zone=UTC)  # plans compiled once
    g_old, g_new, g_ratio = _paired(
        lambda: grade_series(old, START, zone=UTC),
        lambda: grade_series(new, START, zone=UTC),
        args.repeats,
    )
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    tl_old, tl_new = _timeline(old[:2000]), _timeline(new[:2000])
    a_old, a_new, a_ratio = _paired(
        lambda: evaluate_alerts(tl_old, now), lambda: evaluate_alerts(tl_new, now), args.repeats
    )
    per = f"old {1e6 * g_old / n:.2f} µs/result, new {1e6 * g_new / n:.2f} µs/result"
    print(f"grading {n:,} results: {per} -> median of paired ratios {g_ratio:.2f}x")
    per = f"old {1e3 * a_old:.1f} ms, new {1e3 * a_new:.1f} ms"
    print(
        f"alerts over 2,000 results with a JAK line: {per}"
        f" -> median of paired ratios {a_ratio:.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
