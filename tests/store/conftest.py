"""Fixtures for the store tests: one patient to hang treatments, labs, notes and episodes on."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.store.database import Database
from irae_desktop.store.models import AuditEvent
from irae_desktop.store.patients import create_patient

APP_URL_ENV = "IRAE_TEST_PG_APP_URL"


@pytest.fixture
def patient_id(db: Database) -> int:
    with db.write() as s:
        record = PatientRecord(
            mrn="MRN-100", name="Grace Hopper", birth_date=date(1950, 5, 6), sex=Sex.FEMALE
        )
        return create_patient(s, record, user="setup").id


def audit_rows(db: Database, entity: str | None = None) -> list[AuditEvent]:
    with db.read() as s:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if entity is not None:
            query = query.where(AuditEvent.entity == entity)
        return list(s.scalars(query))


@pytest.fixture
def pg_app_url(pg_url: str) -> Iterator[str]:
    """The plain application role's URL for the same throwaway database as `pg_url`."""
    app = os.environ.get(APP_URL_ENV)
    if not app:
        if os.environ.get("CI"):
            raise RuntimeError(f"{APP_URL_ENV} must be set in CI")
        pytest.skip(f"{APP_URL_ENV} not set")
    database = make_url(pg_url).database
    yield make_url(app).set(database=database).render_as_string(hide_password=False)
    # the owner may not end the application role's sessions, so the database can only be
    # dropped once the server has finished closing them
    gc.collect()  # a connection held by a kept traceback closes only when collected
    owner = create_engine(pg_url)
    try:
        for _ in range(200):
            with owner.connect() as conn:
                left = conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND usename <> current_user"
                    )
                )
            if not left:
                break
            time.sleep(0.05)
    finally:
        owner.dispose()
