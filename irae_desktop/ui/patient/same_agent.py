"""A new line of an agent the patient is already on: say so, and ask what to do with the old one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import QMessageBox, QWidget

from irae_desktop.store.patient_read import TreatmentRecord

STOP_OLD, KEEP_BOTH, CANCEL = "stop", "keep", "cancel"
NOT_SAVED = "Not saved: the patient is already on this agent. Change the line, or save again."


def same_agent_line(
    lines: Sequence[TreatmentRecord], agent: str, start: date
) -> TreatmentRecord | None:
    """An existing line of `agent` still going on `start` (or planned), the latest started."""
    wanted = agent.strip().casefold()
    found = [
        line
        for line in lines
        if line.agent.strip().casefold() == wanted and (line.stop is None or line.stop > start)
    ]
    return max(found, key=lambda line: (line.start, line.id)) if found else None


def describe_line(line: TreatmentRecord, today: date) -> str:
    dose = line.dose_on(today).text()
    text = f"{line.agent} started {line.start.isoformat()}"
    if dose:
        text += f", now {dose}"
    if line.stop is not None:
        text += f", to stop {line.stop.isoformat()}"
    return f"{text} ({line.status_on(today)})"


def same_agent_box(
    parent: QWidget | None, existing: TreatmentRecord, start: date, today: date
) -> QMessageBox:
    """The warning, naming the existing line; the stop choice only where the line can stop."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    # the default width wraps every line of the text; the icon keeps its own size
    box.setStyleSheet(
        "QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 440px; }"
    )
    box.setWindowTitle("Same agent already on")
    box.setText(
        f"This patient already has a {existing.agent} line:\n{describe_line(existing, today)}."
    )
    box.setInformativeText(
        "Two lines of one agent are both counted as given (and both printed). "
        f"Stop the existing line on {start.isoformat()}, when the new one starts, or keep both?"
    )
    if existing.stop is None and existing.start <= start:
        stop = box.addButton(
            f"&Stop the old line on {start.isoformat()}", QMessageBox.ButtonRole.AcceptRole
        )
        stop.setObjectName(STOP_OLD)
        box.setDefaultButton(stop)
    keep = box.addButton("&Keep both", QMessageBox.ButtonRole.ActionRole)
    keep.setObjectName(KEEP_BOTH)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setObjectName(CANCEL)
    box.setEscapeButton(cancel)
    return box


def ask_same_agent(
    parent: QWidget | None, existing: TreatmentRecord, start: date, today: date
) -> str:
    """STOP_OLD, KEEP_BOTH or CANCEL, as the user answers the warning."""
    box = same_agent_box(parent, existing, start, today)
    box.exec()
    clicked = box.clickedButton()
    return clicked.objectName() if clicked is not None else CANCEL
