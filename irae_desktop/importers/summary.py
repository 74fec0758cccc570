"""The outcome of importing one file: counts, and rejected rows and warnings with where and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# beyond this many, problems are counted but not listed (a million bad rows must not fill memory)
MAX_LISTED = 500


@dataclass(frozen=True, slots=True)
class RowIssue:
    ref: str
    column: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"where": self.ref, "column": self.column, "reason": self.reason}


@dataclass
class ImportSummary:
    file: str
    format: str = ""
    layout: str = ""
    timezone: str = ""
    dry_run: bool = False
    # a file of treatment lines or doses given (its held rows are treatment rows)
    treatments: bool = False
    batch_id: int | None = None
    rows_read: int = 0
    imported: int = 0
    # roster rows whose patient was created, updated or already as stored
    roster_taken: int = 0
    duplicates: int = 0
    corrected: int = 0
    unmatched: int = 0
    not_tracked: int = 0
    rejected_count: int = 0
    warning_count: int = 0
    patients_created: int = 0
    patients_updated: int = 0
    rejected: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    not_tracked_tests: Counter[str] = field(default_factory=Counter)
    # set when the whole file could not be imported (nothing was written)
    error: str = ""
    cancelled: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(self.error or self.rejected_count)

    def start_again(self) -> None:
        """Forgets what a rolled-back attempt counted, before the file is read again."""
        fresh = ImportSummary(file=self.file, timezone=self.timezone, dry_run=self.dry_run)
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))

    @property
    def unaccounted(self) -> int:
        """Rows read that no count below holds (0 when every row is accounted for)."""
        return self.rows_read - (
            self.imported
            + self.corrected
            + self.roster_taken
            + self.not_tracked
            + self.unmatched
            + self.rejected_count
            + self.duplicates
        )

    @property
    def all_taken(self) -> bool:
        """Whether everything the file holds for this program is stored: nothing failed, held,
        rejected or unaccounted for (duplicates are already stored). Tests the program does not
        track (a panel's sodium) are counted, not failures; a file of nothing but such tests,
        from which nothing at all was taken, is one: its test names may be ones not yet known."""
        nothing_taken = self.imported + self.corrected + self.roster_taken + self.duplicates == 0
        return not (
            self.error
            or self.cancelled
            or self.rejected_count
            or (self.not_tracked and nothing_taken)
            or self.unmatched
            or self.unaccounted
        )

    def accounting(self) -> str:
        """One line that accounts for every row read."""
        parts = [
            f"{self.imported} imported",
            *([f"{self.corrected} corrections"] if self.corrected else []),
            *([f"{self.roster_taken} roster rows taken"] if self.roster_taken else []),
            f"{self.not_tracked} skipped",
            f"{self.unmatched} held",
            f"{self.rejected_count} rejected",
            f"{self.duplicates} duplicates",
        ]
        line = f"{self.rows_read} rows read = " + " + ".join(parts)
        if self.unaccounted:
            line += f"; {self.unaccounted} rows NOT accounted for"
        noted = "1 warning" if self.warning_count == 1 else f"{self.warning_count} warnings"
        return line + f" ({noted} noted separately)"

    def reject(self, ref: str, column: str, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_LISTED:
            self.rejected.append(RowIssue(ref, column, reason))

    def warn(self, ref: str, reason: str, column: str = "") -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append(RowIssue(ref, column, reason))

    def warn_results(self, ref: str, reason: str, results: int) -> None:
        """One listed warning that counts `results` results (those stored without a grade)."""
        self.warning_count += results
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append(RowIssue(ref, "", reason))

    def skip_untracked(self, test: str) -> None:
        self.not_tracked += 1
        key = test or "(no test name)"
        if len(self.not_tracked_tests) < MAX_LISTED or key in self.not_tracked_tests:
            self.not_tracked_tests[key] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "layout": self.layout,
            "timezone": self.timezone,
            "dry_run": self.dry_run,
            "batch_id": self.batch_id,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "roster_taken": self.roster_taken,
            "duplicates": self.duplicates,
            "corrected": self.corrected,
            "unmatched": self.unmatched,
            "not_tracked": self.not_tracked,
            "rejected_count": self.rejected_count,
            "unaccounted": self.unaccounted,
            "all_taken": self.all_taken,
            "accounting": self.accounting(),
            "warning_count": self.warning_count,
            "patients_created": self.patients_created,
            "patients_updated": self.patients_updated,
            "rejected": [r.as_dict() for r in self.rejected],
            "warnings": [w.as_dict() for w in self.warnings],
            "not_tracked_tests": dict(self.not_tracked_tests.most_common()),
            "error": self.error,
            "cancelled": self.cancelled,
        }

    def counts(self) -> dict[str, int]:
        return {
            "rows_read": self.rows_read,
            "imported": self.imported,
            "roster_taken": self.roster_taken,
            "duplicates": self.duplicates,
            "corrected": self.corrected,
            "unmatched": self.unmatched,
            "not_tracked": self.not_tracked,
            "rejected": self.rejected_count,
            "unaccounted": self.unaccounted,
            "warnings": self.warning_count,
            "patients_created": self.patients_created,
            "patients_updated": self.patients_updated,
        }

    def to_text(self, *, max_lines: int = 50) -> str:
        """A plain-language report for the terminal or a message box."""
        head = f"{self.file}"
        if self.error:
            return f"{head}: not imported: {self.error}"
        mode = " (dry run: nothing was written)" if self.dry_run else ""
        if self.cancelled:
            mode = " (cancelled: nothing was written)"
        lines = [
            f"{head} [{self.format}{', ' + self.layout if self.layout else ''}; naive times read "
            f"as {self.timezone}]{mode}",
            f"  rows read: {self.rows_read}",
            f"  imported: {self.imported}",
            f"  duplicates skipped: {self.duplicates}",
            f"  corrected: {self.corrected}",
            f"  unmatched (held for assignment): {self.unmatched}",
            f"  not a tracked lab (skipped): {self.not_tracked}",
            f"  rejected: {self.rejected_count}",
            f"  warnings: {self.warning_count}",
            f"  patients created: {self.patients_created}, updated: {self.patients_updated}",
            f"  accounted for: {self.accounting()}",
        ]
        if self.not_tracked_tests:
            top = ", ".join(f"{name} ({n})" for name, n in self.not_tracked_tests.most_common(8))
            lines.append(f"  tests not tracked: {top}")
        for issue in self.rejected[:max_lines]:
            where = f"{issue.ref}" + (f", column {issue.column}" if issue.column else "")
            lines.append(f"  rejected {where}: {issue.reason}")
        if self.rejected_count > min(len(self.rejected), max_lines):
            lines.append(
                f"  ... and {self.rejected_count - min(len(self.rejected), max_lines)} more "
                "rejected"
            )
        for issue in self.warnings[:max_lines]:
            lines.append(f"  warning {issue.ref}: {issue.reason}")
        if self.warning_count > min(len(self.warnings), max_lines):
            lines.append(
                f"  ... and {self.warning_count - min(len(self.warnings), max_lines)} more warnings"
            )
        return "\n".join(lines)
