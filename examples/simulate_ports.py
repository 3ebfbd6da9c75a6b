"""Simulate a season of Swiss porting traffic on the embedded SQLite store.

A reseller submits port orders every business day: PBX and IP-telephony ports,
mobile ports with a SIM card, and broadband takeovers under the 6-month
binding rule. Mobile ports are ordered in the customer's app, where a user
without the account permission is refused (``auth.forbidden``) and the
account owner orders instead. The provider approves them the next morning (asking a question
now and then); mobile customers activate their SIM; a seeded `SimulatedDonor`
confirms most requests within its working hours, rejects some with a typed
reason (the reseller revises and resubmits) and moves a few; some customers
cancel. The clock moves day by day and the engine fires every due timer:
wake-ups of deferred takeovers, executions at the port instants, notifications
when due.

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

import attrs

from portflow import (
    BroadbandRequest,
    BusinessCalendar,
    Code,
    CommandRefused,
    DonorContract,
    Engine,
    ManualClock,
    Orderer,
    OrderState,
    PortOrder,
    PortRequest,
    Service,
    Signatory,
    SigningRight,
    SimCard,
    SimulatedDonor,
    Subscriber,
    TemporaryStatus,
    TimerAction,
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
RESELLER = "porting@reseller.example"
OWNER = Orderer("Anna Muster", account_owner=True)
APP_USERS = (OWNER,) * 4 + (Orderer("Lars Berg"),)
"""Who orders mobile ports in the customer's app: mostly the owner, now and then a
colleague without the account permission."""
SIM = SimCard.physical("8941 0000 1234 5678 9010")
SERVICE_MIX = (Service.PBX,) * 4 + (Service.MOBILE,) * 3 + (Service.IP_TELEPHONY,) * 2
"""Nine in ten requests are ports; the tenth is a broadband takeover."""


def request_for(index: int, rng: random.Random, today: dt.date) -> PortRequest | BroadbandRequest:
    """Return the ``index``-th request of the run: a port of one number or a line takeover."""
    if rng.random() < 0.1:
        binding_days = rng.choice([None, rng.randint(10, 180), rng.randint(181, 400)])
        binding_end = None if binding_days is None else today + dt.timedelta(days=binding_days)
        return BroadbandRequest(
            country="CH",
            line=f"+41445{index:06d}",
            subscriber=CUSTOMER,
            signers=("Anna Muster",),
            power_of_attorney=True,
            contract=DonorContract(binding_end=binding_end),
            reseller=RESELLER,
        )
    service = rng.choice(SERVICE_MIX)
    mobile = service is Service.MOBILE
    timings = [Timing.contract_end(at=dt.time(6)), Timing.asap()]
    if not mobile:  # a fixed date may fall inside a mobile binding (binding.remaining)
        timings.append(
            Timing.on(CALENDAR.add_business_days(today, rng.randint(6, 30)), at=dt.time(7))
        )
    return PortRequest(
        country="CH",
        service=service,
        numbers=(f"+41791{index:06d}" if mobile else f"+41442{index:06d}",),
        subscriber=CUSTOMER,
        signers=("Anna Muster",),
        timing=rng.choice(timings),
        contract=DonorContract(binding_end=today + dt.timedelta(days=rng.randint(20, 120))),
        reseller=RESELLER,
        sim=SIM if mobile else None,
        orderer=rng.choice(APP_USERS) if mobile else None,
    )


def simulate(
    engine: Engine, donor: SimulatedDonor, orders: int, rng: random.Random
) -> collections.Counter[str]:
    """Run the traffic until every order has ended; return what happened, counted."""
    happened: collections.Counter[str] = collections.Counter()
    submitted = 0
    running: list[str] = []  # orders not yet ended, or rejected and to be resubmitted
    day = CALENDAR.local_date(engine.clock.now())
    while submitted < orders or running:
        for order_id in running:
            order = engine.get(order_id)
            looking_up = any(t.action is TimerAction.LOOKUP for t in order.timers)
            if order.state is OrderState.SUBMITTED and not looking_up:
                order = answer_provider(engine, order_id, rng, happened)
            elif order.state is OrderState.REJECTED:
                order = resubmit(engine, order_id, happened)
            if sim_waiting(order):  # the SIM arrived the day after submission
                engine.activate_sim(order_id)
                happened["SIM activated"] += 1
        for _ in range(min(rng.randint(3, 8), orders - submitted)):
            running.append(place(engine, request_for(submitted, rng, day), happened).id)
            submitted += 1
        day = CALENDAR.next_business_day(day)
        for answer in donor.answer(engine, until=CALENDAR.at(day, dt.time(7))):
            reason = f" ({answer.reason})" if answer.reason else ""
            happened[f"donor: {answer.kind}{reason}"] += 1
        running = [order_id for order_id in running if still_running(engine.get(order_id))]
    happened["donor: answers dropped"] = len(donor.dropped)
    return happened


def place(
    engine: Engine, request: PortRequest | BroadbandRequest, happened: collections.Counter[str]
) -> PortOrder:
    """Submit the request; when the app refuses the user who ordered, the owner orders."""
    try:
        return engine.submit(request)
    except ValidationFailed as failed:
        if Code.AUTH_FORBIDDEN not in failed.codes or not isinstance(request, PortRequest):
            raise
        happened["refused in the app (auth.forbidden)"] += 1
        return engine.submit(attrs.evolve(request, orderer=OWNER))


def still_running(order: PortOrder) -> bool:
    """Whether the order still needs someone: not ended, or rejected and to be revised."""
    return not order.state.is_ended or order.state is OrderState.REJECTED


def sim_waiting(order: PortOrder) -> bool:
    """Whether a live mobile order's temporary number waits for its SIM to be activated."""
    reserved = any(t.status is TemporaryStatus.RESERVED for t in order.temporary_numbers)
    return reserved and order.state.is_live and order.valid.request.service is Service.MOBILE


