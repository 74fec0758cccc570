"""Resizing the window with the trends open never raises, for every demo patient and zoom."""

from __future__ import annotations

import logging
import sys
from datetime import date
from types import TracebackType

import pytest
from sqlalchemy import select

from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.models import Patient

SIZES = [(1366, 768), (700, 500), (1920, 1080), (420, 300), (1400, 850), (1000, 1200)]


@pytest.fixture
def demo_view(qtbot, db):  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.view import PatientView

    add_demo_patients(db, anchor=date.today())
    with db.read() as s:
        ids = list(s.scalars(select(Patient.id).order_by(Patient.mrn)))
    view = PatientView(db)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    return view, ids


def test_resizing_every_demo_patient_at_every_zoom_raises_nothing(
    qtbot, demo_view, caplog, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    view, ids = demo_view
    raised: list[BaseException] = []

    def record(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        raised.append(exc)

    monkeypatch.setattr(sys, "excepthook", record)
    caplog.set_level(logging.WARNING)
    view.tabs.setCurrentWidget(view.trends)
    assert len(ids) == 5
    for pid in ids:
        with qtbot.waitSignal(view.loaded, timeout=10000):
            view.show_patient(pid)
        for button in view.trends.range_buttons.buttons():
            button.click()
            for width, height in SIZES:
                view.resize(width, height)
                view.grab()  # lays out and paints every plot at this size, now
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert raised == [] and errors == []
