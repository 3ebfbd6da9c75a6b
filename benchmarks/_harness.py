"""A small timing harness shared by the benchmarks.

Cases are timed in interleaved rounds (A, B, C, A, B, C, ...) so that the drift
of a noisy machine hits every case alike; only ratios within one run mean
anything. The garbage collector is collected before and disabled during each
timed repeat, and restored after it.
"""

from __future__ import annotations

import gc
import importlib.metadata
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Case:
    """Something to time: ``func`` is called ``loops`` times per repeat, doing ``ops`` each."""

    name: str
    func: Callable[[], object]
    ops: int = 1
    """Operations one call of ``func`` performs (the figures are per operation)."""
    loops: int = 1
    """Calls of ``func`` in one timed repeat."""


@dataclass(frozen=True, slots=True)
class Timing:
    """The nanoseconds per operation of each repeat of one case."""

    name: str
    samples_ns: tuple[float, ...]

    @property
    def best_ns(self) -> float:
        """The fastest repeat: the cost with the least interference."""
        return min(self.samples_ns)

    @property
    def median_ns(self) -> float:
        """The median repeat: the typical cost."""
        return statistics.median(self.samples_ns)


def time_once(case: Case) -> float:
    """Return the nanoseconds per operation of one repeat, run with the GC disabled."""
    func, loops = case.func, range(case.loops)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in loops:
            func()
        elapsed = time.perf_counter_ns() - start
    finally:
        if was_enabled:
            gc.enable()
    return elapsed / (case.loops * case.ops)


def compare(cases: Sequence[Case], *, repeats: int, warmup: int = 1) -> dict[str, Timing]:
    """Time ``cases`` in ``repeats`` interleaved rounds after ``warmup`` untimed calls each."""
    for case in cases:
        for _ in range(warmup):
            case.func()
    samples: dict[str, list[float]] = {case.name: [] for case in cases}
    for _ in range(repeats):
        for case in cases:
            samples[case.name].append(time_once(case))
    return {name: Timing(name, tuple(values)) for name, values in samples.items()}


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a results table.

    The ratio compares best time per unit of ``work`` with the baseline row's;
    with ``work = n * log(n)`` it is the growth normalised to the baseline size.
    """

    timing: Timing
    target: float | None = None
    """Highest acceptable ratio against the baseline, or none (a figure for information)."""
    limit_ns: float | None = None
    """Highest acceptable best time per operation, or none."""
    work: float = 1.0
    extra: tuple[str, ...] = ()
    """Values of the table's extra columns."""

    @property
    def checked(self) -> bool:
        """Whether the row has a target to pass."""
        return self.target is not None or self.limit_ns is not None


_UNITS = {"ns": 1.0, "µs": 1e3, "ms": 1e6, "s": 1e9}


def _figure(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def print_table(
    title: str,
    rows: Sequence[Row],
    *,
    baseline: str,
    unit: str = "µs",
    extra_headers: Sequence[str] = (),
) -> bool:
    """Print ``rows`` as a Markdown table with ratios against the row named ``baseline``.

    Returns:
        Whether every row with a target met it.
    """
    scale = _UNITS[unit]
    base = next(row for row in rows if row.timing.name == baseline)
    base_cost = base.timing.best_ns / base.work
    headers = ["case", f"best ({unit})", f"median ({unit})", *extra_headers]
    headers += ["ratio vs baseline", "target", "result"]
    print(f"\n### {title}\n")
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" if i == 0 else "--:" for i in range(len(headers))) + "|")
    all_met = True
    for row in rows:
        ratio = row.timing.best_ns / row.work / base_cost
        wanted: list[str] = []
        met = True
        if row.target is not None:
            wanted.append(f"≤ {row.target:.3g}x")
            met = met and ratio <= row.target
        if row.limit_ns is not None:
            wanted.append(f"< {_figure(row.limit_ns / scale)} {unit}")
            met = met and row.timing.best_ns < row.limit_ns
        result = ("PASS" if met else "FAIL") if row.checked else "—"
        if row is base:
            result = "baseline"
        all_met = all_met and met
        cells = [
            row.timing.name,
            _figure(row.timing.best_ns / scale),
            _figure(row.timing.median_ns / scale),
            *row.extra,
            f"{ratio:.2f}x",
            ", ".join(wanted) or "—",
            result,
        ]
        print("| " + " | ".join(cells) + " |")
    return all_met


def _cpu_model() -> str:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        cpuinfo = ""
    for line in cpuinfo.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def print_machine(packages: Sequence[str]) -> None:
    """Print the CPU, core count, Python and the versions of ``packages`` as a table."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cores = f"{os.cpu_count()} ({usable} usable)" if usable else str(os.cpu_count())
    python = f"{platform.python_implementation()} {platform.python_version()}"
    facts = [("CPU", _cpu_model()), ("cores", cores), ("Python", python)]
    facts += [(package, _version(package)) for package in packages]
    print("### Machine\n")
    print("| | |\n|---|---|")
    for name, value in facts:
        print(f"| {name} | {value} |")
