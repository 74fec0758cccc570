"""Two lines of one drug on the same day: likely one treatment entered twice, or a stop nobody
recorded; every dose sum would count both (clinical reference, section 10)."""

from __future__ import annotations

from irae_desktop.domain.alerts import evaluate_alerts
from irae_desktop.domain.timeline import TreatmentSpan

from .builders import at, line
from .safety_builders import patient


def _dup(lines: list[TreatmentSpan], day: int = 30):  # type: ignore[no-untyped-def]
    return [
        a for a in evaluate_alerts(patient([], lines), at(day, 18)) if a.kind == "duplicate_line"
    ]


def _pred(
    id: int, agent: str, start: int, stop: int | None = None, dose: float = 40.0, **kw
) -> TreatmentSpan:  # type: ignore[no-untyped-def]
    return line(id, "immunosuppression", agent, start, stop, dose=dose, dose_unit="mg", **kw)


def test_two_prednisone_lines_in_full() -> None:
    (alert,) = _dup([_pred(2, "prednisone", 0, dose=60.0), _pred(3, "Deltasone", 5)])
    assert (alert.key, alert.severity, alert.title, alert.organ) == (
        "duplicate_line:2:3",
        "warning",
        "Two prednisone lines at once",
        "treatment",
    )
    assert alert.rule == (
        "prednisone lines started 2026-03-02 (60 mg daily) and 2026-03-07 (40 mg daily): both on "
        "from 2026-03-07; likely a double entry or a stop not recorded: correct the record "
        "(every dose sum counts both)"
    )
    assert alert.source == "treatment record check (clinical reference, section 10)"
    assert alert.evidence_at == at(5, 0)


def test_a_switch_on_the_stop_day_is_no_overlap() -> None:
    # stopped on day 5 ("stopped" from that day), the next started on day 5
    assert _dup([_pred(2, "prednisone", 0, 5), _pred(3, "prednisone", 5)]) == []
    (alert,) = _dup([_pred(2, "prednisone", 0, 6), _pred(3, "prednisone", 5)])
    assert "both on from 2026-03-07" in alert.rule


def test_a_hold_is_not_on() -> None:
    held = _pred(2, "prednisone", 0, holds=((5, None),))
    assert _dup([held, _pred(3, "prednisone", 5)]) == []
    resumed = _pred(2, "prednisone", 0, holds=((5, 10),))  # on again from day 10
    (alert,) = _dup([resumed, _pred(3, "prednisone", 5)])
    assert "both on from 2026-03-12" in alert.rule


def test_names_are_compared_by_the_generic() -> None:
    (alert,) = _dup([_pred(2, "Medrol", 0), _pred(3, "methylprednisolone", 2)])
    assert alert.title == "Two methylprednisolone lines at once"
    assert _dup([_pred(2, "prednisone", 0), _pred(3, "prednisolone", 2)]) == []
    pembro = [
        line(n, "ici", "Keytruda", s, dose=200, dose_unit="mg", frequency="q3w")
        for n, s in ((1, 0), (2, 21))
    ]
    assert [a.title for a in _dup(pembro)] == ["Two pembrolizumab lines at once"]


def test_what_is_not_a_duplicate() -> None:
    # a fixed insulin dose and a correction scale of the same insulin are usual
    insulin = [
        line(n, "insulin", "insulin lispro", 0, dose=d, dose_unit="units")
        for n, d in ((2, 6), (3, 2))
    ]
    assert _dup(insulin) == []
    # an overlap still to come is not one yet
    assert _dup([_pred(2, "prednisone", 0), _pred(3, "prednisone", 40)]) == []
    assert len(_dup([_pred(2, "prednisone", 0), _pred(3, "prednisone", 40)], day=40)) == 1


def test_three_lines_give_each_pair() -> None:
    lines = [_pred(2, "prednisone", 0), _pred(3, "prednisone", 5), _pred(4, "prednisone", 10)]
    assert sorted(a.key for a in _dup(lines)) == [
        "duplicate_line:2:3",
        "duplicate_line:2:4",
        "duplicate_line:3:4",
    ]
