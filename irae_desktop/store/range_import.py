"""The site's default reference ranges as a CSV file: read and checked whole, then written all
at once with every affected stored result regraded in the same audited transaction."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.domain.analytes import ANALYTES, lookup_analyte
from irae_desktop.domain.units import UnitError, to_canonical, unit_for
from irae_desktop.domain.values import ValueTextError, parse_result_text
from irae_desktop.store.audit import record_event
from irae_desktop.store.errors import StoreError
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.models import LabResult
from irae_desktop.store.settings import SEXES, list_site_ranges, set_site_range

COLUMNS = ("analyte", "sex", "lln", "uln", "unit")


class RangeFileError(StoreError):
    """The file has problems; `problems` lists each with its line. Nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class SiteRange:
    """One site default range in the analyte's canonical unit."""

    analyte: str
    sex: str
    lln: float | None
    uln: float | None
    unit: str


@dataclass(frozen=True, slots=True)
class RangeImport:
    ranges: int
    results_regraded: int


def site_range_records(session: Session) -> list[SiteRange]:
    return [SiteRange(r.analyte, r.sex, r.lln, r.uln, r.unit) for r in list_site_ranges(session)]


def _limit(text: str, what: str) -> float | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        value, comparator = parse_result_text(cleaned)
    except ValueTextError as exc:
        raise ValueError(f"{what} {cleaned!r} is not a number ({exc})") from exc
    if comparator or not math.isfinite(value):
        raise ValueError(f"{what} {cleaned!r} is not a plain number")
    if value < 0:
        raise ValueError(f"{what} {cleaned} is negative")
    return value


def _row(cells: dict[str, str]) -> SiteRange:
    text = cells.get("analyte", "").strip()
    analyte = ANALYTES.get(text.upper()) or lookup_analyte(text)
    if analyte is None:
        raise ValueError(f"unknown analyte {text!r} (known: {', '.join(ANALYTES)})")
    sex = cells.get("sex", "").strip().upper()
    if sex not in SEXES:
        raise ValueError(f"sex {cells.get('sex', '').strip()!r} is not F, M or empty for both")
    lln = _limit(cells.get("lln", ""), "lln")
    uln = _limit(cells.get("uln", ""), "uln")
    if lln is None and uln is None:
        raise ValueError("neither lln nor uln is given")
    unit_text = cells.get("unit", "").strip()
    try:
        unit = unit_for(analyte.code, unit_text) if unit_text else analyte.canonical_unit
        low = None if lln is None else to_canonical(analyte.code, lln, unit)
        high = None if uln is None else to_canonical(analyte.code, uln, unit)
    except UnitError as exc:
        raise ValueError(f"{analyte.code}: {exc}") from exc
    if low is not None and high is not None and low >= high:
        raise ValueError(f"lln {lln:g} is not below uln {uln:g}")
    return SiteRange(analyte.code, sex, low, high, analyte.canonical_unit)


def read_ranges_csv(text: str) -> list[SiteRange]:
    """Every row checked; RangeFileError listing each problem with its line number."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        raise RangeFileError(["the file is empty: it needs the header " + ",".join(COLUMNS)])
    names = [h.strip().lower() for h in header]
    missing = [c for c in ("analyte", "lln", "uln") if c not in names]
    if missing:
        raise RangeFileError([f"line 1: the header has no {', '.join(missing)} column"])
    out: list[SiteRange] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells_list in enumerate(reader, start=2):
        if not any(c.strip() for c in cells_list):
            continue
        cells = {n: (cells_list[i] if i < len(cells_list) else "") for i, n in enumerate(names)}
        try:
            row = _row(cells)
        except ValueError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        key = (row.analyte, row.sex)
        if key in seen:
            problems.append(
                f"line {line}: {row.analyte} {row.sex or 'both sexes'} repeats line {seen[key]}"
            )
            continue
        seen[key] = line
        out.append(row)
    if problems:
        raise RangeFileError(problems)
    if not out:
        raise RangeFileError(["the file has no ranges"])
    return out


def import_site_ranges(
    session: Session, user: str, ranges: list[SiteRange], file_name: str
) -> RangeImport:
    """Writes every range (each audited) and regrades the results of the analytes they cover,
    in the caller's transaction: all or nothing."""
    for r in ranges:
        set_site_range(session, user, r.analyte, lln=r.lln, uln=r.uln, unit=r.unit, sex=r.sex)
    codes = sorted({r.analyte for r in ranges})
    patients = list(
        session.scalars(select(LabResult.patient_id).where(LabResult.analyte.in_(codes)).distinct())
    )
    changed = regrade_patients(session, patients)
    record_event(
        session,
        user=user,
        action="import",
        entity="site_reference_range",
        after={"file": file_name, "ranges": len(ranges), "results_regraded": changed},
        reason=f"site reference ranges from {file_name}; {', '.join(codes)} regraded",
    )
    return RangeImport(len(ranges), changed)
