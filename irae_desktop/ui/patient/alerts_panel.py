"""The alerts panel: severity in colour and text, rule and source on hover, acknowledgement.

Conditions hold now and clear by themselves; events stay open until acknowledged, and one older
than 7 clinical days is shown muted as "unacknowledged" (clinical reference, decision 13)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.domain.value_format import text_in_units
from irae_desktop.ui.grade_style import SEVERITY_MARKS, severity_color
from irae_desktop.ui.operations import WriteOp
from irae_desktop.ui.patient.display import local_time_text
from irae_desktop.ui.patient.forms import ReasonDialog
from irae_desktop.ui.patient.snapshot import AlertInfo
from irae_desktop.ui.patient.write_buttons import WriteButtons

Save = Callable[[Callable[[Any, str], Any]], WriteOp]
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = 4
ACK_HELP = "Record that you have seen the selected alert, with an optional note"
CONDITION_HELP = (
    "Holds now: it is worked out again from the current results and clears by itself once "
    "they no longer show it, so it is not acknowledged."
)
STATUS_HELP = {
    "current": "Open until acknowledged.",
    "unacknowledged": (
        "Raised more than 7 days ago and never acknowledged: still open, no longer counted "
        "among the current alerts."
    ),
    "acknowledged": "Acknowledged: closed.",
}


def status_text(alert: AlertInfo) -> str:
    if alert.lifecycle != "event":
        return "holds now"
    return {"current": "new", "unacknowledged": "unacknowledged"}.get(
        alert.standing, "acknowledged"
    )


class AlertsPanel(QWidget):
    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._patient_id: int | None = None
        self._alerts: tuple[AlertInfo, ...] = ()
        self._system = "US"
        self.active_dialog: ReasonDialog | None = None
        self.title = QLabel("<b>Alerts</b>")
        self.show_acknowledged = QCheckBox("Show acknowledged")
        self.show_acknowledged.toggled.connect(self._fill)
        self.write_buttons = WriteButtons()
        self.ack_button = self.write_buttons.add(QPushButton("Acknowledge\u2026"))
        self.ack_button.setToolTip(ACK_HELP)
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Severity", "Alert", "Status", "Raised"])
        self.tree.setRootIsDecorated(True)
        # the title takes the room left; severity ("! WARNING" in bold beside the branch mark),
        # status and when keep theirs, so the time an alert was raised is never pushed out of
        # sight on a narrow screen
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 120), (2, 96), (3, 132)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(column, width)
        self.tree.setWordWrap(True)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        # the whole rule of the selected alert (else the first), wrapped: the tree cuts long
        # text with "..." and a tooltip is out of reach for a glance
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setFrameShape(QFrame.Shape.StyledPanel)
        self.detail.setMinimumWidth(220)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.addWidget(self.tree)
        self.body.addWidget(self.detail)
        self.body.setChildrenCollapsible(False)
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 2)
        self.body.setSizes([620, 420])
        self.message = QLabel()
        self.message.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.show_acknowledged)
        top.addWidget(self.ack_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.message)
        self._selection_changed()

    def set_units(self, system: str) -> None:
        """Alert texts are stored in canonical units; they are shown in the units on display."""
        if system != self._system:
            self._system = system
            self._fill()

    def _shown(self, text: str) -> str:
        return text_in_units(text, self._system)

    def set_alerts(self, patient_id: int, alerts: tuple[AlertInfo, ...], error: str | None) -> None:
        self._patient_id = patient_id
        self._alerts = alerts
        self._fill()
        current = sum(a.standing == "current" for a in alerts)
        older = sum(a.standing == "unacknowledged" for a in alerts)
        hidden = sum(a.acknowledged for a in alerts)
        if error:
            self.message.setText(error)
        else:
            self.message.setText(
                ("No current alerts." if not current else f"{current} current alert(s).")
                + (f" {older} older event(s) not acknowledged." if older else "")
                + (f" {hidden} acknowledged." if hidden else "")
            )
        self.title.setText(
            f"<b>Alerts</b> ({current} current"
            + (f", {older} unacknowledged" if older else "")
            + ")"
        )

    def visible_alerts(self) -> list[AlertInfo]:
        return [a for a in self._alerts if self.show_acknowledged.isChecked() or not a.acknowledged]

    def _fill(self) -> None:
        # a refill (units switched, acknowledged shown) keeps open what the reader opened
        opened = {
            self.tree.topLevelItem(i).data(0, KEY_ROLE)
            for i in range(self.tree.topLevelItemCount())
            if self.tree.topLevelItem(i).isExpanded()
        }
        self.tree.clear()
        for alert in self.visible_alerts():
            raised = alert.raised_at or alert.evidence_at
            item = QTreeWidgetItem(
                [
                    SEVERITY_MARKS.get(alert.severity, alert.severity),
                    self._shown(alert.title),
                    status_text(alert),
                    local_time_text(raised) if raised else "",
                ]
            )
            item.setData(0, KEY_ROLE, alert.key)
            colour = severity_color(alert.severity)
            muted = alert.standing != "current"
            if muted:
                colour.setAlpha(110)
                for col in range(COLUMNS):
                    item.setForeground(col, self.palette().placeholderText())
            item.setForeground(0, colour)
            font = item.font(0)
            font.setBold(not muted)
            font.setItalic(alert.standing == "unacknowledged")
            for col in range(COLUMNS):
                item.setFont(col, font)
            event = alert.lifecycle == "event"
            help_text = STATUS_HELP[alert.standing] if event else CONDITION_HELP
            tip = (
                f"<b>{html.escape(self._shown(alert.title))}</b><br>{html.escape(help_text)}"
                f"<br>Rule: {html.escape(self._shown(alert.rule))}"
                f"<br>Source: {html.escape(alert.source)}"
            )
            if alert.acknowledged:
                tip += f"<br>Acknowledged by {html.escape(alert.acknowledged_by or '')}" + (
                    f": {html.escape(alert.acknowledgement_note)}"
                    if alert.acknowledgement_note
                    else ""
                )
            for col in range(COLUMNS):
                item.setToolTip(col, tip)
            for text in (f"Rule: {self._shown(alert.rule)}", f"Source: {alert.source}"):
                child = QTreeWidgetItem(["", text, "", ""])
                child.setFirstColumnSpanned(False)
                item.addChild(child)
            if alert.acknowledged:
                item.addChild(
                    QTreeWidgetItem(
                        [
                            "",
                            f"Acknowledged by {alert.acknowledged_by}"
                            + (
                                f": {alert.acknowledgement_note}"
                                if alert.acknowledgement_note
                                else ""
                            ),
                            "",
                            "",
                        ]
                    )
                )
            self.tree.addTopLevelItem(item)
            item.setExpanded(alert.key in opened)
        self._selection_changed()

    def selected_alert(self) -> AlertInfo | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        if item is None:
            return None
        key = item.data(0, KEY_ROLE)
        return next((a for a in self._alerts if a.key == key), None)

    def select_alert(self, key: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, KEY_ROLE) == key:
                self.tree.setCurrentItem(item)
                return

    def _selection_changed(self) -> None:
        alert = self.selected_alert()
        self.write_buttons.enable(self.ack_button, alert is not None and alert.can_acknowledge)
        condition = alert is not None and alert.lifecycle != "event"
        self.write_buttons.set_tip(self.ack_button, CONDITION_HELP if condition else ACK_HELP)
        shown = alert or next(iter(self.visible_alerts()), None)
        self.detail.setHtml(self.detail_html(shown))

    def detail_html(self, alert: AlertInfo | None) -> str:
        """The alert's title, rule and source in full, for the detail pane, in the units on
        display."""
        if alert is None:
            return '<span style="color:#555;">No alert to show.</span>'
        standing = STATUS_HELP[alert.standing] if alert.lifecycle == "event" else CONDITION_HELP
        text = (
            f"<b>{html.escape(self._shown(alert.title))}</b>"
            f"<br><b>Why:</b> {html.escape(self._shown(alert.rule))}"
            f"<br><b>Source:</b> {html.escape(alert.source)}"
            f"<br><i>{html.escape(standing)}</i>"
        )
        if alert.acknowledged:
            text += f"<br>Acknowledged by {html.escape(alert.acknowledged_by or '')}" + (
                f": {html.escape(alert.acknowledgement_note)}" if alert.acknowledgement_note else ""
            )
        return text

    def acknowledge_selected(self) -> ReasonDialog | None:
        alert = self.selected_alert()
        patient_id = self._patient_id
        if alert is None or patient_id is None or not alert.can_acknowledge:
            return None

        def submit(values: dict[str, Any]) -> WriteOp | str | None:
            from irae_desktop.store.labs import acknowledge_alert

            return self._save(
                lambda s, user: acknowledge_alert(s, user, patient_id, alert.key, values["reason"])
            )

        dialog = ReasonDialog(
            f"Acknowledge: {alert.title}",
            submit,
            ask_value=False,
            reason_label="Note (optional)",
            reason_required=False,
            parent=self,
        )
        self.active_dialog = dialog
        dialog.open()
        return dialog
