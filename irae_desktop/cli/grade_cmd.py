"""`irae-desktop grade INPUT.csv [-o OUTPUT.csv]`: grades rows of a CSV file, no database needed."""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from irae_desktop.cli.common import EXIT_INPUT_ERRORS, EXIT_OK, EXIT_USAGE
from irae_desktop.domain.criteria import DEFAULT_CRITERIA, CriteriaError
from irae_desktop.domain.grade_display import result_grade_text
from irae_desktop.domain.grade_parts import fmt_number, is_close, resolve_analyte
from irae_desktop.domain.grading import GradingError, grade_value
from irae_desktop.domain.plausibility import Verdict, check_value
from irae_desktop.domain.units import UnitError, to_canonical
from irae_desktop.domain.values import ValueTextError, parse_result_text

COLUMNS = (
    "analyte",
    "value",
    "unit",
    "uln",
    "lln",
    "baseline",
    "baseline_uln",
    "baseline_abnormal",
    "criteria",
)
REQUIRED = ("analyte", "value", "unit")
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f", ""}


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "grade",
        help="grade lab values in a CSV file (no database needed)",
        description="Grades each row of INPUT.csv (columns: "
        + ", ".join(COLUMNS)
        + ") and writes the rows with three more columns: grade (the lowest certain grade), "
        "reason, and grade_shown (the grade as the app shows it, with the range a censored "
        "value spans, e.g. 'G0–1').",
    )
    parser.add_argument("input", metavar="INPUT.csv", help="CSV file with a header row")
    parser.add_argument(
        "-o", "--output", metavar="OUTPUT.csv", help="where to write (default: standard output)"
    )
    parser.set_defaults(run=run)


class _RowError(ValueError):
    pass


# reference ranges and baselines repeat on most rows: each spelling is read once
@lru_cache(maxsize=4096)
def _number(text: str, what: str, decimal_comma: bool | None) -> float | None:
    if not text.strip():
        return None
    try:
        value, comparator = parse_result_text(text, decimal_comma=decimal_comma)
    except ValueTextError as exc:
        raise _RowError(f"{what}: {exc}") from exc
    if comparator:
        raise _RowError(f"{what} {text.strip()!r} cannot carry a comparator")
    return value


@lru_cache(maxsize=64)
def _flag(text: str) -> bool | None:
    cleaned = text.strip().lower()
    if cleaned in ("",):
        return None
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    raise _RowError(f"baseline_abnormal {text.strip()!r} is not true or false")


def _checked_flag(
    flag: bool | None, baseline: float | None, baseline_uln: float | None
) -> tuple[bool | None, str]:
    """The baseline_abnormal flag to grade with, and a warning when it contradicts the numbers
    given beside it: then the numbers win (clinical reference, decision 3: abnormal means the
    baseline is above the ULN reported with it)."""
    if flag is None or baseline is None or baseline_uln is None:
        return flag, ""
    above = baseline > baseline_uln and not is_close(baseline, baseline_uln)
    if above == flag:
        return flag, ""
    said = "true" if flag else "false"
    relation = "above" if above else "not above"
    warning = (
        f"; warning: baseline_abnormal says {said} but baseline {fmt_number(baseline)} is "
        f"{relation} baseline_uln {fmt_number(baseline_uln)}: the numbers were used"
    )
    return None, warning


