"""After the worklist loads: the integrity check, the daily backup, and the restore offer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from irae_desktop.store.backup import auto_backup_if_due, auto_backups, quick_check_file
from irae_desktop.store.database import open_database
from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.paths import backup_dir
from irae_desktop.ui import app as app_module


def test_sound_database_gets_its_daily_backup_after_the_check(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    assert auto_backups(backup_dir()) == []
    app_module.start_health_checks(window, db)
    qtbot.waitUntil(lambda: len(auto_backups(backup_dir())) == 1, timeout=30_000)
    ((_, copy),) = auto_backups(backup_dir())
    assert quick_check_file(copy) == []


def _damage(path: Path) -> None:
    """Garbage over two pages of lab results; the header and the schema stay readable (pages
    in the middle of the file may hold the schema, which would leave nothing to open)."""
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [
            n
            for (n,) in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'lab_results' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
    conn.close()
    with path.open("r+b") as f:
        for page in pages[len(pages) // 2 : len(pages) // 2 + 2]:
            f.seek((page - 1) * page_size)
            f.write(b"\xff" * page_size)


class _Quit:
    def __init__(self) -> None:
        self.called = False

    def quit(self) -> None:
        self.called = True


def test_damaged_database_is_reported_and_its_backup_restored(
    qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'irae.sqlite3'}"
    db = open_database(url)
    add_demo_patients(db)
    assert auto_backup_if_due(db) is not None
    db.dispose()
    _damage(tmp_path / "irae.sqlite3")
    assert quick_check_file(tmp_path / "irae.sqlite3") != []

    shown: list[str] = []

    def choose_restore(box: QMessageBox) -> int:
        shown.append(box.text())
        for button in box.buttons():
            if box.buttonRole(button) == QMessageBox.ButtonRole.AcceptRole:
                button.click()
        return 0

    quit_ = _Quit()
    monkeypatch.setattr(QMessageBox, "exec", choose_restore)
    monkeypatch.setattr(QMessageBox, "information", lambda *_a, **_k: None)
    monkeypatch.setattr(app_module, "quit_application", quit_.quit)
    damaged = open_database(url)
    window = QWidget()
    qtbot.addWidget(window)
    app_module.start_health_checks(window, damaged)
    qtbot.waitUntil(lambda: quit_.called, timeout=30_000)
    assert "damaged" in shown[0] and "latest good backup" in shown[0]
    assert quick_check_file(tmp_path / "irae.sqlite3") == []  # the backup is in place
    assert list(tmp_path.glob("irae.sqlite3.damaged-*"))  # and the damaged file kept aside
    restored = open_database(url)
    try:
        from sqlalchemy import func, select

        from irae_desktop.store.models import Patient

        with restored.read() as s:
            assert s.scalar(select(func.count()).select_from(Patient)) == 5
    finally:
        restored.dispose()
