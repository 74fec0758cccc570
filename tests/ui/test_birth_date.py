"""The date of birth is typed from the first key: ISO or the locale's short form."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from irae_desktop.store.models import Patient
from irae_desktop.ui.date_text import parse_date
from irae_desktop.ui.patient_dialog import PatientDialog
from tests.ui.conftest import wait_written


@pytest.fixture
def us_locale() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


@pytest.fixture
def uk_locale() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield
    QLocale.setDefault(before)


def _type_birth(qtbot, dialog: PatientDialog, text: str) -> None:  # type: ignore[no-untyped-def]
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.mrn.setFocus()
    qtbot.keyClicks(dialog.mrn, "MRN-777")
    qtbot.keyClick(dialog.mrn, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Birth Typed")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.birth  # Tab goes from the name to the date
    qtbot.keyClicks(dialog.birth, text)


def _saved_birth(db) -> date | None:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalars(select(Patient.birth_date).where(Patient.mrn == "MRN-777")).one()


@pytest.mark.parametrize("text", ["1958-04-17", "4/17/58", "4/17/1958"])
def test_iso_and_us_short_dates_typed_from_the_first_key(qtbot, ui_db, us_locale, text) -> None:  # type: ignore[no-untyped-def]
    dialog = PatientDialog(ui_db)
    qtbot.addWidget(dialog)
    _type_birth(qtbot, dialog, text)
    assert dialog.birth.text() == text
    assert dialog.birth_read.text() == "17 Apr 1958"
    assert wait_written(qtbot, dialog.save()).error is None
    assert _saved_birth(ui_db) == date(1958, 4, 17)


def test_uk_short_date(qtbot, ui_db, uk_locale) -> None:  # type: ignore[no-untyped-def]
    dialog = PatientDialog(ui_db)
    qtbot.addWidget(dialog)
    _type_birth(qtbot, dialog, "17/04/1958")
    assert wait_written(qtbot, dialog.save()).error is None
    assert _saved_birth(ui_db) == date(1958, 4, 17)


def test_empty_birth_date_is_not_recorded(qtbot, ui_db) -> None:  # type: ignore[no-untyped-def]
    dialog = PatientDialog(ui_db)
    qtbot.addWidget(dialog)
    dialog.mrn.setText("MRN-777")
    assert dialog.birth_read.text() == "not recorded"
    assert wait_written(qtbot, dialog.save()).error is None
    assert _saved_birth(ui_db) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1958-13-40", "'1958-13-40' is not a date: type it as 1958-04-17 or 4/17/1958."),
        ("2999-01-01", "The date of birth 2999-01-01 is in the future."),
    ],
)
def test_unreadable_or_future_birth_date_is_refused_and_nothing_saved(
    qtbot, ui_db, us_locale, text, message
) -> None:  # type: ignore[no-untyped-def]
    dialog = PatientDialog(ui_db)
    qtbot.addWidget(dialog)
    dialog.mrn.setText("MRN-777")
    dialog.birth.setText(text)
    assert not dialog.save()
    assert dialog.message.text() == message
    with ui_db.read() as s:
        assert s.scalars(select(Patient).where(Patient.mrn == "MRN-777")).first() is None


def test_two_digit_years_are_never_in_the_future(us_locale) -> None:
    today = date(2026, 12, 4)
    assert parse_date("4/17/05", today=today) == date(2005, 4, 17)
    assert parse_date("12/31/26", today=today) == date(1926, 12, 31)
    assert parse_date("12/04/26", today=today) == date(2026, 12, 4)
