"""A first look at a CSV file for the column-mapping dialog: header, a few rows, what was found."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from irae_desktop.domain.analytes import lookup_analyte
from irae_desktop.importers.csv_layouts import ROLE_SYNONYMS
from irae_desktop.importers.csv_reader import CsvSource, sniff_delimiter
from irae_desktop.importers.errors import ImportFileError, UnknownLayoutError
from irae_desktop.importers.sniff import inspect_file, open_text

ROLES = tuple(ROLE_SYNONYMS)


@dataclass
class CsvPreview:
    header: list[str]
    rows: list[list[str]]
    delimiter: str
    encoding: str
    # the layout recognised without a mapping and its roles -> column names; "" when none
    layout: str = ""
    roles: dict[str, list[str]] = field(default_factory=dict)
    problem: str = ""


def preview_csv(path: str | Path, *, rows: int = 10) -> CsvPreview:
    """Reads the header and the first `rows` rows; ImportFileError if it is not a usable CSV."""
    facts = inspect_file(Path(path), "csv")
    text, _ = open_text(facts)
    with text:
        header_line = ""
        for line in text:
            if line.strip():
                header_line = line
                break
        if not header_line:
            raise ImportFileError(f"{facts.path.name}: the file has no header and no rows.")
        delimiter = sniff_delimiter(header_line)
        header = [h.strip() for h in next(csv.reader([header_line], delimiter=delimiter))]
        reader = csv.reader(text, delimiter=delimiter)
        sample = [row for _, row in zip(range(rows), reader, strict=False)]
    result = CsvPreview(header, sample, delimiter, facts.encoding)
    try:
        # as the import will see it: a header read as a roster whose columns hold results is
        # refused here too
        source = CsvSource(facts, lambda t: lookup_analyte(t) is not None)
    except UnknownLayoutError as exc:
        result.problem = str(exc)
        return result
    source.close()
    cmap = source.columns
    result.layout = cmap.name or cmap.layout
    result.roles = {role: [header[i] for i in idx] for role, idx in cmap.roles.items()}
    return result
