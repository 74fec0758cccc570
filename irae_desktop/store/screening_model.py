"""The table of infection screening results (latent tuberculosis and hepatitis B tests), kept
beside store/models.py, which imports it so that Base.metadata holds it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from irae_desktop.domain.timeline import SCREENING_RESULTS, SCREENING_TESTS
from irae_desktop.store.model_base import Base, one_of
from irae_desktop.store.types import UTCDateTime, utcnow


class ScreeningResult(Base):
    """One screening test's result for a patient on the day it was taken, typed in the window or
    imported (its file and line kept). A deleted result stays, out of every list, so that an
    import of the same file does not bring it back unseen; the audit trail keeps who and why.
    Migration 0013_screening_results writes the same table out."""

    __tablename__ = "screening_results"
    __table_args__ = (
        one_of("test", tuple(SCREENING_TESTS)),
        one_of("result", SCREENING_RESULTS),
        # one standing result per test and day: `standing` is NULL once a result is deleted,
        # and NULLs never clash in a unique constraint (SQLite and PostgreSQL alike), so a
        # deleted result leaves its test and day free
        UniqueConstraint(
            "patient_id", "test", "taken_on", "standing", name="uq_screening_results_standing"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the unique constraint above leads with patient_id: it serves a patient's look-ups too
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    # a key of domain.timeline.SCREENING_TESTS
    test: Mapped[str] = mapped_column(String(16))
    taken_on: Mapped[date] = mapped_column(Date)
    # one of domain.timeline.SCREENING_RESULTS
    result: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(500))
    # True while the result stands; NULL once deleted (see the unique constraint)
    standing: Mapped[bool | None] = mapped_column(Boolean, default=True)
    deleted_reason: Mapped[str | None] = mapped_column(String(500))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )
    source_file: Mapped[str | None] = mapped_column(String(500))
    # the line of the file, or the HL7 message and OBX, or the FHIR resource
    source_ref: Mapped[str | None] = mapped_column(String(200))
    # who typed it, or who ran the import
    entered_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
