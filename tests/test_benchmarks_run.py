import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "bench_numbers.py"


def test_number_benchmark_quick_run_prints_every_table():
    """bench_numbers.py --quick exits 0 and prints the machine and all three result tables."""
    run = subprocess.run(  # noqa: S603 - runs our own script with this interpreter
        [sys.executable, str(BENCHMARK), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
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
