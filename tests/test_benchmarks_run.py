import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import POSTGRES_URL

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"
BENCHMARK = BENCHMARKS / "bench_numbers.py"
LIFECYCLE_BENCHMARK = BENCHMARKS / "bench_lifecycle.py"
STORES_BENCHMARK = BENCHMARKS / "bench_stores.py"


def _quick_run(script: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - runs our own script with this interpreter
        [sys.executable, str(script), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **env},
    )


def test_number_benchmark_quick_run_prints_every_table():
    """bench_numbers.py --quick exits 0 and prints the machine and all three result tables."""
    run = _quick_run(BENCHMARK)
    assert run.returncode == 0, run.stderr
    for header in (
        "### Machine",
        "### Single numbers",
        "### DDI blocks",
        "### Overlap check",
        "| case | best (µs) | median (µs) | ratio vs baseline | target | result |",
        "| case | best (ms) | median (ms) | µs per entry | overlaps found | sorted() growth |",
    ):
        assert header in run.stdout


def test_lifecycle_benchmark_quick_run_prints_every_table():
    """bench_lifecycle.py --quick exits 0 and prints the machine, costs, memory and targets.

    Only that it runs: the quick run's figures are too small to hold to a target.
    """
    run = _quick_run(LIFECYCLE_BENCHMARK)
    assert run.returncode == 0, run.stderr
    for header in (
        "### Machine",
        "### Cost per order",
        "| case | best (µs) | median (µs) | median vs (a) | median vs (b) |",
        "| (a) floor:",
        "| (b) bare shared transitions machine",
        "| (c) portflow:",
        "### Memory of live orders",
        "| **bytes per live order** |",
        "### Targets",
        "| check | measured (median) | measured (best) | target | result |",
        "| (c) / (b): portflow vs the bare shared machine |",
        "| (c) / (a): portflow vs the floor |",
        "| bytes per live order at ",
        "Quick run: sizes shrunk, targets shown but not enforced.",
    ):
        assert header in run.stdout


@pytest.mark.usefixtures("postgres_server")
def test_stores_benchmark_quick_run_prints_every_store():
    """bench_stores.py --quick exits 0 and times every store, PostgreSQL included."""
    run = _quick_run(STORES_BENCHMARK, PORTFLOW_BENCH_POSTGRES_URL=POSTGRES_URL)
    assert run.returncode == 0, run.stderr
    for header in (
        "### Machine",
        "### Port order lifecycle (",
        "### Reading one kept order (",
        "| store | best (ms) | median (ms) | median vs memory |",
        "| memory | ",
        "| SQLite file | ",
        "| PostgreSQL | ",
    ):
        assert header in run.stdout
    assert "No PostgreSQL answered" not in run.stdout
