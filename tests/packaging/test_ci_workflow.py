"""The GitHub Actions workflow: actionlint finds nothing in it; it runs the tests as intended."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import conftest

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
REQUIRE_ENV = "IRAE_TEST_REQUIRE_ACTIONLINT"


def _actionlint() -> str:
    name = "actionlint.exe" if sys.platform == "win32" else "actionlint"
    beside_python = Path(sys.executable).with_name(name)
    found = shutil.which("actionlint") or (str(beside_python) if beside_python.is_file() else None)
    if found is None:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"actionlint is not installed, and {REQUIRE_ENV} requires it")
        pytest.skip("actionlint is not installed (pip install -e '.[workflow-lint]')")
    return found


def _lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_actionlint(), "-no-color", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_actionlint_finds_nothing() -> None:
    run = _lint(WORKFLOW)
    assert run.returncode == 0 and not run.stdout.strip(), run.stdout + run.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    """The check above can fail: a job that needs one that does not exist is reported."""
    text = WORKFLOW.read_text(encoding="utf-8")
    broken = text.replace("needs: [test-linux, test-windows-macos]", "needs: [test-linux, tests]")
    assert broken != text
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    path = tmp_path / ".github" / "workflows" / "ci.yml"
    path.write_text(broken, encoding="utf-8")
    run = _lint(path)
    assert run.returncode != 0
    assert '"tests"' in run.stdout


def _job(name: str) -> str:
    """The text of one job: from its key to the next job's key."""
    text = WORKFLOW.read_text(encoding="utf-8")
    match = re.search(rf"^  {re.escape(name)}:\n(.*?)(?=^  \S|\Z)", text, re.S | re.M)
    assert match, name
    return match.group(1)


def test_postgresql_runs_on_linux_and_skips_on_purpose_elsewhere() -> None:
    linux = _job("test-linux")
    assert "image: postgres:" in linux and "IRAE_TEST_PG_URL:" in linux
    assert "IRAE_TEST_SKIP_PG" not in linux
    others = _job("test-windows-macos")
    assert "windows-" in others and "macos-" in others
    assert re.search(r'IRAE_TEST_SKIP_PG: "1"', others)
    assert "services:" not in others  # containers run on Linux runners only


def test_every_action_is_pinned_to_a_commit() -> None:
    uses = re.findall(r"uses: (\S+)", WORKFLOW.read_text(encoding="utf-8"))
    assert uses
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref


def test_ci_without_a_server_skips_only_when_it_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(conftest.PG_URL_ENV, raising=False)
    monkeypatch.delenv(conftest.PG_SKIP_ENV, raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(RuntimeError, match="must be set in CI"):
        conftest._pg_admin_url()
    monkeypatch.setenv(conftest.PG_SKIP_ENV, "1")
    assert conftest._pg_admin_url() is None
    monkeypatch.setenv(conftest.PG_URL_ENV, "postgresql+psycopg://u@h/d")
    assert conftest._pg_admin_url() == "postgresql+psycopg://u@h/d"
