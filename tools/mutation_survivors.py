"""Lists the domain's surviving mutants with their one-line change, grouped by module.

Run after `tools/mutation.sh` (from the repository root): reads mutmut's results in mutants/.
Usage: python tools/mutation_survivors.py [module ...]   (e.g. grading units; default: all)
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

from mutmut.__main__ import (  # mutmut 3: the same functions its `results` and `show` use
    SourceFileMutationData,
    status_by_exit_code,
    walk_mutatable_files,
)
from mutmut.mutation.diff_apply import get_diff_for_mutant


def main(wanted: list[str]) -> None:
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        module = path.stem
        for name, code in data.exit_code_by_key.items():
            status = status_by_exit_code[code]
            totals[module][status] += 1
            if status in ("survived", "no tests") and (not wanted or module in wanted):
                diff = get_diff_for_mutant(name, path=path)
                changed = [line for line in diff.splitlines()[2:] if line[:1] in "-+"]
                survivors[module].append(
                    f"{name.rsplit('.', 1)[-1]} [{status}]: "
                    + " | ".join(line.strip() for line in changed)
                )
    for module in sorted(totals):
        if wanted and module not in wanted:
            continue
        counts = totals[module]
        done = sum(counts.values()) - counts["not checked"]
        killed = counts["killed"] + counts["timeout"]
        rate = f"{100 * killed / done:.1f}%" if done else "-"
        print(f"## {module}: {dict(counts)} killed {killed}/{done} = {rate}")
        for line in survivors[module]:
            print("   ", line)


if __name__ == "__main__":
    main(sys.argv[1:])
