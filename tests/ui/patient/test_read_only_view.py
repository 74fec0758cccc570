"""A read-only account's patient view: every button that would change data is greyed and says
why, whatever the row selected; a double-click on a result opens no correction form."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QPushButton

from irae_desktop.store.screenings import add_screening
from irae_desktop.ui.access_view import READ_ONLY_REASON


def _write_buttons(view) -> list[QPushButton]:  # type: ignore[no-untyped-def]
    return [
        view.alerts.ack_button,
        view.labs.confirm_button,
        view.labs.correct_button,
        *view.treatments.buttons.values(),
        *view.treatments.screening.buttons.values(),
        *view.notes.findChildren(QPushButton),
    ]


def _select_everything(view) -> None:  # type: ignore[no-untyped-def]
    """Rows whose selection enables the buttons for an account that may write."""
    view.treatments.tree.setCurrentItem(view.treatments.tree.topLevelItem(0))
    screening = view.treatments.screening.tree
    screening.setCurrentItem(screening.topLevelItem(0))
    view.labs.show_view(0)
    view.labs.table.selectRow(0)
    view.alerts.tree.setCurrentItem(view.alerts.tree.topLevelItem(0))
    view.notes.notes.setCurrentItem(view.notes.notes.topLevelItem(0))


@pytest.mark.parametrize("read_only", [True, False])
def test_read_only_patient_view_offers_no_write(request, patient_db, read_only: bool) -> None:  # type: ignore[no-untyped-def]
    db, pid = patient_db
    with db.write() as s:
        add_screening(s, "dr-a", pid, test="hbsag", taken_on=date(2024, 1, 3), result="negative")
    db.read_only = read_only  # as Database sets it for an account without write grants
    view = request.getfixturevalue("view")  # the patient view, made after the flag is set
    _select_everything(view)
    buttons = _write_buttons(view)
    assert len(buttons) >= 14
    enabled = [b.text() for b in buttons if b.isEnabled()]
    if read_only:
        assert enabled == []
        assert {b.toolTip() for b in buttons} == {READ_ONLY_REASON}
        view.labs.table.doubleClicked.emit(view.labs.proxy.index(0, 0))
        assert view.labs.active_dialog is None
        panel = view.treatments.screening
        panel.tree.itemDoubleClicked.emit(panel.tree.topLevelItem(0), 0)
        assert panel.active_dialog is None and panel.add_result() is None
    else:  # the same rows enable them for a writer: the check above can fail
        assert "Add line\u2026" in enabled and "Correct value\u2026" in enabled
        assert {"Add result\u2026", "Correct\u2026", "Delete\u2026"} <= set(enabled)
        assert not any(b.toolTip() == READ_ONLY_REASON for b in buttons)
