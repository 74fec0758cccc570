"""The patient header: who this is (so no one mistakes the patient), current ICI, latest plan."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from irae_desktop.domain.age import age_years
from irae_desktop.ui.grade_style import SYNTHETIC_BADGE_COLOR
from irae_desktop.ui.patient.display import local_time_text
from irae_desktop.ui.patient.snapshot import HeaderInfo

SEX_TEXT = {"F": "female", "M": "male", "O": "other", "U": "unknown"}
ICI_STATUS_STYLE = {
    "on": ("ON", "#1B5E20"),
    "held": ("HELD", "#B3261E"),
    "stopped": ("STOPPED", "#444444"),
}


class PatientHeader(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientHeader")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name_label = QLabel()
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.synthetic_badge = QLabel("SYNTHETIC DATA")
        self.synthetic_badge.setToolTip("A demonstration patient: not a real person")
        self.synthetic_badge.setStyleSheet(
            f"background:{SYNTHETIC_BADGE_COLOR}; color:white; font-weight:bold; "
            "padding:3px 8px; border-radius:3px;"
        )
        self.details_label = QLabel()
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ici_label = QLabel()
        self.grades_label = QLabel()
        self.grades_label.setObjectName("headerGrades")
        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        self.plan_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 6, 10, 6)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.name_label, 0, 0)
        grid.addWidget(self.synthetic_badge, 0, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.ici_label, 0, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.details_label, 1, 0, 1, 3)
        grid.addWidget(self.grades_label, 2, 0, 1, 3)
        grid.addWidget(self.plan_label, 3, 0, 1, 3)
        grid.setColumnStretch(1, 1)

    def set_info(self, info: HeaderInfo, today: date) -> None:
        """`today`: the clinical day (the team's zone) the age is worked out on."""
        self.name_label.setText(
            '<span style="font-size:15pt; font-weight:bold;">'
            f"{html.escape(info.name or '(no name)')}</span>"
            f'&nbsp;&nbsp;<span style="font-size:12pt;">MRN <b>{html.escape(info.mrn)}</b></span>'
        )
        self.synthetic_badge.setVisible(info.is_synthetic)
        age = age_years(info.birth_date, today)
        born = info.birth_date.isoformat() if info.birth_date else "unknown"
        parts = [
            f"Born {born}" + (f" ({age} y)" if age is not None else ""),
            SEX_TEXT.get(info.sex or "", "sex not recorded"),
            f"{info.weight_kg:g} kg" if info.weight_kg else "weight not recorded",
            info.diagnosis or "diagnosis not recorded",
        ]
        if info.status == "signed_off":
            parts.append("signed off")
        self.details_label.setText(html.escape("  \u00b7  ".join(parts)))
        if info.ici_agent:
            text, colour = ICI_STATUS_STYLE.get(info.ici_status or "", ("?", "#444"))
            self.ici_label.setText(
                f"ICI: <b>{html.escape(info.ici_agent)}</b> "
                f'<span style="background:{colour}; color:white;">&nbsp;{text}&nbsp;</span>'
            )
        else:
            self.ici_label.setText("ICI: none recorded")
        self.grades_label.setText(
            "Grade now: " + "  \u00b7  ".join(info.grades) if info.grades else ""
        )
        self.grades_label.setVisible(bool(info.grades))
        if info.latest_plan:
            when = local_time_text(info.latest_plan_at) if info.latest_plan_at else ""
            self.plan_label.setText(
                f'<b>Plan</b> <span style="color:#555;">({when})</span>: '
                f"{html.escape(info.latest_plan)}"
            )
        else:
            self.plan_label.setText(
                '<span style="color:#555;">No consult plan recorded yet.</span>'
            )
