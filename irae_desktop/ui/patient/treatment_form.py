"""The treatment line dialog: agents from lists or free text, checked dose, live steroid mg/kg."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from irae_desktop.ui.patient.forms import (
    FormDialog,
    Submit,
    combo,
    date_edit,
    parse_positive,
    to_date,
)
from irae_desktop.ui.patient.lanes_data import doses_per_day, prednisone_factor

AGENTS: dict[str, tuple[str, ...]] = {
    "ici": (
        "pembrolizumab",
        "nivolumab",
        "ipilimumab",
        "nivolumab + ipilimumab",
        "atezolizumab",
        "durvalumab",
        "avelumab",
        "cemiplimab",
        "dostarlimab",
        "tremelimumab",
        "relatlimab + nivolumab",
        "tislelizumab",
        "toripalimab",
        "retifanlimab",
    ),
    "immunosuppression": (
        "prednisone",
        "prednisolone",
        "methylprednisolone",
        "dexamethasone",
        "hydrocortisone",
        "budesonide",
        "mycophenolate mofetil",
        "tofacitinib",
        "baricitinib",
        "infliximab",
        "vedolizumab",
        "tacrolimus",
        "anti-thymocyte globulin (ATG)",
    ),
    "insulin": (
        "insulin glargine",
        "insulin detemir",
        "insulin degludec",
        "insulin NPH",
        "insulin lispro",
        "insulin aspart",
        "insulin glulisine",
        "regular insulin",
        "insulin infusion (IV)",
    ),
    # the Pneumocystis prophylaxis drugs (domain.agents): a line of one answers the PJP alert
    "other": ("trimethoprim-sulfamethoxazole", "atovaquone", "dapsone", "pentamidine"),
}
DOSE_UNITS: dict[str, tuple[str, ...]] = {
    "ici": ("mg", "mg/kg"),
    "immunosuppression": ("mg", "g", "mg/kg", "mcg"),
    "insulin": ("units", "units/h"),
    "other": ("mg", "g", "mcg", "units"),
}
FREQUENCIES = (
    "once daily",
    "twice daily",
    "three times daily",
    "every 2 weeks",
    "every 3 weeks",
    "every 4 weeks",
    "every 6 weeks",
    "with meals",
    "at bedtime",
    "once",
)
ROUTES = ("IV", "PO", "SC", "IM")
CATEGORY_TEXT = {
    "ici": "Checkpoint inhibitor",
    "immunosuppression": "Immunosuppression",
    "insulin": "Insulin",
    "other": "Other",
}


class TreatmentDialog(FormDialog):
    def __init__(
        self,
        submit: Submit,
        *,
        weight_kg: float | None,
        initial: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Treatment line", submit, parent)
        init = initial or {}
        self.weight_kg = weight_kg
        self.category = combo(list(CATEGORY_TEXT.values()))
        if init.get("category") in CATEGORY_TEXT:
            self.category.setCurrentText(CATEGORY_TEXT[init["category"]])
        self.agent = combo((), editable=True)
        self.dose = QLineEdit("" if init.get("dose") is None else f"{init['dose']:g}")
        self.dose.setPlaceholderText("e.g. 60")
        self.dose_unit = combo((), editable=True)
        self.frequency = combo(FREQUENCIES, editable=True, current=init.get("frequency"))
        self.route = combo(ROUTES, editable=True, current=init.get("route"))
        self.start = date_edit(init.get("start_date"))
        self.indication = QLineEdit(init.get("indication") or "")
        self.equivalent = QLabel()
        self.equivalent.setStyleSheet("color: #1F5FA8;")
        for label, widget in (
            ("Type", self.category),
            ("Agent", self.agent),
            ("Starting dose", self.dose),
            ("Dose unit", self.dose_unit),
            ("Frequency", self.frequency),
            ("Route", self.route),
            ("Start", self.start),
            ("Indication", self.indication),
            ("", self.equivalent),
        ):
            self.form.addRow(label, widget)
        agent_edit = self.agent.lineEdit()
        if agent_edit is not None:
            agent_edit.setPlaceholderText("choose or type the drug")
        self.category.currentIndexChanged.connect(self._category_changed)
        self._category_changed()
        if init.get("agent"):
            self.agent.setCurrentText(init["agent"])
        if init.get("dose_unit"):
            self.dose_unit.setCurrentText(init["dose_unit"])
        for signal in (
            self.agent.currentTextChanged,
            self.dose.textChanged,
            self.dose_unit.currentTextChanged,
            self.frequency.currentTextChanged,
        ):
            signal.connect(self.update_equivalent)
        self.update_equivalent()

    def category_code(self) -> str:
        text = self.category.currentText()
        return next(code for code, label in CATEGORY_TEXT.items() if label == text)

    def _category_changed(self) -> None:
        code = self.category_code()
        self.agent.clear()
        self.agent.addItems(list(AGENTS[code]))
        # no agent is preselected: a line saved with a drug nobody chose would be a wrong record
        self.agent.setCurrentIndex(-1)
        self.agent.clearEditText()
        self.dose_unit.clear()
        self.dose_unit.addItems(list(DOSE_UNITS[code]))
        self.route.setCurrentText("IV" if code == "ici" else "SC" if code == "insulin" else "PO")
        self.frequency.setCurrentText("every 3 weeks" if code == "ici" else "once daily")

    def update_equivalent(self) -> None:
        """mg/kg/day, in prednisone equivalent for other steroids, shown while the dose is typed."""
        factor = prednisone_factor(self.agent.currentText())
        try:
            dose = parse_positive(self.dose.text(), "Dose")
        except ValueError:
            self.equivalent.setText("")
            return
        if factor is None or self.dose_unit.currentText().strip() != "mg":
            self.equivalent.setText("")
            return
        daily = dose * doses_per_day(self.frequency.currentText()) * factor
        name = "prednisone-equivalent " if factor != 1.0 else ""
        if self.weight_kg:
            self.equivalent.setText(
                f"= {daily:g} mg/day {name}= {daily / self.weight_kg:.2f} mg/kg/day "
                f"({self.weight_kg:g} kg)"
            )
        else:
            self.equivalent.setText(f"= {daily:g} mg/day {name}(no weight recorded: mg/kg unknown)")

    def collect(self) -> dict[str, Any]:
        agent = self.agent.currentText().strip()
        if not agent:
            raise ValueError("Choose or type the agent.")
        dose_text = self.dose.text().strip()
        dose = parse_positive(dose_text, "Dose") if dose_text else None
        unit = self.dose_unit.currentText().strip() or None
        if dose is not None and not unit:
            raise ValueError("Give the dose unit.")
        start: date = to_date(self.start)
        return {
            "category": self.category_code(),
            "agent": agent,
            "dose": dose,
            "dose_unit": unit,
            "frequency": self.frequency.currentText().strip() or None,
            "route": self.route.currentText().strip() or None,
            "start_date": start,
            "indication": self.indication.text().strip() or None,
        }


class DoseStepDialog(FormDialog):
    """A new dose from a date: a taper step, or one more infusion of an ICI."""

    def __init__(self, submit: Submit, *, unit: str | None, parent: QWidget | None = None) -> None:
        super().__init__("New dose (taper step or infusion)", submit, parent)
        self.start = date_edit()
        self.dose = QLineEdit()
        self.unit = combo(("mg", "g", "mg/kg", "units"), editable=True, current=unit or "mg")
        self.form.addRow("From", self.start)
        self.form.addRow("Dose", self.dose)
        self.form.addRow("Unit", self.unit)

    def collect(self) -> dict[str, Any]:
        return {
            "start_date": to_date(self.start),
            "dose": parse_positive(self.dose.text(), "Dose"),
            "dose_unit": self.unit.currentText().strip(),
        }
