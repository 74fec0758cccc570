"""The plan cache keeps what it holds within its bound, whatever is graded, and forgetting never
changes a grade."""

from __future__ import annotations

import gc
import threading
import tracemalloc
from collections.abc import Callable

import pytest

from irae_desktop.domain.grading import (
    PLANS,
    GradePlan,
    GradingError,
    PlanRequest,
    grade_value,
)
from irae_desktop.domain.plan_cache import PlanCache
from tests.domain import reference_grading


def _reference_reason(value: float, uln: float) -> str:
    """The rule-by-rule grader's reason for an ALT value in U/L with this ULN (CTCAE v5.0)."""
    want = reference_grading._grade_cached.__wrapped__(
        "ALT", value, "", "U/L", uln, None, None, None, None, False, "ctcae-5.0"
    )
    return str(want.reason)


def test_many_settings_and_values_stay_within_the_bound() -> None:
    cache = PlanCache(GradePlan, max_plans=20, max_results=100)
    for uln in range(30, 90):  # 60 settings: three times the plans the cache may hold
        for value in range(1, 60, 3):  # 20 values each, 1,200 results in all
            got = cache.plan(PlanRequest("ALT", "", "U/L", float(uln), None)).grade(float(value))
            held = cache.size()
            assert held.requests <= 20 and held.settings <= 20 and held.results <= 100
            assert got.reason == _reference_reason(float(value), float(uln))


def _bytes_kept(grade_many: Callable[[], None]) -> int:
    """How much more memory is in use after `grade_many` than before it."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        grade_many()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_grading_many_distinct_values_keeps_memory_bounded() -> None:
    cache = PlanCache(GradePlan, max_plans=8, max_results=500)
    for value in range(1, 600):  # fill the cache once before measuring
        cache.plan(PlanRequest("ALT", "", "U/L", 40.0, None)).grade(value + 0.5)

    def grade_many() -> None:
        # 40,000 distinct results: kept, each with its reason, they would take megabytes
        for value in range(40_000):
            cache.plan(PlanRequest("ALT", "", "U/L", 40.0, None)).grade(value + 0.25)

    grown = _bytes_kept(grade_many)
    assert grown < 400_000, f"{grown:,} bytes kept after 40,000 distinct results"
    assert cache.size().results <= 500


def test_the_process_plan_cache_stays_within_its_bound() -> None:
    for value in range(PLANS.max_results + 500):
        grade_value("AST", value + 0.125, "", "U/L", 40.0, None)
    assert PLANS.size().results <= PLANS.max_results


def test_a_plan_held_after_the_cache_forgets_grades_alike_and_keeps_nothing() -> None:
    cache = PlanCache(GradePlan, max_plans=8, max_results=100)
    plan = cache.plan(PlanRequest("ALT", "", "U/L", 40.0, None))
    # clinical reference: ALT 132 U/L with a ULN of 40 is 3.3 x ULN, grade 2
    assert plan.grade(132.0).reason == "ALT 132 U/L = 3.3 x ULN (40): grade 2, CTCAE v5.0"
    cache.forget()
    assert cache.size() == (0, 0, 0)
    for value in range(1, 300):
        assert plan.grade(float(value)).reason == _reference_reason(float(value), 40.0)

    def grade_many() -> None:
        for value in range(40_000):
            plan.grade(value + 0.25)

    grown = _bytes_kept(grade_many)
    assert grown < 400_000, f"{grown:,} bytes kept by a plan the cache forgot"


def test_a_baseline_the_rules_do_not_use_shares_the_work() -> None:
    cache = PlanCache(GradePlan, max_plans=8, max_results=100)
    alone = cache.plan(PlanRequest("ALT", "", "U/L", 40.0, None)).grade(132.0)
    # a normal baseline (30, under the ULN): ALT is graded against the ULN all the same
    with_base = cache.plan(PlanRequest("ALT", "", "U/L", 40.0, None, 30.0, 40.0)).grade(132.0)
    assert with_base == alone
    assert cache.size().requests == 2 and cache.size().settings == 1


def test_a_refused_request_is_refused_again_with_the_same_words() -> None:
    cache = PlanCache(GradePlan, max_plans=8, max_results=100)
    request = PlanRequest("NOT_AN_ANALYTE", "", "U/L", 40.0, None)
    for _ in range(2):
        with pytest.raises(GradingError, match="unknown analyte 'NOT_AN_ANALYTE'"):
            cache.plan(request)
    assert cache.size().requests == 1


def test_grading_from_two_threads_gives_the_reference_grades() -> None:
    cache = PlanCache(GradePlan, max_plans=4, max_results=50)
    wrong: list[str] = []
    start = threading.Barrier(2)

    def grade_all(uln: float) -> None:
        start.wait()
        for value in range(1, 400):
            got = cache.plan(PlanRequest("ALT", "", "U/L", uln, None)).grade(float(value))
            if got.reason != _reference_reason(float(value), uln):
                wrong.append(got.reason)

    threads = [threading.Thread(target=grade_all, args=(uln,)) for uln in (40.0, 35.0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    assert cache.size().results <= 50
