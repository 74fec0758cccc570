"""Turns a patient's labs into plot-ready numpy series and CTCAE grade bands (no Qt)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from irae_desktop.domain.analytes import panel_title
from irae_desktop.domain.chart_marks import (
    CPEPTIDE_DEFICIENT_BELOW_NG_ML,
    CPEPTIDE_DEFICIENT_BELOW_NMOL_L,
    CPEPTIDE_LINE_WORDS,
)
from irae_desktop.domain.panel_bands import PanelBands, panel_bands, same_bands
from irae_desktop.store.patient_read import StoredLab
from irae_desktop.ui.patient.display import analyte_label, converter, format_number, value_text

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class Panel:
    key: str
    analytes: tuple[str, ...]
    graded: bool = True  # grade bands come from the criteria (domain.panel_bands)
    split_of: str | None = None  # drawn instead of that panel when its analytes' bands differ
    reference_line: float | None = None
    reference_text: str = ""

    @property
    def title(self) -> str:
        """From the analytes' labels in the one analyte table, as the PDF titles its charts."""
        return panel_title(self.analytes)


# the grade bands are not typed here: they come from the criteria files through the same
# rules as the stored grades (clinical reference, decision 15)
PANELS: tuple[Panel, ...] = (
    Panel("enzymes", ("ALT", "AST")),
    Panel("alt", ("ALT",), split_of="enzymes"),
    Panel("ast", ("AST",), split_of="enzymes"),
    Panel("bilirubin", ("TBILI",)),
    Panel("alp", ("ALP",)),
    Panel("glucose", ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC")),
    Panel("ketones", ("BHB",), graded=False),
    Panel(
        "cpeptide",
        ("CPEPTIDE",),
        graded=False,
        reference_line=CPEPTIDE_DEFICIENT_BELOW_NG_ML,
        reference_text=(
            f"{format_number(round(CPEPTIDE_DEFICIENT_BELOW_NG_ML, 1))} ng/mL "
            f"({format_number(CPEPTIDE_DEFICIENT_BELOW_NMOL_L)} nmol/L): {CPEPTIDE_LINE_WORDS}"
        ),
    ),
    Panel("hba1c", ("HBA1C",), graded=False),
)
LIVER_KEYS = ("enzymes", "alt", "ast", "bilirubin", "alp")
ENZYME_KEYS = ("enzymes", "alt", "ast")
DIABETES_KEYS = ("glucose", "ketones", "cpeptide", "hba1c")


def panel_order(problems: set[str]) -> list[Panel]:
    """The panels in the order the patient's problem reads them: diabetes first for a
    patient with ICI diabetes and no hepatitis, the liver first otherwise."""
    diabetes_first = "diabetes" in problems and "hepatitis" not in problems
    first = DIABETES_KEYS if diabetes_first else LIVER_KEYS
    shown = [p for p in PANELS if p.split_of is None]
    return sorted(shown, key=lambda p: (p.key not in first, PANELS.index(p)))


ENZYMES = {"ALT", "AST"}


@dataclass(frozen=True, slots=True)
class AnalyteArrays:
    """One analyte's results as arrays, made once per snapshot, off the GUI thread."""

    analyte: str
    x: FloatArray  # epoch seconds (UTC)
    value: FloatArray  # canonical value
    uln: FloatArray  # NaN where the result has no ULN
    censored: BoolArray
    below: BoolArray  # censored with "<"
    comparators: tuple[str, ...]
    lab_index: IntArray  # positions in snapshot.labs
    unit: str  # of the first result: the fallback when the analyte has no conversion
    rows: tuple[StoredLab, ...] = ()  # the results themselves, for the grade bands


@dataclass(frozen=True, slots=True)
class Series:
    analyte: str
    label: str
    x: FloatArray  # epoch seconds (UTC)
    y: FloatArray  # display value, or multiple of ULN
    censored: BoolArray
    below: BoolArray
    comparators: tuple[str, ...]
    lab_index: IntArray  # positions in snapshot.labs, for hover text
    unit: str


@dataclass(frozen=True, slots=True)
class Band:
    grade: int
    low: float
    high: float
    side: str = "high"  # "low": hypoglycemia
    # the time the band holds for (epoch seconds; None: open): results on or before the first
    # ICI start are graded against the ULN, later ones against an abnormal baseline
    x_from: float | None = None
    x_to: float | None = None


@dataclass(frozen=True, slots=True)
class PanelData:
    panel: Panel
    series: tuple[Series, ...]
    bands: tuple[Band, ...]
    y_label: str
    band_note: str
    # the panel's reference line in the displayed unit (domain.chart_marks)
    reference_line: float | None = None
    # values the y range always shows (the ULN, where grade 1 starts), so that normal noise
    # below them stays flat instead of filling the panel
    keep_in_view: tuple[float, ...] = ()
    # the analytes are graded with different bands (each their own abnormal baseline)
    disagree: bool = False
    # (y in the displayed unit or x ULN, words) per abnormal baseline the bands stand on
    baselines: tuple[tuple[float, str], ...] = ()


_NOT_DRAWN = ("entered-in-error", "needs_review")


def group_labs(labs: tuple[StoredLab, ...]) -> dict[str, list[int]]:
    by_analyte: dict[str, list[int]] = defaultdict(list)
    for i, lab in enumerate(labs):
        # withdrawn results and results held for review are not drawn and do not scale the
        # axes (clinical reference, decision 11)
        if lab.status not in _NOT_DRAWN:
            by_analyte[lab.analyte].append(i)
    return by_analyte


def analyte_arrays(labs: tuple[StoredLab, ...]) -> dict[str, AnalyteArrays]:
    """Every analyte's results as arrays; the per-result Python work of the plots, done once."""
    out: dict[str, AnalyteArrays] = {}
    for analyte, idx in group_labs(labs).items():
        rows = [labs[i] for i in idx]
        n = len(rows)
        comps = tuple(r.comparator for r in rows)
        out[analyte] = AnalyteArrays(
            analyte=analyte,
            x=np.fromiter((r.collected_at.timestamp() for r in rows), dtype=np.float64, count=n),
            value=np.fromiter((r.value for r in rows), dtype=np.float64, count=n),
            uln=np.fromiter((r.uln or np.nan for r in rows), dtype=np.float64, count=n),
            censored=np.fromiter((bool(c) for c in comps), dtype=np.bool_, count=n),
            below=np.fromiter((c.startswith("<") for c in comps), dtype=np.bool_, count=n),
            comparators=comps,
            lab_index=np.array(idx, dtype=np.intp),
            unit=rows[0].unit,
            rows=tuple(rows),
        )
    return out


def build_panel(
    panel: Panel,
    arrays: dict[str, AnalyteArrays],
    *,
    system: str,
    times_uln: bool,
    criteria: str = "ctcae-5.0",
    overrides: Mapping[str, tuple[float, float | None]] | None = None,
    start_boundary: float | None = None,
) -> PanelData | None:
    """The series and bands for one panel, or None when the patient has no result for it."""
    present = [arrays[a] for a in panel.analytes if a in arrays]
    if not present:
        return None
    use_multiple = times_uln and panel.key in ENZYME_KEYS
    series: list[Series] = []
    unit = ""
    for a in present:
        if use_multiple:
            y = a.value / a.uln
            unit = "\u00d7 ULN"
        else:
            fn, unit = converter(a.analyte, system, a.unit)
            y = np.asarray(fn(a.value), dtype=np.float64)  # type: ignore[arg-type]
        series.append(
            Series(
                analyte=a.analyte,
                label=analyte_label(a.analyte),
                x=a.x,
                y=y,
                censored=a.censored,
                below=a.below,
                comparators=a.comparators,
                lab_index=a.lab_index,
                unit=unit,
            )
        )
    bands: list[Band] = []
    note = ""
    keep: list[float] = []
    disagree = False
    baselines: list[tuple[float, str]] = []
    if panel.graded:
        found = panel_bands(
            {a.analyte: a.rows for a in present},
            criteria,
            relative=use_multiple,
            overrides=overrides,
        )
        bands, note, keep, disagree = panel_grade_bands(found, system, use_multiple)
        baselines = baseline_lines(found, system, use_multiple)
        if start_boundary is not None:
            before = panel_bands(
                {a.analyte: a.rows for a in present},
                criteria,
                relative=use_multiple,
                before_start=True,
            )
            if not same_bands(found, before):
                earlier, _note, _keep, _disagree = panel_grade_bands(before, system, use_multiple)
                bands = [replace(b, x_from=start_boundary) for b in bands] + [
                    replace(b, x_to=start_boundary) for b in earlier
                ]
                note += "; up to the first ICI start: \u00d7 ULN"
    reference = None
    if panel.reference_line is not None and not use_multiple:
        to_display, _unit = converter(present[0].analyte, system, unit)
        reference = float(to_display(panel.reference_line))
        keep.append(reference)
    return PanelData(
        panel,
        tuple(series),
        tuple(bands),
        f"{panel.title} {unit}",
        note,
        reference,
        tuple(keep),
        disagree and len(present) > 1,
        tuple(baselines),
    )


def panel_grade_bands(
    found: PanelBands, system: str, relative: bool
) -> tuple[list[Band], str, list[float], bool]:
    """The bands in the displayed unit (or x ULN), the note that says what they stand on,
    the values the y range keeps in view (the ULN, where grade 1 starts) and whether the
    analytes' bands differ."""
    first = next(iter(found.by_analyte), "")
    fn, _unit = converter(first, system, "")
    scale: Callable[[float], float] = (lambda v: v) if relative else fn
    bands = [
        Band(b.grade, scale(b.low), scale(b.high) if b.high is not None else _TOP, b.side)
        for b in found.bands
    ]
    # zero too: a plot of values then shows their size, not their noise
    keep = [0.0, *(scale(b.low) for b in found.bands if b.side == "high" and b.grade == 1)]
    uln = found.uln.get(first)
    if uln:
        keep.append(1.0 if relative else fn(uln))
    return bands, band_note(found, system, relative), keep, found.disagree


def baseline_lines(found: PanelBands, system: str, relative: bool) -> list[tuple[float, str]]:
    """Where each abnormal baseline the bands are multiples of sits, and its words."""
    out = []
    for analyte, bands in found.by_analyte.items():
        uln = found.uln.get(analyte)
        if not bands.abnormal_baseline or bands.baseline is None:
            continue
        fn, unit = converter(analyte, system, bands.unit)
        if relative and not uln:
            continue
        y = bands.baseline / uln if relative and uln else fn(bands.baseline)
        words = (
            f"{analyte_label(analyte)} abnormal baseline {format_number(fn(bands.baseline))} {unit}"
        )
        out.append((float(y), f"{words}: grades relative to it"))
    return out


# the top of an open-ended band: far above any value a plot shows
_TOP = 1e7


def band_note(found: PanelBands, system: str, relative: bool) -> str:
    """What the bands stand on, in words: ULN, an abnormal baseline, or why some are missing."""
    parts = []
    for analyte, bands in found.by_analyte.items():
        unit = converter(analyte, system, bands.unit)[1]
        if bands.abnormal_baseline and bands.baseline is not None:
            # at the analyte's clinical precision in the units on display, as the labs show it
            level = value_text(bands.baseline, "", analyte, system, bands.unit)[0]
            parts.append(f"{analyte_label(analyte)} \u00d7 abnormal baseline {level} {unit}")
        elif bands.why_none and not bands.bands:
            parts.append(f"{analyte_label(analyte)}: {bands.why_none}, no bands")
        elif bands.why_none:
            parts.append(f"{analyte_label(analyte)}: {bands.why_none}, some bands not drawn")
        elif not relative and found.uln.get(analyte):
            uln = value_text(found.uln[analyte] or 0.0, "", analyte, system, bands.unit)[0]
            parts.append(f"{analyte_label(analyte)} ULN {uln} {unit}")
    label = next(iter(found.by_analyte.values()), None)
    text = f"bands {label.criteria_label}" if label is not None else "bands"
    if parts:
        text += ": " + "; ".join(parts)
    if found.disagree:
        text += " (shaded only where all of them get the same grade)"
    return text


def build_panels(
    labs: tuple[StoredLab, ...],
    *,
    system: str,
    times_uln: bool,
    criteria: str = "ctcae-5.0",
    arrays: dict[str, AnalyteArrays] | None = None,
    problems: set[str] | frozenset[str] = frozenset(),
    overrides: Mapping[str, tuple[float, float | None]] | None = None,
    first_ici_start: date | None = None,
) -> list[PanelData]:
    """Every panel the patient has results for, in the order of the patient's problem
    (`problems`: irAE types such as "hepatitis", "diabetes"); pass `arrays` made earlier
    to skip the rows."""
    arrays = analyte_arrays(labs) if arrays is None else arrays
    boundary = None
    if first_ici_start is not None:  # the first moment of the day after it, local time
        after = first_ici_start + timedelta(days=1)
        boundary = datetime(after.year, after.month, after.day).timestamp()
    out = []
    for panel in panel_order(set(problems)):
        data = build_panel(
            panel,
            arrays,
            system=system,
            times_uln=times_uln,
            criteria=criteria,
            overrides=overrides,
            start_boundary=boundary,
        )
        if data is None:
            continue
        parts = [p for p in PANELS if p.split_of == panel.key] if data.disagree else []
        if not parts:
            out.append(data)
        # one panel per analyte, each with the bands that are true for it
        for part in parts:
            own = build_panel(
                part,
                arrays,
                system=system,
                times_uln=times_uln,
                criteria=criteria,
                overrides=overrides,
                start_boundary=boundary,
            )
            if own is not None:
                out.append(own)
    return out
