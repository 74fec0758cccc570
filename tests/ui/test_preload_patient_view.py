"""The patient view's heavy modules are imported off the GUI thread once the worklist shows, so
the first patient opened does not freeze the window for them; importing them makes no widget."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CHILD = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from irae_desktop.store.database import open_database
    from irae_desktop.ui.main_window import MainWindow

    db = open_database(f"sqlite:///{sys.argv[1]}")
    settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
    window = MainWindow(db, settings)
    window.show()
    assert "pyqtgraph" not in sys.modules, "pyqtgraph is not needed to show the worklist"
    started = time.monotonic()

    def check():
        if "irae_desktop.ui.patient.view" in sys.modules or time.monotonic() - started > 20:
            loaded = "irae_desktop.ui.patient.view" in sys.modules
            print("LOADED" if loaded else "NOT LOADED", flush=True)
            opened = window._patient_view is not None
            print("PATIENT OPENED" if opened else "NO PATIENT VIEW", flush=True)
            app.quit()
        else:
            QTimer.singleShot(50, check)

    window.worklist.loaded.connect(lambda: QTimer.singleShot(0, check))
    window.worklist.refresh()  # as run_gui starts the first read
    app.exec()
    from irae_desktop.ui import workers

    workers.shutdown()
    db.dispose()
    """
)


def test_patient_view_modules_load_in_the_background_after_the_worklist(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "t.sqlite3"), str(tmp_path / "s.ini")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["LOADED", "NO", "PATIENT", "VIEW"]
    # Qt says so on stderr when an object is made or used on the wrong thread
    assert "thread" not in done.stderr.lower(), done.stderr
