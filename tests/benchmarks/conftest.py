"""Makes the benchmark scripts importable and builds one tiny benchmark database for smoke runs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCH_DIR = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from make_big_db import build_big_db

    path = tmp_path_factory.mktemp("bench") / "tiny.sqlite3"
    info: dict[str, Any] = build_big_db(path, patients=6, results=300, heavy=120)
    return info
