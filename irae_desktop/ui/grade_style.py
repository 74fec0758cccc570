"""The one colour-blind-safe palette for CTCAE grades and alert severities, used by every view."""

from __future__ import annotations

from PySide6.QtGui import QColor

from irae_desktop.domain.analytes import analyte_label

# Lightness falls with every grade so the order survives any colour vision and greyscale print;
# hues follow the Okabe-Ito set. Every use shows the text ("G3") as well, never colour alone.
GRADE_COLORS: dict[int, str] = {
    0: "#EDEDED",
    1: "#F6EB8C",
    2: "#E69F00",
    3: "#D55E00",
    4: "#5B1A72",
}
GRADE_TEXT_COLORS: dict[int, str] = {
    0: "#333333",
    1: "#222222",
    2: "#1A1A1A",
    3: "#FFFFFF",
    4: "#FFFFFF",
}
UNGRADED_COLOR = "#FFFFFF"

SEVERITY_COLORS: dict[str, str] = {"critical": "#B3261E", "warning": "#C77800", "info": "#1F5FA8"}
SEVERITY_MARKS: dict[str, str] = {
    "critical": "\u203c CRITICAL",
    "warning": "! WARNING",
    "info": "i INFO",
}
SYNTHETIC_BADGE_COLOR = "#7A3E9D"


def grade_label(grade: int | None, analyte: str | None = None) -> str:
    """Short text for a grade: "G3 ALT", "G2 Bilirubin" (the analyte's one label), "G0", or an
    en dash when there is no grade."""
    if grade is None:
        return "\u2013"
    return f"G{grade} {analyte_label(analyte)}" if analyte else f"G{grade}"


def grade_color(grade: int | None) -> QColor:
    if grade is None:
        return QColor(UNGRADED_COLOR)
    return QColor(GRADE_COLORS.get(grade, GRADE_COLORS[4]))


def grade_text_color(grade: int | None) -> QColor:
    if grade is None:
        return QColor("#333333")
    return QColor(GRADE_TEXT_COLORS.get(grade, GRADE_TEXT_COLORS[4]))


def band_color(grade: int, alpha: int = 70) -> QColor:
    """A translucent grade colour for shading plot bands behind the data."""
    color = grade_color(grade)
    color.setAlpha(alpha)
    return color


def severity_color(severity: str) -> QColor:
    return QColor(SEVERITY_COLORS.get(severity, SEVERITY_COLORS["info"]))
