"""The Trends tab: stacked lab plots with grade bands on one date axis, and treatment swim lanes."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.domain.grade_display import result_grade_text
from irae_desktop.ui.errors import log_bug
from irae_desktop.ui.grade_style import GRADE_COLORS
from irae_desktop.ui.patient.display import format_number, local_time_text
from irae_desktop.ui.patient.lanes_data import Lane, SteroidCurve, build_lanes, steroid_curve
from irae_desktop.ui.patient.snapshot import PatientSnapshot
from irae_desktop.ui.patient.trends_data import (
    PANELS,
    AnalyteArrays,
    PanelData,
    analyte_arrays,
    build_panels,
)
from irae_desktop.ui.patient.trends_stack import LANES, STEROID, PlotStack

log = logging.getLogger(__name__)

DAY = 86400.0
EMPTY_TEXT = "No lab results or treatments recorded for this patient yet."
# the order spare plots are made in while the window is idle: the common ones first
MAKE_ORDER = (
    "enzymes",
    "bilirubin",
    "alp",
    "glucose",
    LANES,
    STEROID,
    "ketones",
    "cpeptide",
    "hba1c",
)


@dataclass(frozen=True, slots=True)
class _Incoming:
    """A patient handed to the view and not drawn yet."""

    snapshot: PatientSnapshot
    criteria: str
    arrays: dict[str, AnalyteArrays]
    lanes: list[Lane]
    curve: SteroidCurve | None
    reset_range: bool  # another patient than the one on screen: show all of their record

    def needed(self) -> list[str]:
        keys = [
            p.key
            for p in PANELS
            if p.split_of is None and any(a in self.arrays for a in p.analytes)
        ]
        return keys + [STEROID] * (self.curve is not None) + [LANES] * bool(self.lanes)


def problems_of(snapshot: PatientSnapshot) -> set[str]:
    """The kinds of irAE the patient has episodes of ("hepatitis", "diabetes")."""
    return {e.organ.strip().lower() for e in snapshot.episodes}


def band_criteria(snapshot: PatientSnapshot, team_criteria: str) -> str:
    """The criteria set the bands follow: the one the stored grades were computed with (as
    the printed summary does), else the team's."""
    graded = [lab.criteria for lab in snapshot.labs if lab.criteria]
    return graded[-1] if graded else team_criteria


