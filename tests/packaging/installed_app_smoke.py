"""Run by the Python of a fresh virtual environment that has only the built wheel installed.

Imports every module of the source tree from the installed copy, checks every data file is
there, then starts the installed app headless: the main window with the demo patients, one
patient opened and its trends drawn and grabbed to a PNG. Exits non-zero with the reason on any
failure, including an exception raised inside a Qt slot (the app would show it as a dialog).

Usage: python installed_app_smoke.py SITE_PACKAGES MANIFEST.json DB_URL OUT_DIR
The manifest lists the modules and the package data files of the source tree.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import traceback
from importlib import resources
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TIMEOUT_MS = 60_000
RUN_BY_ALEMBIC = ("irae_desktop.store.migrations.env", "irae_desktop.store.migrations.versions.")


def check_modules(site: Path, modules: list[str]) -> list[str]:
    problems = []
    for name in modules:
        try:
            if name.endswith(".__main__") or name.startswith(RUN_BY_ALEMBIC):
                # importing these would run the command line, or a migration outside Alembic:
                # finding them in the installed copy is enough
                spec = importlib.util.find_spec(name)
                origin = Path(spec.origin if spec and spec.origin else "").resolve()
            else:
                origin = Path(importlib.import_module(name).__file__ or "").resolve()
        except Exception as exc:  # any failure to import is a packaging fault
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        if site not in origin.parents:
            problems.append(f"{name}: imported from {origin}, not from the installed wheel")
    return problems


def check_data(files: list[str]) -> list[str]:
    root = resources.files("irae_desktop")
    missing = []
    for relative in files:
        entry = root
        for part in relative.split("/"):
            entry = entry.joinpath(part)
        if not entry.is_file():
            missing.append(relative)
    return [f"data file missing from the installed package: {m}" for m in missing]


def open_a_patient(db_url: str, out: Path) -> list[str]:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from irae_desktop.store.database import open_database
    from irae_desktop.store.demo import add_demo_patients
    from irae_desktop.ui.app import make_application
    from irae_desktop.ui.main_window import MainWindow

    failures: list[str] = []

    def record(kind: type[BaseException], exc: BaseException, tb: object) -> None:
        failures.append("".join(traceback.format_exception(kind, exc, tb)))  # type: ignore[arg-type]
        QApplication.exit(3)

    sys.excepthook = record
    app = make_application(["irae-desktop"])
    db = open_database(db_url)
    if not add_demo_patients(db):
        return ["the demo patients were not added"]
    settings = QSettings(str(out / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(db, settings)
    window.resize(1366, 768)
    window.show()
    window.refresh()
    opened: list[int] = []

    def on_loaded(patient_id: int) -> None:
        opened.append(patient_id)
        trends = window.patient_view.trends

        # the plots are drawn in small steps after the data arrives
        def grab_when_drawn() -> None:
            if trends.is_drawing():
                QTimer.singleShot(50, grab_when_drawn)
                return
            window.grab().save(str(out / "patient.png"))
            app.exit(0)

        grab_when_drawn()

    window.patient_view.loaded.connect(on_loaded)

    def open_first() -> None:
        model = window.worklist.model
        if model.rowCount() == 0:
            QTimer.singleShot(50, open_first)
            return
        window.open_patient(model.row_at(0).patient_id)

    QTimer.singleShot(0, open_first)
    QTimer.singleShot(TIMEOUT_MS, lambda: app.exit(2))
    code = app.exec()
    window.close()
    if code == 2:
        failures.append("the patient view did not finish loading in time")
    if not opened and not failures:
        failures.append("no patient was opened")
    if not failures and not (out / "patient.png").is_file():
        failures.append("the window could not be grabbed")
    return failures


def main() -> int:
    site = Path(sys.argv[1]).resolve()
    manifest = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    db_url, out = sys.argv[3], Path(sys.argv[4])
    problems = check_modules(site, manifest["modules"]) + check_data(manifest["data"])
    if not problems:
        problems = open_a_patient(db_url, out)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
