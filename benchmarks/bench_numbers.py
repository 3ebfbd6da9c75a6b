"""Benchmark number parsing, block parsing and the overlap check against their targets.

Run ``.venv/bin/python benchmarks/bench_numbers.py`` for the full run (about a
minute; exit code 1 when a target is missed) or add ``--quick`` for a smoke run
of a second or two whose targets are shown but not enforced. Every ratio compares
figures measured in the same run, interleaved, so the machine's drift cancels.
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import phonenumbers

import portflow
from _harness import Case, Row, compare, print_machine, print_table
from portflow import NumberBlock, PhoneNumber

PACKAGES = ("portflow", "phonenumbers", "pendulum", "holidays", "transitions", "attrs")

# Fixed lines and mobiles of the three first-class countries, written nationally
# and internationally (+ and 00), with the separators people use.
SINGLES: tuple[tuple[str, str], ...] = (
    ("044 632 11 11", "CH"),
    ("+41 44 632 11 11", "CH"),
    ("0041 21 234 56 78", "CH"),
    ("078 123 45 67", "CH"),
    ("+41 78 123 45 67", "CH"),
    ("031/322 21 11", "CH"),
    ("08-123 456 78", "SE"),
    ("+46 8 123 456 78", "SE"),
    ("070-123 45 67", "SE"),
    ("+46 70 123 45 67", "SE"),
    ("0046 31 123 45 67", "SE"),
    ("08-12 34 56", "SE"),
    ("21 23 45 67", "NO"),
    ("+47 21 23 45 67", "NO"),
    ("40 61 23 45", "NO"),
    ("+47 406 12 345", "NO"),
    ("0047 22 12 34 56", "NO"),
    ("22 12 34 56", "NO"),
)

# DDI blocks of one to three wildcards, national and international.
BLOCKS: tuple[tuple[str, str], ...] = (
    ("044 632 11 xx", "CH"),
    ("+41 21 234 56 7x", "CH"),
    ("031 322 2xxx", "CH"),
    ("08-123 456 xx", "SE"),
    ("+46 31 123 45 xx", "SE"),
    ("070-123 4x xx", "SE"),
    ("21 23 45 6x", "NO"),
    ("+47 22 12 3x xx", "NO"),
    ("40 61 23 xx", "NO"),
)

# Where the generated entries of the overlap check live: (country, the E.164
# start, how many digits follow it). Each range is cut into slots of 1,000
# numbers; every generated entry gets a slot of its own, so entries overlap only
# where an overlap is made on purpose.
RANGES: tuple[tuple[str, str, int], ...] = (
    *(("CH", f"+41{lead}", 8) for lead in "23456789"),
    ("SE", "+468", 7),
    ("SE", "+468", 8),
    ("SE", "+4631", 7),
    ("SE", "+4670", 7),
    ("SE", "+4673", 7),
    *(("NO", f"+47{lead}", 7) for lead in "2345679"),
)
SLOT_DIGITS = 3
BLOCK_SHARE = 0.10
OVERLAP_SHARE = 0.01
SEED = 20261123


@dataclass(frozen=True, slots=True)
class Settings:
    """Sizes and repeats of one run."""

    loops: int
    repeats: int
    sizes: tuple[int, ...]
    size_repeats: int
    limited_size: int | None
    """The size whose overlap check must finish under a second, if measured."""


FULL = Settings(
    loops=100, repeats=21, sizes=(10_000, 100_000, 1_000_000), size_repeats=7, limited_size=100_000
)
QUICK = Settings(
    loops=5, repeats=3, sizes=(1_000, 3_000, 10_000), size_repeats=2, limited_size=None
)

NUMBER_TARGET = 1.2
BLOCK_TARGET = 2.5
GROWTH_MARGIN = 1.25
"""Highest growth of time / (n log n) as a multiple of the growth of ``sorted()``.

