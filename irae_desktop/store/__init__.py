"""Persistence: SQLAlchemy models, engine set-up, migrations and one repository per aggregate."""
