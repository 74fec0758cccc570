"""The typed SQLAlchemy 2 data model: patients, labs, treatments, episodes, notes, audit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from irae_desktop.domain.records import ResultStatus, Sex, TreatmentCategory
from irae_desktop.domain.values import COMPARATORS
from irae_desktop.store.model_base import Base as Base
from irae_desktop.store.model_base import grade_check, one_of
from irae_desktop.store.types import HistoryJSON, UTCDateTime, utcnow

# The values an enumerated column may hold, enforced by CHECK constraints (migrations
# 0007_check_constraints and 0008_checks_as_comparisons write the same ones out;
# tests/store/test_schema_agrees.py compares).
PATIENT_STATUSES = ("active", "signed_off")
EPISODE_STATUSES = ("active", "improving", "resolved")
# a site range for any sex (""), or for one
RANGE_SEXES = ("", "F", "M")


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (
        one_of("status", PATIENT_STATUSES),
        one_of("sex", tuple(Sex), nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mrn: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    weight_kg: Mapped[float | None] = mapped_column(Float)
    diagnosis: Mapped[str | None] = mapped_column(String(200))
    # "active" on the service, or "signed_off"
    status: Mapped[str] = mapped_column(String(16), default="active")
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    labs: Mapped[list[LabResult]] = relationship(back_populates="patient", passive_deletes=True)
    treatment_lines: Mapped[list[TreatmentLine]] = relationship(
        back_populates="patient", passive_deletes=True, order_by="TreatmentLine.start_date"
    )
    episodes: Mapped[list[IrAEEpisode]] = relationship(
        back_populates="patient", passive_deletes=True, order_by="IrAEEpisode.onset"
    )
    notes: Mapped[list[ConsultNote]] = relationship(
        back_populates="patient", passive_deletes=True, order_by="ConsultNote.written_at"
    )

    __mapper_args__ = {"version_id_col": version}


class ImportBatch(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(32))
    layout: Mapped[str | None] = mapped_column(String(64))
    # the zone used to read naive times in the file (docs/architecture.md: recorded on the batch)
    timezone: Mapped[str] = mapped_column(String(64))
    imported_by: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    corrected: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    unmatched: Mapped[int] = mapped_column(Integer, default=0)
    summary_json: Mapped[str | None] = mapped_column(Text)


class LabResult(Base):
    __tablename__ = "lab_results"
    __table_args__ = (
        # the identity used to skip re-imported results: same patient, analyte, time and value
        UniqueConstraint(
            "patient_id",
            "analyte",
            "collected_at",
            "value",
            "comparator",
            name="uq_lab_results_identity",
        ),
        # the identity index above also serves look-ups by patient, analyte and time; corrected
        # results are few, and an import looks them up (see store.lab_writer). Migration 0004
        # makes this index partial on PostgreSQL too; naming postgresql_where here would import
        # that dialect on every start
        Index(
            "ix_lab_results_corrected",
            "patient_id",
            "analyte",
            "collected_at",
            sqlite_where=text("status = 'corrected'"),
        ),
        one_of("status", tuple(ResultStatus)),
        one_of("comparator", COMPARATORS),
        grade_check("grade"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    analyte: Mapped[str] = mapped_column(String(32))
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    value: Mapped[float] = mapped_column(Float)
    # "" for an exact value, else "<", "<=", ">", ">=" (censored result; value is the bound)
    comparator: Mapped[str] = mapped_column(String(2), default="")
    unit: Mapped[str] = mapped_column(String(32))
    original_text: Mapped[str] = mapped_column(String(100), default="")
    original_unit: Mapped[str] = mapped_column(String(32), default="")
    lln: Mapped[float | None] = mapped_column(Float)
    uln: Mapped[float | None] = mapped_column(Float)
    abnormal_flag: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(20), default="final")
    grade: Mapped[int | None] = mapped_column(Integer)
    grade_criteria: Mapped[str | None] = mapped_column(String(32))
    grade_reason: Mapped[str | None] = mapped_column(String(300))
    is_baseline: Mapped[bool] = mapped_column(Boolean, default=False)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )
    source_file: Mapped[str | None] = mapped_column(String(500))
    # line number, HL7 message control id + OBX set id, or FHIR resource id
    source_ref: Mapped[str | None] = mapped_column(String(200))
    entered_by: Mapped[str | None] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer, default=1)

    patient: Mapped[Patient] = relationship(back_populates="labs")

    __mapper_args__ = {"version_id_col": version}


class LabLatest(Base):
    """Per patient and analyte, the latest result not entered in error (store.lab_latest keeps
    it current), so the worklist reads a row per pair instead of searching every result."""

    __tablename__ = "lab_latest"
    __table_args__ = (grade_check("grade"), grade_check("last_graded_grade"))

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True
    )
    analyte: Mapped[str] = mapped_column(String(32), primary_key=True)
    # no foreign key: the refresh, not a per-row check on every lab delete, keeps it right
    lab_result_id: Mapped[int] = mapped_column(Integer)
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    grade: Mapped[int | None] = mapped_column(Integer)
    # the pair's last graded result not entered in error (the latest itself when it is
    # graded; NULL when none is): what the worklist shows beside an ungraded latest result
    # (decision 12) without searching lab_results at start-up
    last_graded_grade: Mapped[int | None] = mapped_column(Integer)
    last_graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LabSummary(Base):
    """Per patient, from lab_latest: the last lab time and, per organ of store.organs, the worst
    current grade with its analyte and time (NULL when none is graded). One row per patient
    with a valid result, so the worklist reads a row per patient."""

    __tablename__ = "lab_summary"
    __table_args__ = (grade_check("liver_grade"), grade_check("glucose_grade"))

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True
    )
    last_lab_at: Mapped[datetime] = mapped_column(UTCDateTime)
    liver_analyte: Mapped[str | None] = mapped_column(String(32))
    liver_grade: Mapped[int | None] = mapped_column(Integer)
    liver_collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    glucose_analyte: Mapped[str | None] = mapped_column(String(32))
    glucose_grade: Mapped[int | None] = mapped_column(Integer)
    glucose_collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TreatmentLine(Base):
    __tablename__ = "treatment_lines"
    __table_args__ = (one_of("category", tuple(TreatmentCategory)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    # domain.records.TreatmentCategory: ici, immunosuppression, insulin, other
    category: Mapped[str] = mapped_column(String(24))
    agent: Mapped[str] = mapped_column(String(120))
    dose: Mapped[float | None] = mapped_column(Float)
    dose_unit: Mapped[str | None] = mapped_column(String(24))
    frequency: Mapped[str | None] = mapped_column(String(40))
    route: Mapped[str | None] = mapped_column(String(24))
    start_date: Mapped[date] = mapped_column(Date)
    stop_date: Mapped[date | None] = mapped_column(Date)
    indication: Mapped[str | None] = mapped_column(String(120))
    reason_stopped: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    patient: Mapped[Patient] = relationship(back_populates="treatment_lines")
    dose_steps: Mapped[list[DoseStep]] = relationship(
        back_populates="line", cascade="all, delete-orphan", order_by="DoseStep.start_date"
    )
    holds: Mapped[list[TreatmentHold]] = relationship(
        back_populates="line", cascade="all, delete-orphan", order_by="TreatmentHold.start_date"
    )

    __mapper_args__ = {"version_id_col": version}


class DoseStep(Base):
    """A dated dose of a line: a taper step for a daily drug, or one infusion for an ICI."""

    __tablename__ = "dose_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_lines.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    dose: Mapped[float] = mapped_column(Float)
    dose_unit: Mapped[str] = mapped_column(String(24))
    frequency: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(200))

    line: Mapped[TreatmentLine] = relationship(back_populates="dose_steps")


class TreatmentHold(Base):
    __tablename__ = "treatment_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_lines.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))

    line: Mapped[TreatmentLine] = relationship(back_populates="holds")


class IrAEEpisode(Base):
    __tablename__ = "irae_episodes"
    __table_args__ = (one_of("status", EPISODE_STATUSES), grade_check("grade"))

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    # hepatitis, diabetes, colitis, ... (free text allowed beyond the list in the UI)
    organ: Mapped[str] = mapped_column(String(60))
    onset: Mapped[date] = mapped_column(Date)
    resolution: Mapped[date | None] = mapped_column(Date)
    grade: Mapped[int | None] = mapped_column(Integer)
    # active, improving, resolved
    status: Mapped[str] = mapped_column(String(16), default="active")
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    patient: Mapped[Patient] = relationship(back_populates="episodes")

    __mapper_args__ = {"version_id_col": version}


class ConsultNote(Base):
    __tablename__ = "consult_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    patient: Mapped[Patient] = relationship(back_populates="notes")

    __mapper_args__ = {"version_id_col": version}


class BaselineOverride(Base):
    """A clinician's chosen baseline for one analyte, replacing the automatic one.

    Clinical reference, decision 3.
    """

    __tablename__ = "baseline_overrides"
    __table_args__ = (UniqueConstraint("patient_id", "analyte", name="uq_baseline_override"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    analyte: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    uln: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(300))
    set_by: Mapped[str] = mapped_column(String(120))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertAcknowledgement(Base):
    __tablename__ = "alert_acknowledgements"
    __table_args__ = (UniqueConstraint("patient_id", "alert_key", name="uq_alert_ack"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    # stable identity of one alert occurrence: kind + the evidence it rests on
    alert_key: Mapped[str] = mapped_column(String(200))
    acknowledged_by: Mapped[str] = mapped_column(String(120))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(String(500))


class UnmatchedLabRow(Base):
    """A result for an MRN that matched no patient, from a file without demographics to add one."""

    __tablename__ = "unmatched_lab_rows"
    __table_args__ = (one_of("comparator", COMPARATORS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )
    mrn: Mapped[str] = mapped_column(String(64), index=True)
    analyte: Mapped[str] = mapped_column(String(32))
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    value: Mapped[float] = mapped_column(Float)
    comparator: Mapped[str] = mapped_column(String(2), default="")
    unit: Mapped[str] = mapped_column(String(32))
    record_json: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(String(500))
    source_ref: Mapped[str | None] = mapped_column(String(200))


class HeldTreatmentRow(Base):
    """A treatment row for an MRN that matched no patient: a whole line (kind "line") or one
    dose given (kind "given"), kept as read until someone assigns or discards it."""

    __tablename__ = "held_treatment_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )
    mrn: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    agent: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date] = mapped_column(Date)
    # what the row says, without where it was read: the same row from a second import of the
    # file (or from another file) is held once
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    record_json: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(String(500))
    source_ref: Mapped[str | None] = mapped_column(String(200))
    # set once the row is assigned: kept so that importing the file again, its MRN still
    # unknown, does not hold the row a second time (a dropped row is deleted: it comes back)
    assigned_mrn: Mapped[str | None] = mapped_column(String(64))


class SiteReferenceRange(Base):
    """The site default range for an analyte, used when a result arrives without one."""

    __tablename__ = "site_reference_ranges"
    __table_args__ = (
        UniqueConstraint("analyte", "sex", name="uq_site_range"),
        one_of("sex", RANGE_SEXES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    analyte: Mapped[str] = mapped_column(String(32))
    # "" applies to any sex; "F"/"M" override it
    sex: Mapped[str] = mapped_column(String(1), default="")
    lln: Mapped[float | None] = mapped_column(Float)
    uln: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))


class AppSetting(Base):
    """Team-wide settings stored with the data (criteria set, alert thresholds, paper size)."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)


