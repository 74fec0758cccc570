"""Recognises CSV headers by name (any order, any case): long, wide and roster layouts.

A layout is a `ColumnMap`: for each role (mrn, collected, test, value, ...) the column
indexes that may hold it, best first; the reader takes the first non-empty cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from irae_desktop.domain.text_fold import fold_text
from irae_desktop.importers.errors import ImportFileError, UnknownLayoutError
from irae_desktop.importers.header_names import NATIONAL_ID_HEADERS
from irae_desktop.importers.header_names import ROLE_SYNONYMS as ROLE_SYNONYMS

# header spelling after normalising -> (role, preference): the first role listing a spelling owns
# it, so one dictionary look-up per header column places it
_SPELLING_ROLE: dict[str, tuple[str, int]] = {}
for _role, _spellings in ROLE_SYNONYMS.items():
    for _rank, _spelling in enumerate(_spellings):
        _SPELLING_ROLE.setdefault(_spelling, (_role, _rank))

LONG_NEEDS = ("mrn", "collected", "test or code", "value")
ROSTER_ROLES = ("name", "first_name", "last_name", "birth", "sex", "weight", "diagnosis")
_UNIT_IN_HEADER = re.compile(r"^(?P<name>.*?)\s*[\(\[](?P<unit>[^\)\]]+)[\)\]]\s*$")


def normalise_header(text: str) -> str:
    """ "Date de prélèvement" -> "date_de_prelevement": lower case, accents folded, every run of
    other characters one "_" (see importers.header_names)."""
    return re.sub(r"[^0-9a-z]+", "_", fold_text(text.strip().lstrip("\ufeff"))).strip("_")


@dataclass
class ColumnMap:
    """Which columns hold which role; `analyte_columns` is for the wide layout."""

    layout: str  # "long", "wide" or "roster"
    roles: dict[str, list[int]] = field(default_factory=dict)
    # wide layout: column index -> (header text, analyte name part, unit from the header)
    analyte_columns: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    header: list[str] = field(default_factory=list)
    name: str = ""
    notices: list[str] = field(default_factory=list)

    def has(self, role: str) -> bool:
        return bool(self.roles.get(role))

    def column_name(self, role: str) -> str:
        cols = self.roles.get(role)
        return self.header[cols[0]] if cols else role


def _assign_roles(header: list[str]) -> tuple[dict[str, list[int]], list[str], set[int]]:
    normalised = [normalise_header(h) for h in header]
    roles: dict[str, list[int]] = {}
    used: set[int] = set()
    notices: list[str] = []
    seen: dict[str, int] = {}
    for index, norm in enumerate(normalised):
        if norm in seen and norm:
            notices.append(
                f"column {header[index]!r} appears twice (columns {seen[norm] + 1} and "
                f"{index + 1}); the first non-empty one is used"
            )
        seen.setdefault(norm, index)
    placed = sorted(
        (_SPELLING_ROLE[norm][1], index, _SPELLING_ROLE[norm][0])
        for index, norm in enumerate(normalised)
        if norm in _SPELLING_ROLE
    )
    for role in ROLE_SYNONYMS:
        for _rank, index, owner in placed:
            if owner == role:
                roles.setdefault(role, []).append(index)
                used.add(index)
    if "name" in roles and "first_name" in roles and "last_name" not in roles:
        # "Name" beside "Vorname" (or "Naam" beside "Voornaam") is the family name
        roles["last_name"] = roles.pop("name")
    return roles, notices, used


def _layout_name(normalised: set[str]) -> str:
    if {"patient", "encounter", "code", "description", "value", "units"} <= normalised:
        return "synthea-observations"
    if {"id", "birthdate", "first", "last"} <= normalised:
        return "synthea-patients"
    if "measurement_source_value" in normalised or "value_as_number" in normalised:
        return "omop-measurement"
    if "subject_id" in normalised and ("charttime" in normalised or "valuenum" in normalised):
        return "mimic-labevents"
    return ""


def detect_layout(header: list[str], is_analyte: Callable[[str], bool]) -> ColumnMap:
    """Picks the layout from the header; raises UnknownLayoutError naming what is missing."""
    normalised = [normalise_header(h) for h in header]
    norm_set = set(normalised)
    name = _layout_name(norm_set)
    if name == "synthea-patients":
        # Synthea's Id column is the key its observations.csv uses in PATIENT
        header_for_roles = [
            "mrn" if n == "id" else h for h, n in zip(header, normalised, strict=True)
        ]
        roles, notices, _ = _assign_roles(header_for_roles)
        return ColumnMap("roster", roles, header=header, name=name, notices=notices)
    roles, notices, used = _assign_roles(header)
    if "collected" not in roles and "collected_time" in roles:
        roles["collected"] = roles.pop("collected_time")
    if "mrn" not in roles and "id" in normalised and any(r in roles for r in ROSTER_ROLES):
        roles["mrn"] = [normalised.index("id")]
    has_value = "value" in roles
    has_test = "test" in roles or "code" in roles
    if has_value and has_test and "mrn" in roles and "collected" in roles:
        return ColumnMap("long", roles, header=header, name=name or "long", notices=notices)
    analyte_columns: dict[int, tuple[str, str, str]] = {}
    for index, text in enumerate(header):
        if index in used or not text.strip():
            continue
        m = _UNIT_IN_HEADER.match(text.strip())
        base, unit = (m.group("name"), m.group("unit").strip()) if m else (text.strip(), "")
        if is_analyte(base):
            analyte_columns[index] = (text, base, unit)
    if analyte_columns and "mrn" in roles and "collected" in roles and not has_value:
        return ColumnMap("wide", roles, analyte_columns, header, name="wide", notices=notices)
    if (
        "mrn" in roles
        and not has_value
        and not analyte_columns
        and (any(r in roles for r in ROSTER_ROLES))
    ):
        return ColumnMap("roster", roles, header=header, name=name or "roster", notices=notices)
    raise unknown_layout(header, roles)


def unknown_layout(
    header: list[str], roles: Mapping[str, list[int]], why: str = ""
) -> UnknownLayoutError:
    """The error for a header that is not a layout this program reads, offering a mapping."""
    found = [h for h in header if h.strip()]
    missing = [need for need in LONG_NEEDS if not _need_met(need, roles)]
    return UnknownLayoutError(
        why
        + "The columns were not recognised. Found: "
        + ", ".join(repr(h) for h in found)
        + ". A lab file needs: patient MRN, collection date/time, test name or code, and value "
        + "(one result per row), or MRN, date and one column per test such as 'ALT (U/L)'; "
        + "a roster needs MRN and name or birth date. Missing here: "
        + (", ".join(missing) or "nothing, but the layout is unclear")
        + ". "
        + _national_id_hint(header, roles)
        + "Save a column mapping to read this layout.",
        found,
        missing,
    )


def _national_id_hint(header: list[str], roles: Mapping[str, list[int]]) -> str:
    """Why a national identity number column was not taken as the MRN, when that is missing."""
    if "mrn" in roles:
        return ""
    national = [h for h in header if normalise_header(h) in NATIONAL_ID_HEADERS]
    if not national:
        return ""
    return (
        f"Column {national[0]!r} holds a national identity number, which is not read as the "
        "MRN; if your hospital's patient number is that number, say so in a column mapping. "
    )


# roles only results have: a roster that has them is a lab file whose value column is unnamed
# ("status" and "flag" are left out: a roster may well have a patient's status or a flag)
RESULT_ROLES = ("collected", "code", "test", "unit", "range", "low", "high")


def roster_result_columns(cmap: ColumnMap) -> list[str]:
    """The columns of a header read as a roster that a lab file has, and a roster does not."""
    return [
        f"{cmap.header[index]!r} is a result's {role}"
        for role in RESULT_ROLES
        for index in cmap.roles.get(role, ())
    ]


def unused_columns(cmap: ColumnMap) -> list[int]:
    """The named columns no role reads."""
    used = {index for indexes in cmap.roles.values() for index in indexes}
    used.update(cmap.analyte_columns)
    return [i for i, text in enumerate(cmap.header) if text.strip() and i not in used]


def _need_met(need: str, roles: Mapping[str, list[int]]) -> bool:
    if need == "test or code":
        return "test" in roles or "code" in roles
    return need in roles


def layout_from_mapping(header: list[str], mapping: Mapping[str, Any]) -> ColumnMap:
    """A user's saved mapping: {"layout": "long", "columns": {"mrn": "Pt No", ...}}."""
    layout = str(mapping.get("layout", "long"))
    if layout not in ("long", "wide", "roster"):
        raise ImportFileError(f"Mapping layout {layout!r} is not one of long, wide, roster.")
    columns = mapping.get("columns") or {}
    if not isinstance(columns, Mapping):
        raise ImportFileError("Mapping 'columns' must map roles to column names.")
    stripped = [h.strip().lstrip("\ufeff") for h in header]
    lowered = [h.lower() for h in stripped]
    roles: dict[str, list[int]] = {}
    absent: list[str] = []
    for role, column in columns.items():
        if role not in ROLE_SYNONYMS:
            raise ImportFileError(
                f"Mapping names an unknown role {role!r}; roles are: {', '.join(ROLE_SYNONYMS)}."
            )
        names = [column] if isinstance(column, str) else list(column)
        for col in names:
            if str(col).strip().lower() in lowered:
                roles.setdefault(role, []).append(lowered.index(str(col).strip().lower()))
            else:
                absent.append(str(col))
    if absent:
        raise UnknownLayoutError(
            "The mapping names columns this file does not have: "
            + ", ".join(repr(a) for a in absent)
            + ". Found: "
            + ", ".join(repr(h) for h in stripped if h),
            stripped,
            absent,
        )
    analyte_columns: dict[int, tuple[str, str, str]] = {}
    for col, spec in (mapping.get("analytes") or {}).items():
        if str(col).strip().lower() not in lowered:
            raise UnknownLayoutError(
                f"The mapping names a missing column {col!r}.", stripped, [col]
            )
        index = lowered.index(str(col).strip().lower())
        spec_map = spec if isinstance(spec, Mapping) else {"analyte": spec}
        analyte_columns[index] = (
            header[index],
            str(spec_map["analyte"]),
            str(spec_map.get("unit", "")),
        )
    cmap = ColumnMap(
        layout, roles, analyte_columns, header, name=str(mapping.get("name", "mapping"))
    )
    needed = {
        "long": ("mrn", "collected", "value"),
        "wide": ("mrn", "collected"),
        "roster": ("mrn",),
    }
    missing = [r for r in needed[layout] if r not in roles]
    if layout == "long" and "test" not in roles and "code" not in roles:
        missing.append("test or code")
    if layout == "wide" and not analyte_columns:
        missing.append("analytes")
    if missing:
        raise UnknownLayoutError(
            f"The mapping does not say which column holds: {', '.join(missing)}.", stripped, missing
        )
    return cmap
