"""Turns a patient's labs into plot-ready numpy series and CTCAE grade bands (no Qt)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from irae_desktop.ui.patient.display import analyte_label, converter
from irae_desktop.ui.patient.snapshot import LabRow

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class Panel:
    key: str
    title: str
    analytes: tuple[str, ...]
    # multiples of ULN that start grades 1-4 (None: the analyte has no CTCAE term)
    uln_multiples: tuple[float, float, float, float] | None = None
    # the same for an abnormal baseline (multiples of the baseline value), CTCAE v5.0 / v6.0
    baseline_multiples: dict[str, tuple[float, float, float, float]] | None = None
    # absolute thresholds in the canonical unit (glucose, fasting table)
    absolute: tuple[float, float, float] | None = None
    reference_line: float | None = None
    reference_text: str = ""


# Thresholds from the CTCAE tables in the clinical reference (sections 2 and 3); the grades shown
# in the labs table come from the grading engine, the bands only shade the plot behind the points.
PANELS: tuple[Panel, ...] = (
    Panel(
        "enzymes",
        "ALT/AST",
        ("ALT", "AST"),
        (1.0, 3.0, 5.0, 20.0),
        {"ctcae-5.0": (1.5, 3.0, 5.0, 20.0), "ctcae-6.0": (1.0, 1.5, 2.0, 4.0)},
    ),
    Panel(
        "bilirubin",
        "Bilirubin",
        ("TBILI",),
        (1.0, 1.5, 3.0, 10.0),
        {"ctcae-5.0": (1.0, 1.5, 3.0, 10.0), "ctcae-6.0": (1.0, 1.5, 2.5, 10.0)},
    ),
    Panel("alp", "ALP", ("ALP",), (1.0, 2.5, 5.0, 20.0), {"ctcae-5.0": (2.0, 2.5, 5.0, 20.0)}),
    Panel(
        "glucose",
        "Glucose",
        ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC"),
        absolute=(160.0, 250.0, 500.0),
    ),
    Panel(
        "cpeptide",
        "C-peptide",
        ("CPEPTIDE",),
        reference_line=0.6,
        reference_text="0.6 ng/mL (0.2 nmol/L): insulin deficiency below",
    ),
    Panel("hba1c", "HbA1c", ("HBA1C",)),
)
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
    latest_uln: float | None
    baseline: LabRow | None  # the last result marked as baseline


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


@dataclass(frozen=True, slots=True)
class PanelData:
    panel: Panel
    series: tuple[Series, ...]
    bands: tuple[Band, ...]
    y_label: str
    band_note: str
    # the panel's reference line in the displayed unit (C-peptide 0.6 ng/mL = 0.2 nmol/L)
    reference_line: float | None = None


_NOT_DRAWN = ("entered-in-error", "needs_review")


def group_labs(labs: tuple[LabRow, ...]) -> dict[str, list[int]]:
    by_analyte: dict[str, list[int]] = defaultdict(list)
    for i, lab in enumerate(labs):
        # withdrawn results and results held for review are not drawn and do not scale the
        # axes (clinical reference, decision 11)
        if lab.status not in _NOT_DRAWN:
            by_analyte[lab.analyte].append(i)
    return by_analyte


def analyte_arrays(labs: tuple[LabRow, ...]) -> dict[str, AnalyteArrays]:
    """Every analyte's results as arrays; the per-result Python work of the plots, done once."""
    out: dict[str, AnalyteArrays] = {}
    for analyte, idx in group_labs(labs).items():
        rows = [labs[i] for i in idx]
        n = len(rows)
        comps = tuple(r.comparator for r in rows)
        marked = [r for r in rows if r.is_baseline]
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
            latest_uln=next((r.uln for r in reversed(rows) if r.uln), None),
            baseline=marked[-1] if marked else None,
        )
    return out


def build_panel(
    panel: Panel,
    arrays: dict[str, AnalyteArrays],
    *,
    system: str,
    times_uln: bool,
    criteria: str = "ctcae-5.0",
) -> PanelData | None:
    """The series and bands for one panel, or None when the patient has no result for it."""
    present = [arrays[a] for a in panel.analytes if a in arrays]
    if not present:
        return None
    use_multiple = times_uln and panel.key == "enzymes"
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
    bands, note = _bands(panel, present[0], system, use_multiple, criteria)
    reference = None
    if panel.reference_line is not None and not use_multiple:
        to_display, _unit = converter(present[0].analyte, system, unit)
        reference = float(to_display(panel.reference_line))
    return PanelData(panel, tuple(series), tuple(bands), f"{panel.title} {unit}", note, reference)


def _bands(
    panel: Panel, first: AnalyteArrays, system: str, use_multiple: bool, criteria: str
) -> tuple[list[Band], str]:
    analyte = first.analyte
    fn, unit = converter(analyte, system, first.unit)
    if panel.absolute is not None:
        uln = first.latest_uln or 0.0
        edges = [uln, *panel.absolute]
        note = "bands: fasting glucose grades (non-fasting: grades 3-4 only)"
        return _edges_to_bands([fn(e) for e in edges]), note
    if panel.uln_multiples is None:
        return [], ""
    baseline = first.baseline
    multiples = panel.uln_multiples
    scale_to_value = first.latest_uln
    if scale_to_value is None:
        return [], "no reference range: bands not drawn"
    note = f"bands: \u00d7 ULN ({fn(scale_to_value):g} {unit})"
    abnormal = baseline is not None and baseline.uln is not None and baseline.value > baseline.uln
    if abnormal and baseline is not None and baseline.uln and panel.baseline_multiples:
        bl_multiples = panel.baseline_multiples.get(criteria)
        if bl_multiples is not None:
            multiples = bl_multiples
            scale_to_value = baseline.value
            note = (
                f"bands: \u00d7 baseline {analyte_label(analyte)} "
                f"{fn(baseline.value):g} {unit} (abnormal baseline, {criteria})"
            )
            if use_multiple:
                # the plot is in multiples of ULN, so baseline multiples convert through it
                return _edges_to_bands([m * baseline.value / baseline.uln for m in multiples]), note
    if use_multiple:
        return _edges_to_bands(list(multiples)), "bands: \u00d7 ULN"
    return _edges_to_bands([fn(m * scale_to_value) for m in multiples]), note


def _edges_to_bands(edges: list[float]) -> list[Band]:
    top = max(edges[-1] * 1e4, 1e6)
    bounds = [*edges, top]
    return [Band(grade=g + 1, low=bounds[g], high=bounds[g + 1]) for g in range(4)]


def build_panels(
    labs: tuple[LabRow, ...],
    *,
    system: str,
    times_uln: bool,
    criteria: str = "ctcae-5.0",
    arrays: dict[str, AnalyteArrays] | None = None,
) -> list[PanelData]:
    """Every panel the patient has results for; pass `arrays` made earlier to skip the rows."""
    arrays = analyte_arrays(labs) if arrays is None else arrays
    out = []
    for panel in PANELS:
        data = build_panel(panel, arrays, system=system, times_uln=times_uln, criteria=criteria)
        if data is not None:
            out.append(data)
    return out
