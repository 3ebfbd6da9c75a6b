"""Port a Swiss number to IP telephony, with the equipment reminder (seed 000 "IP-telefoni").

Atelier Sommer GmbH moves its number 044 555 11 22 to IP telephony at the end
of its contract, Wednesday 31 March 2027 at 06:00. The equipment is sent
separately and must be connected when the number moves; once the donor has
fixed the date, the customer is reminded to connect it two business days
before the port, at the port's local time. Between 31 March and the reminder
lies Easter: Good Friday and Easter Monday are Zurich holidays, so the reminder
is due on Thursday 25 March.

The donor is a `portflow.SimulatedDonor` that answers two business days after
the request, during its working hours, and in this run moves every port it
confirmed by five business days. The move replaces the pending reminder with
one for the new date; only that one is delivered. The script prints the
donor's answers as they come, the reminder with the days counted back to it,
the port, and the notifications delivered.

Everything runs in memory on a manual clock and the donor draws from a fixed
seed, so the output is the same on any day.

Run it with ``python examples/ip_telephony_port.py``.
"""

from __future__ import annotations

import datetime as dt

import pendulum

import portflow

ZURICH = portflow.BusinessCalendar.for_country("CH")
START = pendulum.datetime(2027, 1, 4, 9, 0, tz="Europe/Zurich")
"""Monday 4 January 2027, 09:00 in Zurich: the reseller enters the order."""
END = pendulum.datetime(2027, 4, 8, 9, 0, tz="Europe/Zurich")
"""The day after the port, as the donor moved it."""
REMINDER = portflow.NotificationKind.EQUIPMENT_CONNECT_REMINDER

ATELIER = portflow.Subscriber(
    "Atelier Sommer GmbH",
    address="Zollstrasse 20",
    city="8005 Zuerich",
    contact_person="Eva Sommer",
    billing_email="buchhaltung@atelier-sommer.ch",
    phone="044 555 11 22",
    signatories=(portflow.Signatory("Eva Sommer", portflow.SigningRight.SINGLE),),
)
REQUEST = portflow.PortRequest(
    country="CH",
    service=portflow.Service.IP_TELEPHONY,
    numbers=("044 555 11 22",),
    subscriber=ATELIER,
    signers=("Eva Sommer",),
    timing=portflow.Timing.contract_end(at=dt.time(6, 0)),
    contract=portflow.DonorContract(binding_end=dt.date(2027, 3, 31)),
    reseller="porting@reseller.example",
)


def local(instant: dt.datetime | None) -> str:
    """Return an instant as Zurich wall-clock time."""
    return "-" if instant is None else f"{ZURICH.local(instant):%Y-%m-%d %H:%M}"


def counted_back(port_day: dt.date, business_days: int) -> list[str]:
    """Return the days walked back from the port day to the reminder's, one line each."""
    day = port_day
    holidays = ZURICH.holidays_of(day.year)
    steps = []
    counted = 0
    while counted < business_days:
        day -= dt.timedelta(days=1)
        if ZURICH.is_business_day(day):
            counted += 1
            steps.append(f"{day:%a %Y-%m-%d}  business day {counted}")
        else:
            steps.append(f"{day:%a %Y-%m-%d}  {'holiday' if day in holidays else 'weekend'}")
    return steps


def reminders(engine: portflow.Engine, order_id: str) -> list[portflow.Notification]:
    """Return the order's equipment reminders still listed (pending or delivered)."""
    return [n for n in engine.notifications(order_id) if n.kind is REMINDER]


def show_reminder(engine: portflow.Engine, order_id: str) -> portflow.Notification:
    """Print the order's one equipment reminder and how its day was counted; return it."""
    order = engine.get(order_id)
    (reminder,) = reminders(engine, order_id)
    days = order.valid.profile.equipment_reminder_business_days
    print(f"    {reminder.kind} {reminder.channel} to {reminder.recipient}")
    print(f"      due {local(reminder.due)}, for the port on {reminder.param_map['port_date']}")
    port_day = dt.date.fromisoformat(reminder.param_map["port_date"])
    print(f"      counted back from {port_day:%a %Y-%m-%d}:")
    for step in counted_back(port_day, days):
        print(f"        {step}")
    return reminder


def give(
    engine: portflow.Engine, donor: portflow.SimulatedDonor, answer: portflow.DonorAnswer
) -> None:
    """Let the donor give one answer at its instant and print where the order stands."""
    donor.answer(engine, until=answer.at)
    order = engine.get(answer.order_id)
    print(f"\n  {local(answer.at)}  the donor answers: {answer.kind} {local(answer.port_at)}")
    print(f"    {order.id}: {order.state}, port at {local(order.port_at)}")


def run(engine: portflow.Engine, donor: portflow.SimulatedDonor) -> portflow.PortOrder:
    """Submit and approve the order, give the donor's answers one by one, then run to `END`."""
    order = engine.submit(REQUEST)
    print(f"  {local(engine.clock.now())}  submitted {order.id}: {order.state}")
    print(f"    planned port: {local(order.port_at)} (the contract end, at 06:00)")
    order = engine.approve(order.id)
    print(f"  {local(engine.clock.now())}  the provider approves: {order.state}")
    print("    the donor will answer:")
    for answer in donor.pending():
        print(f"      {local(answer.at)}  {answer.kind:<10} {local(answer.port_at)}")

    confirmation, move = donor.pending()
    give(engine, donor, confirmation)
    first = show_reminder(engine, order.id)
    give(engine, donor, move)
    print(f"    the reminder due {local(first.due)} is withdrawn; in its place:")
    show_reminder(engine, order.id)

    donor.answer(engine, until=END)
    order = engine.get(order.id)
    print(f"\n  {local(engine.clock.now())}  {order.id}: {order.state} at {local(order.port_at)}")
    return order


def report(order: portflow.PortOrder, notifier: portflow.RecordingNotifier) -> None:
    """Print the order's history and every notification delivered."""
    print("\nHistory:")
    for event in order.history:
        moved = f"{event.source} -> {event.dest}"
        print(f"  {local(event.at)}  {event.trigger:<10} {moved:<26} ({event.actor})")
    print("\nDelivered (kind, channel, due, recipient):")
    for notification in notifier.delivered:
        print(
            f"  {notification.kind:<30} {notification.channel:<6} "
            f"{local(notification.due)}  {notification.recipient}"
        )


def main() -> None:
    """Wire an engine to a simulated donor, run the port and print what happened."""
    donor = portflow.SimulatedDonor(
        seed=7, reject_rate=0.0, reschedule_rate=1.0, reschedule_by_business_days=5
    )
    notifier = portflow.RecordingNotifier()
    engine = portflow.Engine(
        clock=portflow.ManualClock(START),
        store=portflow.MemoryOrderStore(),
        inventory=portflow.MemoryNumberPool.for_country("CH"),
        donor=donor,
        notifier=notifier,
    )
    print(f"IP telephony for {ATELIER.name}, {REQUEST.numbers[0]}:\n")
    report(run(engine, donor), notifier)


if __name__ == "__main__":
    main()
