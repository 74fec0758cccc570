"""The lab analytes the product knows, indexed from the one analyte table
(domain.analyte_table): screen, paper, store and command line read an analyte's label, order,
organ, colour, units and limits here; tests/test_one_analyte_table.py fails when another module
spells a label or a colour out. Also the lookup of an analyte by code, LOINC or local name."""

from __future__ import annotations

import re
from dataclasses import replace

from irae_desktop.domain.analyte_names import EUROPEAN_NAMES
from irae_desktop.domain.analyte_names_safety import SAFETY_EUROPEAN_NAMES
from irae_desktop.domain.analyte_table import GRADED_ORGANS as GRADED_ORGANS
from irae_desktop.domain.analyte_table import LISTED
from irae_desktop.domain.analyte_table import ORGAN_TITLES as ORGAN_TITLES
from irae_desktop.domain.analyte_table import Analyte as Analyte
from irae_desktop.domain.analyte_table import Organ as Organ
from irae_desktop.domain.analyte_table_safety import SAFETY_LISTED
from irae_desktop.domain.text_fold import fold_text

_EUROPEAN = {**EUROPEAN_NAMES, **SAFETY_EUROPEAN_NAMES}


def _with_european_names(analyte: Analyte) -> Analyte:
    european = _EUROPEAN.get(analyte.code)
    if european is None:
        return analyte
    return replace(
        analyte,
        local_names=(*analyte.local_names, *european.names),
        shared_names=(*analyte.shared_names, *european.shared_names),
        names_source=european.source,
    )


_ALL: tuple[Analyte, ...] = tuple(_with_european_names(a) for a in (*LISTED, *SAFETY_LISTED))

ANALYTES: dict[str, Analyte] = {a.code: a for a in _ALL}
DISPLAY_ORDER: tuple[str, ...] = tuple(a.code for a in _ALL)


def graded_analytes(organ: Organ) -> tuple[str, ...]:
    """The graded analytes of an organ in display order: the ones its worst current grade on
    the worklist is taken from (clinical reference, sections 2 and 3)."""
    return tuple(a.code for a in _ALL if a.organ == organ and a.graded)


def organ_analytes(organ: Organ) -> frozenset[str]:
    """Every analyte of an organ, graded or not."""
    return frozenset(a.code for a in _ALL if a.organ == organ)


def panel_title(codes: tuple[str, ...]) -> str:
    """The title of a chart of these analytes, from their labels: "ALT/AST"; "Glucose" for
    glucose with its fasting and point-of-care kinds, whose labels all begin with it."""
    labels = [analyte_label(c) for c in codes]
    if all(label.startswith(labels[0]) for label in labels):
        return labels[0]
    return "/".join(labels)


def display_rank(code: str) -> tuple[int, str]:
    """Sort key putting analytes in display order; codes the product does not know go last."""
    analyte = ANALYTES.get(code)
    return (DISPLAY_ORDER.index(code) if analyte else len(DISPLAY_ORDER), code)


def analyte_label(code: str) -> str:
    """The analyte's one label ("Bilirubin" for TBILI); an unknown code as it is."""
    analyte = ANALYTES.get(code)
    return analyte.label if analyte else code


def decimals_for(code: str, unit: str) -> int | None:
    """Decimals to show a value of `code` in `unit` (standard spelling); None if not listed."""
    analyte = ANALYTES.get(code)
    if analyte is None:
        return None
    return dict(analyte.precision).get(unit)


_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_name(text: str) -> str:
    """Lower case without accents, every run of spaces and punctuation reduced to one space:
    "Bilirubine totale", "BILIRUBINE-TOTALE" and "bilirubine totale" are one name."""
    return _NON_WORD.sub(" ", fold_text(text)).strip()


def _build_index() -> dict[str, Analyte]:
    index: dict[str, Analyte] = {}
    for analyte in _ALL:
        keys = (analyte.code, analyte.name, *analyte.loinc, *analyte.local_names)
        for key in keys:
            norm = normalise_name(key)
            clash = index.get(norm)
            if clash is not None and clash.code != analyte.code:
                raise RuntimeError(f"name {key!r} maps to both {clash.code} and {analyte.code}")
            index[norm] = analyte
    return index


def _build_shared_index(names: dict[str, Analyte]) -> dict[str, Analyte]:
    """Shared names (see Analyte.shared_names): never a name of any analyte on its own, never
    shared by two analytes."""
    index: dict[str, Analyte] = {}
    for analyte in _ALL:
        for key in analyte.shared_names:
            norm = normalise_name(key)
            named = names.get(norm)
            if named is not None:
                raise RuntimeError(f"shared name {key!r} is also a name of {named.code}")
            clash = index.get(norm)
            if clash is not None and clash.code != analyte.code:
                raise RuntimeError(
                    f"shared name {key!r} maps to both {clash.code} and {analyte.code}"
                )
            index[norm] = analyte
    return index


_INDEX = _build_index()
_SHARED_INDEX = _build_shared_index(_INDEX)


def lookup_analyte(text: str) -> Analyte | None:
    """The analyte named by a product code, a LOINC code or a known local name; None if unknown."""
    if not text:
        return None
    return _INDEX.get(normalise_name(text))


def lookup_shared_name(text: str) -> Analyte | None:
    """The analyte a shared name may stand for ("Lymphocytes": the absolute count, or the
    differential's percentage); the caller decides by the unit. None if not a shared name."""
    if not text:
        return None
    return _SHARED_INDEX.get(normalise_name(text))


def get_analyte(code: str) -> Analyte:
    """The analyte for a product code, or a KeyError with a plain message."""
    analyte = ANALYTES.get(code.strip().upper()) if code else None
    if analyte is None:
        known = ", ".join(ANALYTES)
        raise KeyError(f"unknown analyte {code!r} (known: {known})")
    return analyte
