"""Port a Swiss mobile number onto a new SIM card (seed 000 "Mobiltelefoni", seed 003).

Nina Keller moves her mobile number 079 123 45 67 to a new operator. Her
number is bound at the old operator until Wednesday 31 March 2027. The script
shows, in order:

- the ICC typed with a wrong last digit: refused with ``sim.invalid_icc``
  (20 digits, the last a Luhn check digit over the first 19);
- a fixed date before the binding end: refused with ``binding.remaining``
  (seed 003: the number must have no binding left);
- the request for the contract end, accepted: the SIM card is shipped at once
  and a temporary number is reserved; it works only once the customer puts the
  SIM in (``Engine.activate_sim``). The provider approves, the donor confirms,
  and the port date is announced by SMS to the old number and to the temporary
  one. At the port the old number moves onto the new SIM, the temporary number
  is switched off, and the customer is told that the phone may need a restart.

The temporary numbers come from the carrier's own mobile range, so that the
SIM can use one and receive the SMS. Everything runs in memory on a manual
clock, so the output is the same on any day.

Run it with ``python examples/mobile_port.py``.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pendulum

import portflow

ZURICH = portflow.BusinessCalendar.for_country("CH")
START = pendulum.datetime(2027, 1, 4, 9, 0, tz="Europe/Zurich")
"""Monday 4 January 2027, 09:00 in Zurich: the reseller enters the order."""
NUMBER = "079 123 45 67"
ICC = "8941 0000 1234 5678 9010"
"""The ICC as printed on the back of the SIM card; its check digit is 0."""
MISTYPED_ICC = "8941 0000 1234 5678 9012"
"""The same ICC with its last digit mistyped."""
TEMPORARY_RANGE = "079 999 00 xx"
"""The carrier's mobile range the temporary numbers are drawn from."""

NINA = portflow.Subscriber(
    "Nina Keller",
    kind=portflow.CustomerKind.PRIVATE,
    address="Lindenhofstrasse 3",
    city="8001 Zuerich",
    billing_email="nina.keller@example.ch",
    phone=NUMBER,
)
CONTRACT = portflow.DonorContract(binding_end=dt.date(2027, 3, 31))
"""The subscription at the old operator binds until Wednesday 31 March 2027."""


def mobile_request(sim: portflow.SimCard, timing: portflow.Timing) -> portflow.PortRequest:
    """Return Nina Keller's request to port her number with the given SIM card and date."""
    return portflow.PortRequest(
        country="CH",
        service=portflow.Service.MOBILE,
        numbers=(NUMBER,),
        subscriber=NINA,
        signers=("Nina Keller",),
        timing=timing,
        contract=CONTRACT,
        sim=sim,
        reseller="porting@reseller.example",
    )


def local(instant: dt.datetime | None) -> str:
    """Return an instant as Zurich wall-clock time."""
    return "-" if instant is None else f"{ZURICH.local(instant):%Y-%m-%d %H:%M}"


def temporaries(order: portflow.PortOrder) -> str:
    """Return the order's temporary numbers and their status, in words."""
    return ", ".join(f"{t.text} {t.status}" for t in order.temporary_numbers)


def show(notification: portflow.Notification) -> None:
    """Print one notification: kind, channel, recipient and due time, then its rendered text."""
    subject, body = notification.render()
    print(
        f"  {notification.kind} {notification.channel} to {notification.recipient}, "
        f"due {local(notification.due)}:"
    )
    print(textwrap.indent(textwrap.fill(f"{subject}: {body}", width=88), "    | "))


def refused(violation: portflow.Violation) -> None:
    """Print one reason a request was refused: its code, its field and its message."""
    print(f"  refused [{violation.code}] (field {violation.field}):")
    print(textwrap.indent(textwrap.fill(violation.message, width=88), "    "))


def of_kind(
    engine: portflow.Engine, order_id: str, kind: portflow.NotificationKind
) -> list[portflow.Notification]:
    """Return the order's notifications of one kind, in the order they were produced."""
    return [n for n in engine.notifications(order_id) if n.kind is kind]


