"""Fixtures of the domain tests: empty domain caches while a mutation test runs.

mutmut (tools/mutation.sh, docs/mutation-testing.md) forks each mutant's test run from a process
that has already run the tests, so the criteria sets, unit spellings, resolved analytes, grade
boundaries, grading plans and the analyte and agent name indexes are cached there, worked out by
the unmutated code. A mutant in code
whose result was cached would never run and would look as if it survived. While mutmut's switch
(MUTANT_UNDER_TEST) is set, every test starts with those caches empty, so what it checks is worked
out by the code as mutated. In an ordinary run nothing changes: the caches stay warm between tests.
"""

from __future__ import annotations

import os

import pytest

from irae_desktop.domain import agents, analytes, criteria, grade_parts, grading, units


def clear_domain_caches() -> None:
    """Every memo the domain keeps between calls (one line per cache; add new ones here)."""
    criteria.load_criteria.cache_clear()
    units.unit_for.cache_clear()
    grade_parts.resolve_analyte.cache_clear()
    grade_parts._BOUNDARIES.clear()
    grading.PLANS.forget()
    analytes._index.cache_clear()
    analytes._shared_index.cache_clear()
    agents._by_name.cache_clear()
    agents._longest_first.cache_clear()


@pytest.fixture(autouse=True)
def _cold_caches_under_mutation() -> None:
    if "MUTANT_UNDER_TEST" in os.environ:
        clear_domain_caches()
