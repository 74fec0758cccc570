"""Modules stay small enough to read in one sitting: none of the package's modules passes 500
lines (docs/architecture.md, Conventions)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "irae_desktop"
MOST_LINES = 500


def modules_over(limit: int, root: Path) -> dict[str, int]:
    sizes = {
        str(path.relative_to(root)): len(path.read_text(encoding="utf-8").splitlines())
        for path in root.rglob("*.py")
    }
    return {name: lines for name, lines in sizes.items() if lines > limit}


def test_no_module_passes_the_limit() -> None:
    assert modules_over(MOST_LINES, PACKAGE) == {}


def test_the_check_sees_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "long.py").write_text("x = 1\n" * (MOST_LINES + 1), encoding="utf-8")
    (tmp_path / "short.py").write_text("x = 1\n" * MOST_LINES, encoding="utf-8")
    assert modules_over(MOST_LINES, tmp_path) == {"long.py": MOST_LINES + 1}
