#!/usr/bin/env bash
# Set up everything the tests need, then run them all. Used by CI (.ci/run) and by the README.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh all
export HF_HUB_OFFLINE=1 OMP_WAIT_POLICY=PASSIVE
.venv/bin/ruff check .
set +e
.venv/bin/python -m pytest -p no:cacheprovider -q --durations=15 "$@"
status=$?
set -e
# pytest exits 5 when it collected nothing: that is a failure here, not a pass.
exit $status
