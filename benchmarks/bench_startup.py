"""Cold start: the app to a filled worklist vs a bare PySide6 + pyqtgraph window, fresh processes.

Each start is a new Python process (offscreen Qt), timed from spawn to exit right after the first
paint, so both sides pay the same interpreter start and teardown; the median of the repeats counts.
A database of an older schema is upgraded once, untimed, before the first start, and the app's
modules are compiled to bytecode first, as an installed copy has them.
The app side is the real start-up, `python -m irae_desktop --db URL` (the command line's entry
point, which sets the process up for the window, then `run_gui`), with one hook: when the
worklist panel reports its rows loaded, the window is painted at once and the app quits.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import REPO, Case, python_child, run_child

# A plain window with the same widget kinds the main window shows: a table and a plot.
BARE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTableView
import pyqtgraph as pg

app = QApplication(sys.argv)
window = QMainWindow()
split = QSplitter()
model = QStandardItemModel(50, 8)
for r in range(50):
    for c in range(8):
        model.setItem(r, c, QStandardItem(f"{r}:{c}"))
table = QTableView()
table.setModel(model)
split.addWidget(table)
plot = pg.PlotWidget()
plot.plot(list(range(100)), [i * i for i in range(100)])
split.addWidget(plot)
window.setCentralWidget(split)
window.resize(1200, 800)

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False

watch = FirstPaint()
table.viewport().installEventFilter(watch)
window.show()
sys.exit(app.exec())
"""


# The real start-up; the hook quits once the worklist rows are in the table and painted. It
# wraps MainWindow.__init__ when run_gui itself imports the main window, so the app's modules
# load in the app's own order (importing them here first would time a different start-up).
APP_START = """
import importlib.machinery, sys
from PySide6.QtWidgets import QApplication

def watch(main_window):
    original_init = main_window.MainWindow.__init__

    def init_and_watch(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        def filled():
            self.repaint()
            QApplication.quit()
        self.worklist.loaded.connect(filled)

    main_window.MainWindow.__init__ = init_and_watch

class WatchMainWindow:
    def find_spec(self, name, path=None, target=None):
        if name != "irae_desktop.ui.main_window":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run_module = spec.loader.exec_module
        def run_and_watch(module):
            run_module(module)
            watch(module)
        spec.loader.exec_module = run_and_watch
        return spec

sys.meta_path.insert(0, WatchMainWindow())
# as `python -m irae_desktop --db URL` starts: the command line's entry point, then the window
import runpy
sys.argv = ["irae-desktop", "--db", sys.argv[1]]
runpy.run_module("irae_desktop", run_name="__main__", alter_sys=True)
"""


def app_honours_exit_flag() -> bool:
    """True when the main window has the worklist panel and its `loaded` signal to watch."""
    ui = REPO / "irae_desktop" / "ui"
    window, panel = ui / "main_window.py", ui / "worklist_view.py"
    if not (window.exists() and panel.exists() and (ui / "app.py").exists()):
        return False
    return "self.worklist =" in window.read_text(
        encoding="utf-8"
    ) and "loaded = Signal" in panel.read_text(encoding="utf-8")


def time_bare_window() -> tuple[float, float]:
    run = python_child(BARE_WINDOW, timeout=120).check("bare window")
    return run.seconds, run.peak_mb


def time_app_start(db_path: Path) -> tuple[float, float]:
    run = run_child([sys.executable, "-c", APP_START, f"sqlite:///{db_path}"], timeout=180).check(
        "app start"
    )
    return run.seconds, run.peak_mb


def time_worklist_query(db_path: Path) -> tuple[float, float]:
    """The worklist query alone, in a fresh process, against a bare GROUP BY over the same rows."""
    code = f"""
import time, sqlite3
from irae_desktop.store.database import open_database
from irae_desktop.store.worklist import worklist_rows
db = open_database("sqlite:///{db_path}")
t = time.perf_counter()
with db.read() as s:
    rows = worklist_rows(s)
q = time.perf_counter() - t
conn = sqlite3.connect("{db_path}")
t = time.perf_counter()
conn.execute("SELECT patient_id, analyte, max(collected_at), count(*) FROM lab_results "
             "GROUP BY patient_id, analyte").fetchall()
b = time.perf_counter() - t
print(q, b, len(rows))
"""
    out = python_child(code, timeout=300).check("worklist query").stdout.split()
    return float(out[0]), float(out[1])


