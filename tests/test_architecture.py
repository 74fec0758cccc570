"""The layer rules of docs/architecture.md, checked by import-linter, and a proof they can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _lint_imports_exe() -> str:
    """The lint-imports installed with this Python (a launcher earlier on PATH may be another's)."""
    name = "lint-imports.exe" if sys.platform == "win32" else "lint-imports"
    beside = Path(sys.executable).with_name(name)
    exe = str(beside) if beside.is_file() else shutil.which("lint-imports")
    assert exe, "import-linter is part of the test extra"
    return exe


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = _lint_imports_exe()
    return subprocess.run(
        [exe, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def test_layer_contracts_hold() -> None:
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("domain/leak.py", "import sqlalchemy", "Domain is pure"),
        ("store/leak.py", "import PySide6", "Only ui imports Qt"),
        ("domain/leak.py", "from irae_desktop.store import models", "Layers point down only"),
        ("ui/leak.py", "from sqlalchemy import select", "read through the store"),
        ("reports/leak.py", "import alembic", "read through the store"),
        ("ui/leak.py", "from irae_desktop.store.models import Patient", "read through the store"),
    ],
)
def test_contracts_catch_a_violation(tmp_path: Path, module: str, line: str, contract: str) -> None:
    """A copy of the tree with one bad import must break the named contract."""
    copy = tmp_path / "repo"
    shutil.copytree(
        REPO / "irae_desktop", copy / "irae_desktop", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    (copy / "irae_desktop" / module).write_text(
        textwrap.dedent(f'"""Bad."""\n{line}\n'), encoding="utf-8"
    )
    exe = _lint_imports_exe()
    result = subprocess.run(
        [exe, "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"PYTHONPATH": str(copy), "PATH": str(Path(sys.executable).parent)},
    )
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout
