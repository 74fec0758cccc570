#!/usr/bin/env bash
# Mutation testing of the clinical core (irae_desktop/domain) against tests/domain, on demand:
# not part of CI (a full run takes hours on 2 cores). Settings: [tool.mutmut] in pyproject.toml.
# Report and how to read it: docs/mutation-testing.md.
#
#   pip install -e '.[mutation]'
#   tools/mutation.sh                                  # every domain mutant not yet judged (resumes)
#   tools/mutation.sh 'irae_desktop.domain.units*'     # these mutants, judged again
#   tools/mutation.sh --cold units criteria            # survivors judged again with empty caches
#   python tools/mutation_survivors.py grading units   # kill rate and survivors per module
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
if [ "${1:-}" = "--cold" ]; then
  shift
  rm -rf mutants/tests && cp -r tests mutants/tests  # the tests as they are now
  nice -n 10 python tools/mutation_cold.py "$@"
  exit
fi
# low priority: the machine stays usable while it runs
nice -n 10 python -m mutmut run --max-children "${MUTATION_JOBS:-2}" "$@"
python tools/mutation_survivors.py
