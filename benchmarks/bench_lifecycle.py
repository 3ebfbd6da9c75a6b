"""Benchmark portflow's full port lifecycle against a bare state machine and a plain floor.

Three per-order costs, measured in one run on the same orders (one single Swiss
number each, PBX, ported at the donor contract's end):

- (a) the floor: a plain dict transition table, stdlib dates with a ``frozenset``
  of holidays, and ``phonenumbers.parse`` + ``is_valid_number`` of the number;
- (b) the same five transitions on one shared bare ``transitions`` machine
  (``Machine(model=None)``, ``machine.events[name].trigger(order)``), the same
  number validation, and the same date work done with pendulum and ``holidays``;
- (c) portflow: ``Engine.submit`` -> ``approve`` -> ``donor_confirms`` for every
  order, then one ``Engine.advance`` past the port instant that executes them
  all and delivers every notification due by then.

The five transitions of (a) and (b) are submit, approve, confirm, reschedule
(the donor moving a scheduled port, scheduled -> scheduled) and execute; the
date work is today's local date, the earliest feasible day (five business days
on), the contract end rolled back to a business day and the port instant in UTC.
The request is the tests' ``portflow.testing.samples.swiss_request`` with one number.

Targets: c <= 1.5 x b and c <= 4 x a (ratios of medians), and at most 2 KiB per
live order at 100,000 scheduled orders in one engine (``tracemalloc``).

Run ``.venv/bin/python benchmarks/bench_lifecycle.py`` for the full run (a few
minutes, most of it the 100,000-order memory run; exit code 1 when a target is
missed) or add ``--quick`` for a smoke run of a few seconds whose targets are
shown but not enforced. ``--profile`` prints where (c)'s time goes instead.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime as dt
import gc
import logging
import pstats
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pendulum
import phonenumbers
from transitions import Machine

from _harness import Case, compare, print_machine
from _harness import Timing as Cost
from portflow import Engine, ManualClock, OrderState, PortRequest, RecordingNotifier
from portflow.testing.samples import swiss_request

PACKAGES = ("portflow", "phonenumbers", "pendulum", "holidays", "transitions", "attrs")


@dataclasses.dataclass(frozen=True, slots=True)
class Settings:
    """Sizes and repeats of one run."""

    orders: int
    """Orders per timed repeat of each case."""
    repeats: int
    memory_orders: int
    """Live orders held in one engine for the memory figure."""


FULL = Settings(orders=2_000, repeats=9, memory_orders=100_000)
QUICK = Settings(orders=50, repeats=2, memory_orders=500)
PROFILED_ORDERS = 2_000

COST_TARGET_VS_MACHINE = 1.5
COST_TARGET_VS_FLOOR = 4.0
BYTES_TARGET = 2 * 1024

# --- the orders ---------------------------------------------------------------------

COUNTRY = "CH"
ZONE = "Europe/Zurich"
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
"""Where every engine's clock starts: a Monday, 09:00 in Zurich."""
AFTER_THE_PORTS = dt.datetime(2027, 4, 1, tzinfo=dt.UTC)
"""Past every port instant (2027-03-31 06:00 Zurich) and every notification."""
PORT_TIME = dt.time(6, 0)
"""The port time and binding end of ``swiss_request``; the check before timing compares."""
BINDING_END = dt.date(2027, 3, 31)
LEAD_BUSINESS_DAYS = 5
"""Business days from today to the earliest feasible port (the CH profile's)."""


def request_of(number: str) -> PortRequest:
    """Return the tests' Swiss PBX request (``swiss_request``) for one single number."""
    return swiss_request(numbers=(number,))


def number_text(index: int) -> str:
    """Return the ``index``-th number of the range ``+41 44 2xx xx xx`` (1,000,000 numbers)."""
    return f"+41 44 2{index // 10_000:02d} {index // 100 % 100:02d} {index % 100:02d}"


def number_texts(count: int) -> list[str]:
    """Return ``count`` distinct Swiss numbers, each checked with ``phonenumbers``."""
    texts = [number_text(index) for index in range(count)]
    for text in texts:
        if not phonenumbers.is_valid_number(phonenumbers.parse(text, COUNTRY)):
            raise SystemExit(f"{text!r} is not a valid number of {COUNTRY}")
    return texts


# --- the five transitions, as a table and as one bare machine --------------------------

TRIGGERS = ("submit", "approve", "confirm", "reschedule", "execute")
STATES = ("draft", "submitted", "requested", "scheduled", "completed")
TABLE: dict[tuple[str, str], str] = {
    ("draft", "submit"): "submitted",
    ("submitted", "approve"): "requested",
    ("requested", "confirm"): "scheduled",
    ("scheduled", "reschedule"): "scheduled",
    ("scheduled", "execute"): "completed",
}
TABLE_STEP = {trigger: (source, dest) for (source, trigger), dest in TABLE.items()}