def answer_provider(
    engine: Engine, order_id: str, rng: random.Random, happened: collections.Counter[str]
) -> PortOrder:
    """The provider reviews a submitted order: a question now and then, then approval."""
    if rng.random() < 0.1:
        engine.ask(order_id, "Is the number still assigned to you?")
        engine.answer(order_id, "Yes.")
        happened["clarified"] += 1
    if rng.random() < 0.03:
        happened["cancelled by the customer"] += 1
        return engine.cancel(order_id)
    try:
        approved = engine.approve(order_id)
    except CommandRefused:
        happened["cancelled, date passed"] += 1
        return engine.cancel(order_id)  # the planned date passed while it waited
    happened[f"approved: {approved.state}"] += 1
    return approved


def resubmit(engine: Engine, order_id: str, happened: collections.Counter[str]) -> PortOrder:
    """The reseller revises a rejected order and submits it again, or gives up."""
    order = engine.revise(order_id)
    try:
        resubmitted = engine.submit(order.valid.request, order_id=order_id)
    except ValidationFailed as failed:
        happened[f"cancelled after rejection ({', '.join(sorted(failed.codes))})"] += 1
        return engine.cancel(order_id)
    happened["resubmitted after rejection"] += 1
    return resubmitted


def main() -> None:
    """Parse the arguments, run the simulation and print its summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=30, help="port orders to submit (1 or more)")
    parser.add_argument("--seed", type=int, default=7, help="random seed; same seed, same run")
    parser.add_argument("--db", type=Path, help="new SQLite file (default: a temporary one)")
    args = parser.parse_args()
    if args.orders < 1:
        parser.error(f"--orders must be 1 or more, got {args.orders}")
    if args.db is not None and args.db.exists():
        # Orders already there would join the summary and shift the ids: not the same run.
        parser.error(f"--db {args.db} exists; name a new file, or delete it to start afresh")
    if args.db is not None and not args.db.parent.is_dir():
        parser.error(f"--db {args.db}: the directory {args.db.parent} does not exist")
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "portflow.db"
        donor = SimulatedDonor(seed=args.seed, reject_rate=0.08, reschedule_rate=0.1)
        engine = Engine.sqlite(path, clock=ManualClock(START), donor=donor)
        happened = simulate(engine, donor, args.orders, random.Random(args.seed))
        orders = list(engine.orders())
        states = collections.Counter(order.state.value for order in orders)
        services = collections.Counter(order.valid.request.service.value for order in orders)
        kinds = collections.Counter(n.kind.value for n in engine.notifications())
        temporaries = collections.Counter(
            t.status.value for order in orders for t in order.temporary_numbers
        )
        print(f"{len(orders)} port orders on {path.name}, clock at {engine.clock.now():%Y-%m-%d}")
        for title, counts in [
            ("services", services),
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