class TrendsView(QWidget):
    """Plots for one patient; `set_snapshot` shows a patient, `set_units` switches US/SI.

    Each plot is made once and then refilled: making a pyqtgraph PlotItem costs more than
    drawing thousands of points into it. A patient is drawn in steps, one per turn of the event
    loop, so that no step freezes the window: make the plots still missing, fill them, arrange
    and link them, then paint them off screen one by one so that pyqtgraph has its caches
    ready. The canvas keeps its previous picture meanwhile; `drawn` says when the patient is
    on it. Switching units, x ULN or log scale refills the plots at once.
    """

    drawn = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._snapshot: PatientSnapshot | None = None
        self._shown_id: int | None = None  # the patient last drawn in full
        self._arrays: dict[str, AnalyteArrays] = {}
        self._curve: SteroidCurve | None = None
        self._system = "US"
        self._criteria = "ctcae-5.0"
        self._incoming: _Incoming | None = None
        self._steps_left: Iterator[None] | None = None
        self.panels: list[PanelData] = []
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.censored_items: dict[str, pg.ScatterPlotItem] = {}
        self.band_items: dict[str, list[pg.LinearRegionItem]] = {}
        self.lanes: list[Lane] = []
        self.lane_plot: pg.PlotItem | None = None
        self.steroid_plot: pg.PlotItem | None = None
        self.steroid_item: pg.PlotDataItem | None = None
        self.lane_labels: list[pg.TextItem] = []

        self.times_uln = QCheckBox("ALT/AST as \u00d7 ULN")
        self.times_uln.setChecked(True)
        self.times_uln.setToolTip("Show ALT and AST as multiples of the upper limit of normal")
        self.log_y = QCheckBox("Log scale")
        self.log_y.setToolTip("Logarithmic value axis for the liver plots")
        self.times_uln.toggled.connect(self._redraw)
        self.log_y.toggled.connect(self._redraw)
        self.range_buttons = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        for text, days in (("2 weeks", 14), ("3 months", 91), ("All", 0)):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setProperty("days", days)
            button.clicked.connect(lambda _=False, d=days: self.show_last_days(d))
            self.range_buttons.addButton(button)
            bar.addWidget(button)
        bar.addSpacing(16)
        bar.addWidget(self.times_uln)
        bar.addWidget(self.log_y)
        bar.addStretch(1)
        self.legend = QLabel(self._legend_html())
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        bar.addWidget(self.legend)

        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setBackground("w")
        self.canvas.ci.layout.setSpacing(2)
        self.stack = PlotStack(self.canvas)
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        self.note_label = QLabel()
        self.note_label.setStyleSheet("color: #555;")
        self.note_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        # each lab panel keeps a readable height; more panels and lanes scroll, never squeeze
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.canvas)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.note_label)
        self._hover = pg.SignalProxy(
            self.canvas.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse_moved
        )
        # a child timer, so a deleted view takes no more steps
        self._steps = QTimer(self)
        self._steps.setSingleShot(True)
        self._steps.setInterval(0)
        self._steps.timeout.connect(self._step)

    @staticmethod
    def _legend_html() -> str:
        chips = []
        for grade in range(1, 5):
            colour = GRADE_COLORS[grade]
            text = "#fff" if grade >= 3 else "#000"
            chips.append(
                f'<span style="background:{colour}; color:{text};">&nbsp;G{grade}&nbsp;</span>'
            )
        return (
            "Grade bands: "
            + " ".join(chips)
            + " &nbsp; \u25cf exact &nbsp; \u25bd below/above limit (censored)"
        )

    # public API -------------------------------------------------------------------------
    def set_snapshot(
        self,
        snapshot: PatientSnapshot,
        *,
        criteria: str = "ctcae-5.0",
        arrays: dict[str, AnalyteArrays] | None = None,
    ) -> None:
        """Starts drawing a patient; `drawn` follows once it is on screen.

        `arrays` (from `analyte_arrays`, made off the GUI thread) saves the work per result.
        """
        zone = ZoneInfo(snapshot.clinical_timezone)
        today = snapshot.today  # the clinical day, as the Treatments tab and the PDF use it
        self._incoming = _Incoming(
            snapshot,
            criteria,
            analyte_arrays(snapshot.labs) if arrays is None else arrays,
            build_lanes(snapshot.treatments, today, snapshot.response_labels, zone=zone),
            steroid_curve(snapshot.treatments, today, snapshot.header.weight_kg, zone=zone),
            reset_range=snapshot.header.id != self._shown_id,
        )
        self._steps_left = self._drawing(self._incoming)
        self.canvas.setUpdatesEnabled(False)
        self._steps.start()

    def set_units(self, system: str) -> None:
        if system != self._system:
            self._system = system
            self._redraw()

    def make_plots_when_idle(self) -> None:
        """Starts making every kind of plot, one per turn of the event loop, so that the first
        patient need not wait for them; for a window that is idle (not while a patient loads:
        both would then compete for the interpreter and each step would take longer)."""
        self._steps.start()

    def is_drawing(self) -> bool:
        """True while a patient handed over is not on screen yet."""
        return self._steps_left is not None

    def show_last_days(self, days: int) -> None:
        """Zooms every plot together: the last `days` days, or everything when days is 0."""
        anchor = self._anchor_plot()
        if anchor is None:
            return
        now = datetime.now(UTC).timestamp()
        if days:
            anchor.setXRange(now - days * DAY, now + DAY, padding=0)
        else:
            lo, hi = self._data_span()
            anchor.setXRange(lo - 2 * DAY, max(hi, now) + 2 * DAY, padding=0)
        for button in self.range_buttons.buttons():
            button.setChecked(button.property("days") == days)

    def x_range(self) -> tuple[float, float]:
        anchor = self._anchor_plot()
        if anchor is None:
            return (0.0, 0.0)
        lo, hi = anchor.viewRange()[0]
        return float(lo), float(hi)

    # steps ------------------------------------------------------------------------------
    def _step(self) -> None:
        """Takes the next step of the patient being drawn, else makes a spare plot."""
        if self._steps_left is not None:
            try:
                next(self._steps_left)
            except StopIteration:
                self._finish_drawing()
            except Exception as exc:  # a bug must not leave the view frozen on the last patient
                log_bug(log, "drawing the trends failed", exc)
                self._show_failure()
                self._finish_drawing()
        else:  # idle: make a spare plot, so that the next patient need not wait for it
            spare = next((k for k in MAKE_ORDER if not self.stack.exists(k)), None)
            if spare is None:
                return
            self.stack.make(spare)
        self._steps.start()

    def _finish_drawing(self) -> None:
        self._steps_left = self._incoming = None
        self._shown_id = self._snapshot.header.id if self._snapshot else None
        # the canvas paints again, in full, from the caches just filled
        self.canvas.setUpdatesEnabled(True)
        self.drawn.emit()

    def _show_failure(self) -> None:
        """Shows no plot rather than a half-drawn one (or the previous patient's)."""
        self.stack.place([], None)
        self.panels, self.plots, self.curves = [], {}, {}
        self.censored_items, self.band_items = {}, {}
        self.lane_plot = self.steroid_plot = self.steroid_item = None
        self.lane_labels = []
        self._shown_id = None
        self.note_label.clear()
        self.canvas.hide()
        self.scroll.hide()
        self.empty_label.setText("The trends could not be drawn (unexpected error; see the log).")
        self.empty_label.show()

    def _drawing(self, incoming: _Incoming) -> Iterator[None]:
        """The steps that draw a patient; the event loop runs after each `yield`."""
        for key in incoming.needed():
            while not self.stack.exists(key):
                self.stack.make(key)
                yield
        self._snapshot = incoming.snapshot
        self._criteria = incoming.criteria
        self._arrays = incoming.arrays
        self.lanes = incoming.lanes
        self._curve = incoming.curve
        keep = None if incoming.reset_range else self.x_range()
        yield from self._refilling(keep, treatments=True)
        for plot in list(self.stack.placed):
            yield
            self.stack.prerender(plot)

    # drawing ----------------------------------------------------------------------------
    def _anchor_plot(self) -> pg.PlotItem | None:
        return self.lane_plot or next(iter(self.plots.values()), None)

    def _data_span(self) -> tuple[float, float]:
        xs = [s.x for p in self.panels for s in p.series if s.x.size]
        spans = [(ln.start, ln.end) for ln in self.lanes]
        lo = min([float(x.min()) for x in xs] + [a for a, _ in spans], default=0.0)
        hi = max([float(x.max()) for x in xs] + [b for _, b in spans], default=0.0)
        return lo, hi

    def _redraw(self) -> None:
        """Refills the lab panels after a switch of units, x ULN or log scale."""
        if self._incoming is not None:  # mid-way through drawing a patient: start again
            self._steps_left = self._drawing(self._incoming)
        elif self._snapshot is not None:
            for _ in self._refilling(self.x_range(), treatments=False):
                pass

    def _refilling(self, keep: tuple[float, float] | None, *, treatments: bool) -> Iterator[None]:
        """Puts the current patient's data in the plots, places and links them, and sets the
        time range: all of the record, or `keep` (the range shown before). Yields between the
        parts, for `_drawing`; a redraw runs them at once."""
        snapshot = self._snapshot
        assert snapshot is not None
        log_scale = self.log_y.isChecked()
        self.panels = build_panels(
            snapshot.labs,
            system=self._system,
            times_uln=self.times_uln.isChecked(),
            criteria=band_criteria(snapshot, self._criteria),
            arrays=self._arrays,
            problems=problems_of(snapshot),
            overrides=snapshot.baseline_overrides,
            first_ici_start=min(
                (t.start for t in snapshot.treatments if t.category == "ici"), default=None
            ),
        )
        self.plots, self.curves, self.censored_items, self.band_items = {}, {}, {}, {}
        for data in self.panels:
            while not self.stack.exists(data.panel.key):  # a panel split in two (ALT, AST)
                self.stack.make(data.panel.key)
            panel_plot = self.stack.panels[data.panel.key]
            self.band_items[data.panel.key] = panel_plot.show_data(data, log_scale)
            self.plots[data.panel.key] = panel_plot.plot
            for slot, series in zip(panel_plot.slots, data.series, strict=False):
                self.curves[series.analyte] = slot.line
                if series.censored.any():
                    self.censored_items[series.analyte] = slot.censored
            yield
        if treatments:
            self._fill_treatments()
            yield
        notes = [f"{d.panel.title}: {d.band_note}" for d in self.panels if d.band_note]
        self.note_label.setText("   \u2022   ".join(notes))
        empty = not self.panels and not self.lanes
        self.canvas.setVisible(not empty)
        self.scroll.setVisible(not empty)
        self.empty_label.setText(EMPTY_TEXT)
        self.empty_label.setVisible(empty)
        placed = [
            *self.plots.values(),
            *(p for p in (self.steroid_plot, self.lane_plot) if p is not None),
        ]
        anchor = self._anchor_plot()
        self.stack.place(placed, anchor)
        self.canvas.setMinimumHeight(
            int(sum(p.minimumHeight() for p in placed) + 4 * max(len(placed) - 1, 0))
        )
        yield
        if keep is None:
            self.show_last_days(0)
        elif keep[1] > keep[0] and anchor is not None:
            anchor.setXRange(*keep, padding=0)
        for plot in placed:  # follow the anchor even where its range did not change
            if plot is not anchor:
                plot.getViewBox().linkedXChanged()

    def _fill_treatments(self) -> None:
        curve, steroid, lanes = self._curve, self.stack.steroid, self.stack.lanes
        if curve is not None and steroid is not None:
            steroid.show_curve(curve)
            self.steroid_plot, self.steroid_item = steroid.plot, steroid.item
        else:
            self.steroid_plot = self.steroid_item = None
        if self.lanes and lanes is not None:
            lanes.show_lanes(self.lanes, self._data_span())
            self.lane_plot, self.lane_labels = lanes.plot, lanes.labels
        else:
            self.lane_plot, self.lane_labels = None, []

    # hover ------------------------------------------------------------------------------
    def _on_mouse_moved(self, event: tuple[QPointF]) -> None:
        if self._steps_left is not None:
            return  # mid-way through a patient: the plots no longer match the picture
        pos = event[0]
        for key, plot in self.plots.items():
            if plot.sceneBoundingRect().contains(pos):
                point = plot.getViewBox().mapSceneToView(pos)
                text = self.hover_text(key, point.x(), point.y())
                if text:
                    QToolTip.showText(QCursor.pos(), text, self.canvas)
                else:
                    QToolTip.hideText()
                return

    def hover_text(self, panel_key: str, x: float, y: float, pixels: float = 8.0) -> str | None:
        """The description of the point nearest (x, y) in view coordinates, if close enough."""
        snapshot = self._snapshot
        plot = self.plots.get(panel_key)
        data = next((d for d in self.panels if d.panel.key == panel_key), None)
        if snapshot is None or plot is None or data is None:
            return None
        xs, ys = plot.getViewBox().viewPixelSize()
        in_log = plot.ctrl.logYCheck.isChecked()
        best: tuple[float, int, int] | None = None
        for n, series in enumerate(data.series):
            if not series.x.size:
                continue
            sy = np.log10(np.clip(series.y, 1e-9, None)) if in_log else series.y
            d = np.hypot((series.x - x) / max(xs, 1e-12), (sy - y) / max(ys, 1e-12))
            d = np.where(np.isnan(d), np.inf, d)
            i = int(np.argmin(d))
            if d[i] <= pixels and (best is None or d[i] < best[0]):
                best = (float(d[i]), n, i)
        if best is None:
            return None
        series = data.series[best[1]]
        lab = snapshot.labs[series.lab_index[best[2]]]
        shown = f"{lab.comparator}{format_number(series.y[best[2]])} {series.unit}"
        grade = result_grade_text(lab.grade, lab.grade_reason)
        lines = [
            f"<b>{series.label} {shown}</b>",
            local_time_text(lab.collected_at),
            f"Grade: {grade}" + (" (baseline)" if lab.is_baseline else ""),
            f"Rule: {lab.grade_reason or 'not graded'}",
            f"Source: {lab.source}",
        ]
        if lab.comparator:
            lines.insert(1, "Censored result: the true value is beyond the reported limit")
        return "<br>".join(lines)
