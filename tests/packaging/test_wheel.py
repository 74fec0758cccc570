"""The app users get: the sdist and wheel are built, the wheel is installed (not editable) into a
new virtual environment, and the installed copy imports every module, carries every data file,
opens a demo patient's trends and writes a handoff PDF.

The editable install the rest of the suite runs on reads the source tree itself, so it cannot see
a package or a data file the wheel leaves out; this test can.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "irae_desktop"
SMOKE = Path(__file__).resolve().parent / "installed_app_smoke.py"

pytestmark = pytest.mark.slow


def source_manifest(package: Path = PACKAGE) -> dict[str, list[str]]:
    """Every module and every data file of the source tree, as the installed copy must have."""
    modules, data = [], []
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file() or path.suffix == ".pyc":
            continue
        relative = path.relative_to(package)
        if path.suffix == ".py":
            parts = ["irae_desktop", *relative.with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            modules.append(".".join(parts))
        else:
            data.append(relative.as_posix())
    return {"modules": modules, "data": data}


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        command, capture_output=True, text=True, check=False, **kwargs
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from that sdist (as pip builds it from PyPI)."""
    pytest.importorskip("build", reason="the build frontend is in the test extra")
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("src") / "irae-desktop"
    # a copy of the tracked tree, so build leftovers never land in the checkout
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "__pycache__", "*.egg-info", "build", "dist", ".mypy_cache", ".ruff_cache"
        ),
    )
    run = _run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed; its dependencies come from this
    interpreter's site-packages, reached by a path file (so nothing is downloaded), whose own
    path files, among them the editable install's, are not run."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    env_site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
        ).stdout.strip()
    )
    outer = [*site.getsitepackages(), site.getusersitepackages(), sysconfig.get_path("purelib")]
    (env_site / "zz_outer_dependencies.pth").write_text(
        "".join(f"{p}\n" for p in dict.fromkeys(outer) if Path(p).is_dir()), encoding="utf-8"
    )
    (wheel,) = dist.glob("*.whl")
    run = _run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], timeout=300
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return env_dir


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(tmp / "data"),
        XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_STATE_HOME=str(tmp / "state"),
        XDG_CACHE_HOME=str(tmp / "cache"),
    )
    env.pop("IRAE_DB_URL", None)
    return env


def _bin(env_dir: Path, name: str) -> Path:
    return env_dir / ("Scripts" if os.name == "nt" else "bin") / name


def test_the_manifest_sees_every_subpackage_and_data_file() -> None:
    # the check below is only as good as this list: it must name the packages and data that a
    # hand-written package list once left out
    manifest = source_manifest()
    assert "irae_desktop.ui.patient.view" in manifest["modules"]
    assert "irae_desktop.store.migrations.versions" in manifest["modules"]
    assert "resources/criteria/ctcae-5.0.json" in manifest["data"]
    assert "store/migrations/script.py.mako" in manifest["data"]
    assert "py.typed" in manifest["data"]


def _package_files(package: Path = PACKAGE) -> list[str]:
    return sorted(
        p.relative_to(package.parent).as_posix()
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def test_the_sdist_carries_the_source_tree(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist, encoding="utf-8") as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert [f for f in _package_files() if f not in names] == []
    assert {"README.md", "pyproject.toml"} <= names


def test_the_wheel_carries_every_module_and_data_file(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    manifest = source_manifest()
    missing = [d for d in manifest["data"] if f"irae_desktop/{d}" not in names]
    for module in manifest["modules"]:
        path = "/".join(module.split("."))
        if f"{path}.py" not in names and f"{path}/__init__.py" not in names:
            missing.append(module)
    assert missing == []


def test_the_installed_app_opens_a_patient_and_prints(installed: Path, tmp_path: Path) -> None:
    python = _bin(installed, "python.exe" if os.name == "nt" else "python")
    env_site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
    ).stdout.strip()
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(source_manifest()), encoding="utf-8")
    db_url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    out = tmp_path / "out"
    out.mkdir()
    # run from an empty folder, so nothing of the checkout can be imported by accident
    smoke = _run(
        [str(python), str(SMOKE), env_site, str(manifest), db_url, str(out)],
        cwd=tmp_path,
        env=_env(tmp_path),
        timeout=300,
    )
    assert smoke.returncode == 0, smoke.stdout[-4000:] + smoke.stderr[-4000:]
    assert (out / "patient.png").stat().st_size > 10_000

    pdf = tmp_path / "summary.pdf"
    report = _run(
        [
            str(_bin(installed, "irae-desktop")),
            "--db",
            db_url,
            "report",
            "DEMO-0001",
            "-o",
            str(pdf),
        ],
        cwd=tmp_path,
        env=_env(tmp_path),
        timeout=300,
    )
    assert report.returncode == 0, report.stdout[-3000:] + report.stderr[-3000:]
    assert pdf.read_bytes().startswith(b"%PDF") and b"%%EOF" in pdf.read_bytes()[-1024:]

    from pypdf import PdfReader

    text = PdfReader(pdf).pages[0].extract_text()
    assert "DEMO-0001" in text
