#!/usr/bin/env bash
# Install portflow with its command into .venv, run a seeded season of porting traffic
# on the embedded SQLite store (portflow-demo.db here; made afresh each time), then
# list the orders that were cancelled and show one order's whole story.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade "pip>=25.1"
.venv/bin/python -m pip install --quiet --editable '.[cli]'
rm -f portflow-demo.db portflow-demo.db-wal portflow-demo.db-shm
.venv/bin/portflow simulate --orders 60 --seed 8 --db portflow-demo.db
.venv/bin/portflow orders --db portflow-demo.db --state cancelled
.venv/bin/portflow show PO-000004 --db portflow-demo.db