def refused_requests(engine: portflow.Engine) -> None:
    """Show the two requests that are refused: a mistyped ICC and a date inside the binding."""
    print("1. The ICC is typed with a wrong last digit:")
    try:
        portflow.SimCard.physical(MISTYPED_ICC)
    except portflow.InvalidInput as error:
        refused(error.violation)

    print("\n2. A fixed date, Monday 1 March 2027, before the binding ends:")
    sim = portflow.SimCard.physical(ICC)
    try:
        engine.submit(mobile_request(sim, portflow.Timing.on(dt.date(2027, 3, 1))))
    except portflow.ValidationFailed as failed:
        for violation in failed.violations:
            refused(violation)


def accepted_request(engine: portflow.Engine) -> portflow.PortOrder:
    """Take the contract-end request from submission to completion, printing each step."""
    print("\n3. The contract end, with the SIM card's ICC as printed:")
    order = engine.submit(
        mobile_request(portflow.SimCard.physical(ICC), portflow.Timing.contract_end())
    )
    print(f"  {local(engine.clock.now())}  submitted {order.id}: {order.state}")
    print(f"    planned port: {local(order.port_at)} (the binding end, at the port time)")
    print(f"    temporary number: {temporaries(order)}")
    (shipped,) = of_kind(engine, order.id, portflow.NotificationKind.SIM_SHIPPED)
    show(shipped)

    engine.advance(pendulum.datetime(2027, 1, 5, 18, 30, tz="Europe/Zurich"))
    order = engine.activate_sim(order.id)
    print(f"\n  {local(engine.clock.now())}  the SIM card arrives and goes in the phone")
    print(f"    temporary number: {temporaries(order)}, she can call with it now")

    engine.advance(pendulum.datetime(2027, 1, 6, 10, 0, tz="Europe/Zurich"))
    order = engine.approve(order.id)
    print(f"\n  {local(engine.clock.now())}  the provider approves: {order.state}")

    engine.advance(pendulum.datetime(2027, 1, 8, 11, 0, tz="Europe/Zurich"))
    order = engine.donor_confirms(order.id)
    print(f"\n  {local(engine.clock.now())}  the donor confirms: {order.state}")
    print(f"    port at {local(order.port_at)}; the date goes by SMS to both numbers:")
    for announced in of_kind(engine, order.id, portflow.NotificationKind.PORT_DATE_ANNOUNCED):
        show(announced)

    fired = engine.advance(pendulum.datetime(2027, 4, 1, 9, 0, tz="Europe/Zurich"))
    order = engine.get(order.id)
    print(f"\n  {local(engine.clock.now())}  the clock has moved on: {len(fired)} timers fired")
    print(f"    {order.id}: {order.state} at {local(order.port_at)}")
    print(f"    temporary number: {temporaries(order)}")
    for kind in (
        portflow.NotificationKind.PORT_COMPLETED,
        portflow.NotificationKind.TEMPORARY_NUMBER_DEACTIVATED,
    ):
        for notification in of_kind(engine, order.id, kind):
            show(notification)
    return order


def report(order: portflow.PortOrder, notifier: portflow.RecordingNotifier) -> None:
    """Print the order's history and every notification delivered."""
    print("\nHistory:")
    for event in order.history:
        moved = f"{event.source} -> {event.dest}"
        print(f"  {local(event.at)}  {event.trigger:<8} {moved:<26} ({event.actor})")
    print("\nDelivered (kind, channel, due, recipient):")
    for notification in notifier.delivered:
        print(
            f"  {notification.kind:<30} {notification.channel:<6} "
            f"{local(notification.due)}  {notification.recipient}"
        )


def main() -> None:
    """Wire an engine with a mobile temporary range, run the three requests and print them."""
    notifier = portflow.RecordingNotifier()
    engine = portflow.Engine(
        clock=portflow.ManualClock(START),
        store=portflow.MemoryOrderStore(),
        inventory=portflow.MemoryNumberPool([portflow.parse_block(TEMPORARY_RANGE, "CH")]),
        donor=portflow.RecordingDonorGateway(),
        notifier=notifier,
    )
    refused_requests(engine)
    report(accepted_request(engine), notifier)


if __name__ == "__main__":
    main()
