"""Painting of worklist cells: grade chips that stay visible when selected, the SYNTHETIC badge."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from irae_desktop.ui.grade_style import SYNTHETIC_BADGE_COLOR, grade_color, grade_text_color
from irae_desktop.ui.worklist_model import GRADE_ROLE, ROW_ROLE, UNGRADED_ROLE

UNGRADED_COLOR = "#B3261E"

_Index = QModelIndex | QPersistentModelIndex
BADGE_TEXT = "SYNTHETIC"


def _plain_background(painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
    """The row background and selection, without the text."""
    opt = QStyleOptionViewItem(option)
    QStyledItemDelegate().initStyleOption(opt, index)
    opt.text = ""
    opt.backgroundBrush = QBrush(QColor(0, 0, 0, 0))
    style = opt.widget.style() if opt.widget is not None else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)


class GradeChipDelegate(QStyledItemDelegate):
    """A rounded chip in the grade colour with the grade text ("G3 ALT") inside it."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        grade = index.data(GRADE_ROLE)
        if grade is None:
            super().paint(painter, option, index)
            return
        _plain_background(painter, option, index)
        rect: QRect = option.rect.adjusted(4, 4, -4, -4)
        text = str(index.data(Qt.ItemDataRole.DisplayRole))
        # a newer ungraded result: its note is drawn after the chip, outside its colour
        note = index.data(UNGRADED_ROLE) or ""
        if note:
            text = text.split(" \u00b7 ", 1)[0]
        font = QFont(option.font)
        font.setBold(True)
        width = min(rect.width(), QFontMetrics(font).horizontalAdvance(text) + 16)
        chip = QRect(rect.left(), rect.top(), width, rect.height())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(0, 0, 0, 60))
        painter.setBrush(grade_color(grade))
        painter.drawRoundedRect(chip, 4, 4)
        painter.setPen(grade_text_color(grade))
        painter.setFont(font)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        if note:
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            palette = option.palette
            # the warning red of the Labs tab's "needs review" rows, unless the row is selected
            color = palette.highlightedText().color() if selected else QColor(UNGRADED_COLOR)
            painter.setPen(color)
            rest = rect.adjusted(width + 6, 0, 0, 0)
            _draw_note(painter, rest, font, note)
        painter.restore()


def _draw_note(painter: QPainter, rect: QRect, font: QFont, note: str) -> None:
    """The ungraded note beside the chip: on one line where it fits, else its reason under
    "latest ungraded:" in a smaller type, so the reason is read, not cut off (decision 12)."""
    metrics = QFontMetrics(font)
    text = f"\u00b7 {note}"
    left = Qt.AlignmentFlag.AlignLeft
    if metrics.horizontalAdvance(text) <= rect.width() or ": " not in note:
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(10, rect.width()))
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | left, shown)
        return
    small = QFont(font)
    small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
    small_metrics = QFontMetrics(small)
    painter.setFont(small)
    head, reason = note.split(": ", 1)
    for line, align in (
        (f"{head}:", Qt.AlignmentFlag.AlignTop),
        (reason, Qt.AlignmentFlag.AlignBottom),
    ):
        shown = small_metrics.elidedText(line, Qt.TextElideMode.ElideRight, max(10, rect.width()))
        painter.drawText(rect, align | left, shown)


class NameDelegate(QStyledItemDelegate):
    """The patient name, followed by a purple SYNTHETIC badge on demonstration patients."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 90, max(hint.height(), 28))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        row = index.data(ROW_ROLE)
        if row is None or not row.is_synthetic:
            super().paint(painter, option, index)
            return
        _plain_background(painter, option, index)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.highlightedText().color() if selected else palette.text().color()
        rect: QRect = option.rect.adjusted(6, 0, -4, 0)
        name = row.name or "(no name)"
        metrics = QFontMetrics(option.font)
        badge_font = QFont(option.font)
        badge_font.setBold(True)
        badge_font.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.8))
        badge_w = QFontMetrics(badge_font).horizontalAdvance(BADGE_TEXT) + 10
        name_w = rect.width() - badge_w - 8
        shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(10, name_w))
        painter.save()
        painter.setPen(text_color)
        painter.setFont(option.font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, shown)
        left = rect.left() + metrics.horizontalAdvance(shown) + 8
        badge = QRect(left, rect.center().y() - 8, badge_w, 17)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(SYNTHETIC_BADGE_COLOR))
        painter.drawRoundedRect(badge, 3, 3)
        painter.setPen(QColor("#FFFFFF"))
        painter.setFont(badge_font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, BADGE_TEXT)
        painter.restore()
