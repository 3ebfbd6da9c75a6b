#!/usr/bin/env bash
# Install the package with every dev tool into .venv, then run all quality gates.
set -euo pipefail
export DISABLE_MKDOCS_2_WARNING=true NO_MKDOCS_2_WARNING=1
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade "pip>=25.1"
.venv/bin/python -m pip install --quiet --editable . --group dev
echo "== ruff check";         .venv/bin/ruff check .
echo "== ruff format";        .venv/bin/ruff format --check .
echo "== mypy --strict";      .venv/bin/mypy --strict src tests/test_typed_usage.py
echo "== pytest";             .venv/bin/pytest
echo "== mkdocs build";       .venv/bin/mkdocs build --strict --site-dir "$(mktemp -d)"