def compile_app_bytecode() -> None:
    """The app's modules compiled to bytecode, as installing the wheel leaves them (pip
    compiles what it installs), as the bare window's PySide6 and pyqtgraph already are. A
    checkout run with PYTHONDONTWRITEBYTECODE set would otherwise compile about 80 of the app's
    modules from source on every timed start (about 0.09 s of CPU), which no user's start does."""
    package = str(REPO / "irae_desktop")
    code = (
        "import compileall, sys\n"
        f"sys.exit(0 if compileall.compile_dir({package!r}, quiet=1) else 1)\n"
    )
    python_child(code, timeout=300).check("bytecode")


def upgrade_schema(db_path: Path) -> None:
    """A database made by an older version is migrated once here, untimed, not in the first
    timed start (migration 0003 builds the lab summaries of every stored result)."""
    code = (
        "from irae_desktop.store.database import open_database\n"
        f"open_database({f'sqlite:///{db_path}'!r}).dispose()\n"
    )
    python_child(code, timeout=900).check("schema upgrade")


def run(db_path: Path, repeats: int = 5) -> list[Case]:
    upgrade_schema(db_path)
    compile_app_bytecode()
    with sqlite3.connect(db_path) as conn:
        (patients,) = conn.execute("SELECT count(*) FROM patients").fetchone()
        (results,) = conn.execute("SELECT count(*) FROM lab_results").fetchone()
    size = f"{patients:,} patients / {results:,} results"
    cases = []
    query_s, group_by_s = time_worklist_query(db_path)
    cases.append(
        Case(
            name=f"worklist query ({size})",
            seconds=query_s,
            baseline="bare GROUP BY in sqlite3",
            baseline_seconds=group_by_s,
            target="(diagnostic)",
        )
    )
    if not app_honours_exit_flag():
        bare = [time_bare_window() for _ in range(repeats)]
        bare_s = statistics.median(s for s, _ in bare)
        cases.append(
            Case(
                name=f"cold start to worklist ({size})",
                seconds=None,
                baseline="bare PySide6+pyqtgraph window",
                baseline_seconds=bare_s,
                peak_mb=max(m for _, m in bare),
                target="< 1.5x",
                note="not measured: no main window with a worklist `loaded` signal yet",
            )
        )
        return cases
    # side by side: each app start beside a bare start, so a machine that slows down or speeds
    # up during the run weighs on both sides alike
    bare, starts = [], []
    for _ in range(repeats):
        bare.append(time_bare_window())
        starts.append(time_app_start(db_path))
        time.sleep(0.2)
    bare_s = statistics.median(s for s, _ in bare)
    pair_ratio = statistics.median(a / b for (a, _), (b, _) in zip(starts, bare, strict=True))
    cases.append(
        Case(
            name=f"cold start to worklist ({size})",
            seconds=statistics.median(s for s, _ in starts),
            baseline="bare PySide6+pyqtgraph window",
            baseline_seconds=bare_s,
            peak_mb=max(m for _, m in starts),
            target="< 1.5x",
            note=(
                f"median of {repeats} pairs (median of the pairs' ratios {pair_ratio:.2f}x); "
                f"bare peak {max(m for _, m in bare):.0f} MB"
            ),
        )
    )
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cold start to a filled worklist")
    parser.add_argument("db", type=Path, help="a database made by make_big_db.py")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    for case in run(args.db, args.repeats):
        ratio = f"{case.ratio:.2f}x" if case.ratio is not None else "-"
        print(
            f"{case.name}: {case.seconds} s vs {case.baseline_seconds:.3f} s -> {ratio} {case.note}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
