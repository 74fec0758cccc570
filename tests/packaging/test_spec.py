"""The PyInstaller recipe, read without building: version, data files and launchers are right."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "packaging" / "irae-desktop.spec"

pytest.importorskip("PyInstaller", reason="PyInstaller is in the test extra")


class _Recorder:
    """Stands in for one of PyInstaller's build steps and keeps what the spec passed it."""

    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]

    def __init__(self, kind: str, calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]):
        self.kind = kind
        self.calls = calls

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((self.kind, args, kwargs))
        return _Built(kwargs)


class _Built:
    def __init__(self, kwargs: dict[str, Any]):
        self.kwargs = kwargs
        self.pure: list[Any] = []
        self.scripts: list[Any] = []
        self.binaries: list[Any] = []
        self.datas: list[Any] = []


@pytest.fixture(scope="module")
def spec_calls() -> dict[str, list[dict[str, Any]]]:
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
    namespace: dict[str, Any] = {"SPECPATH": str(SPEC.parent), "__name__": "spec"}
    for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        namespace[kind] = _Recorder(kind, calls)
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, args, kwargs in calls:
        out.setdefault(kind, []).append({"args": args, **kwargs})
    out["_namespace"] = [namespace]
    return out


def test_version_comes_from_pyproject(spec_calls: dict[str, list[dict[str, Any]]]) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert spec_calls["_namespace"][0]["VERSION"] == project["version"]


def test_every_data_source_exists(spec_calls: dict[str, list[dict[str, Any]]]) -> None:
    (analysis,) = spec_calls["Analysis"]
    for source, _target in analysis["datas"]:
        assert Path(source).exists(), source
    entry = Path(analysis["args"][0][0])
    assert entry.is_file()
    assert "irae_desktop.cli.main" in entry.read_text(encoding="utf-8")


def test_resources_and_migrations_land_where_the_code_looks(
    spec_calls: dict[str, list[dict[str, Any]]],
) -> None:
    (analysis,) = spec_calls["Analysis"]
    targets = {Path(src).resolve(): dst for src, dst in analysis["datas"]}
    assert targets[(REPO / "irae_desktop" / "resources").resolve()] == "irae_desktop/resources"
    migrations = (REPO / "irae_desktop" / "store" / "migrations").resolve()
    assert targets[migrations] == "irae_desktop/store/migrations"
    # Alembic needs these as files next to the version scripts
    for name in ("env.py", "script.py.mako"):
        assert (migrations / name).is_file()
    assert list((migrations / "versions").glob("0001_*.py"))


def test_runtime_lookups_are_hidden_imports(spec_calls: dict[str, list[dict[str, Any]]]) -> None:
    (analysis,) = spec_calls["Analysis"]
    hidden = set(analysis["hiddenimports"])
    assert "irae_desktop.cli.main" in hidden
    assert "sqlalchemy.dialects.postgresql.psycopg" in hidden
    assert "fhir.resources.R4B.observation" in hidden
    assert "PySide6.QtSvg" in hidden  # the window icon is an SVG
    assert not {m for m in hidden if m.startswith("tests")}


def test_two_launchers_share_one_folder(spec_calls: dict[str, list[dict[str, Any]]]) -> None:
    exes = {e["name"]: e for e in spec_calls["EXE"]}
    assert set(exes) == {"irae-desktop", "irae-desktop-cli"}
    assert exes["irae-desktop-cli"]["console"] is True
    assert exes["irae-desktop"]["console"] is False
    (collect,) = spec_calls["COLLECT"]
    assert collect["name"] == "irae-desktop"