def bare_machine() -> Machine:
    """Return one model-less machine of ``TABLE``, shared by every order."""
    # The advice for a machine that dispatches triggers: its logger at
    # WARNING (every trigger logs at INFO), the root logger untouched.
    logging.getLogger("transitions").setLevel(logging.WARNING)
    return Machine(
        model=None,
        states=list(STATES),
        transitions=[
            {"trigger": trigger, "source": source, "dest": dest}
            for (source, trigger), dest in TABLE.items()
        ],
        initial="draft",
        auto_transitions=False,
    )


class PlainOrder:
    """An order of (a) and (b): its number, port instant, state and history."""

    __slots__ = ("history", "number", "port_at", "state")

    def __init__(self, number: phonenumbers.PhoneNumber, port_at: dt.datetime) -> None:
        """Start a draft."""
        self.number = number
        self.port_at = port_at
        self.state = "draft"
        self.history: list[tuple[str, str, str]] = []


def _validated(text: str) -> phonenumbers.PhoneNumber:
    parsed = phonenumbers.parse(text, COUNTRY)
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"{text!r} is not a valid number of {COUNTRY}")
    return parsed


# (a): stdlib dates, holidays in a frozenset built once.
ZURICH = ZoneInfo(ZONE)
ONE_DAY = dt.timedelta(days=1)
HOLIDAY_YEARS = (2026, 2027)
HOLIDAY_DATES = frozenset(holidays.country_holidays(COUNTRY, subdiv="ZH", years=HOLIDAY_YEARS))


def _is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAY_DATES


def _port_at_stdlib(now: dt.datetime) -> dt.datetime:
    today = now.astimezone(ZURICH).date()
    earliest = today
    for _ in range(LEAD_BUSINESS_DAYS):
        earliest += ONE_DAY
        while not _is_business_day(earliest):
            earliest += ONE_DAY
    day = max(BINDING_END, today)  # no notice period: the contract ends at the binding end
    while not _is_business_day(day):
        day -= ONE_DAY
    if day < earliest:
        raise ValueError(f"{day} is before the earliest port date {earliest}")
    return dt.datetime.combine(day, PORT_TIME, tzinfo=ZURICH).astimezone(dt.UTC)


def floor_lifecycles(texts: Sequence[str]) -> list[PlainOrder]:
    """(a): validate, plan and run the five transitions of every number with a dict table."""
    table = TABLE
    orders = []
    for text in texts:
        order = PlainOrder(_validated(text), _port_at_stdlib(NOW))
        for trigger in TRIGGERS:
            source = order.state
            dest = table.get((source, trigger))
            if dest is None:
                raise ValueError(f"{trigger} is not allowed in {source}")
            order.history.append((trigger, source, dest))
            order.state = dest
        orders.append(order)
    return orders


# (b): pendulum dates, a holidays calendar built once. The zone is held here: pendulum
# finds a zone by name in zoneinfo's weak cache only while some object still holds it,
# and otherwise reads the zone file again (~90 µs a call instead of ~1 µs).
PENDULUM_ZONE = pendulum.timezone(ZONE)
HOLIDAY_CALENDAR = holidays.country_holidays(COUNTRY, subdiv="ZH", years=HOLIDAY_YEARS)
PENDULUM_BINDING_END = pendulum.Date(BINDING_END.year, BINDING_END.month, BINDING_END.day)


