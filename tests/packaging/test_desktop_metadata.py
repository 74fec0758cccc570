"""The desktop entry and AppStream metainfo: valid, consistent with each other and the project."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
DESKTOP = PACKAGING / "irae-desktop.desktop"
METAINFO = PACKAGING / "org.irae_desktop.IraeDesktop.metainfo.xml"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def project_version() -> str:
    return str(
        tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    )


def test_desktop_entry_launches_the_app_with_its_icon() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "irae-desktop"
    assert entry["Categories"] == "Science;MedicalSoftware;Qt;"
    assert entry["Terminal"] == "false"
    # the icon theme name is the file name of the icons shipped in resources/icons
    assert entry["Icon"] == "irae-desktop"
    assert (REPO / "irae_desktop" / "resources" / "icons" / "irae-desktop.svg").is_file()


def test_desktop_file_name_matches_what_the_app_announces() -> None:
    # Qt tells the window manager "irae-desktop" (setDesktopFileName); it must find this file
    assert DESKTOP.stem == "irae-desktop"
    assert desktop_entry()["StartupWMClass"] == "irae-desktop"


def test_metainfo_points_at_the_desktop_file_and_current_release() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == METAINFO.name.removesuffix(".metainfo.xml")
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    versions = [r.get("version") for r in root.iter("release")]
    assert versions, "metainfo lists no release"
    assert versions[0] == project_version(), "add the new release to the metainfo"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_file_validates() -> None:
    run = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "error" not in run.stdout.lower()


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_metainfo_validates() -> None:
    run = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_appstream_validation_catches_a_broken_file(tmp_path: Path) -> None:
    # the check above is worth something only if the validator rejects a bad file
    broken = tmp_path / METAINFO.name
    broken.write_text(
        METAINFO.read_text(encoding="utf-8")
        .replace("<summary>", "<summary>.")
        .replace("</name>", "</name><name>second name</name>")
        .replace("<metadata_license>CC0-1.0</metadata_license>", ""),
        encoding="utf-8",
    )
    run = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
