"""Benchmark the order stores: what one port order costs on SQLite and PostgreSQL.

The same orders as ``bench_lifecycle.py`` (one Swiss number each, PBX, ported at
the contract end) go through submit, approve and the donor's confirmation, and
one ``advance`` executes them all, on a fresh engine per repeat whose store is:

- the in-memory store (the baseline);
- a SQLite file, the embedded default store;
- a PostgreSQL database, when one answers at ``$PORTFLOW_BENCH_POSTGRES_URL``
  (default ``postgresql://postgres@127.0.0.1:5432/test``); otherwise its rows say so.

A second table times reading one order back (``store.get``) from each store,
parsed once and kept by the store, as engines do before every command.

No target is named for the stores; the figures are ratios against the memory
store, measured in the same run, to show what the SQL round trips cost. Run
``.venv/bin/python benchmarks/bench_stores.py`` (a minute or two) or add
``--quick`` for a smoke run of a few seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from _harness import Case, compare, print_machine
from bench_lifecycle import AFTER_THE_PORTS, COUNTRY, NOW, number_texts, request_of
from portflow import (
    Engine,
    ManualClock,
    MemoryNumberPool,
    MemoryOrderStore,
    OrderState,
    OrderStore,
    PortRequest,
    RecordingDonorGateway,
    RecordingNotifier,
    SqlOrderStore,
)

PACKAGES = ("portflow", "sqlalchemy", "psycopg")
POSTGRES_URL = os.environ.get(
    "PORTFLOW_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Sizes and repeats of one run."""

    orders: int
    repeats: int
    reads: int
    """``get`` calls per timed repeat of the read table."""


FULL = Settings(orders=300, repeats=5, reads=2_000)
QUICK = Settings(orders=20, repeats=2, reads=50)


def engine_on(store: OrderStore) -> Engine:
    """Return an engine on ``store`` with in-memory adapters and the benchmark's clock."""
    return Engine(
        clock=ManualClock(NOW),
        store=store,
        inventory=MemoryNumberPool.for_country(COUNTRY),
        donor=RecordingDonorGateway(),
        notifier=RecordingNotifier(),
    )


def lifecycles(store: OrderStore, requests: Sequence[PortRequest]) -> Engine:
    """Take every request through its lifecycle on ``store``; return the engine."""
    engine = engine_on(store)
    for request in requests:
        order_id = engine.submit(request).id
        engine.approve(order_id)
        engine.donor_confirms(order_id)
    engine.advance(AFTER_THE_PORTS)
    return engine


@contextlib.contextmanager
def postgres_databases() -> Iterator[Callable[[], str] | None]:
    """Yield a maker of fresh PostgreSQL databases (dropped afterwards), or None if none answers."""
    server = sa.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        admin.connect().close()
    except sa.exc.OperationalError:
        admin.dispose()
        yield None
        return
    made: list[str] = []

    def fresh() -> str:
        name = f"portflow_bench_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return server.set(database=name).render_as_string(hide_password=False)

    try:
        yield fresh
    finally:
        with admin.connect() as connection:
            for name in made:
                connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


class StoreMaker:
    """Makes the fresh stores of one kind ahead, one per timed call, and closes them after.

    Making a store (a SQLite file, a PostgreSQL database and its tables) is not
    part of what a port order costs, so it happens before the timing starts.
    """

    def __init__(self, make: Callable[[], OrderStore], count: int) -> None:
        """Make ``count`` stores."""
        self._made = [make() for _ in range(count)]
        self._unused = iter(self._made)

    def __call__(self) -> OrderStore:
        """Return the next fresh, empty store."""
        return next(self._unused)

    def close(self) -> None:
        """Close every SQL store made."""
        for store in self._made:
            if isinstance(store, SqlOrderStore):
                store.close()


def _print(title: str, unit: str, scale: float, rows: Sequence[tuple[str, float, float]]) -> None:
    print(f"\n### {title}\n")
    print(f"| store | best ({unit}) | median ({unit}) | median vs memory |\n|---|--:|--:|--:|")
    baseline = rows[0][2]
    for name, best, median in rows:
        print(
            f"| {name} | {best / scale:,.3g} | {median / scale:,.3g} | {median / baseline:,.1f}x |"
        )


def main() -> None:
    """Time the stores and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    settings = QUICK if parser.parse_args().quick else FULL
    print_machine(PACKAGES)
    requests = [request_of(text) for text in number_texts(settings.orders)]
    with tempfile.TemporaryDirectory() as scratch, postgres_databases() as postgres:
        sqlite_files = iter(range(1_000_000))
        # One store for the check, one for the warm-up, one per repeat, one for the reads.
        count = settings.repeats + 3
        makers = {
            "memory": StoreMaker(MemoryOrderStore, count),
            "SQLite file": StoreMaker(
                lambda: SqlOrderStore(f"sqlite:///{scratch}/orders-{next(sqlite_files)}.db"),
                count,
            ),
        }
        if postgres is not None:
            makers["PostgreSQL"] = StoreMaker(lambda: SqlOrderStore(postgres()), count)
        try:
            _check(makers, requests)
            timings = compare(
                [
                    Case(name, lambda make=make: lifecycles(make(), requests), ops=len(requests))
                    for name, make in makers.items()
                ],
                repeats=settings.repeats,
            )
            _print(
                f"Port order lifecycle ({len(requests):,} orders per repeat, "
                f"{settings.repeats} interleaved repeats; ms per order)",
                "ms",
                1e6,
                [(name, t.best_ns, t.median_ns) for name, t in timings.items()],
            )
            stores = {name: make() for name, make in makers.items()}
            for store in stores.values():
                lifecycles(store, requests[:1])  # PO-000001, read back below
            reads = compare(
                [
                    Case(
                        name,
                        lambda store=store: store.get("PO-000001"),
                        loops=settings.reads,
                    )
                    for name, store in stores.items()
                ],
                repeats=settings.repeats,
            )
            _print(
                f"Reading one kept order ({settings.reads:,} gets per repeat; µs per get)",
                "µs",
                1e3,
                [(name, t.best_ns, t.median_ns) for name, t in reads.items()],
            )
        finally:
            for make in makers.values():
                make.close()
    if postgres is None:
        print(f"\nNo PostgreSQL answered at {POSTGRES_URL}: its rows are left out.")


def _check(makers: dict[str, StoreMaker], requests: Sequence[PortRequest]) -> None:
    """Refuse to time stores that do not complete every order."""
    for name, make in makers.items():
        engine = lifecycles(make(), requests)
        states = {order.state for order in engine.orders()}
        if states != {OrderState.COMPLETED}:
            raise SystemExit(f"{name}: the orders ended {sorted(states)}")


if __name__ == "__main__":
    main()
