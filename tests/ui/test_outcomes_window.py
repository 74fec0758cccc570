"""The Outcomes window: reads off the GUI thread, shows the demo cohort, de-identifies on the
button, and exports the CSV with its data dictionary (audited)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import select

from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.models import AuditEvent
from irae_desktop.ui import outcomes_window
from irae_desktop.ui.outcomes_window import OutcomesWindow


def _column(window: OutcomesWindow, heading: str) -> list[str]:
    table = window.table
    headings = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
    col = headings.index(heading)
    return [table.item(r, col).text() for r in range(table.rowCount())]  # type: ignore[union-attr]


def test_shows_the_cohort_and_de_identifies(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    add_demo_patients(db, anchor=date(2026, 3, 2))
    window = OutcomesWindow(db)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.table.rowCount() == 6, timeout=10000)
    assert set(_column(window, "patient")) == {"DEMO-0001", "DEMO-0004"}
    assert "2026-" in " ".join(_column(window, "start date"))
    assert window.summary.rowCount() == 4  # prednisone, methylprednisolone, MMF, tofacitinib
    window.deidentify.setChecked(True)
    qtbot.waitUntil(lambda: "de-identified" in window.message.text(), timeout=10000)
    ids = _column(window, "patient")
    assert all(i.startswith("S-") for i in ids) and len(set(ids)) == 2
    headings = [
        window.table.horizontalHeaderItem(c).text()  # type: ignore[union-attr]
        for c in range(window.table.columnCount())
    ]
    assert "start date" not in headings


def test_export_writes_csv_and_dictionary_and_audits(qtbot, db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    add_demo_patients(db, anchor=date(2026, 3, 2))
    window = OutcomesWindow(db)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.table.rowCount() == 6, timeout=10000)
    target = tmp_path / "series.csv"
    monkeypatch.setattr(outcomes_window, "ask_save_path", lambda *_a: target)
    window.deidentify.setChecked(True)
    job = window.export("csv")
    assert job is not None
    qtbot.waitUntil(lambda: job.done, timeout=10000)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == 6 and all(r["patient"].startswith("S-") for r in rows)
    dictionary = Path(tmp_path / "series-dictionary.csv").read_text(encoding="utf-8")
    assert dictionary.startswith("Variable / Field Name,")
    with db.read() as s:
        actions = s.scalars(select(AuditEvent.action)).all()
    assert actions.count("export outcomes") == 1


def test_the_view_menu_opens_the_window(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    main = window
    main.act_outcomes.trigger()
    opened = [d for d in main.dialogs if isinstance(d, OutcomesWindow)]
    assert len(opened) == 1 and opened[0].isVisible()
    qtbot.waitUntil(lambda: "lines" in opened[0].message.text(), timeout=10000)


def test_the_trajectory_figure_draws_each_agent_once_with_its_lines_apart(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    import math
    from collections import Counter

    add_demo_patients(db, anchor=date(2026, 3, 2))
    window = OutcomesWindow(db)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.figures_drawn, timeout=10000):
        pass
    lines_per_agent = Counter(_column(window, "agent"))  # the table's rows, one per line
    items = window.trajectory_plots["ALT"].getPlotItem().listDataItems()
    curves = {item.name(): item for item in items if item.name()}
    drawn = {
        name: item
        for name, item in curves.items()
        if name != "median of the lines" and len(item.xData) > 0
    }
    assert set(drawn) <= set(lines_per_agent)
    assert "median of the lines" in curves
    # a curve and a set of dots per agent, and the median: not an item per line
    assert len(items) == 2 * len(drawn) + 1
    for agent, curve in drawn.items():
        gaps = sum(1 for x in curve.xData if math.isnan(x))
        assert gaps <= lines_per_agent[agent] - 1  # lines apart, never joined end to start
    busiest = max(drawn, key=lambda a: lines_per_agent[a])
    assert lines_per_agent[busiest] >= 2
    assert any(math.isnan(x) for x in drawn[busiest].xData)
