"""Application look: Fusion style with a light or dark palette that follows the system scheme."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

LIGHT = {
    "window": "#F4F5F7",
    "base": "#FFFFFF",
    "alt": "#F0F3F7",
    "text": "#1B1F24",
    "muted": "#5B6572",
    "button": "#E9ECF0",
    "highlight": "#1F5FA8",
    "htext": "#FFFFFF",
    "border": "#C9CFD6",
    "link": "#1F5FA8",
}
DARK = {
    "window": "#202329",
    "base": "#16181C",
    "alt": "#1E2126",
    "text": "#E6E8EB",
    "muted": "#9AA3AD",
    "button": "#2C3036",
    "highlight": "#4C8ED9",
    "htext": "#FFFFFF",
    "border": "#3A3F47",
    "link": "#7FB2F0",
}


def is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


# severity text on a dark background needs lighter tones to keep its contrast
DARK_SEVERITY_TEXT = {"critical": "#FF7A70", "warning": "#F2B04A", "info": "#8DBBF2"}


def severity_text_color(severity: str) -> QColor:
    """The colour for severity words ("2 critical") on the current background."""
    from irae_desktop.ui.grade_style import SEVERITY_COLORS

    table = DARK_SEVERITY_TEXT if is_dark() else SEVERITY_COLORS
    return QColor(table.get(severity, table["info"]))


def colors() -> dict[str, str]:
    return DARK if is_dark() else LIGHT


def _palette(c: dict[str, str]) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    pal.setColor(role.Window, QColor(c["window"]))
    pal.setColor(role.WindowText, QColor(c["text"]))
    pal.setColor(role.Base, QColor(c["base"]))
    pal.setColor(role.AlternateBase, QColor(c["alt"]))
    pal.setColor(role.Text, QColor(c["text"]))
    pal.setColor(role.Button, QColor(c["button"]))
    pal.setColor(role.ButtonText, QColor(c["text"]))
    pal.setColor(role.Highlight, QColor(c["highlight"]))
    pal.setColor(role.HighlightedText, QColor(c["htext"]))
    pal.setColor(role.ToolTipBase, QColor(c["base"]))
    pal.setColor(role.ToolTipText, QColor(c["text"]))
    pal.setColor(role.PlaceholderText, QColor(c["muted"]))
    pal.setColor(role.Link, QColor(c["link"]))
    for group_role in (role.Text, role.WindowText, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, group_role, QColor(c["muted"]))
    return pal


def stylesheet(c: dict[str, str]) -> str:
    return f"""
    QToolTip {{ color: {c["text"]}; background: {c["base"]}; border: 1px solid {c["border"]}; }}
    QTableView {{ gridline-color: {c["border"]}; selection-background-color: {c["highlight"]}; }}
    QHeaderView::section {{ padding: 4px 6px; font-weight: 600; border: none;
        border-bottom: 1px solid {c["border"]}; border-right: 1px solid {c["border"]};
        background: {c["button"]}; color: {c["text"]}; }}
    QLineEdit#worklistSearch {{ padding: 5px 8px; border: 1px solid {c["border"]};
        border-radius: 4px; background: {c["base"]}; }}
    QLineEdit#worklistSearch:focus {{ border: 1px solid {c["highlight"]}; }}
    QLabel#muted {{ color: {c["muted"]}; }}
    QLabel#bannerSynthetic {{ color: white; background: #7A3E9D; padding: 2px 8px;
        border-radius: 3px; font-weight: 700; }}
    QStatusBar QLabel {{ padding: 0 8px; color: {c["muted"]}; }}
    """


def apply_theme(app: QApplication) -> None:
    """Fusion renders the same on every platform; the palette follows light or dark mode."""
    app.setStyle("Fusion")
    c = colors()
    app.setPalette(_palette(c))
    app.setStyleSheet(stylesheet(c))


def follow_system_scheme(app: QApplication) -> None:
    apply_theme(app)
    hints = QGuiApplication.styleHints()
    signal = getattr(hints, "colorSchemeChanged", None)
    if signal is not None:
        signal.connect(lambda _scheme: apply_theme(app))
