"""Interpreter-wide settings belong to the entry points: an import run in a process that also
shows the window changes none of them; `irae-desktop import` tunes its own process."""

from __future__ import annotations

import ast
import gc
import sys
from pathlib import Path

import pytest

import irae_desktop
from irae_desktop import process_settings
from irae_desktop.cli.main import main
from tests.importers.helpers import run

LINES = "mrn,patient_name,collected_at,test,value,unit\nG1,Gus Gc,2024-03-01 08:00,ALT,41,U/L\n"
PACKAGE = Path(irae_desktop.__file__).parent
# calls that change the whole interpreter
PROCESS_WIDE = {"set_threshold", "freeze", "unfreeze", "disable", "enable", "setswitchinterval"}


@pytest.fixture
def settings_restored():  # type: ignore[no-untyped-def]
    threshold, interval = gc.get_threshold(), sys.getswitchinterval()
    yield threshold, interval
    gc.set_threshold(*threshold)
    sys.setswitchinterval(interval)


def test_an_import_changes_no_interpreter_setting(db, tmp_path: Path, settings_restored) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "labs.csv"
    path.write_text(LINES, encoding="utf-8")

    (summary,) = run(db, path)

    assert summary.imported == 1
    assert (gc.get_threshold(), sys.getswitchinterval()) == settings_restored


def test_the_import_command_tunes_its_own_process(
    sqlite_url: str, tmp_path: Path, settings_restored
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "labs.csv"
    path.write_text(LINES, encoding="utf-8")
    gc.set_threshold(700, 10, 10)
    sys.setswitchinterval(0.005)

    assert main(["--db", sqlite_url, "import", "--timezone", "UTC", str(path)]) == 0

    assert gc.get_threshold() == (100_000, 10, 10)
    assert sys.getswitchinterval() == pytest.approx(0.0005)


def _process_wide_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in PROCESS_WIDE
        and isinstance(node.value, ast.Name)
        and node.value.id in {"gc", "sys"}
    ]


def test_only_the_entry_points_change_interpreter_settings() -> None:
    found = [
        call
        for folder in ("domain", "store", "importers", "reports")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for call in _process_wide_calls(path)
    ]
    assert found == []
    # the scan itself finds such calls where they are
    assert _process_wide_calls(Path(process_settings.__file__))
