"""The Treatments tab: lines with status and doses; add, edit, taper, hold, resume and stop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.ui.patient.display import clinical_today
from irae_desktop.ui.patient.forms import DatedReasonDialog, FormDialog
from irae_desktop.ui.patient.snapshot import TreatmentInfo
from irae_desktop.ui.patient.treatment_form import CATEGORY_TEXT, DoseStepDialog, TreatmentDialog

Save = Callable[[Callable[[Any, str], Any]], str | None]


class TreatmentsTab(QWidget):
    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._patient_id: int | None = None
        self._weight: float | None = None
        self._lines: tuple[TreatmentInfo, ...] = ()
        self._zone_name = "UTC"  # replaced by the team's clinical zone with the first patient
        self.active_dialog: FormDialog | None = None
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                "Agent",
                "Type",
                "Status",
                "Dose",
                "Route",
                "Start",
                "Stop",
                "Indication / reason stopped",
                "Response",
            ]
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnWidth(0, 220)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, slot in (
            ("add", "Add line\u2026", self.add_line),
            ("edit", "Edit\u2026", self.edit_line),
            ("taper", "New dose / taper\u2026", self.taper_line),
            ("hold", "Hold\u2026", self.hold_line),
            ("resume", "Resume\u2026", self.resume_line),
            ("stop", "Stop\u2026", self.stop_line),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        self._selection_changed()

    def set_lines(
        self,
        patient_id: int,
        weight: float | None,
        lines: tuple[TreatmentInfo, ...],
        labels: dict[int, str],
        zone_name: str,
    ) -> None:
        """`zone_name`: the team's clinical time zone, whose today a line's status is on."""
        selected = self.selected_line()
        self._patient_id, self._weight, self._lines = patient_id, weight, lines
        self._zone_name = zone_name
        today = clinical_today(zone_name)
        self.tree.clear()
        for line in lines:
            stopped = line.reason_stopped or ""
            item = QTreeWidgetItem(
                [
                    line.agent,
                    CATEGORY_TEXT.get(line.category, line.category),
                    line.status_on(today),
                    line.dose_text(),
                    line.route or "",
                    line.start.isoformat(),
                    line.stop.isoformat() if line.stop else "",
                    " / ".join(p for p in (line.indication or "", stopped) if p),
                    labels.get(line.id, ""),
                ]
            )
            item.setData(0, 256, line.id)
            for column in range(item.columnCount()):
                item.setToolTip(column, item.text(column))
            for step in line.steps:
                item.addChild(
                    QTreeWidgetItem(
                        [
                            f"dose from {step.start}",
                            "",
                            "",
                            f"{step.dose:g} {step.unit} {step.frequency or ''}",
                        ]
                    )
                )
            for hold in line.holds:
                end = hold.end.isoformat() if hold.end else "ongoing"
                item.addChild(
                    QTreeWidgetItem(
                        [
                            f"held {hold.start} \u2192 {end}",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            hold.reason or "",
                        ]
                    )
                )
            self.tree.addTopLevelItem(item)
            if selected is not None and selected.id == line.id:
                self.tree.setCurrentItem(item)
        # a handful of lines: fit every column but the last (response) to its text
        for column in range(self.tree.columnCount() - 1):
            self.tree.resizeColumnToContents(column)
            # long reasons are elided (whole in the tooltip) so the response column stays visible
            self.tree.setColumnWidth(column, min(self.tree.columnWidth(column), 240))
        self._selection_changed()

    def selected_line(self) -> TreatmentInfo | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        if item is None:
            return None
        return next((t for t in self._lines if t.id == item.data(0, 256)), None)

    def select_line(self, line_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).data(0, 256) == line_id:
                self.tree.setCurrentItem(self.tree.topLevelItem(i))

    def _selection_changed(self) -> None:
        line = self.selected_line()
        status = line.status_on(clinical_today(self._zone_name)) if line else None
        self.buttons["add"].setEnabled(self._patient_id is not None)
        self.buttons["edit"].setEnabled(line is not None)
        self.buttons["taper"].setEnabled(status in ("on", "held", "planned"))
        self.buttons["hold"].setEnabled(status == "on")
        self.buttons["resume"].setEnabled(status == "held")
        self.buttons["stop"].setEnabled(status in ("on", "held", "planned"))

    def _open(self, dialog: FormDialog) -> FormDialog:
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def add_line(self) -> FormDialog | None:
        patient_id = self._patient_id
        if patient_id is None:
            return None
        from irae_desktop.store.treatments import add_line

        return self._open(
            TreatmentDialog(
                lambda v: self._save(lambda s, user: add_line(s, user, patient_id, **v)),
                weight_kg=self._weight,
                parent=self,
            )
        )

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
