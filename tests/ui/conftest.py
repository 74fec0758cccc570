"""Fixtures for the desktop shell tests: a small database, private QSettings, a loaded window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from irae_desktop.store.database import Database
from irae_desktop.store.lab_latest import refresh_latest
from irae_desktop.store.models import LabResult, Patient, TreatmentLine

UI_TESTS = Path(__file__).resolve().parent
# the offscreen platform plugin cannot pass size hints to a window manager and says so on every
# shown top-level window; it is not a problem of the app, so only that exact message is ignored
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if UI_TESTS in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


def add_patient(
    db: Database,
    mrn: str,
    name: str,
    *,
    status: str = "active",
    synthetic: bool = False,
    alt: tuple[float, int] | None = None,
    days_ago: int = 1,
    ici: str | None = "pembrolizumab",
) -> int:
    """A patient with, optionally, one graded ALT result `days_ago` days ago."""
    with db.write() as s:
        p = Patient(
            mrn=mrn,
            name=name,
            status=status,
            is_synthetic=synthetic,
            sex="F",
            birth_date=date(1960, 1, 1),
        )
        s.add(p)
        s.flush()
        if alt is not None:
            value, grade = alt
            s.add(
                LabResult(
                    patient_id=p.id,
                    analyte="ALT",
                    value=value,
                    unit="U/L",
                    uln=40.0,
                    lln=7.0,
                    collected_at=datetime.now(UTC) - timedelta(days=days_ago),
                    grade=grade,
                    grade_criteria="ctcae-5.0",
                    original_text=str(value),
                    original_unit="U/L",
                )
            )
        if ici is not None:
            s.add(
                TreatmentLine(
                    patient_id=p.id,
                    category="ici",
                    agent=ici,
                    start_date=date.today() - timedelta(days=60),
                )
            )
        # written past the store's write paths, so its lab summaries are refreshed by hand
        refresh_latest(s, [p.id])
        return p.id


@pytest.fixture(autouse=True)
def _no_job_outlives_its_test(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A background job left running would hold one of the pool's threads (as many as there
    are cores) and slow or disturb whichever test runs next, in any order."""
    from PySide6.QtCore import QThreadPool

    from irae_desktop.ui.workers import shutdown

    yield
    if not QThreadPool.globalInstance().waitForDone(5_000):
        assert shutdown(20_000), "a background job still runs after its test, even cancelled"


@pytest.fixture
def ui_db(db: Database) -> Database:
    add_patient(db, "MRN-100", "Ada Lovelace", alt=(262.0, 3))
    add_patient(db, "MRN-200", "Grace Hopper", alt=(30.0, 0), days_ago=20)
    add_patient(db, "MRN-300", "Alan Turing", status="signed_off", alt=None, ici=None)
    return db


@pytest.fixture
def qsettings(tmp_path: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def no_alert_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Alert summaries of zero, so worklist tests do not depend on the alert rules."""
    from irae_desktop.ui import worklist_view
    from irae_desktop.ui.worklist_model import AlertSummary

    def fake(db: Database, ids: list[int], **_kw: object) -> Iterator[dict[int, AlertSummary]]:
        yield {pid: AlertSummary(0, None) for pid in ids}

    monkeypatch.setattr(worklist_view, "alert_summaries", fake)


@pytest.fixture
def window(qtbot, ui_db: Database, qsettings, no_alert_engine):  # type: ignore[no-untyped-def]
    from irae_desktop.ui.main_window import MainWindow

    win = MainWindow(ui_db, qsettings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.worklist.alerts_loaded, timeout=10_000):
        win.worklist.refresh()
    yield win
    win.close()


def wait_written(qtbot, op):  # type: ignore[no-untyped-def]
    """Waits for a write the window started (irae_desktop.ui.operations) to be saved or
    refused, and returns it; `op` None means the form refused before writing."""
    assert op is not None, "the form refused before writing"
    qtbot.waitUntil(lambda: op.done, timeout=20_000)
    return op
