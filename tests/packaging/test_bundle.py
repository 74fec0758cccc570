"""Builds the PyInstaller bundle and runs it headless: version, a migrated demo database, window."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXIT_ENV = "IRAE_EXIT_AFTER_FIRST_WINDOW"

# the app writes UTF-8 to pipes on every system (cli.main), so its output is read as UTF-8
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sys.platform == "win32",
        reason="packaging/build.sh is a bash script; CI builds the Windows bundle from the spec",
    ),
]


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(tmp / "data"),
        XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_STATE_HOME=str(tmp / "state"),
        XDG_CACHE_HOME=str(tmp / "cache"),
    )
    env.pop("IRAE_DB_URL", None)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the test extra")
    out = tmp_path_factory.mktemp("bundle")
    build = subprocess.run(
        [
            str(REPO / "packaging" / "build.sh"),
            "--dist",
            str(out / "dist"),
            "--work",
            str(out / "work"),
            "--no-archive",
        ],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=900,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return out / "dist" / "irae-desktop"


def test_bundle_reports_the_project_version(bundle: Path, tmp_path: Path) -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    for launcher in ("irae-desktop", "irae-desktop-cli"):
        run = subprocess.run(
            [str(bundle / launcher), "--version"],
            env=_env(tmp_path),
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == f"irae-desktop {version}"


def test_bundle_carries_the_desktop_integration_files(bundle: Path) -> None:
    share = bundle / "share"
    assert (share / "applications" / "irae-desktop.desktop").is_file()
    assert (share / "metainfo" / "org.irae_desktop.IraeDesktop.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / "irae-desktop.png").is_file()


def test_bundle_creates_and_migrates_a_database(bundle: Path, tmp_path: Path) -> None:
    db_file = tmp_path / "demo.sqlite3"
    run = subprocess.run(
        [str(bundle / "irae-desktop-cli"), "--db", f"sqlite:///{db_file}", "demo"],
        env=_env(tmp_path),
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    with sqlite3.connect(db_file) as conn:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        (patients,) = conn.execute("SELECT count(*) FROM patients WHERE is_synthetic").fetchone()
    assert revision and patients > 0


def test_bundle_explains_a_database_it_cannot_open(bundle: Path, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder-not-a-file"
    folder.mkdir()
    run = subprocess.run(
        [str(bundle / "irae-desktop-cli"), "--db", f"sqlite:///{folder}", "demo"],
        env=_env(tmp_path),
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
        check=False,
    )
    assert run.returncode == 1
    assert "cannot be opened" in run.stderr
    assert "Traceback" not in run.stderr
    assert list(folder.iterdir()) == []


def _log_problems(tmp: Path) -> list[str]:
    """ERROR lines and tracebacks the app wrote to its log under the test's state folder."""
    lines = []
    for log in (tmp / "state").rglob("*.log"):
        lines += [
            ln
            for ln in log.read_text(encoding="utf-8").splitlines()
            if " ERROR " in ln or "Error:" in ln
        ]
    return lines


def test_bundle_opens_its_first_window(bundle: Path, tmp_path: Path) -> None:
    db_file = tmp_path / "gui.sqlite3"
    subprocess.run(
        [str(bundle / "irae-desktop-cli"), "--db", f"sqlite:///{db_file}", "demo"],
        env=_env(tmp_path),
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=180,
        check=True,
    )
    command = [str(bundle / "irae-desktop"), "--db", f"sqlite:///{db_file}"]
    ui_sources = (REPO / "irae_desktop" / "ui").rglob("*.py")
    if any(EXIT_ENV in p.read_text(errors="replace", encoding="utf-8") for p in ui_sources):
        run = subprocess.run(
            command,
            env=_env(tmp_path, **{EXIT_ENV: "1"}),
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=180,
            check=False,
        )
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        stderr = run.stderr
    else:
        # without the exit switch: the window must come up and keep running on its own
        proc = subprocess.Popen(
            command,
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            errors="replace",
        )
        try:
            with pytest.raises(subprocess.TimeoutExpired):
                proc.wait(timeout=15)
        finally:
            proc.terminate()
            _out, stderr = proc.communicate(timeout=30)
    assert "Traceback" not in stderr
    assert list((tmp_path / "state").rglob("*.log")), "the GUI wrote no log"
    assert _log_problems(tmp_path) == []
