"""The Treatments tab: lines with status and doses; add, edit, taper, hold, resume and stop; and
beside the selected line in full, the infection screening results (screening_panel.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.domain.doses import CURRENT, DoseEntry
from irae_desktop.domain.timeline import HoldSpan
from irae_desktop.store.patient_read import TreatmentRecord
from irae_desktop.ui.operations import WriteOp
from irae_desktop.ui.patient.forms import DatedReasonDialog, FormDialog
from irae_desktop.ui.patient.same_agent import (
    CANCEL,
    KEEP_BOTH,
    NOT_SAVED,
    STOP_OLD,
    ask_same_agent,
    same_agent_line,
)
from irae_desktop.ui.patient.screening_panel import ScreeningPanel
from irae_desktop.ui.patient.treatment_form import CATEGORY_TEXT, DoseStepDialog, TreatmentDialog
from irae_desktop.ui.patient.write_buttons import WriteButtons

Save = Callable[[Callable[[Any, str], Any]], WriteOp]
ID_ROLE = 256
WIDEST = 200  # px a column may take before its text is elided (whole in the detail pane)
NO_SELECTION = "Select a line to see its doses and holds in full."
STATE_WORDS = {"past": "past", "current": "current", "planned": "planned"}


def _entry_kind(line: TreatmentRecord, entry: DoseEntry) -> str:
    if line.category == "ici" and not entry.is_starting:
        return "infusion"
    return "starting dose" if entry.is_starting or entry.start == line.start else "dose step"


def _entry_row(line: TreatmentRecord, entry: DoseEntry) -> list[str]:
    """A dated dose under its line: the date in the Since column, where it is never cut."""
    kind = _entry_kind(line, entry)
    return [
        kind,
        "",
        STATE_WORDS.get(entry.state, entry.state),
        entry.text(),
        entry.start.isoformat(),
    ]


def _hold_row(hold: HoldSpan) -> list[str]:
    end = hold.end.isoformat() if hold.end else "ongoing"
    return ["hold", "", "", "", "", "", hold.start.isoformat(), end, hold.reason or ""]


def detail_text(line: TreatmentRecord, today: date, response: str = "") -> str:
    """The selected line in words: its current dose, then every dated dose and every hold."""
    dose = line.dose_on(today)
    head = f"<b>{escape(line.agent)}</b> ({escape(line.status_on(today))})"
    if dose.dose is not None:
        since = f" since {dose.since.isoformat()}" if dose.since else ""
        head += f": <b>{escape(dose.text())}</b>{since}"
    parts = [head]
    if line.indication:
        parts.append(f"for {escape(line.indication)}")
    if response:
        parts.append(f"response: {escape(response)}")
    for entry in dose.history:
        text = f"{entry.start.isoformat()}: {escape(entry.text())} ({_entry_kind(line, entry)}"
        text += ", now)" if entry.state == CURRENT else f", {entry.state})"
        if entry.note:
            text += f" – {escape(entry.note)}"
        parts.append(("<b>" + text + "</b>") if entry.state == CURRENT else text)
    for hold in line.holds:
        end = hold.end.isoformat() if hold.end else "ongoing"
        reason = f": {escape(hold.reason)}" if hold.reason else ""
        parts.append(f"held {hold.start.isoformat()} → {end}{reason}")
    if line.stop is not None:
        parts.append(
            f"stopped {line.stop.isoformat()}"
            + (f": {escape(line.reason_stopped)}" if line.reason_stopped else "")
        )
    return "<br>".join(parts)


class TreatmentsTab(QWidget):
    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._patient_id: int | None = None
        self._weight: float | None = None
        self._lines: tuple[TreatmentRecord, ...] = ()
        self._today = datetime.now(UTC).astimezone().date()
        self._labels: dict[int, str] = {}
        self.active_dialog: FormDialog | None = None
        # asks what to do when a new line repeats an agent already on (tests answer it)
        self.ask_same_agent = ask_same_agent
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                "Agent",
                "Type",
                "Status",
                "Current dose",
                "Since",
                "Route",
                "Start",
                "Stop",
                "Indication / stopped",
                "Response",
            ]
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnWidth(0, 220)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.buttons: dict[str, QPushButton] = {}
        self.write_buttons = WriteButtons()
        bar = QHBoxLayout()
        for key, text, slot in (
            ("add", "Add line\u2026", self.add_line),
            ("edit", "Edit\u2026", self.edit_line),
            ("taper", "New dose / taper\u2026", self.taper_line),
            ("hold", "Hold\u2026", self.hold_line),
            ("resume", "Resume\u2026", self.resume_line),
            ("stop", "Stop\u2026", self.stop_line),
        ):
            button = self.write_buttons.add(QPushButton(text))
            button.clicked.connect(slot)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        # the selected line in full: every dated dose and hold, wrapped, never cut
        self.detail = QLabel(NO_SELECTION)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        detail_box = QScrollArea()
        detail_box.setWidgetResizable(True)
        detail_box.setWidget(self.detail)
        detail_box.setFrameShape(QFrame.Shape.StyledPanel)
        # under the lines, the selected line in full beside the infection screening results
        # that a JAK inhibitor or infliximab calls for before its start
        self.screening = ScreeningPanel(save)
        below = QSplitter(Qt.Orientation.Horizontal)
        below.addWidget(detail_box)
        below.addWidget(self.screening)
        below.setStretchFactor(0, 1)
        below.setStretchFactor(1, 1)
        below.setSizes([500, 500])  # half each, whatever their texts ask for
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 180])
        detail_box.setMinimumHeight(120)
        layout.addWidget(splitter, 1)
        self._selection_changed()

    def set_lines(
        self,
        patient_id: int,
        weight: float | None,
        lines: tuple[TreatmentRecord, ...],
        labels: dict[int, str],
        today: date | None = None,
    ) -> None:
        """Shows the lines as they stand on `today`, the clinical day the snapshot was read on."""
        selected = self.selected_line()
        self._patient_id, self._weight, self._lines = patient_id, weight, lines
        self._labels = labels
        self._today = today or datetime.now(UTC).astimezone().date()
        self.tree.clear()
        for line in lines:
            dose = line.dose_on(self._today)
            stopped = line.reason_stopped or ""
            status = line.status_on(self._today)
            item = QTreeWidgetItem(
                [
                    line.agent,
                    CATEGORY_TEXT.get(line.category, line.category),
                    status,
                    # a stopped line's dose is the last one given, not one running now
                    f"last: {dose.text()}" if status == "stopped" else dose.text(),
                    dose.since.isoformat() if dose.since else "",
                    line.route or "",
                    line.start.isoformat(),
                    line.stop.isoformat() if line.stop else "",
                    " / ".join(p for p in (line.indication or "", stopped) if p),
                    labels.get(line.id, ""),
                ]
            )
            item.setData(0, ID_ROLE, line.id)
            for column in range(item.columnCount()):
                item.setToolTip(column, item.text(column))
            # a line never changed has only its starting dose: the row itself says it
            changed = [] if len(dose.history) == 1 else dose.history
            for entry in changed:
                item.addChild(QTreeWidgetItem(_entry_row(line, entry)))
            for hold in line.holds:
                item.addChild(QTreeWidgetItem(_hold_row(hold)))
            self.tree.addTopLevelItem(item)
            if selected is not None and selected.id == line.id:
                self.tree.setCurrentItem(item)
        self._fit_columns()
        self._selection_changed()

    def _fit_columns(self) -> None:
        """Fits every column but the last (response) to its text, the folded dose and hold rows
        included, so a date is never cut when a line is unfolded; long reasons are elided
        (whole in the tooltip and the detail pane) so the response column stays visible."""
        metrics = self.tree.fontMetrics()
        header = self.tree.header()
        rows: list[tuple[QTreeWidgetItem, int]] = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is None:
                continue
            rows.append((top, 0))
            for c in range(top.childCount()):
                child = top.child(c)
                if child is not None:
                    rows.append((child, self.tree.indentation()))
        for column in range(self.tree.columnCount() - 1):
            title = self.tree.headerItem().text(column)
            widest = header.fontMetrics().horizontalAdvance(title) + 20
            for item, indent in rows:
                text = item.text(column)
                if text:
                    extra = indent + self.tree.indentation() if column == 0 else 0
                    widest = max(widest, metrics.horizontalAdvance(text) + 12 + extra)
            self.tree.setColumnWidth(column, min(widest, WIDEST))

    def selected_line(self) -> TreatmentRecord | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        if item is None:
            return None
        return next((t for t in self._lines if t.id == item.data(0, ID_ROLE)), None)

    def select_line(self, line_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.data(0, ID_ROLE) == line_id:
                self.tree.setCurrentItem(item)

    def _selection_changed(self) -> None:
        line = self.selected_line()
        status = line.status_on(self._today) if line else None
        self.detail.setText(
            detail_text(line, self._today, self._labels.get(line.id, "")) if line else NO_SELECTION
        )
        enable = self.write_buttons.enable
        enable(self.buttons["add"], self._patient_id is not None)
        enable(self.buttons["edit"], line is not None)
        enable(self.buttons["taper"], status in ("on", "held", "planned"))
        enable(self.buttons["hold"], status == "on")
        enable(self.buttons["resume"], status == "held")
        enable(self.buttons["stop"], status in ("on", "held", "planned"))

    def _open(self, dialog: FormDialog) -> FormDialog:
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def add_line(self) -> FormDialog | None:
        patient_id = self._patient_id
        if patient_id is None:
            return None
        return self._open(
            TreatmentDialog(
                lambda v: self._add(patient_id, v),
                weight_kg=self._weight,
                parent=self,
            )
        )

    def _add(self, patient_id: int, values: dict[str, Any]) -> WriteOp | str | None:
        """Saves a new line; a second line of an agent already on is said first, with the
        choice to stop the old one where the new one starts, or to keep both."""
        from irae_desktop.store.treatments import add_line, stop_line

        start: date = values["start_date"]
        existing = same_agent_line(self._lines, values["agent"], start)
        answer = KEEP_BOTH
        if existing is not None:
            answer = self.ask_same_agent(self.active_dialog or self, existing, start, self._today)
        if answer == CANCEL:
            return NOT_SAVED
        if answer == STOP_OLD and existing is not None:
            old = existing

            def stop_then_add(session: Any, user: str) -> None:
                reason = f"replaced by a new {values['agent']} line from {start.isoformat()}"
                stop_line(
                    session,
                    user,
                    old.id,
                    stop_date=start,
                    reason=reason,
                    expected_version=old.version,
                )
                add_line(session, user, patient_id, **values)

            return self._save(stop_then_add)
        return self._save(lambda s, user: add_line(s, user, patient_id, **values))

    def edit_line(self) -> FormDialog | None:
        line = self.selected_line()
        if line is None:
            return None
        from irae_desktop.store.treatments import update_line

        initial = {
            "category": line.category,
            "agent": line.agent,
            "dose": line.dose,
            "dose_unit": line.dose_unit,
            "frequency": line.frequency,
            "route": line.route,
            "start_date": line.start,
            "indication": line.indication,
        }
        return self._open(
            TreatmentDialog(
                lambda v: self._save(
                    lambda s, user: update_line(
                        s, user, line.id, expected_version=line.version, changes=v
                    )
                ),
                weight_kg=self._weight,
                initial=initial,
                parent=self,
            )
        )

    def taper_line(self) -> FormDialog | None:
        line = self.selected_line()
        if line is None:
            return None
        from irae_desktop.store.treatments import add_dose_step

        return self._open(
            DoseStepDialog(
                lambda v: self._save(
                    lambda s, user: add_dose_step(
                        s,
                        user,
                        line.id,
                        expected_version=line.version,
                        frequency=line.frequency,
                        **v,
                    )
                ),
                unit=line.dose_unit,
                parent=self,
            )
        )

    def hold_line(self) -> FormDialog | None:
        line = self.selected_line()
        if line is None:
            return None
        from irae_desktop.store.treatments import hold_line

        return self._open(
            DatedReasonDialog(
                f"Hold {line.agent}",
                lambda v: self._save(
                    lambda s, user: hold_line(
                        s,
                        user,
                        line.id,
                        start_date=v["date"],
                        reason=v["reason"],
                        expected_version=line.version,
                    )
                ),
                reason_required=True,
                parent=self,
            )
        )

    def resume_line(self) -> FormDialog | None:
        line = self.selected_line()
        if line is None:
            return None
        from irae_desktop.store.treatments import resume_line

        return self._open(
            DatedReasonDialog(
                f"Resume {line.agent}",
                lambda v: self._save(
                    lambda s, user: resume_line(
                        s, user, line.id, end_date=v["date"], expected_version=line.version
                    )
                ),
                reason_required=False,
                ask_reason=False,
                parent=self,
            )
        )

    def stop_line(self) -> FormDialog | None:
        line = self.selected_line()
        if line is None:
            return None
        from irae_desktop.store.treatments import stop_line

        return self._open(
            DatedReasonDialog(
                f"Stop {line.agent}",
                lambda v: self._save(
                    lambda s, user: stop_line(
                        s,
                        user,
                        line.id,
                        stop_date=v["date"],
                        reason=v["reason"],
                        expected_version=line.version,
                    )
                ),
                reason_required=True,
                parent=self,
            )
        )
