"""Times the clinical core (regrade, timeline load, alerts, patient snapshot, grade command) and
checks that its results are the same as a saved run (`--save` once, then `--check`)."""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from irae_desktop.domain.alerts import evaluate_alerts
from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.models import (
    BaselineOverride,
    DoseStep,
    IrAEEpisode,
    LabResult,
    SiteReferenceRange,
    TreatmentLine,
)
from irae_desktop.store.patients import create_patient
from irae_desktop.store.timeline import load_timeline

sys.path.insert(0, str(Path(__file__).resolve().parent))

START = datetime(2023, 1, 1, 6, 0, tzinfo=UTC)
# analyte: (weight, unit, lln, uln, typical, spread)
SPEC: dict[str, tuple[int, str, float, float, float, float]] = {
    "ALT": (6, "U/L", 7, 40, 35, 0.9),
    "AST": (6, "U/L", 10, 40, 35, 0.9),
    "TBILI": (4, "mg/dL", 0.1, 1.2, 0.9, 0.7),
    "ALP": (3, "U/L", 40, 120, 110, 0.6),
    "GGT": (2, "U/L", 8, 61, 60, 0.8),
    "GLUCOSE": (5, "mg/dL", 70, 140, 150, 0.5),
    "GLUCOSE_POC": (3, "mg/dL", 70, 140, 160, 0.5),
    "GLUCOSE_FASTING": (1, "mg/dL", 70, 100, 110, 0.4),
    "CPEPTIDE": (1, "ng/mL", 0.8, 3.1, 1.0, 0.9),
    "BHB": (1, "mmol/L", 0.0, 0.6, 0.4, 0.9),
    "DBILI": (1, "mg/dL", 0.0, 0.3, 0.2, 0.7),
}
_NAMES = list(SPEC)
_WEIGHTS = [SPEC[n][0] for n in _NAMES]


def _lab_rows(rng: random.Random, pid: int, count: int, days: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(count):
        code = rng.choices(_NAMES, _WEIGHTS)[0]
        _, unit, lln, uln, typical, spread = SPEC[code]
        value = round(typical * rng.lognormvariate(0.0, spread), 2 if typical < 10 else 0)
        comparator = rng.choice(["<", ">", "<=", ">="]) if rng.random() < 0.03 else ""
        original_unit = unit
        if code.startswith("GLUCOSE") and rng.random() < 0.3:
            original_unit = "mmol/L"
        has_range = rng.random() > 0.1
        status = "entered-in-error" if rng.random() < 0.01 else "final"
        at = START + timedelta(minutes=int(i * days * 1440 / count) + rng.randint(0, 30))
        rows.append(
            {
                "patient_id": pid,
                "analyte": code,
                "collected_at": at,
                "value": float(value),
                "comparator": comparator,
                "unit": unit,
                "original_text": f"{comparator}{value}",
                "original_unit": original_unit,
                "lln": (lln if rng.random() > 0.2 else None) if has_range else None,
                "uln": uln if has_range else None,
                "status": status,
                "source_file": "bench.csv",
                "source_ref": f"line {i}",
                "is_baseline": False,
                "version": 1,
            }
        )
    return rows


def _treatments(pid: int, rng: random.Random) -> list[TreatmentLine]:
    ici_start = (START + timedelta(days=rng.randint(60, 200))).date()
    pred = TreatmentLine(
        patient_id=pid,
        category="immunosuppression",
        agent="prednisone",
        dose=1.0,
        dose_unit="mg/kg",
        frequency="daily",
        route="oral",
        start_date=ici_start + timedelta(days=150),
    )
    pred.dose_steps = [
        DoseStep(
            start_date=ici_start + timedelta(days=150 + 7 * k),
            dose=60.0 - 10 * k,
            dose_unit="mg",
            frequency="daily",
        )
        for k in range(5)
    ]
    return [
        TreatmentLine(
            patient_id=pid,
            category="ici",
            agent="pembrolizumab",
            dose=200.0,
            dose_unit="mg",
            frequency="q3w",
            route="iv",
            start_date=ici_start,
        ),
        pred,
        TreatmentLine(
            patient_id=pid,
            category="immunosuppression",
            agent="infliximab",
            dose=5.0,
            dose_unit="mg/kg",
            route="iv",
            start_date=ici_start + timedelta(days=170),
        ),
    ]


def build(db: Database, big: int, patients: int, per_patient: int, seed: int = 7) -> list[int]:
    """One patient with `big` labs, then `patients` patients with `per_patient` labs each."""
    rng = random.Random(seed)
    ids = []
    with db.write() as s:
        for code, (_, unit, lln, uln, *_rest) in SPEC.items():
            s.add(SiteReferenceRange(analyte=code, sex="", lln=lln, uln=uln * 1.05, unit=unit))
        s.add(SiteReferenceRange(analyte="ALT", sex="F", lln=7, uln=33, unit="U/L"))
        sizes = [big] + [per_patient] * patients
        for n, size in enumerate(sizes):
            sex = Sex.FEMALE if n % 2 else Sex.MALE
            record = PatientRecord(
                mrn=f"B-{n:05d}",
                name=f"Bench {n}",
                sex=sex,
                birth_date=date(1960, 1, 1),
                weight_kg=70.0 if n % 5 else None,
            )
            pid = create_patient(s, record, user="bench").id
            ids.append(pid)
            if n % 3 != 2:
                s.add_all(_treatments(pid, rng))
            if n % 7 == 0:
                s.add(
                    BaselineOverride(
                        patient_id=pid,
                        analyte="AST",
                        value=80.0,
                        uln=40.0,
                        reason="chronic hepatitis B",
                        set_by="bench",
                    )
                )
            if n % 4 == 0:
                s.add(
                    IrAEEpisode(
                        patient_id=pid,
                        organ="hepatitis",
                        grade=3,
                        status="active",
                        onset=(START + timedelta(days=300)).date(),
                    )
                )
            rows = _lab_rows(rng, pid, size, days=900 if size > 1000 else 400)
            s.execute(insert(LabResult), rows)
    return ids


def _cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, process CPU seconds, result)."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w, time.process_time() - c, out


