#!/usr/bin/env bash
# Install portflow into .venv and run the scripted scenario of examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade "pip>=25.1"
.venv/bin/python -m pip install --quiet --editable .
.venv/bin/python examples/number_check.py
