"""Plot axes show the numbers as measured: no automatic SI rescaling of small values."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.models import Patient


def test_small_values_are_not_rescaled_on_the_axis(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.view import PatientView

    add_demo_patients(db, anchor=date(2026, 6, 1))
    with db.read() as s:
        pid = s.scalar(select(Patient.id).where(Patient.mrn == "DEMO-0002"))
    view = PatientView(db)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.show_patient(pid)
    view.grab()  # one paint, as on screen: the plots take their ranges, the axes their scale
    plots = view.trends.plots
    assert plots, "the diabetes patient has trend panels"
    for key, plot in plots.items():
        axis = plot.getAxis("left")
        assert axis.autoSIPrefixScale == 1.0, f"{key} axis is rescaled"
        assert "(x" not in axis.labelString(), axis.labelString()
    # C-peptide "<0.1" then 0.06 ng/mL: drawn at those numbers, not at 100 and 60
    cpep = [c for name, c in view.trends.curves.items() if name == "CPEPTIDE"]
    assert cpep
    _, y = cpep[0].getData()
    assert max(y) <= 0.1


def test_c_peptide_threshold_is_in_view_in_either_unit(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    """0.2 nmol/L, the diabetes alert's threshold, about 0.6 ng/mL (1 ng/mL = 0.331 nmol/L,
    clinical reference, section 3): the line is drawn where the alert fires, and values far
    below it matter."""
    import pyqtgraph as pg

    from irae_desktop.ui.patient.view import PatientView

    add_demo_patients(db, anchor=date(2026, 6, 1))
    with db.read() as s:
        pid = s.scalar(select(Patient.id).where(Patient.mrn == "DEMO-0002"))
    view = PatientView(db)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    for system, threshold in (("US", 0.2 / 0.331), ("SI", 0.2)):
        view.set_units(system)
        with qtbot.waitSignal(view.loaded, timeout=10000):
            view.show_patient(pid)
        view.grab()  # one paint, as on screen: the plots take their ranges
        plot = view.trends.plots["cpeptide"]
        lines = [i for i in plot.items if isinstance(i, pg.InfiniteLine)]
        assert [round(line.value(), 4) for line in lines] == [round(threshold, 4)]
        low, high = plot.getViewBox().viewRange()[1]
        assert low <= 0.06 * (0.331 if system == "SI" else 1) and high >= threshold
