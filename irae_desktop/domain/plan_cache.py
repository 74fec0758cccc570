"""The one cache of grading plans: what is looked up, what is worked out once, what is kept.

Grading a value has two parts: everything that does not depend on the value (the analyte and
unit resolved, the criteria set loaded, the rules chosen for the baseline, each band's bounds
multiplied out, the words built) and the comparison of the value with those bounds. The first
part is the same for every result of one kind, reference range and baseline, so it is worked
out once; the second is quick. Results themselves repeat too (whole-number enzymes, shared
reference ranges), so a plan also keeps the results it gave.

The cache goes through three named steps:

1. look up: the request (everything `grading.grader` is asked with) -> the plan built for it;
   a request refused once (unknown analyte, unit or criteria set) is refused again from memory.
2. work out: a new request is reduced to what its words depend on (its setting); requests with
   the same setting (a baseline that plays no part, another spelling of the unit) share the
   compiled steps and the results.
3. keep: each setting's results, up to `max_results` results over all settings together.

Memory is bounded: at `max_results` results every setting's results are forgotten at once (the
steps stay); past `max_plans` requests everything is (a refill takes milliseconds). A plan still
held by a caller after that grades as before but keeps nothing more, so nothing kept escapes the
bound.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, NamedTuple, TypeVar

from irae_desktop.domain.grade_parts import GradeResult

PlanT = TypeVar("PlanT")
StepsT = TypeVar("StepsT")


class CacheSize(NamedTuple):
    """What a plan cache holds now."""

    requests: int  # requests answered from memory (refusals included)
    settings: int  # settings whose steps are worked out
    results: int  # results kept, all settings together


class KeptResults(dict[float, GradeResult]):
    """The results one setting gave, by value. Closed when the cache forgets: a plan a caller
    still holds then keeps nothing more."""

    __slots__ = ("open",)

    def __init__(self, *, open_: bool = True) -> None:
        super().__init__()
        self.open = open_


# for plans whose every answer is refused or fixed: nothing worth keeping
NOTHING_KEPT = KeptResults(open_=False)


class PlanCache(Generic[PlanT, StepsT]):
    """Plans by request, their steps by setting, and their results, within a bound."""

    def __init__(
        self,
        build: Callable[[tuple[Hashable, ...], PlanCache[PlanT, StepsT]], PlanT],
        *,
        max_plans: int = 8192,
        max_results: int = 1 << 16,
    ) -> None:
        self._build = build
        self.max_plans = max_plans
        self.max_results = max_results
        self._plans: dict[tuple[Hashable, ...], PlanT] = {}
        self._refused: dict[tuple[Hashable, ...], tuple[type[ValueError], tuple[object, ...]]] = {}
        self._settings: dict[Hashable, tuple[StepsT, KeptResults]] = {}
        self._kept = 0
        # grading may run in an import thread and in the window at once; a look-up that finds
        # its plan takes no lock
        self._lock = threading.RLock()

    def plan(self, request: tuple[Hashable, ...]) -> PlanT:
        """Step 1, look up: the plan for this request, built the first time it is asked for.
        Raises (a ValueError) what building it raised, every time it is asked for."""
        found = self._plans.get(request)
        if found is None:
            found = self._new_plan(request)
        return found

    def _new_plan(self, request: tuple[Hashable, ...]) -> PlanT:
        refused = self._refused.get(request)
        if refused is not None:
            error, args = refused
            raise error(*args)
        try:
            built = self._build(request, self)
        except ValueError as exc:
            with self._lock:
                self._make_room()
                self._refused[request] = (type(exc), exc.args)
            raise
        with self._lock:
            self._make_room()
            self._plans[request] = built
        return built

    def steps(
        self, setting: Hashable, work_out: Callable[[], StepsT]
    ) -> tuple[StepsT, KeptResults]:
        """Step 2, work out: the steps for a setting (worked out by `work_out` the first time)
        and the results kept for it, shared by every request with this setting."""
        found = self._settings.get(setting)
        if found is None:
            worked_out = work_out()
            with self._lock:
                found = self._settings.get(setting)
                if found is None:
                    found = self._settings[setting] = (worked_out, KeptResults())
        return found

    def keep(self, results: KeptResults, value: float, result: GradeResult) -> None:
        """Step 3, keep: remember a result a setting gave (at the bound, every setting's results
        are forgotten first), unless the cache has dropped this setting."""
        if not results.open:
            return
        if self._kept >= self.max_results:
            self._forget_results()
        results[value] = result
        self._kept += 1

    def _make_room(self) -> None:
        if len(self._plans) + len(self._refused) >= self.max_plans:
            self.forget()

    def _forget_results(self) -> None:
        """Empties every setting's results, keeping the steps: working them out again costs
        far more than grading a value again."""
        with self._lock:
            for _, results in self._settings.values():
                results.clear()
            self._kept = 0

    def forget(self) -> None:
        """Drops every plan, setting and result; results a caller's plan still points to are
        emptied and closed."""
        with self._lock:
            for _, results in self._settings.values():
                results.open = False
                results.clear()
            self._plans = {}
            self._refused = {}
            self._settings = {}
            self._kept = 0

    def size(self) -> CacheSize:
        """How many requests, settings and results are held now."""
        with self._lock:
            kept = sum(len(results) for _, results in self._settings.values())
            return CacheSize(len(self._plans) + len(self._refused), len(self._settings), kept)