class MappingProfile(Base):
    """A saved column mapping for a CSV layout that is not recognised automatically."""

    __tablename__ = "mapping_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    mapping_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(Base):
    """Append-only trail of every change, correction, acknowledgement, import and export."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_patient_at", "patient_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # on PostgreSQL the login (session_user), set by a trigger whatever the client sends;
    # on SQLite the operating-system user
    user: Mapped[str] = mapped_column(String(120), index=True)
    # the name the client gave when it differs from `user` (IRAE_USER, or on PostgreSQL the
    # client's operating-system user): kept beside the user, never in its place
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    # create, update, delete, correct, acknowledge, import, export, print, backup, ...
    action: Mapped[str] = mapped_column(String(24))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    # no foreign key: the trail outlives a deleted patient
    patient_id: Mapped[int | None] = mapped_column(Integer)
    patient_mrn: Mapped[str | None] = mapped_column(String(64))
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(String(500))
    # PostgreSQL: the transaction (txid_current()) that wrote it, set by the database, so an
    # event is matched with the row history the same transaction left
    transaction_id: Mapped[int | None] = mapped_column(BigInteger)


_JSON = HistoryJSON()


class RowHistory(Base):
    """Every insert, update and delete of a clinical row, written by the database's own triggers
    on PostgreSQL (migration 0011), whichever client made it; append-only. Empty on SQLite."""

    __tablename__ = "row_history"
    __table_args__ = (Index("ix_row_history_table_row", "table_name", "row_key"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    db_user: Mapped[str] = mapped_column(String(120))  # session_user: the login
    table_name: Mapped[str] = mapped_column(String(63))
    operation: Mapped[str] = mapped_column(String(6))  # insert, update, delete
    row_key: Mapped[str | None] = mapped_column(String(120))  # the row's primary key as text
    old_values: Mapped[dict[str, Any] | None] = mapped_column(_JSON)
    new_values: Mapped[dict[str, Any] | None] = mapped_column(_JSON)
    transaction_id: Mapped[int | None] = mapped_column(BigInteger, index=True)


# the later aggregates' tables, kept in modules of their own, join Base.metadata here
from irae_desktop.store.screening_model import ScreeningResult as ScreeningResult  # noqa: E402