def grade_row(
    cells: dict[str, str], decimal_comma: bool | None = None
) -> tuple[str, str, bool, str]:
    """(grade, reason, ok, grade as shown) for one row; ok is False when the row itself is
    wrong."""
    try:
        value_text = cells.get("value", "")
        try:
            value, comparator = parse_result_text(value_text, decimal_comma=decimal_comma)
        except ValueTextError as exc:
            raise _RowError(str(exc)) from exc
        baseline = _number(cells.get("baseline", ""), "baseline", decimal_comma)
        baseline_uln = _number(cells.get("baseline_uln", ""), "baseline_uln", decimal_comma)
        flag, warning = _checked_flag(
            _flag(cells.get("baseline_abnormal", "")), baseline, baseline_uln
        )
        result = grade_value(
            cells.get("analyte", ""),
            value,
            comparator,
            cells.get("unit", ""),
            _number(cells.get("uln", ""), "uln", decimal_comma),
            _number(cells.get("lln", ""), "lln", decimal_comma),
            baseline=baseline,
            baseline_uln=baseline_uln,
            baseline_abnormal=flag,
            criteria_id=cells.get("criteria", "").strip() or DEFAULT_CRITERIA,
        )
        # clinical reference, decision 11: judged in the canonical unit, after grade_value
        # has checked analyte and unit
        code = resolve_analyte(cells.get("analyte", "")).code
        verdict, why = check_value(
            code, to_canonical(code, value, cells.get("unit", "")), comparator
        )
    except (_RowError, GradingError, UnitError, CriteriaError) as exc:
        return "", str(exc), False, ""
    if verdict is Verdict.IMPOSSIBLE:
        return "", why, False, ""
    if verdict is Verdict.NEEDS_REVIEW:
        return "", why, True, "needs review"
    grade = "" if result.grade is None else str(result.grade)
    shown = result_grade_text(result.grade, result.reason)
    if verdict is Verdict.UNUSUAL:
        return grade, f"{result.reason}{warning}; warning: {why}", True, shown
    return grade, result.reason + warning, True, shown


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _rows(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    for row in reader:
        if any(cell.strip() for cell in row):
            yield row


def _grade_stream(source: IO[str], sink: IO[str]) -> tuple[int, int]:
    """Grades every row from `source` into `sink`; (rows, rows with errors)."""
    first = source.readline()
    if not first.strip():
        raise _RowError("the input file is empty: it needs a header row")
    delimiter = _delimiter(first)
    # either decimal mark is read where the number is unambiguous ("12,5", "1,234.5")
    decimal_comma = None
    header = next(csv.reader([first], delimiter=delimiter))
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise _RowError(
            f"the header has no {', '.join(missing)} column (found: {', '.join(header)})"
        )
    index = {name: i for i, name in reversed(list(enumerate(names)))}
    out_header = list(header)
    grade_at = index.get("grade")
    reason_at = index.get("reason")
    shown_at = index.get("grade_shown")
    if grade_at is None:
        grade_at = len(out_header)
        out_header.append("grade")
    if reason_at is None:
        reason_at = len(out_header)
        out_header.append("reason")
    if shown_at is None:
        shown_at = len(out_header)
        out_header.append("grade_shown")
    writer = csv.writer(sink, delimiter=delimiter, lineterminator="\n")
    writer.writerow(out_header)
    width = len(out_header)
    count = errors = 0
    wanted = [(c, index[c]) for c in COLUMNS if c in index]
    for row in _rows(csv.reader(source, delimiter=delimiter)):
        count += 1
        cells = {c: (row[i] if i < len(row) else "") for c, i in wanted}
        grade, reason, ok, shown = grade_row(cells, decimal_comma)
        if not ok:
            errors += 1
        out = row + [""] * (width - len(row)) if len(row) < width else list(row)
        out[grade_at] = grade
        out[reason_at] = reason
        out[shown_at] = shown
        writer.writerow(out)
    return count, errors


def run(args: argparse.Namespace) -> int:
    path = Path(args.input)
    if not path.is_file():
        print(f"irae-desktop grade: no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with path.open(encoding="utf-8-sig", newline="") as source:
            if args.output:
                counts = _write_atomically(source, Path(args.output))
            else:
                counts = _grade_stream(source, sys.stdout)
    except _RowError as exc:
        print(f"irae-desktop grade: {path}: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERRORS
    except UnicodeDecodeError:
        print(f"irae-desktop grade: {path} is not a UTF-8 text file", file=sys.stderr)
        return EXIT_INPUT_ERRORS
    except csv.Error as exc:
        print(f"irae-desktop grade: {path} is not a readable CSV file: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERRORS
    rows, errors = counts
    if errors:
        print(
            f"irae-desktop grade: {errors} of {rows} rows could not be graded "
            "(see their reason column)",
            file=sys.stderr,
        )
        return EXIT_INPUT_ERRORS
    return EXIT_OK


def _write_atomically(source: IO[str], target: Path) -> tuple[int, int]:
    """Writes next to `target` and renames, so a failure never leaves half a file."""
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=".grade-", suffix=".csv", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as sink:
            counts = _grade_stream(source, sink)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return counts
