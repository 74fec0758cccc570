"""The docs keep up with the code: every command and option is documented, every cited decision
and docs page exists."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from irae_desktop.cli import grade_cmd, held_cmd, labs_cmd, treatments_cmd
from irae_desktop.cli.main import build_parser

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
ARCHITECTURE = (DOCS / "architecture.md").read_text(encoding="utf-8")
CLINICAL = (DOCS / "clinical-reference.md").read_text(encoding="utf-8")
CITING = ("irae_desktop", "tests", "benchmarks", "packaging")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_every_command_and_option_is_in_the_contract() -> None:
    for name, parser in _subcommands().items():
        assert f"irae-desktop {name}" in ARCHITECTURE, name
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in ARCHITECTURE, f"{name} {option}"
    assert "--db URL" in ARCHITECTURE and "--version" in ARCHITECTURE


def test_csv_columns_are_in_the_contract() -> None:
    assert ", ".join(labs_cmd.COLUMNS) in ARCHITECTURE.replace("\n", " ")
    assert ", ".join(treatments_cmd.COLUMNS) in ARCHITECTURE.replace("\n", " ")
    assert ", ".join(held_cmd.COLUMNS) in ARCHITECTURE.replace("\n", " ")
    for column in grade_cmd.COLUMNS:
        assert f"`{column}`" in ARCHITECTURE, column


def test_decisions_are_numbered_1_to_15() -> None:
    decisions = CLINICAL.split("## 5. Product decisions", 1)[1].split("\n## ", 1)[0]
    numbers = [int(n) for n in re.findall(r"^ ?(\d+)\. \*\*", decisions, re.M)]
    assert numbers == list(range(1, 16))


def _sources() -> list[tuple[str, str]]:
    found = []
    for folder in CITING:
        for path in sorted((REPO / folder).rglob("*.py")):
            found.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8")))
    return found


def test_cited_decisions_and_pages_exist() -> None:
    for name, text in _sources():
        flat = " ".join(text.split())
        for cited in re.findall(r"decisions? (\d+)(?: and (\d+))?", flat):
            for number in filter(None, cited):
                assert 1 <= int(number) <= 15, f"{name}: decision {number}"
        for page in re.findall(r"docs/([\w-]+\.md)", flat):
            assert (DOCS / page).is_file(), f"{name}: docs/{page}"
