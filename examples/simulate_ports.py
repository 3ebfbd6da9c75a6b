"""Simulate a quarter of Swiss porting traffic on the embedded SQLite store.

A reseller submits PBX port orders every business day; the provider approves
them the next morning (asking a question now and then); the donor confirms
most, rejects some with a typed reason (the reseller revises and resubmits),
and a few customers cancel. The clock moves day by day and the engine fires
every due timer: executions at the port instants, notifications when due.

Run it with ``python examples/simulate_ports.py [--orders N] [--seed S] [--db PATH]``;
the same seed gives the same run.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import random
import tempfile
from pathlib import Path

from portflow import (
    BusinessCalendar,
    CommandRefused,
    DonorContract,
    Engine,
    ManualClock,
    OrderState,
    PortRequest,
    RejectionReason,
    Service,
    Signatory,
    SigningRight,
    Subscriber,
    Timing,
    ValidationFailed,
)

START = dt.datetime(2027, 1, 4, 7, tzinfo=dt.UTC)
CALENDAR = BusinessCalendar.for_country("CH")
CUSTOMER = Subscriber(
    "Schmiedeisen AG",
    address="Werkstrasse 1",
    city="8004 Zuerich",
    contact_person="Anna Muster",
    billing_email="rechnung@schmiedeisen.ch",
    phone="044 123 45 67",
    signatories=(Signatory("Anna Muster", SigningRight.SINGLE),),
)


def request_for(number: str, rng: random.Random, today: dt.date) -> PortRequest:
    """Return a PBX request for one number with a random timing."""
    binding_end = today + dt.timedelta(days=rng.randint(20, 120))
    timing = rng.choice(
        [
            Timing.contract_end(at=dt.time(6)),
            Timing.asap(),
            Timing.on(CALENDAR.add_business_days(today, rng.randint(6, 30)), at=dt.time(7)),
        ]
    )
    return PortRequest(
        country="CH",
        service=Service.PBX,
        numbers=(number,),
        subscriber=CUSTOMER,
        signers=("Anna Muster",),
        timing=timing,
        contract=DonorContract(binding_end=binding_end),
        reseller="porting@reseller.example",
    )


def simulate(engine: Engine, orders: int, rng: random.Random) -> collections.Counter[str]:
    """Run the traffic until every order has ended; return what happened, counted."""
    clock = engine.clock
    happened: collections.Counter[str] = collections.Counter()
    numbers = iter(f"+41442{n:06d}" for n in rng.sample(range(1_000_000), orders))
    submitted = 0
    day = CALENDAR.local_date(clock.now())
    while submitted < orders or any(o.state.is_live for o in engine.orders()):
        for order in list(engine.orders()):
            if order.state is OrderState.SUBMITTED:
                answer_provider(engine, order.id, rng, happened)
        for _ in range(min(rng.randint(3, 8), orders - submitted)):
            engine.submit(request_for(next(numbers), rng, day))
            submitted += 1
        answer_donor(engine, rng, happened)
        day = CALENDAR.next_business_day(day)
        engine.advance(CALENDAR.at(day, dt.time(7)))
    return happened


def answer_provider(
    engine: Engine, order_id: str, rng: random.Random, happened: collections.Counter[str]
) -> None:
    """The provider reviews a submitted order: a question now and then, then approval."""
    if rng.random() < 0.1:
        engine.ask(order_id, "Is the DDI range still assigned to you?")
        engine.answer(order_id, "Yes, all of it.")
        happened["clarified"] += 1
    if rng.random() < 0.03:
        engine.cancel(order_id)
        happened["cancelled by the customer"] += 1
        return
    try:
        engine.approve(order_id)
    except CommandRefused:
        engine.cancel(order_id)  # the planned date passed while it waited
        happened["cancelled, date passed"] += 1


def answer_donor(engine: Engine, rng: random.Random, happened: collections.Counter[str]) -> None:
    """The donor answers every request it holds: mostly yes, sometimes no."""
    for order in list(engine.orders()):
        if order.state is not OrderState.REQUESTED:
            continue
        if rng.random() < 0.9:
            try:
                engine.donor_confirms(order.id)
                happened["confirmed"] += 1
            except CommandRefused:
                engine.donor_rejects(order.id, RejectionReason.OTHER, "Date no longer possible")
                happened["rejected, date passed"] += 1
            continue
        reason = rng.choice(list(RejectionReason))
        engine.donor_rejects(order.id, reason, "See the donor's letter")
        happened[f"rejected: {reason}"] += 1
        engine.revise(order.id)
        try:
            engine.submit(order.valid.request, order_id=order.id)
            happened["resubmitted"] += 1
        except ValidationFailed as failed:
            engine.cancel(order.id)
            happened[f"cancelled after rejection ({', '.join(sorted(failed.codes))})"] += 1


def main() -> None:
    """Parse the arguments, run the simulation and print its summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=30, help="port orders to submit")
    parser.add_argument("--seed", type=int, default=7, help="random seed; same seed, same run")
    parser.add_argument("--db", type=Path, help="SQLite file (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "portflow.db"
        engine = Engine.sqlite(path, clock=ManualClock(START))
        happened = simulate(engine, args.orders, random.Random(args.seed))
        orders = list(engine.orders())
        states = collections.Counter(order.state.value for order in orders)
        kinds = collections.Counter(n.kind.value for n in engine.notifications())
        temporaries = collections.Counter(
            t.status.value for order in orders for t in order.temporary_numbers
        )
        print(f"{len(orders)} port orders on {path.name}, clock at {engine.clock.now():%Y-%m-%d}")
        for title, counts in [
            ("final states", states),
            ("what happened", happened),
            ("notifications", kinds),
            ("temporary numbers", temporaries),
        ]:
            print(f"\n{title}:")
            for name, count in sorted(counts.items()):
                print(f"  {name:<48} {count:>5}")
        engine.store.close()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
