"""Alembic migration scripts for the irae-desktop schema."""
