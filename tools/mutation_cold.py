"""Judges surviving domain mutants again, each in a fresh Python process (empty caches).

mutmut forks its workers from the process that ran the clean tests, where the criteria, analyte
and grade caches are already filled; a mutant in code whose result was cached then looks as if
it survived. Here each mutant runs the domain tests in a new process with mutmut's switch
(MUTANT_UNDER_TEST) set, from the mutants/ copy `tools/mutation.sh` made.

Usage: python tools/mutation_cold.py MODULE [MODULE ...]  (e.g. units alerts criteria)
MUTATION_TESTS="tests/domain/test_a.py tests/domain/test_b.py" runs only those test files.
Prints one line per mutant, "killed" or "survived", and a count per module at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mutmut.__main__ import SourceFileMutationData, status_by_exit_code, walk_mutatable_files

MUTANTS = Path("mutants")


def survivors(modules: list[str]) -> list[tuple[str, str]]:
    found = []
    for path in walk_mutatable_files():
        if path.stem not in modules:
            continue
        data = SourceFileMutationData(path=path)
        data.load()
        for name, code in data.exit_code_by_key.items():
            if status_by_exit_code[code] == "survived":
                found.append((path.stem, name))
    return sorted(found, key=lambda item: modules.index(item[0]))


def judge(name: str) -> bool:
    """True when the domain tests fail with this mutant switched on (it is killed)."""
    env = {**os.environ, "MUTANT_UNDER_TEST": name, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly"]
    # MUTATION_TESTS narrows the tests (a kill still counts; a survival is then not final)
    command += ["-p", "no:cacheprovider", *os.environ.get("MUTATION_TESTS", "tests/domain").split()]
    done = subprocess.run(command, cwd=MUTANTS, env=env, capture_output=True, check=False)
    return done.returncode != 0


def main(modules: list[str]) -> None:
    todo = survivors(modules)
    counts: dict[str, Counter[str]] = {m: Counter() for m in modules}
    with ThreadPoolExecutor(max_workers=int(os.environ.get("MUTATION_JOBS", "2"))) as pool:
        for (module, name), killed in zip(todo, pool.map(judge, [n for _, n in todo]), strict=True):
            verdict = "killed" if killed else "survived"
            counts[module][verdict] += 1
            print(f"{name}: {verdict}", flush=True)
    for module in modules:
        print(f"## {module}: {dict(counts[module])}")


if __name__ == "__main__":
    main(sys.argv[1:])
