"""What the loading thread hands the patient view: the snapshot and the plots' arrays (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

from irae_desktop.store.database import Database
from irae_desktop.ui.patient.snapshot import PatientSnapshot, load_snapshot
from irae_desktop.ui.patient.trends_data import AnalyteArrays, analyte_arrays


@dataclass(frozen=True, slots=True)
class LoadedPatient:
    snapshot: PatientSnapshot
    # every analyte's results as arrays: the per-result work of the plots, done off the GUI
    # thread so that opening (and switching units) only hands finished arrays to pyqtgraph
    arrays: dict[str, AnalyteArrays]


def load_patient(db: Database, patient_id: int) -> LoadedPatient:
    """Runs on a worker thread: reads the patient and prepares what the plots draw."""
    snapshot = load_snapshot(db, patient_id)
    return LoadedPatient(snapshot, analyte_arrays(snapshot.labs))