def _grades(db: Database) -> dict[int, tuple[Any, ...]]:
    with db.read() as s:
        rows = s.execute(
            select(
                LabResult.id,
                LabResult.grade,
                LabResult.grade_criteria,
                LabResult.grade_reason,
                LabResult.is_baseline,
            )
        )
        return {r[0]: tuple(r[1:]) for r in rows}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _grade_cli(rows: int, tmp: Path) -> tuple[dict[str, float], str]:
    from bench_grade import PLAIN_LOOP, write_input

    src = tmp / "in.csv"
    write_input(src, rows)
    figures = {}
    for name, cmd in (
        ("plain loop", [sys.executable, "-c", PLAIN_LOOP, str(src), str(tmp / "plain.csv")]),
        (
            "grade cmd",
            [sys.executable, "-m", "irae_desktop", "grade", str(src), "-o", str(tmp / "app.csv")],
        ),
    ):
        before = _children_cpu()
        subprocess.run(cmd, check=False, capture_output=True)
        figures[name] = _children_cpu() - before
    digest = hashlib.sha256((tmp / "app.csv").read_bytes()).hexdigest()
    return figures, digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", type=int, default=5000)
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--per-patient", type=int, default=200)
    parser.add_argument("--grade-rows", type=int, default=200_000)
    parser.add_argument("--save", type=Path, help="store the results here")
    parser.add_argument("--check", type=Path, help="compare the results with a stored run")
    parser.add_argument("--profile", choices=["regrade", "regrade1", "timeline", "alerts"])
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="irae-profile-") as tmp_name:
        tmp = Path(tmp_name)
        db = open_database(f"sqlite:///{tmp / 'core.sqlite3'}")
        ids = build(db, args.big, args.patients, args.per_patient)
        big_id = ids[0]

        def regrade(which: list[int]) -> Callable[[], int]:
            with db.write() as s:
                s.execute(
                    update(LabResult).values(
                        grade=None, grade_reason=None, grade_criteria=None, is_baseline=False
                    )
                )

            def go() -> int:
                with db.write() as s:
                    return regrade_patients(s, which)

            return go

        if args.profile:
            import cProfile
            import pstats

            target = {
                "regrade": regrade(ids[1:]),
                "regrade1": regrade([big_id]),
                "timeline": lambda: load_timeline(db.session_factory()(), big_id),
                "alerts": lambda: evaluate_alerts(
                    load_timeline(db.session_factory()(), big_id), datetime.now(UTC)
                ),
            }[args.profile]
            if args.profile in ("timeline", "alerts"):
                regrade(ids)()
            prof = cProfile.Profile()
            prof.runcall(target)
            pstats.Stats(prof).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(30)
            return 0

        wall, cpu, changed = _cpu(regrade([big_id]))
        print(
            f"regrade 1 patient x {args.big} labs: {wall:.3f} s wall, {cpu:.3f} s CPU "
            f"({changed} rows written)"
        )
        wall, cpu, changed = _cpu(regrade(ids[1:]))
        print(
            f"regrade {args.patients} patients x {args.per_patient} labs: {wall:.3f} s wall, "
            f"{cpu:.3f} s CPU, {cpu / max(changed, 1) * 1e6:.1f} us/row CPU"
        )
        wall, cpu, changed = _cpu(regrade(ids))
        print(f"regrade all: {wall:.3f} s wall, {cpu:.3f} s CPU ({changed} rows)")
        wall, cpu, again = _cpu(regrade_no_reset(db, ids))
        print(
            f"regrade all again (nothing changes): {wall:.3f} s wall, {cpu:.3f} s CPU "
            f"({again} rows)"
        )
        results["grades"] = _grades(db)

        with db.read() as s:
            wall, cpu, timeline = _cpu(lambda: load_timeline(s, big_id))
        print(f"load_timeline {len(timeline.labs)} labs: {wall * 1000:.1f} ms wall")
        results["timeline"] = timeline
        alerts = {}
        for days in (0, 200, 320, 360, 500, 700, 950):
            now = START + timedelta(days=days)
            wall, cpu, found = _cpu(lambda now=now: evaluate_alerts(timeline, now))
            alerts[days] = found
            if days == 950:
                print(f"evaluate_alerts on {len(timeline.labs)} labs: {wall * 1000:.1f} ms wall")
        with db.read() as s:
            small = [load_timeline(s, pid) for pid in ids[1:60]]
        for t in small:
            for days in (150, 330, 420):
                alerts[(t.patient_id, days)] = evaluate_alerts(t, START + timedelta(days=days))
        results["alerts"] = alerts

        from irae_desktop.ui.patient.snapshot import load_snapshot

        now = START + timedelta(days=950)
        load_snapshot(db, big_id, now=now)
        wall, cpu, snap = _cpu(lambda: load_snapshot(db, big_id, now=now))
        print(
            f"load_snapshot {len(snap.labs)} labs: {wall * 1000:.1f} ms wall, "
            f"{cpu * 1000:.1f} ms CPU"
        )
        results["snapshot"] = (snap.labs, snap.alerts, snap.alerts_error, snap.response_labels)
        db.dispose()
        if args.grade_rows:
            figures, digest = _grade_cli(args.grade_rows, tmp)
            ratio = figures["grade cmd"] / figures["plain loop"]
            print(
                f"grade {args.grade_rows} rows: {figures['grade cmd']:.2f} s CPU vs plain loop "
                f"{figures['plain loop']:.2f} s CPU -> {ratio:.2f}x"
            )
            results["grade_csv"] = digest
    return _compare(results, args.save, args.check)


def regrade_no_reset(db: Database, ids: list[int]) -> Callable[[], int]:
    def go() -> int:
        with db.write() as s:
            return regrade_patients(s, ids)

    return go


def _compare(results: dict[str, Any], save: Path | None, check: Path | None) -> int:
    if save:
        save.write_bytes(pickle.dumps(results))
        print(f"results saved to {save}")
    if check:
        stored = pickle.loads(check.read_bytes())
        bad = [key for key in results if key in stored and stored[key] != results[key]]
        if bad:
            print(f"RESULTS DIFFER: {', '.join(bad)}")
            return 1
        print(f"results identical to {check} ({', '.join(k for k in results if k in stored)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
