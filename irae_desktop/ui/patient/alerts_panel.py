"""The alerts panel: severity in colour and text, rule and source on hover, acknowledgement."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.ui.grade_style import SEVERITY_MARKS, severity_color
from irae_desktop.ui.patient.display import local_time_text
from irae_desktop.ui.patient.forms import ReasonDialog
from irae_desktop.ui.patient.snapshot import AlertInfo

Save = Callable[[Callable[[Any, str], Any]], str | None]
KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class AlertsPanel(QWidget):
    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._patient_id: int | None = None
        self._alerts: tuple[AlertInfo, ...] = ()
        self.active_dialog: ReasonDialog | None = None
        self.title = QLabel("<b>Alerts</b>")
        self.show_acknowledged = QCheckBox("Show acknowledged")
        self.show_acknowledged.toggled.connect(self._fill)
        self.ack_button = QPushButton("Acknowledge\u2026")
        self.ack_button.setToolTip(
            "Record that you have seen the selected alert, with an optional note"
        )
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Severity", "Alert", "When"])
        self.tree.setRootIsDecorated(True)
        self.tree.setColumnWidth(0, 110)
        self.tree.setColumnWidth(1, 430)
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

    def set_alerts(self, patient_id: int, alerts: tuple[AlertInfo, ...], error: str | None) -> None:
        self._patient_id = patient_id
        self._alerts = alerts
        self._fill()
        if error:
            self.message.setText(error)
        else:
            hidden = sum(a.acknowledged for a in alerts)
            open_count = len(alerts) - hidden
            self.message.setText(
                ("No open alerts." if not open_count else f"{open_count} open alert(s).")
                + (f" {hidden} acknowledged." if hidden else "")
            )
        self.title.setText(
            f"<b>Alerts</b> ({len(alerts) - sum(a.acknowledged for a in alerts)} open)"
        )

    def visible_alerts(self) -> list[AlertInfo]:
        return [a for a in self._alerts if self.show_acknowledged.isChecked() or not a.acknowledged]

    def _fill(self) -> None:
        self.tree.clear()
        for alert in self.visible_alerts():
            item = QTreeWidgetItem(
                [
                    SEVERITY_MARKS.get(alert.severity, alert.severity),
                    alert.title,
                    local_time_text(alert.evidence_at) if alert.evidence_at else "",
                ]
            )
            item.setData(0, KEY_ROLE, alert.key)
            colour = severity_color(alert.severity)
            if alert.acknowledged:
                colour.setAlpha(110)
                for col in range(3):
                    item.setForeground(col, self.palette().placeholderText())
            item.setForeground(0, colour)
            font = item.font(0)
            font.setBold(not alert.acknowledged)
            item.setFont(0, font)
            item.setFont(1, font)
            tip = (
                f"<b>{html.escape(alert.title)}</b><br>Rule: {html.escape(alert.rule)}"
                f"<br>Source: {html.escape(alert.source)}"
            )
            if alert.acknowledged:
                tip += f"<br>Acknowledged by {html.escape(alert.acknowledged_by or '')}" + (
                    f": {html.escape(alert.acknowledgement_note)}"
                    if alert.acknowledgement_note
                    else ""
                )
            for col in range(3):
                item.setToolTip(col, tip)
            for text in (f"Rule: {alert.rule}", f"Source: {alert.source}"):
                child = QTreeWidgetItem(["", text, ""])
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
                        ]
                    )
                )
            self.tree.addTopLevelItem(item)
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
        self.ack_button.setEnabled(alert is not None and not alert.acknowledged)
        shown = alert or next(iter(self.visible_alerts()), None)
        self.detail.setHtml(self.detail_html(shown))

    @staticmethod
    def detail_html(alert: AlertInfo | None) -> str:
        """The alert's title, rule and source in full, for the detail pane."""
        if alert is None:
            return '<span style="color:#555;">No alert to show.</span>'
        text = (
            f"<b>{html.escape(alert.title)}</b><br><b>Why:</b> {html.escape(alert.rule)}"
            f"<br><b>Source:</b> {html.escape(alert.source)}"
        )
        if alert.acknowledged:
            text += f"<br>Acknowledged by {html.escape(alert.acknowledged_by or '')}" + (
                f": {html.escape(alert.acknowledgement_note)}" if alert.acknowledgement_note else ""
            )
        return text

    def acknowledge_selected(self) -> ReasonDialog | None:
        alert = self.selected_alert()
        patient_id = self._patient_id
        if alert is None or patient_id is None or alert.acknowledged:
            return None

        def submit(values: dict[str, Any]) -> str | None:
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
