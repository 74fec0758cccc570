"""Outcomes across patients on the big database: the case-series read (every hepatitis line's
row, summaries and trajectories), its PDF, and the Outcomes window's fill on the GUI thread,
against a bare SQL query of the same lines.

Each side runs in a fresh process; the database comes from make_big_db.py, whose treated
flares are hepatitis episodes with a prednisone line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import Case, python_child

CHILD = """
import json, sqlite3, sys, tempfile, time
from pathlib import Path
from irae_desktop.reports.outcomes_pdf import write_outcomes_pdf
from irae_desktop.store.database import open_database
from irae_desktop.store.outcomes_read import read_outcomes

path = sys.argv[1]
db = open_database(f"sqlite:///{path}")
began = time.perf_counter()
with db.read() as session:
    cohort = read_outcomes(session, "hepatitis")
read_s = time.perf_counter() - began
with tempfile.TemporaryDirectory() as tmp:
    began = time.perf_counter()
    pages = write_outcomes_pdf(Path(tmp) / "series.pdf", cohort, study_key=None)
    pdf_s = time.perf_counter() - began
# the window's one step on the GUI thread (the read runs on a worker): filling the table, the
# summaries and both figures from the cohort read above
import os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
app = QApplication([])
from irae_desktop.ui.outcomes_window import OutcomesWindow
window = OutcomesWindow(db)
window.resize(1366, 768)
window.show()
app.processEvents()
drawn = []
window.figures_drawn.connect(lambda: drawn.append(time.perf_counter()))
began = time.perf_counter()
window.fill(cohort, None, window.request())
fill_s = time.perf_counter() - began
began = time.perf_counter()
while not drawn:  # the figures come on the next turn of the event loop
    app.processEvents()
app.processEvents()  # and their first paint
figures_s = time.perf_counter() - began
db.dispose()
conn = sqlite3.connect(path)
began = time.perf_counter()
bare = conn.execute(
    "SELECT t.* FROM treatment_lines t JOIN (SELECT DISTINCT patient_id FROM irae_episodes"
    " WHERE lower(trim(organ)) = 'hepatitis') e ON e.patient_id = t.patient_id"
    " WHERE t.category = 'immunosuppression'"
).fetchall()
bare_s = time.perf_counter() - began
print(json.dumps({"read": read_s, "pdf": pdf_s, "fill": fill_s, "figures": figures_s,
                  "pages": pages,
                  "lines": len(cohort.rows),
                  "bare": bare_s, "bare_lines": len(bare)}))
"""


def run(db_path: Path) -> list[Case]:
    code = CHILD.replace("sys.argv[1]", repr(str(db_path)))
    found = json.loads(python_child(code, timeout=900).check("outcomes").stdout.splitlines()[-1])
    lines = f"{found['lines']} lines ({found['bare_lines']} by the bare query)"

    def case(name: str, key: str, note: str, target: str = "(diagnostic)") -> Case:
        return Case(
            name=name,
            seconds=found[key],
            baseline="bare SQL query of the same lines",
            baseline_seconds=found["bare"],
            target=target,
            note=note,
        )

    return [
        case("outcomes read, hepatitis cohort", "read", lines),
        case("outcomes case-series PDF", "pdf", f"{found['pages']} pages"),
        case(
            "outcomes window fill (GUI thread)",
            "fill",
            "the table and the summaries",
            "(diagnostic: one of the window's two holds while it opens)",
        ),
        case(
            "outcomes window figures (GUI thread, next turn)",
            "figures",
            "Kaplan-Meier and trajectory figures and their first paint",
            "(diagnostic: the other hold)",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", type=Path, help="an existing SQLite file (make_big_db.py)")
    args = parser.parse_args(argv)
    if not args.database.is_file():  # never create an empty database by a mistyped name
        parser.error(f"no database file {args.database}")
    for case in run(args.database):
        print(case)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