def _is_business_day_pendulum(day: pendulum.Date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAY_CALENDAR


def _port_at_pendulum(now: dt.datetime) -> dt.datetime:
    today = pendulum.instance(now).in_timezone(PENDULUM_ZONE).date()
    earliest = today
    for _ in range(LEAD_BUSINESS_DAYS):
        earliest = earliest.add(days=1)
        while not _is_business_day_pendulum(earliest):
            earliest = earliest.add(days=1)
    day = max(PENDULUM_BINDING_END, today)
    while not _is_business_day_pendulum(day):
        day = day.subtract(days=1)
    if day < earliest:
        raise ValueError(f"{day} is before the earliest port date {earliest}")
    local = pendulum.datetime(day.year, day.month, day.day, PORT_TIME.hour, tz=PENDULUM_ZONE)
    return local.in_timezone(pendulum.UTC)


def machine_lifecycles(machine: Machine, texts: Sequence[str]) -> list[PlainOrder]:
    """(b): validate, plan and fire the five triggers of every number on the shared machine."""
    events = [(trigger, machine.events[trigger]) for trigger in TRIGGERS]
    orders = []
    for text in texts:
        order = PlainOrder(_validated(text), _port_at_pendulum(NOW))
        for trigger, event in events:
            source = order.state
            event.trigger(order)
            order.history.append((trigger, source, order.state))
        orders.append(order)
    return orders


def machine_triggers_only(machine: Machine, count: int) -> int:
    """The five triggers of (b) on ``count`` orders, without the domain work (for information)."""
    events = [machine.events[trigger] for trigger in TRIGGERS]
    blank = phonenumbers.PhoneNumber()
    fired = 0
    for _ in range(count):
        order = PlainOrder(blank, NOW)
        for event in events:
            fired += event.trigger(order)
    return fired


# --- (c): portflow -----------------------------------------------------------------------


@dataclasses.dataclass(slots=True)
class PortflowRun:
    """Runs (c) on prebuilt requests and keeps the nanoseconds of each step, summed per run."""

    requests: Sequence[PortRequest]
    steps_ns: dict[str, list[int]]

    @classmethod
    def of(cls, texts: Sequence[str]) -> PortflowRun:
        """Prepare a run over one request per number."""
        steps: dict[str, list[int]] = {
            "submit": [],
            "approve": [],
            "donor_confirms": [],
            "advance": [],
        }
        return cls([request_of(text) for text in texts], steps)

    def __call__(self) -> Engine:
        """Take every order through its lifecycle in a new engine; return the engine."""
        clock = time.perf_counter_ns
        engine = Engine.in_memory(COUNTRY, now=NOW)
        submit = approve = confirm = 0
        for request in self.requests:
            start = clock()
            order_id = engine.submit(request).id
            submitted = clock()
            engine.approve(order_id)
            approved = clock()
            engine.donor_confirms(order_id)
            confirmed = clock()
            submit += submitted - start
            approve += approved - submitted
            confirm += confirmed - approved
        start = clock()
        engine.advance(AFTER_THE_PORTS)
        advance = clock() - start
        for step, spent in zip(self.steps_ns, (submit, approve, confirm, advance), strict=True):
            self.steps_ns[step].append(spent)
        return engine


# --- checks, timing, memory ---------------------------------------------------------------


def _check_outcomes(texts: Sequence[str], machine: Machine) -> None:
    """Refuse to time cases that do not finish their orders or disagree on the port instant."""
    floor = floor_lifecycles(texts)
    bare = machine_lifecycles(machine, texts)
    engine = PortflowRun.of(texts)()
    orders = list(engine.orders())
    expected = [(trigger, *TABLE_STEP[trigger]) for trigger in TRIGGERS]
    for plain in (*floor, *bare):
        if plain.state != "completed" or plain.history != expected:
            raise SystemExit(f"A plain order ended {plain.state} after {plain.history}")
    for order in orders:
        if order.state is not OrderState.COMPLETED or order.timers:
            raise SystemExit(f"{order.id} ended {order.state} with timers {order.timers}")
    notifier = engine.notifier
    delivered = len(notifier.delivered) if isinstance(notifier, RecordingNotifier) else 0
    if len(orders) != len(texts) or delivered != 4 * len(texts):
        raise SystemExit("portflow did not complete every order with its four notifications")
    instants = {floor[0].port_at, bare[0].port_at, orders[0].port_at}
    if len(instants) != 1:
        raise SystemExit(f"The cases plan different port instants: {sorted(map(str, instants))}")


def _figure(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def _ratio(ratio: float) -> str:
    return f"{ratio:.2f}x"


def _print_costs(costs: Sequence[Cost], floor: Cost, machine: Cost) -> None:
    print(
        "| case | best (µs) | median (µs) | median vs (a) | median vs (b) |\n|---|--:|--:|--:|--:|"
    )
    for cost in costs:
        cells = [
            cost.name,
            _figure(cost.best_ns / 1e3),
            _figure(cost.median_ns / 1e3),
            _ratio(cost.median_ns / floor.median_ns),
            _ratio(cost.median_ns / machine.median_ns),
        ]
        print("| " + " | ".join(cells) + " |")


def bench_costs(settings: Settings) -> tuple[Cost, Cost, Cost]:
    """Time (a), (b) and (c) in interleaved rounds; print and return their per-order costs."""
    texts = number_texts(settings.orders)
    machine = bare_machine()
    _check_outcomes(texts, machine)
    count = len(texts)
    portflow_run = PortflowRun.of(texts)
    names = {
        "a": "(a) floor: dict table + stdlib dates + phonenumbers",
        "b": "(b) bare shared transitions machine + pendulum/holidays + phonenumbers",
        "c": "(c) portflow: submit, approve, donor confirms, advance (execute + deliveries)",
        "t": "(b) without the domain work: 5 triggers on the bare machine (for information)",
    }
    cases = [
        Case(names["a"], lambda: floor_lifecycles(texts), ops=count),
        Case(names["b"], lambda: machine_lifecycles(machine, texts), ops=count),
        Case(names["c"], portflow_run, ops=count),
        Case(names["t"], lambda: machine_triggers_only(machine, count), ops=count),
    ]
    timings = compare(cases, repeats=settings.repeats)
    costs = {key: Cost(name, timings[name].samples_ns) for key, name in names.items()}
    warmed = len(portflow_run.steps_ns["submit"]) - settings.repeats
    steps = [
        Cost(
            f"(c) of which {step}" + (" (all orders at once)" if step == "advance" else ""),
            tuple(spent / count for spent in samples[warmed:]),
        )
        for step, samples in portflow_run.steps_ns.items()
    ]
    print(
        f"\n### Cost per order (µs per order; {count:,} orders per repeat, "
        f"{settings.repeats} interleaved repeats)\n"
    )
    _print_costs([costs["a"], costs["b"], costs["c"], *steps, costs["t"]], costs["a"], costs["b"])
    return costs["a"], costs["b"], costs["c"]


@dataclasses.dataclass(frozen=True, slots=True)
class Memory:
    """What ``count`` live scheduled orders in one engine cost, measured with tracemalloc."""

    count: int
    before: int
    after: int
    seconds: float
    full_gc_ms: float
    frozen_gc_ms: float

    @property
    def per_order(self) -> float:
        """Bytes per live order."""
        return (self.after - self.before) / self.count

    @classmethod
    def measure(cls, count: int) -> Memory:
        """Submit, approve and confirm ``count`` orders in one engine and trace what they hold.

        The orders come one second apart, as real traffic does: on a clock that never
        moved they would share the instants of their history, timers and notices, and
        weigh less than orders ever do. The engine exists and every cache is warm (one
        order in another engine) before tracing starts; the requests and their number
        texts are made while tracing, since the orders keep them. The garbage collector
        is off while the orders are made (their old versions are freed by reference
        counting) and runs before each reading; ``gc.freeze`` is not used for the bytes,
        only for the second collection timed afterwards.
        """
        Engine.in_memory(COUNTRY, now=NOW).submit(request_of(number_text(count)))
        engine = Engine.in_memory(COUNTRY, now=NOW)
        clock = engine.clock
        if not isinstance(clock, ManualClock):
            raise SystemExit(f"expected an in-memory engine's ManualClock, got {clock!r}")
        gc.collect()
        was_enabled = gc.isenabled()
        gc.disable()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            start = time.perf_counter()
            for index in range(count):
                clock.set(NOW + dt.timedelta(seconds=index))
                order_id = engine.submit(request_of(number_text(index))).id
                engine.approve(order_id)
                engine.donor_confirms(order_id)
            seconds = time.perf_counter() - start
            gc.collect()
            after = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
            if was_enabled:
                gc.enable()
        scheduled = sum(order.state is OrderState.SCHEDULED for order in engine.orders())
        if scheduled != count:
            raise SystemExit(f"{scheduled:,} of {count:,} orders are scheduled")
        full_gc_ms = _collect_ms()
        gc.freeze()
        try:
            frozen_gc_ms = _collect_ms()
        finally:
            gc.unfreeze()
        return cls(count, before, after, seconds, full_gc_ms, frozen_gc_ms)


def _collect_ms() -> float:
    start = time.perf_counter()
    gc.collect()
    return (time.perf_counter() - start) * 1e3


def bench_memory(settings: Settings) -> Memory:
    """Measure and print the memory of ``settings.memory_orders`` live orders in one engine."""
    memory = Memory.measure(settings.memory_orders)
    print(f"\n### Memory of live orders ({memory.count:,} scheduled orders in one engine)\n")
    print("| | |\n|---|--:|")
    rows = (
        ("traced before (bytes)", f"{memory.before:,}"),
        ("traced after (bytes)", f"{memory.after:,}"),
        ("**bytes per live order**", f"**{memory.per_order:,.0f}**"),
        ("making the orders, traced (s)", f"{memory.seconds:.1f}"),
        ("one full gc.collect() with the orders live (ms)", _figure(memory.full_gc_ms)),
        ("the same after gc.freeze() (ms)", _figure(memory.frozen_gc_ms)),
    )
    for name, value in rows:
        print(f"| {name} | {value} |")
    return memory


def print_targets(floor: Cost, machine: Cost, portflow: Cost, memory: Memory) -> bool:
    """Print the three targets with PASS or FAIL; return whether all were met."""
    checks = [
        (
            "(c) / (b): portflow vs the bare shared machine",
            portflow.median_ns / machine.median_ns,
            portflow.best_ns / machine.best_ns,
            COST_TARGET_VS_MACHINE,
        ),
        (
            "(c) / (a): portflow vs the floor",
            portflow.median_ns / floor.median_ns,
            portflow.best_ns / floor.best_ns,
            COST_TARGET_VS_FLOOR,
        ),
    ]
    print("\n### Targets\n")
    print("| check | measured (median) | measured (best) | target | result |")
    print("|---|--:|--:|--:|--:|")
    met = True
    for name, median, best, target in checks:
        passed = median <= target
        met = met and passed
        result = "PASS" if passed else "FAIL"
        print(f"| {name} | {median:.2f}x | {best:.2f}x | ≤ {target:.3g}x | {result} |")
    passed = memory.per_order <= BYTES_TARGET
    met = met and passed
    print(
        f"| bytes per live order at {memory.count:,} | {memory.per_order:,.0f} B | — "
        f"| ≤ {BYTES_TARGET:,} B | {'PASS' if passed else 'FAIL'} |"
    )
    return met


# --- profile ----------------------------------------------------------------------------


def _where(key: tuple[str, int, str]) -> str:
    path, line, function = key
    if path == "~":
        return function
    for marker in ("site-packages/", "src/"):
        if marker in path:
            path = path.rpartition(marker)[2]
            break
    else:
        path = Path(path).name
    return f"{path}:{line} {function}"


def profile_portflow(count: int, top: int = 25) -> None:
    """Profile (c) on ``count`` orders; print the top functions by cumulative and own time."""
    texts = number_texts(count)
    run = PortflowRun.of(texts)
    run()  # warm: metadata, holiday years, caches
    profiler = cProfile.Profile()
    profiler.runcall(run)
    stats = pstats.Stats(profiler)
    entries: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    entries = stats.stats  # type: ignore[attr-defined]
    total: float = stats.total_tt  # type: ignore[attr-defined]
    rows = [
        (key, calls, own, cumulative)
        for key, (_, calls, own, cumulative, _callers) in entries.items()
    ]
    print(f"### Profile of (c), {count:,} orders ({total:.2f} s under cProfile)")
    for title, by_own in (("cumulative", False), ("own time", True)):
        ranked = sorted(rows, key=lambda row: row[2] if by_own else row[3], reverse=True)
        print(f"\nTop {top} by {title}:\n")
        print("| function | calls | own (s) | own share | cumulative (s) | cumulative share |")
        print("|---|--:|--:|--:|--:|--:|")
        for key, calls, own, cumulative in ranked[:top]:
            print(
                f"| {_where(key)} | {calls:,} | {own:.3f} | {own / total:.1%} "
                f"| {cumulative:.3f} | {cumulative / total:.1%} |"
            )


def source_version() -> str:
    """Return the git commit of the working tree, ``+ changes`` if ``src`` differs from it."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, as in a shell
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"],  # noqa: S607 - as above
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit} + uncommitted changes in src/" if changed else commit


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return 1 if a full run missed a target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; targets not enforced")
    parser.add_argument(
        "--profile",
        action="store_true",
        help=f"profile (c) on {PROFILED_ORDERS:,} orders (fewer with --quick) instead",
    )
    parser.add_argument(
        "--memory-orders",
        type=int,
        metavar="N",
        help=f"live orders of the memory figure (default {FULL.memory_orders:,}, "
        f"{QUICK.memory_orders:,} with --quick); tracemalloc makes each cost ~10x",
    )
    arguments = parser.parse_args(argv)
    settings = QUICK if arguments.quick else FULL
    if arguments.memory_orders is not None:
        settings = dataclasses.replace(settings, memory_orders=arguments.memory_orders)
    if arguments.profile:
        profile_portflow(settings.orders if arguments.quick else PROFILED_ORDERS)
        return 0
    print(f"## portflow lifecycle benchmark ({'quick' if arguments.quick else 'full'} run)\n")
    print_machine(PACKAGES)
    print(f"| portflow source | {source_version()} |")
    floor, machine, portflow = bench_costs(settings)
    memory = bench_memory(settings)
    met = print_targets(floor, machine, portflow, memory)
    if arguments.quick:
        print("\nQuick run: sizes shrunk, targets shown but not enforced.")
        return 0
    print(f"\n{'All targets met.' if met else 'A target was missed.'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
