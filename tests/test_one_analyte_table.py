"""One source per analyte fact: no module but the analyte table spells out an analyte's label,
long name or series colour; screen and paper read them from domain.analytes."""

from __future__ import annotations

import ast
from pathlib import Path

from irae_desktop.domain.analytes import ANALYTES

PACKAGE = Path(__file__).resolve().parent.parent / "irae_desktop"
# the table itself, and the names files use for analytes (read on import, never shown)
ALLOWED = {
    PACKAGE / "domain" / "analyte_table.py",
    PACKAGE / "domain" / "analyte_table_safety.py",
    PACKAGE / "domain" / "analytes.py",
    PACKAGE / "domain" / "analyte_names.py",
    PACKAGE / "domain" / "analyte_names_safety.py",
}
# the treatment lanes under the trends share the colour-blind-safe palette; they colour lines
# of treatment, not analytes
SAME_PALETTE = {PACKAGE / "ui" / "patient" / "trends_lanes.py"}


def _words() -> tuple[set[str], set[str], set[str]]:
    """(labels and long names that differ from the code, the ones distinctive enough to find
    inside a longer text, colours in upper case)."""
    exact = {a.label for a in ANALYTES.values() if a.label != a.code}
    exact |= {a.name for a in ANALYTES.values()}
    inside = {w for w in exact if " " in w or "(" in w}
    colours = {a.colour.upper() for a in ANALYTES.values()}
    return exact, inside, colours


def spelled_out(source: str, *, colours_too: bool = True) -> list[str]:
    """The string constants of `source` that spell an analyte label, long name or colour."""
    exact, inside, colours = _words()
    if not colours_too:
        colours = set()
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        text = node.value
        if text in exact or any(w in text for w in inside):
            found.append((node.lineno, f"label {text!r}"))
        elif any(c in text.upper() for c in colours):
            found.append((node.lineno, f"colour {text!r}"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def test_no_module_spells_an_analyte_label_or_colour() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in ALLOWED:
            continue
        found += [
            f"{path.relative_to(PACKAGE)} {hit}"
            for hit in spelled_out(
                path.read_text(encoding="utf-8"), colours_too=path not in SAME_PALETTE
            )
        ]
    assert found == []


def test_the_scan_finds_a_label_or_colour_written_out() -> None:
    source = (
        'TITLE = "Glucose (POC)"\n'
        'HEAD = f"{when}: Glucose (fasting) high"\n'
        'PEN = ("#0072b2", "o")\n'
        'ONE = "C-peptide"\n'
        'FINE = "ALT"  # a code, not a label\n'
        'PROSE = "the bilirubin of the day"\n'
    )
    assert [hit.split(":")[0] for hit in spelled_out(source)] == [
        "line 1",
        "line 2",
        "line 3",
        "line 4",
    ]


def test_screen_and_paper_words_are_the_tables() -> None:
    """The words a clinician reads, as the clinical reference names them."""
    assert ANALYTES["GLUCOSE_POC"].label == "Glucose (POC)"
    assert ANALYTES["TBILI"].label == "Bilirubin"
    assert ANALYTES["BHB"].label == "Ketones (BHB)"
    assert ANALYTES["GLUCOSE"].si_unit == "mmol/L" and ANALYTES["ALT"].si_unit == "U/L"
    colours = {
        code: ANALYTES[code].colour for code in ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC")
    }
    assert len(set(colours.values())) == 3  # told apart in the one panel they share
    assert ANALYTES["ALT"].colour != ANALYTES["AST"].colour