At this machine's sizes the memory hierarchy alone makes a plain ``sorted()`` of
the keys grow faster than n log n, so the growth of the overlap check is held
against that reference, with a margin for noise, rather than against 1.
"""
OVERLAP_LIMIT_NS = 1e9
LOOPED_ENTRIES = 100_000


def _loop(
    func: Callable[[str, str], object], texts: Sequence[tuple[str, str]]
) -> Callable[[], None]:
    def run() -> None:
        for text, country in texts:
            func(text, country)

    return run


def _phonenumbers_baseline(text: str, country: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(text, country))


def _phonenumbers_calls_of_portflow(text: str, country: str) -> str:
    parsed = phonenumbers.parse(text, country)
    phonenumbers.is_valid_number_for_region(parsed, country)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _check_inputs() -> None:
    """Refuse to time texts that do not parse: a benchmark of errors measures nothing."""
    for text, country in SINGLES:
        if not _phonenumbers_baseline(text, country):
            raise SystemExit(f"{text!r} is not a valid number of {country}")
        portflow.parse_number(text, country)
    for text, country in BLOCKS:
        portflow.parse_block(text, country)


def bench_singles(settings: Settings) -> bool:
    """Compare ``parse_number`` with a bare ``phonenumbers.parse`` + ``is_valid_number``."""
    ops = len(SINGLES)
    baseline = "phonenumbers parse + is_valid_number"
    timings = compare(
        [
            Case(baseline, _loop(_phonenumbers_baseline, SINGLES), ops, settings.loops),
            Case(
                "portflow.parse_number", _loop(portflow.parse_number, SINGLES), ops, settings.loops
            ),
            Case(
                "phonenumbers calls portflow makes (for information)",
                _loop(_phonenumbers_calls_of_portflow, SINGLES),
                ops,
                settings.loops,
            ),
        ],
        repeats=settings.repeats,
    )
    return print_table(
        f"Single numbers (µs per number, {ops} CH/SE/NO texts)",
        [
            Row(timings[baseline]),
            Row(timings["portflow.parse_number"], target=NUMBER_TARGET),
            Row(timings["phonenumbers calls portflow makes (for information)"]),
        ],
        baseline=baseline,
    )


def bench_blocks(settings: Settings) -> bool:
    """Compare ``parse_block`` with ``parse_number`` of each block's first member."""
    ops = len(BLOCKS)
    first_members = tuple((text.replace("x", "0"), country) for text, country in BLOCKS)
    baseline = "portflow.parse_number (first member)"
    timings = compare(
        [
            Case(baseline, _loop(portflow.parse_number, first_members), ops, settings.loops),
            Case("portflow.parse_block", _loop(portflow.parse_block, BLOCKS), ops, settings.loops),
        ],
        repeats=settings.repeats,
    )
    return print_table(
        f"DDI blocks (µs per block, {ops} CH/SE/NO blocks of 1-3 wildcards)",
        [Row(timings[baseline]), Row(timings["portflow.parse_block"], target=BLOCK_TARGET)],
        baseline=baseline,
    )


def _slot_start(slot: int, starts: Sequence[int]) -> tuple[str, str]:
    """Return the country and the E.164 digits before the slot's last three."""
    index = bisect.bisect_right(starts, slot) - 1
    country, lead, digits = RANGES[index]
    width = digits - SLOT_DIGITS
    return country, f"{lead}{slot - starts[index]:0{width}d}"


def build_entries(size: int, rng: random.Random) -> tuple[list[PhoneNumber | NumberBlock], int]:
    """Return ``size`` shuffled entries and how many of them overlap an earlier one on purpose.

    90 % are single numbers and 10 % blocks of one to three wildcards, each in a
    slot of its own; then about 1 % more repeat a single, sit inside a block or
    nest a smaller block inside one.
    """
    starts: list[int] = []
    total = 0
    for _, _, digits in RANGES:
        starts.append(total)
        total += 10 ** (digits - SLOT_DIGITS)
    overlapping = int(size * OVERLAP_SHARE)
    entries: list[PhoneNumber | NumberBlock] = []
    for slot in rng.sample(range(total), size - overlapping):
        country, start = _slot_start(slot, starts)
        if rng.random() < BLOCK_SHARE:
            wildcards = rng.randint(1, SLOT_DIGITS)
            fixed = SLOT_DIGITS - wildcards
            inner = f"{rng.randrange(10**fixed):0{fixed}d}" if fixed else ""
            entries.append(NumberBlock(start + inner, wildcards, country))
        else:
            entries.append(PhoneNumber(f"{start}{rng.randrange(1000):03d}", country))
    entries.extend(_overlapping(source, rng) for source in rng.sample(entries, overlapping))
    rng.shuffle(entries)
    return entries, overlapping


