#!/usr/bin/env bash
# Install portflow into .venv and run a scripted quarter of porting traffic on the
# embedded SQLite store (portflow-demo.db here; delete it to start afresh).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade "pip>=25.1"
.venv/bin/python -m pip install --quiet --editable .
rm -f portflow-demo.db portflow-demo.db-wal portflow-demo.db-shm
.venv/bin/python examples/simulate_ports.py --orders 60 --seed 8 --db portflow-demo.db
