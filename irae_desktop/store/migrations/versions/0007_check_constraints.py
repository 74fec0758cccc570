"""CHECK constraints: statuses, categories, comparators, sexes and grades hold only known values.

Until now any text fitted these columns, so a value no code understands (a status "Final", a
grade 7) would be stored and then read as something else, or as nothing. Before the
constraints are added, values written in another spelling of a known value are rewritten to
it ("Final" and " final" are "final", "=<" is "<=", "f" is "F"); a value that names nothing
known stops the upgrade with a message naming the table, column, values and row count, and
the database stays as it was before this revision (it runs in one transaction). Nothing is
guessed.

The values are written out here, not imported, so that this script keeps meaning what it
meant when it shipped; store.models declares the same constraints and
tests/store/test_schema_agrees.py checks the two agree.

The downgrade drops the constraints; rewritten spellings stay rewritten (valid there too).

Revision ID: 0007_check_constraints
Revises: 0005
Create Date: 2026-12-04 09:30:00
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from alembic import op

revision = "0007_check_constraints"
# the one line to change when the revision before this one changes
down_revision = "0006_held_treatments"
branch_labels = None
depends_on = None

_LAB_STATUSES = ("final", "preliminary", "corrected", "entered-in-error", "needs_review")
_COMPARATORS = ("", "<", "<=", ">", ">=")
_SEXES = ("F", "M", "O", "U")


def _one_of(column: str, values: tuple[str, ...], *, nullable: bool = False) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    test = f"{column} IN ({listed})"
    return f"{column} IS NULL OR {test}" if nullable else test


def _grade(column: str) -> str:
    # CTCAE grades 1-5, and 0 for a result within its range
    return f"{column} IS NULL OR ({column} >= 0 AND {column} <= 5)"


# table -> (constraint name without the "ck_<table>_" prefix, condition)
CHECKS: dict[str, tuple[tuple[str, str], ...]] = {
    "patients": (
        ("status", _one_of("status", ("active", "signed_off"))),
        ("sex", _one_of("sex", _SEXES, nullable=True)),
    ),
    "lab_results": (
        ("status", _one_of("status", _LAB_STATUSES)),
        ("comparator", _one_of("comparator", _COMPARATORS)),
        ("grade", _grade("grade")),
    ),
    "lab_latest": (("grade", _grade("grade")),),
    "lab_summary": (
        ("liver_grade", _grade("liver_grade")),
        ("glucose_grade", _grade("glucose_grade")),
    ),
    "treatment_lines": (
        ("category", _one_of("category", ("ici", "immunosuppression", "insulin", "other"))),
    ),
    "irae_episodes": (
        ("status", _one_of("status", ("active", "improving", "resolved"))),
        ("grade", _grade("grade")),
    ),
    "unmatched_lab_rows": (("comparator", _one_of("comparator", _COMPARATORS)),),
    "site_reference_ranges": (("sex", _one_of("sex", ("", "F", "M"))),),
}

# other spellings of known values, after trimming (keys lower case unless they are symbols)
_COMPARATOR_SPELLINGS = {"=<": "<=", "≤": "<=", "=>": ">=", "≥": ">=", "=": ""}
# a patient's sex left blank is not known: NULL, as the program writes it
_SEX_SPELLINGS = {"": None, "female": "F", "male": "M", "other": "O", "unknown": "U"}
# (table, column) -> (how a stored value is read, the known values)
_TEXT_COLUMNS: dict[tuple[str, str], tuple[str, Mapping[str, str | None], tuple[str, ...]]] = {
    ("patients", "status"): (
        "lower",
        {"signed off": "signed_off", "signed-off": "signed_off"},
        ("active", "signed_off"),
    ),
    ("patients", "sex"): ("upper", _SEX_SPELLINGS, _SEXES),
    ("lab_results", "status"): (
        "lower",
        {
            "entered in error": "entered-in-error",
            "entered_in_error": "entered-in-error",
            "needs review": "needs_review",
            "needs-review": "needs_review",
        },
        _LAB_STATUSES,
    ),
    ("lab_results", "comparator"): ("as is", _COMPARATOR_SPELLINGS, _COMPARATORS),
    ("unmatched_lab_rows", "comparator"): ("as is", _COMPARATOR_SPELLINGS, _COMPARATORS),
    ("treatment_lines", "category"): (
        "lower",
        {},
        ("ici", "immunosuppression", "insulin", "other"),
    ),
    ("irae_episodes", "status"): ("lower", {}, ("active", "improving", "resolved")),
    ("site_reference_ranges", "sex"): (
        "upper",
        {"any": "", "female": "F", "male": "M"},
        ("", "F", "M"),
    ),
}
_GRADE_COLUMNS = (
    ("lab_results", "grade"),
    ("lab_latest", "grade"),
    ("lab_summary", "liver_grade"),
    ("lab_summary", "glucose_grade"),
    ("irae_episodes", "grade"),
)


class UnknownStoredValues(RuntimeError):
    """Stored values that name nothing the program knows: the upgrade cannot go on."""


_UNKNOWN = "\0unknown"


def _known_spelling(
    value: str, case: str, spellings: Mapping[str, str | None], known: tuple[str, ...]
) -> str | None:
    """The known value `value` spells (None: NULL), or _UNKNOWN."""
    trimmed = value.strip()
    if trimmed in known:
        return trimmed
    lowered = trimmed.lower()
    if lowered in spellings:
        return spellings[lowered]
    cased = lowered if case == "lower" else trimmed.upper() if case == "upper" else trimmed
    if cased in known:
        return cased
    return spellings.get(cased, _UNKNOWN)


def _normalise_text(bind: sa.Connection, table: str, column: str) -> list[str]:
    case, spellings, known = _TEXT_COLUMNS[(table, column)]
    col = sa.column(column, sa.String)
    target = sa.table(table, col)
    found = bind.execute(
        sa.select(col, sa.func.count()).where(col.is_not(None), col.not_in(known)).group_by(col)
    ).all()
    unknown: list[str] = []
    for value, count in found:
        fixed = _known_spelling(str(value), case, spellings, known)
        if fixed == _UNKNOWN:
            unknown.append(f"{value!r} ({count} rows)")
            continue
        bind.execute(sa.update(target).where(col == value).values({column: fixed}))
    if unknown:
        return [f"{table}.{column}: {', '.join(unknown)}; expected one of {', '.join(known)}"]
    return []


def _check_grades(bind: sa.Connection, table: str, column: str) -> list[str]:
    col = sa.column(column, sa.Integer)
    found = bind.execute(
        sa.select(col, sa.func.count())
        .select_from(sa.table(table, col))
        .where(col.is_not(None), sa.or_(col < 0, col > 5))
        .group_by(col)
    ).all()
    if not found:
        return []
    listed = ", ".join(f"{value} ({count} rows)" for value, count in found)
    return [f"{table}.{column}: {listed}; a grade is 0 to 5 or empty"]


def _name(table: str, name: str) -> str:
    # op.f: the full name as written, never passed through a naming convention again
    return op.f(f"ck_{table}_{name}")


def upgrade() -> None:
    bind = op.get_bind()
    problems: list[str] = []
    for table, column in _TEXT_COLUMNS:
        problems += _normalise_text(bind, table, column)
    for table, column in _GRADE_COLUMNS:
        problems += _check_grades(bind, table, column)
    if problems:
        raise UnknownStoredValues(
            "The database holds values this version does not know, so it was not upgraded "
            "and nothing was changed: " + "; ".join(problems) + ". Correct them (or ask the "
            "team that looks after the database to) and start again."
        )
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        # batch mode copies lab_results into a new table; SQLite's copy of a partial index
        # is not guaranteed to keep its WHERE clause, so the index is made again below
        op.drop_index("ix_lab_results_corrected", table_name="lab_results")
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, condition in checks:
                batch.create_check_constraint(_name(table, name), sa.text(condition))
    if sqlite:
        _corrected_index()
        _check_foreign_keys()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.drop_index("ix_lab_results_corrected", table_name="lab_results")
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, _condition in checks:
                batch.drop_constraint(_name(table, name), type_="check")
    if sqlite:
        _corrected_index()
        _check_foreign_keys()


def _check_foreign_keys() -> None:
    """SQLite copies tables with foreign keys off (migrations/env.py): before this revision
    commits, every row must still point at its parent."""
    broken = op.get_bind().execute(sa.text("PRAGMA foreign_key_check")).all()
    if broken:
        raise RuntimeError(f"the copy of the tables left rows without their parent: {broken[:5]}")


def _corrected_index() -> None:
    op.create_index(
        "ix_lab_results_corrected",
        "lab_results",
        ["patient_id", "analyte", "collected_at"],
        sqlite_where=sa.text("status = 'corrected'"),
    )
