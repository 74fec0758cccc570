"""Initial schema: patients, labs, treatments, episodes, notes, imports, audit, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 04:44:08.347886
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_settings",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_settings")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("patient_mrn", sa.String(length=64), nullable=True),
        sa.Column("before_json", sa.Text(), nullable=True),
        sa.Column("after_json", sa.Text(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_events_patient_at", ["patient_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_user"), ["user"], unique=False)

    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("layout", sa.String(length=64), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("imported_by", sa.String(length=120), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("corrected", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("unmatched", sa.Integer(), nullable=False),
        sa.Column("summary_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_table(
        "mapping_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("mapping_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mapping_profiles")),
        sa.UniqueConstraint("name", name=op.f("uq_mapping_profiles_name")),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mrn", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("diagnosis", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("mrn", name=op.f("uq_patients_mrn")),
    )
    op.create_table(
        "site_reference_ranges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("analyte", sa.String(length=32), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("lln", sa.Float(), nullable=True),
        sa.Column("uln", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_reference_ranges")),
        sa.UniqueConstraint("analyte", "sex", name="uq_site_range"),
    )
    op.create_table(
        "alert_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("alert_key", sa.String(length=200), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=120), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_alert_acknowledgements_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_acknowledgements")),
        sa.UniqueConstraint("patient_id", "alert_key", name="uq_alert_ack"),
    )
    op.create_table(
        "baseline_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("analyte", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("uln", sa.Float(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("set_by", sa.String(length=120), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_baseline_overrides_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_baseline_overrides")),
        sa.UniqueConstraint("patient_id", "analyte", name="uq_baseline_override"),
    )
    op.create_table(
        "consult_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_consult_notes_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consult_notes")),
    )
    with op.batch_alter_table("consult_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consult_notes_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "irae_episodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("organ", sa.String(length=60), nullable=False),
        sa.Column("onset", sa.Date(), nullable=False),
        sa.Column("resolution", sa.Date(), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_irae_episodes_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_irae_episodes")),
    )
    with op.batch_alter_table("irae_episodes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_irae_episodes_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "lab_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("analyte", sa.String(length=32), nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("comparator", sa.String(length=2), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("original_text", sa.String(length=100), nullable=False),
        sa.Column("original_unit", sa.String(length=32), nullable=False),
        sa.Column("lln", sa.Float(), nullable=True),
        sa.Column("uln", sa.Float(), nullable=True),
        sa.Column("abnormal_flag", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("grade_criteria", sa.String(length=32), nullable=True),
        sa.Column("grade_reason", sa.String(length=300), nullable=True),
        sa.Column("is_baseline", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_file", sa.String(length=500), nullable=True),
        sa.Column("source_ref", sa.String(length=200), nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_lab_results_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_lab_results_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_results")),
        sa.UniqueConstraint(
            "patient_id",
            "analyte",
            "collected_at",
            "value",
            "comparator",
            name="uq_lab_results_identity",
        ),
    )
    with op.batch_alter_table("lab_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lab_results_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index("ix_lab_results_collected_at", ["collected_at"], unique=False)
        batch_op.create_index(
            "ix_lab_results_patient_analyte_time",
            ["patient_id", "analyte", "collected_at"],
            unique=False,
        )

    op.create_table(
        "treatment_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("agent", sa.String(length=120), nullable=False),
        sa.Column("dose", sa.Float(), nullable=True),
        sa.Column("dose_unit", sa.String(length=24), nullable=True),
        sa.Column("frequency", sa.String(length=40), nullable=True),
        sa.Column("route", sa.String(length=24), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("stop_date", sa.Date(), nullable=True),
        sa.Column("indication", sa.String(length=120), nullable=True),
        sa.Column("reason_stopped", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_treatment_lines_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_lines")),
    )
    with op.batch_alter_table("treatment_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_treatment_lines_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "unmatched_lab_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("mrn", sa.String(length=64), nullable=False),
        sa.Column("analyte", sa.String(length=32), nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("comparator", sa.String(length=2), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("record_json", sa.Text(), nullable=False),
        sa.Column("source_file", sa.String(length=500), nullable=True),
        sa.Column("source_ref", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_unmatched_lab_rows_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unmatched_lab_rows")),
    )
    with op.batch_alter_table("unmatched_lab_rows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unmatched_lab_rows_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_unmatched_lab_rows_mrn"), ["mrn"], unique=False)

    op.create_table(
        "dose_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("dose", sa.Float(), nullable=False),
        sa.Column("dose_unit", sa.String(length=24), nullable=False),
        sa.Column("frequency", sa.String(length=40), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["treatment_lines.id"],
            name=op.f("fk_dose_steps_line_id_treatment_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dose_steps")),
    )
    with op.batch_alter_table("dose_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dose_steps_line_id"), ["line_id"], unique=False)

    op.create_table(
        "treatment_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["treatment_lines.id"],
            name=op.f("fk_treatment_holds_line_id_treatment_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_holds")),
    )
    with op.batch_alter_table("treatment_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_treatment_holds_line_id"), ["line_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("treatment_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_holds_line_id"))

    op.drop_table("treatment_holds")
    with op.batch_alter_table("dose_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dose_steps_line_id"))

    op.drop_table("dose_steps")
    with op.batch_alter_table("unmatched_lab_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unmatched_lab_rows_mrn"))
        batch_op.drop_index(batch_op.f("ix_unmatched_lab_rows_batch_id"))

    op.drop_table("unmatched_lab_rows")
    with op.batch_alter_table("treatment_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_lines_patient_id"))

    op.drop_table("treatment_lines")
    with op.batch_alter_table("lab_results", schema=None) as batch_op:
        batch_op.drop_index("ix_lab_results_patient_analyte_time")
        batch_op.drop_index("ix_lab_results_collected_at")
        batch_op.drop_index(batch_op.f("ix_lab_results_batch_id"))

    op.drop_table("lab_results")
    with op.batch_alter_table("irae_episodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_irae_episodes_patient_id"))

    op.drop_table("irae_episodes")
    with op.batch_alter_table("consult_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consult_notes_patient_id"))

    op.drop_table("consult_notes")
    op.drop_table("baseline_overrides")
    op.drop_table("alert_acknowledgements")
    op.drop_table("site_reference_ranges")
    op.drop_table("patients")
    op.drop_table("mapping_profiles")
    op.drop_table("import_batches")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_user"))
        batch_op.drop_index("ix_audit_events_patient_at")
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))

    op.drop_table("audit_events")
    op.drop_table("app_settings")
