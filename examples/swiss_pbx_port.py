"""Run a Swiss PBX port for Schmiedeisen AG from submission to completion (seed 002).

A reseller enters three single numbers and a DDI block, to move on the day the
donor contract ends at 06:00, signed jointly by two signatories with collective
right (Kollektivunterschrift). The provider asks a question, the reseller
answers, the provider approves, the donor confirms, and the engine's clock is
moved past the port instant. The script prints where the order stands, its
temporary numbers, the notifications it produced and its history.

Everything runs in memory on a manual clock, so the output is the same on any
day.
"""

from __future__ import annotations

import datetime as dt

import pendulum

import portflow

SCHMIEDEISEN = portflow.Subscriber(
    "Schmiedeisen AG",
    address="Werkstrasse 1",
    city="8004 Zuerich",
    contact_person="Anna Muster",
    billing_email="rechnung@schmiedeisen.ch",
    phone="044 123 45 67",
    signatories=(
        portflow.Signatory("Anna Muster", portflow.SigningRight.SINGLE),
        portflow.Signatory("Beat Keller", portflow.SigningRight.COLLECTIVE),
        portflow.Signatory("Carla Frei", portflow.SigningRight.COLLECTIVE),
    ),
)
REQUEST = portflow.PortRequest(
    country="CH",
    service=portflow.Service.PBX,
    numbers=("044 123 45 67", "044 123 45 68", "044 123 45 69", "044 123 46 xx"),
    subscriber=SCHMIEDEISEN,
    signers=("Beat Keller", "Carla Frei"),
    timing=portflow.Timing.contract_end(at=dt.time(6, 0)),
    port_type=portflow.PortType.FULL,
    donor=None,  # "Unbekannt": the reseller does not know the current provider
    contract=portflow.DonorContract(binding_end=dt.date(2027, 3, 31), bundles_internet=True),
    reseller="porting@reseller.example",
)
START = pendulum.datetime(2026, 11, 23, 10, 0, tz="Europe/Zurich")
ZURICH = portflow.BusinessCalendar.for_country("CH")


def local(instant: dt.datetime | None) -> str:
    """Return an instant as Zurich wall-clock time."""
    return "-" if instant is None else f"{ZURICH.local(instant):%Y-%m-%d %H:%M}"


def size(entry: portflow.PhoneNumber | portflow.NumberBlock) -> str:
    """Return how many numbers a porting unit holds, in words."""
    return f"{entry.size} numbers" if isinstance(entry, portflow.NumberBlock) else "1 number"


def run(engine: portflow.Engine, donor: portflow.RecordingDonorGateway) -> portflow.PortOrder:
    """Take the order through review, approval and the donor's confirmation, then execute it."""
    order = engine.submit(REQUEST)
    print(f"Submitted {order.id} at {local(engine.clock.now())}: {order.state}")
    print(f"  planned port: {local(order.port_at)} (the contract end, at 06:00)")
    for warning in order.valid.warnings:
        print(f"  warning [{warning.code}] {warning.message}")

    question = "The donor contract carries the internet too; a full port cuts it. Keep it full?"
    order = engine.ask(order.id, question)
    print(f"\nThe provider asks: {question} -> {order.state}")
    order = engine.answer(order.id, "Yes: the internet moves to our fibre line that day.")
    print(f"The reseller answers -> {order.state}")

    order = engine.approve(order.id)
    print(f"\nApproved -> {order.state}; sent to the donor: {', '.join(donor.sent)}")
    order = engine.donor_confirms(order.id)
    print(f"The donor confirms -> {order.state}, port at {local(order.port_at)}")

    fired = engine.advance(pendulum.datetime(2027, 4, 1, 0, 0, tz="Europe/Zurich"))
    print(f"\nThe clock moves to {local(engine.clock.now())}: {len(fired)} timers fired.")
    return engine.get(order.id)


def report(engine: portflow.Engine, order: portflow.PortOrder) -> None:
    """Print the order's state, temporary numbers, notifications and history."""
    print(f"\nOrder {order.id}: {order.state}")
    print(f"  ported at {local(order.port_at)} Zurich time")
    print("\nTemporary numbers:")
    for temporary in order.temporary_numbers:
        print(
            f"  {temporary.stands_for} ({size(temporary.stands_for)}) -> "
            f"{temporary.text} ({size(temporary.number)}): {temporary.status}"
        )
    print("\nNotifications (kind, channel, recipient, due):")
    notifications = engine.notifications(order.id)
    for notification in notifications:
        print(
            f"  {notification.kind:<30} {notification.channel:<6} "
            f"{notification.recipient:<46} {local(notification.due)}"
        )
    completed = next(n for n in notifications if n.kind is portflow.NotificationKind.PORT_COMPLETED)
    subject, body = completed.render()
    print(f"\nThe {completed.kind} {completed.channel} ({completed.locale}):")
    print(f"  {subject}\n  {body}")
    print("\nHistory:")
    for event in order.history:
        moved = f"{event.source} -> {event.dest}"
        print(f"  {local(event.at)}  {event.trigger:<10} {moved:<30} ({event.actor})")


def main() -> None:
    """Wire an engine to in-memory adapters, run the port and print what happened."""
    donor = portflow.RecordingDonorGateway()
    engine = portflow.Engine(
        clock=portflow.ManualClock(START),
        store=portflow.MemoryOrderStore(),
        inventory=portflow.MemoryNumberPool.for_country("CH"),
        donor=donor,
        notifier=portflow.RecordingNotifier(),
    )
    report(engine, run(engine, donor))


if __name__ == "__main__":
    main()
