"""Builds lab files for the robustness tests and counts what a database holds per batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from irae_desktop.store.models import LabResult, Patient

START = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
HEADER = "mrn,patient_name,collected_at,test,value,unit,uln\n"


def write_lab_csv(path: Path, prefix: str, patients: int, rows_each: int) -> int:
    """A clean long-layout file: `patients` new patients named after `prefix`; returns rows."""
    lines = [HEADER]
    for p in range(patients):
        for r in range(rows_each):
            at = (START + timedelta(hours=6 * r)).strftime("%Y-%m-%dT%H:%M:%SZ")
            test = ("ALT", "AST", "TBILI")[r % 3]
            value = f"{20 + (p * 7 + r) % 400}" if test != "TBILI" else f"{0.3 + r % 20 / 10:.1f}"
            unit, uln = ("mg/dL", "1.2") if test == "TBILI" else ("U/L", "40")
            lines.append(f"{prefix}-{p},Person {prefix} {p},{at},{test},{value},{unit},{uln}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return patients * rows_each


def counts_by_prefix(engine: Engine, prefixes: list[str]) -> dict[str, tuple[int, int]]:
    """(patients, lab results) whose MRN starts with each prefix."""
    found: dict[str, tuple[int, int]] = {}
    with engine.connect() as conn:
        for prefix in prefixes:
            like = Patient.mrn.like(f"{prefix}-%")
            patients = conn.scalar(select(func.count()).select_from(Patient).where(like))
            labs = conn.scalar(
                select(func.count()).select_from(LabResult).join(Patient).where(like)
            )
            found[prefix] = (int(patients or 0), int(labs or 0))
    return found


def plain_engine(url: str) -> Engine:
    return create_engine(url)
