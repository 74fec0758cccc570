"""`irae-desktop --version` names the installed version on standard output and exits 0."""

from __future__ import annotations

from importlib.metadata import version

import pytest

import irae_desktop
from irae_desktop.cli.main import main


def test_version_is_printed_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    out, err = capsys.readouterr()
    assert out == f"irae-desktop {version('irae-desktop')}\n"
    assert err == ""


def test_version_attribute_is_the_installed_one() -> None:
    assert irae_desktop.__version__ == version("irae-desktop")
    with pytest.raises(AttributeError):
        irae_desktop.not_a_name  # noqa: B018
