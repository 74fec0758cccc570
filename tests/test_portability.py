"""Source checks for what breaks on Windows but passes on Linux.

Python opens text files in the locale's encoding unless told otherwise: UTF-8 on most Linux
machines, but cp1252 (or another code page) on a Windows workstation, where a name like "Zoë" or
a unit like "µmol/L" would be written and read differently. ruff's PLW1514 catches `open()` and
`Path(...)` calls, but not a path built as `tmp_path / "x"`; this walks the syntax tree of every
module and names each text-mode open, read_text or write_text call that does not give its encoding.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHECKED = ("irae_desktop", "tests", "benchmarks", "packaging")
# receivers whose .open() is not a file in text mode
NOT_TEXT_FILES = {"os", "Image", "webbrowser"}


def _mode(call: ast.Call, position: int) -> str:
    for keyword in call.keywords:
        if keyword.arg == "mode":
            value = keyword.value
            return value.value if isinstance(value, ast.Constant) else "?"
    if len(call.args) > position:
        arg = call.args[position]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
        return "?"
    return "r"


def _names_encoding(call: ast.Call, func: ast.expr) -> bool:
    if any(keyword.arg == "encoding" for keyword in call.keywords):
        return True
    positional = len(call.args)
    if isinstance(func, ast.Name):  # open(file, mode, buffering, encoding)
        return positional > 3
    assert isinstance(func, ast.Attribute)
    # Path.read_text(encoding), Path.write_text(data, encoding), Path.open(mode, buffering, enc.)
    return positional > {"read_text": 0, "write_text": 1, "open": 2}[func.attr]


def _ascii_literal(call: ast.Call) -> bool:
    data = call.args[0] if call.args else None
    return isinstance(data, ast.Constant) and isinstance(data.value, str) and data.value.isascii()


def unnamed_encodings(source: str, filename: str) -> list[str]:
    """`file:line: call` for each text-mode file call in `source` without an encoding."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "open":
            mode = _mode(node, 1)
        elif isinstance(func, ast.Attribute) and func.attr in ("read_text", "write_text"):
            if func.attr == "write_text" and _ascii_literal(node):
                continue  # the same bytes in every encoding a Windows locale can have
            mode = "r"
        elif isinstance(func, ast.Attribute) and func.attr == "open":
            receiver = func.value
            if isinstance(receiver, ast.Name) and receiver.id in NOT_TEXT_FILES:
                continue
            if not node.args and not node.keywords:
                continue  # a Qt dialog's open(); Path.open() always passes something here
            mode = _mode(node, 0)
        else:
            continue
        if "b" in mode or _names_encoding(node, func):
            continue
        found.append(f"{filename}:{node.lineno}: {ast.unparse(node)[:80]}")
    return found


def test_every_text_file_names_its_encoding() -> None:
    problems: list[str] = []
    for folder in CHECKED:
        for path in sorted((REPO / folder).rglob("*.py")):
            name = str(path.relative_to(REPO))
            problems += unnamed_encodings(path.read_text(encoding="utf-8"), name)
    assert not problems, "give these an encoding (utf-8):\n" + "\n".join(problems)


def test_the_check_finds_what_it_looks_for() -> None:
    bad = "\n".join(
        [
            "open('a.csv')",
            "open('a.csv', 'w', newline='')",
            "(tmp / 'x').write_text('Zoë')",
            "(tmp / 'x').read_text()",
            "path.open('w', newline='')",
        ]
    )
    good = "\n".join(
        [
            "open('a.csv', encoding='utf-8')",
            "open('a.bin', 'rb')",
            "path.open(mode='wb')",
            "(tmp / 'x').write_text('Zoë', 'utf-8')",
            "(tmp / 'x').read_text('utf-8')",
            "dialog.open()",
            "(tmp / 'x').write_text('plain ascii')",
            "os.open(path, flags, 0o600)",
        ]
    )
    assert [line.split(":")[1] for line in unnamed_encodings(bad, "bad.py")] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    assert unnamed_encodings(good, "good.py") == []
