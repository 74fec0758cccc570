"""Dates on paper read the same under any locale (Qt sets the process locale from the desktop)."""

from __future__ import annotations

import locale
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from irae_desktop.reports.formatting import date_text, datetime_text, display_timezone, short_date

GERMAN = ("de_DE.UTF-8", "de_DE.utf8", "German_Germany.1252", "de_DE")


def _set_german(folder: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    for name in GERMAN:
        try:
            locale.setlocale(locale.LC_TIME, name)
            return True
        except locale.Error:
            continue
    # a minimal Linux image has no compiled locales: build one into the test's folder
    localedef = shutil.which("localedef")
    if localedef is None:
        return False
    subprocess.run(
        [localedef, "-i", "de_DE", "-f", "UTF-8", str(folder / "de_DE.UTF-8")],
        capture_output=True,
        check=False,
        timeout=120,
    )
    monkeypatch.setenv("LOCPATH", str(folder))
    try:
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    except locale.Error:
        return False
    return True


@pytest.fixture
def german_time_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    before = locale.setlocale(locale.LC_TIME)
    try:
        if not _set_german(tmp_path, monkeypatch):
            pytest.skip("no German locale on this machine")
        # the locale is really in force: strftime now writes German month names
        assert date(2026, 12, 4).strftime("%b") == "Dez"
        yield
    finally:
        locale.setlocale(locale.LC_TIME, before)


def test_month_names_do_not_follow_the_locale(german_time_locale: None) -> None:
    assert date_text(date(2026, 12, 4)) == "04 Dec 2026"
    assert short_date(date(2026, 3, 1)) == "01 Mar"
    with display_timezone("UTC"):
        assert datetime_text(datetime(2026, 10, 5, 7, 45, tzinfo=UTC)) == "05 Oct 2026 07:45 UTC"
