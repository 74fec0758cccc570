"""Thousands of malformed CSV, HL7 v2 and FHIR inputs: no crash, every refusal says why, and
the database changes by exactly what the import summary reports (nothing for a refused file)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.integrity import check_file
from irae_desktop.store.models import ImportBatch, LabResult, Patient, UnmatchedLabRow
from tests.conftest import SAMPLES
from tests.robustness.helpers import write_lab_csv

EXAMPLES = 400  # per format: 1,200 inputs in all


def _seed_csv(tmp: Path) -> bytes:
    path = tmp / "seed.csv"
    write_lab_csv(path, "FZ", patients=2, rows_each=3)
    return path.read_bytes()


SEEDS: dict[str, Callable[[Path], bytes]] = {
    "csv": _seed_csv,
    "hl7": lambda _t: (SAMPLES / "hl7" / "oru_r01_v24_glucose.hl7").read_bytes(),
    "fhir": lambda _t: (SAMPLES / "fhir" / "synthea_r4_cmp_liver_bundle.json").read_bytes(),
}
SUFFIX = {"csv": ".csv", "hl7": ".hl7", "fhir": ".json"}
NASTY = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\r",
    b"\n",
    b'"',
    b",",
    b";",
    b"|",
    b"^",
    b"~",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"1e309",
    b"NaN",
    b"-0",
    b"<",
    b">=",
    b"99999999999999999999",
    b"\xc3\x28",
    b"MSH|^~\\&|",
    b"OBX|1|NM|",
    b'"resourceType"',
    b"null",
    b"2026-02-30T25:61:00Z",
    b"ALT",
    b"mmol/L",
]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        span = draw(st.integers(1, 64))
        payload = draw(st.one_of(st.sampled_from(NASTY), st.binary(min_size=1, max_size=12)))
        if kind == "delete":
            del data[at : at + span]
        elif kind == "insert":
            data[at:at] = payload
        elif kind == "replace":
            data[at : at + len(payload)] = payload
        elif kind == "duplicate":
            data[at:at] = data[at : at + span]
        else:
            del data[at:]
    return bytes(data)


def _json_values() -> st.SearchStrategy[object]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=12),
        st.sampled_from(["Observation", "Bundle", "Patient"]),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(
                st.sampled_from(
                    [
                        "resourceType",
                        "entry",
                        "resource",
                        "code",
                        "valueQuantity",
                        "subject",
                        "effectiveDateTime",
                        "value",
                        "unit",
                        "coding",
                        "system",
                    ]
                )
                | st.text(max_size=6),
                inner,
                max_size=5,
            ),
        ),
        max_leaves=20,
    )


GENERATED = {
    "csv": st.lists(st.lists(st.text(max_size=10), max_size=8), max_size=6).map(
        lambda rows: "\n".join(
            ",".join(r) for r in [["mrn", "collected_at", "test", "value", "unit"], *rows]
        ).encode()
    ),
    "hl7": st.lists(
        st.sampled_from(
            [
                "MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.4",
                "PID|||X1||DOE^J",
                "OBR|1",
                "OBX|1|NM|1742-6^ALT||",
                "OBX|2|ST|||abc|U/L|",
                "ZZZ|",
                "",
            ]
        )
        | st.text(max_size=30),
        max_size=8,
    ).map(lambda segs: "\r".join(segs).encode()),
    "fhir": _json_values().map(lambda v: json.dumps(v).encode()),
}


def _totals(db: Database) -> tuple[int, int, int, int]:
    with db.read() as s:
        return tuple(  # type: ignore[return-value]
            int(s.scalar(select(func.count()).select_from(m)) or 0)
            for m in (LabResult, Patient, UnmatchedLabRow, ImportBatch)
        )


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "hl7", "fhir"])
def test_malformed_inputs_never_crash_or_half_write(fmt: str, tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'fuzz.sqlite3'}")
    seed = SEEDS[fmt](tmp_path)
    target = tmp_path / f"input{SUFFIX[fmt]}"
    seen = {"examples": 0, "refused": 0, "rows_rejected": 0, "imported": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.one_of(mutated(seed), GENERATED[fmt]), auto=st.booleans())
    def feed(data: bytes, auto: bool) -> None:
        target.write_bytes(data)
        before = _totals(db)
        options = ImportOptions(format="auto" if auto else fmt, user="fuzz", timezone="UTC")
        summaries = import_files(db, [target], options)
        after = _totals(db)
        assert len(summaries) == 1
        summary = summaries[0]
        seen["examples"] += 1
        for issue in summary.rejected:
            assert issue.reason.strip(), summary.as_dict()
        seen["rows_rejected"] += summary.rejected_count
        if summary.error:
            seen["refused"] += 1
            assert summary.error.strip()
            assert after == before, summary.error  # a refused file writes nothing at all
            return
        labs, patients, unmatched, batches = (a - b for a, b in zip(after, before, strict=True))
        assert labs == summary.imported, summary.as_dict()
        assert patients == summary.patients_created, summary.as_dict()
        assert unmatched == summary.unmatched, summary.as_dict()
        assert batches in (0, 1)
        seen["imported"] += summary.imported

    try:
        feed()
    finally:
        db.dispose()
    assert check_file(tmp_path / "fuzz.sqlite3").ok
    print(f"\n{fmt}: {seen}")
    assert seen["examples"] >= EXAMPLES // 2
    assert seen["refused"] + seen["rows_rejected"] > 0  # the inputs really were malformed
