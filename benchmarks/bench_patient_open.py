"""Opening a patient with thousands of results (query, grading, plots drawn) vs the bare SQL query.

The measuring runs in a fresh process with an offscreen QApplication already up, so the figure is
what a user waits for after clicking a patient: PatientView(db).show_patient(id), then a full
render of the view (grab() paints every child, the pyqtgraph plots included). The view loads in
a worker and says so with its `loaded` signal; meanwhile a 5 ms timer on the GUI thread measures
the longest freeze, which is what "no visible stall" is about. A fresh view per open makes every
plot anew; the switch figure is the everyday case, one view going from another patient to this.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import REPO, Case, run_child

CHILD = r"""
import json, sqlite3, statistics, sys, time
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
db_path, patient_id, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
result = {}
conn = sqlite3.connect(db_path)
bare = []
for _ in range(repeats):
    t = time.perf_counter()
    rows = conn.execute("SELECT * FROM lab_results WHERE patient_id = ? ORDER BY analyte, "
                        "collected_at", (patient_id,)).fetchall()
    bare.append(time.perf_counter() - t)
result["bare"] = statistics.median(bare)
result["rows"] = len(rows)
from irae_desktop.store.database import open_database
db = open_database(f"sqlite:///{db_path}")
try:
    from irae_desktop.store.timeline import load_timeline
except ImportError:
    load_timeline = None
if load_timeline is not None:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        with db.read() as session:
            timeline = load_timeline(session, patient_id)
        times.append(time.perf_counter() - t)
    result["timeline"] = statistics.median(times)
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
# as run_gui does before its event loop: what exists at start-up is left out of collections
# (the patient view's modules are imported later, on the first open, as in the app)
import gc
gc.freeze()
from irae_desktop.ui.patient.view import PatientView

# ticks every 5 ms on the GUI thread; the longest gap is how long the window froze
class StallMeter:
    def __init__(self):
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.tick)
        self.worst = 0
    def start(self):
        self.worst = 0
        self.clock.start()
        self.timer.start()
    def tick(self):
        self.worst = max(self.worst, self.clock.restart())
    def stop(self):
        self.tick()
        self.timer.stop()
        return self.worst / 1000

meter = StallMeter()
opens, stalls = [], []
for i in range(repeats):
    view = PatientView(db)
    view.resize(1400, 900)
    view.show()
    app.processEvents()
    loop = QEventLoop()
    done = []
    view.loaded.connect(lambda _pid: (done.append(True), loop.quit()))
    QTimer.singleShot(120_000, loop.quit)
    meter.start()
    t = time.perf_counter()
    view.show_patient(patient_id)
    if not done:
        loop.exec()
    if not done:
        raise SystemExit("the patient view never reported the patient loaded: "
                         + view.status_label.text())
    view.grab()
    opens.append(time.perf_counter() - t)
    stalls.append(meter.stop())
    view.close()
    view.deleteLater()
    app.processEvents()
result["first_open"] = opens[0]
result["open"] = statistics.median(opens)
result["stall"] = max(stalls)

# the everyday case: one view (the main window keeps it), going from another patient to this one
other_id = conn.execute("SELECT id FROM patients WHERE id != ? ORDER BY id LIMIT 1",
                        (patient_id,)).fetchone()[0]
view = PatientView(db)
view.resize(1400, 900)
view.show()
def show(pid):
    loop = QEventLoop()
    done = []
    view.loaded.connect(lambda _pid: (done.append(True), loop.quit()))
    QTimer.singleShot(120_000, loop.quit)
    view.show_patient(pid)
    if not done:
        loop.exec()
    if not done:
        raise SystemExit(f"patient {pid} never loaded: " + view.status_label.text())
    view.loaded.disconnect()
switches, switch_stalls = [], []
for i in range(repeats):
    show(other_id)
    idle = QEventLoop()
    QTimer.singleShot(300, idle.quit)  # a user looks at the screen before the next click
    idle.exec()
    meter.start()
    t = time.perf_counter()
    show(patient_id)
    view.grab()
    switches.append(time.perf_counter() - t)
    switch_stalls.append(meter.stop())
result["switch"] = statistics.median(switches)
result["switch_stall"] = max(switch_stalls)
print("RESULT " + json.dumps(result))
"""


def view_available() -> bool:
    view = REPO / "irae_desktop" / "ui" / "patient" / "view.py"
    return view.exists() and "class PatientView" in view.read_text(
        errors="replace", encoding="utf-8"
    )


def heavy_patient(db_path: Path) -> tuple[int, int]:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "SELECT patient_id, count(*) AS n FROM lab_results GROUP BY patient_id "
            "ORDER BY n DESC LIMIT 1"
        ).fetchone()
    return int(row[0]), int(row[1])


def run(db_path: Path, repeats: int = 5) -> list[Case]:
    patient_id, count = heavy_patient(db_path)
    name = f"open patient with {count:,} results"
    if not view_available():
        return [
            Case(
                name,
                None,
                "bare SQL query",
                None,
                target="no visible stall",
                note="not measured: ui/patient/view.py has no PatientView yet",
            )
        ]
    child = run_child(
        [sys.executable, "-c", CHILD, str(db_path), str(patient_id), str(repeats)], timeout=600
    )
    if child.returncode != 0:
        tail = (child.stderr.strip().splitlines() or ["no output"])[-1]
        return [
            Case(
                name,
                None,
                "bare SQL query",
                None,
                target="no visible stall",
                note=f"failed: {tail[:100]}",
            )
        ]
    line = next(ln for ln in child.stdout.splitlines() if ln.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    cases = [
        Case(
            name=name + " (first open)",
            seconds=data["first_open"],
            baseline="bare SQL query",
            baseline_seconds=data["bare"],
            peak_mb=child.peak_mb,
            target="no visible stall (< ~0.5 s)",
            note=f"median of {repeats} opens {data['open']:.3f} s",
        ),
        Case(
            name="  longest GUI-thread freeze while opening",
            seconds=data["stall"],
            target="< 0.1 s (no visible stall)",
            note="5 ms timer on the GUI thread",
        ),
    ]
    if "switch" in data:
        cases.append(
            Case(
                name="  switching to it from another patient in an open view",
                seconds=data["switch"],
                baseline="bare SQL query",
                baseline_seconds=data["bare"],
                target="no visible stall",
                note=f"median of {repeats}; longest GUI-thread freeze {data['switch_stall']:.3f} s",
            )
        )
    if "timeline" in data:
        cases.append(
            Case(
                name=f"load_timeline, {count:,} results",
                seconds=data["timeline"],
                baseline="bare SQL query",
                baseline_seconds=data["bare"],
                target="(diagnostic)",
            )
        )
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="open a patient with many results")
    parser.add_argument("db", type=Path, help="a database made by make_big_db.py")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    for case in run(args.db, args.repeats):
        ratio = f"{case.ratio:.1f}x" if case.ratio is not None else "-"
        print(f"{case.name}: {case.seconds} s vs {case.baseline_seconds} s -> {ratio} {case.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