def _overlapping(
    source: PhoneNumber | NumberBlock, rng: random.Random
) -> PhoneNumber | NumberBlock:
    """Return an entry that overlaps ``source``: a repeat, a member or a nested block."""
    if isinstance(source, PhoneNumber):
        return PhoneNumber(source.e164, source.country)
    if source.wildcards > 1 and rng.random() < 0.5:
        return NumberBlock(
            source.prefix + str(rng.randrange(10)), source.wildcards - 1, source.country
        )
    width = source.wildcards
    return PhoneNumber(f"{source.prefix}{rng.randrange(10**width):0{width}d}", source.country)


def _sort_keys(entries: Sequence[PhoneNumber | NumberBlock]) -> list[str]:
    return [entry.e164 if isinstance(entry, PhoneNumber) else entry.prefix for entry in entries]


def bench_overlaps(settings: Settings) -> bool:
    """Time ``find_overlaps`` at growing sizes and compare the growth with n log n.

    Its growth is also compared with that of ``sorted()`` of the entries' keys at
    the same sizes, an O(n log n) step that meets the same cache misses.
    """
    rng = random.Random(SEED)
    cases: list[Case] = []
    references: list[Case] = []
    expected: list[int] = []
    for size in settings.sizes:
        entries, overlapping = build_entries(size, rng)
        found = len(portflow.find_overlaps(entries))
        if found != overlapping:
            raise SystemExit(
                f"find_overlaps found {found} overlaps in {size:,} entries, not {overlapping:,}"
            )
        keys = _sort_keys(entries)
        # Small sizes run several times per repeat, so no repeat is shorter than ~0.1 s.
        loops = max(1, LOOPED_ENTRIES // size)
        check = partial(portflow.find_overlaps, entries)
        cases.append(Case(f"{size:,} entries", check, loops=loops))
        references.append(Case(f"sorted() of {size:,} keys", partial(sorted, keys), loops=loops))
        expected.append(overlapping)
    timings = compare([*cases, *references], repeats=settings.size_repeats, warmup=0)
    rows: list[Row] = []
    smallest = settings.sizes[0]
    for size, case, reference, overlapping in zip(
        settings.sizes, cases, references, expected, strict=True
    ):
        timing = timings[case.name]
        sort_growth = (timings[reference.name].best_ns / (size * math.log(size))) / (
            timings[references[0].name].best_ns / (smallest * math.log(smallest))
        )
        rows.append(
            Row(
                timing,
                target=None if size == smallest else GROWTH_MARGIN * max(1.0, sort_growth),
                limit_ns=OVERLAP_LIMIT_NS if size == settings.limited_size else None,
                work=size * math.log(size),
                extra=(
                    f"{timing.best_ns / size / 1e3:.2f}",
                    f"{overlapping:,}",
                    f"{sort_growth:.2f}x",
                ),
            )
        )
    return print_table(
        "Overlap check (find_overlaps; ratio = time / (n log n), normalised to the smallest n)",
        rows,
        baseline=cases[0].name,
        unit="ms",
        extra_headers=("µs per entry", "overlaps found", "sorted() growth"),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; return 1 if a full run missed a target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; targets not enforced")
    quick = parser.parse_args(argv).quick
    settings = QUICK if quick else FULL
    _check_inputs()
    print(f"## portflow number benchmarks ({'quick' if quick else 'full'} run)\n")
    print_machine(PACKAGES)
    met = [bench_singles(settings), bench_blocks(settings), bench_overlaps(settings)]
    if quick:
        print("\nQuick run: sizes shrunk, targets shown but not enforced.")
        return 0
    print(f"\n{'All targets met.' if all(met) else 'A target was missed.'}")
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
