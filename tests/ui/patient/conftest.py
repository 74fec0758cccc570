"""Fixtures for the patient view tests: a database with one rich hepatitis patient, and the view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ui.patient.helpers import add_hepatitis_patient


@pytest.fixture
def patient_db(db):  # type: ignore[no-untyped-def]
    pid = add_hepatitis_patient(db)
    return db, pid


@pytest.fixture
def view(qtbot, patient_db) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.view import PatientView

    db, pid = patient_db
    widget = PatientView(db)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    with qtbot.waitSignal(widget.loaded, timeout=20000):
        widget.show_patient(pid)
    yield widget
