"""Lists the domain's surviving mutants with their one-line change, grouped by module, each
with its reason when docs/mutation-equivalents.txt explains it (else "OPEN"; a reason that begins
"open:" counts as open), and the totals.

Run after `tools/mutation.sh` (from the repository root): reads mutmut's results in mutants/.
Usage: python tools/mutation_survivors.py [module ...]   (e.g. grading units; default: all)
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.__main__ import (  # mutmut 3: the same functions its `results` and `show` use
    SourceFileMutationData,
    status_by_exit_code,
    walk_mutatable_files,
)
from mutmut.mutation.diff_apply import get_diff_for_mutant

EXPLAINED = Path(__file__).resolve().parent.parent / "docs" / "mutation-equivalents.txt"


def _reasons() -> dict[str, str]:
    """module.mutant -> why it cannot be killed (one line each; # starts a comment)."""
    out: dict[str, str] = {}
    if EXPLAINED.exists():
        for line in EXPLAINED.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, why = line.partition(": ")
                out[key.strip()] = why.strip()
    return out


def main(wanted: list[str]) -> None:
    reasons = _reasons()
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        module = path.stem
        for name, code in data.exit_code_by_key.items():
            status = status_by_exit_code[code]
            totals[module][status] += 1
            if status not in ("survived", "no tests"):
                continue
            short = name.rsplit(".", 1)[-1]
            why = reasons.get(f"{module}.{short}")
            # a reason that begins "open:" describes a survivor not yet killed or explained away
            explained = why is not None and not why.startswith("open")
            totals[module]["explained" if explained else "open"] += 1
            if not wanted or module in wanted:
                diff = get_diff_for_mutant(name, path=path)
                changed = [line for line in diff.splitlines()[2:] if line[:1] in "-+"]
                survivors[module].append(
                    f"{short} [{status}]: "
                    + " | ".join(line.strip() for line in changed)
                    + f"  -- {why or 'OPEN'}"
                )
    grand: Counter[str] = Counter()
    for module in sorted(totals):
        counts = totals[module]
        grand.update(counts)
        if wanted and module not in wanted:
            continue
        print(f"## {module}: {_summary(counts)}")
        for line in survivors[module]:
            print("   ", line)
    if not wanted:
        print(f"## all of domain/: {_summary(grand)}")


def _summary(counts: Counter[str]) -> str:
    mutants = sum(v for k, v in counts.items() if k not in ("explained", "open"))
    judged = mutants - counts["not checked"]
    killed = counts["killed"] + counts["timeout"]
    parts = [
        f"{mutants} mutants",
        f"{killed} killed",
        f"{counts['survived'] + counts['no tests']} not killed "
        f"({counts['explained']} explained, {counts['open']} open)",
    ]
    if counts["not checked"]:
        parts.append(f"{counts['not checked']} not judged")
    rate = f"{100 * killed / judged:.1f}%" if judged else "-"
    without = judged - counts["explained"]
    rate2 = f"{100 * killed / without:.1f}%" if without else "-"
    return ", ".join(parts) + f"; killed {rate} of judged, {rate2} of judged less explained"


if __name__ == "__main__":
    main(sys.argv[1:])
