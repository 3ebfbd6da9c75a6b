"""Take over four Swiss ADSL lines under the 6-month rule (seed 000, Phonera "ADSL").

With the customer's power of attorney the new operator looks up the binding
left at the previous operator when it approves the takeover. Four households
sign on Tuesday 2 March 2027 and are approved that morning:

- Lea Huber's line has no binding: it goes to the donor at once and moves at
  the earliest feasible date;
- Marco Rossi's binding ends on 2 September 2027, exactly six months after the
  approval: six months or less, so the order goes to the donor at once and the
  line moves when the binding ends;
- Sandra Meier's binding ends on Sunday 31 October 2027, more than six months
  away: the order is deferred until six months before, and a wake timer places
  it with the donor then; the line moves on Monday 1 November, the first
  business day once the binding is over;
- Thomas Brunner's binding ends on 30 June 2027, but the previous operator
  does not answer the first two look-ups: the order stays submitted, the
  engine tries again every hour, and the approval completes once the operator
  answers.

The donor works through its inbox every business day at 16:00 and confirms
whatever was placed with it. The script prints, for each order, its
transitions in Zurich time, the letters and notices it produced and, for the
deferred one, when it woke. Everything runs in memory on a manual clock, so the
output is the same on any day.

Run it with ``python examples/broadband_takeover.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pendulum

import portflow

ZURICH = portflow.BusinessCalendar.for_country("CH")
START = pendulum.datetime(2027, 3, 2, 9, 0, tz="Europe/Zurich")
"""Tuesday 2 March 2027, 09:00 in Zurich: the households sign and the provider approves."""
END = pendulum.datetime(2027, 11, 1, 9, 0, tz="Europe/Zurich")
"""Past the last connection."""
DONOR_ANSWERS_AT = dt.time(16, 0)
"""When the donor confirms, each business day, what was placed with it."""
RESELLER = "porting@reseller.example"


def household(
    name: str, street: str, line: str, contract: portflow.DonorContract
) -> portflow.BroadbandRequest:
    """Return the takeover of one private household's line, signed by the subscriber."""
    subscriber = portflow.Subscriber(
        name,
        kind=portflow.CustomerKind.PRIVATE,
        address=street,
        city="8004 Zuerich",
        billing_email=f"{name.split(maxsplit=1)[0].lower()}@example.ch",
    )
    return portflow.BroadbandRequest(
        country="CH",
        line=line,
        subscriber=subscriber,
        signers=(name,),
        power_of_attorney=True,
        contract=contract,
        reseller=RESELLER,
    )


TAKEOVERS = (
    (
        "no binding",
        household("Lea Huber", "Seestrasse 4", "044 555 66 71", portflow.DonorContract()),
    ),
    (
        "binding until 2027-09-02, exactly 6 months",
        household(
            "Marco Rossi",
            "Seestrasse 6",
            "044 555 66 72",
            portflow.DonorContract(binding_end=dt.date(2027, 9, 2)),
        ),
    ),
    (
        "binding until 2027-10-31, more than 6 months",
        household(
            "Sandra Meier",
            "Seestrasse 8",
            "044 555 66 73",
            portflow.DonorContract(binding_end=dt.date(2027, 10, 31)),
        ),
    ),
    (
        "binding until 2027-06-30, the look-up fails twice",
        household(
            "Thomas Brunner",
            "Seestrasse 10",
            "044 555 66 74",
            portflow.DonorContract(binding_end=dt.date(2027, 6, 30)),
        ),
    ),
)
"""What each household declared, with a label for the report."""


class UnreliableOperator:
    """A `portflow.ContractLookup` whose previous operator is down for the first calls.

    A carrier writes its own look-up against the previous operator's systems.
    This one answers from the contract the customer declared (as
    `portflow.DeclaredContractLookup` does), except that the operator does not
    answer the first ``outages`` calls about the lines given: those raise
    `portflow.ContractLookupFailed`, and the engine tries again an hour later.
    Every call is logged with the clock's time.
    """

    def __init__(self, clock: portflow.Clock, outages: Mapping[str, int]) -> None:
        """Fail the first ``outages[line]`` look-ups of each line named."""
        self._clock = clock
        self._declared = portflow.DeclaredContractLookup()
        self._outages = {portflow.parse_number(line, "CH").e164: n for line, n in outages.items()}
        self.log: list[tuple[dt.datetime, str, str]] = []
        """Every call: when, about which order, and what came of it."""

    def binding_end(self, order: portflow.PortOrder) -> dt.date | None:
        """Return the binding end of the order's line, or ``None`` for no binding.

        Raises:
            ContractLookupFailed: while the operator does not answer about the line.
        """
        (line,) = order.valid.numbers.singles
        now = self._clock.now()
        if self._outages.get(line.e164, 0) > 0:
            self._outages[line.e164] -= 1
            self.log.append((now, order.id, "the operator does not answer"))
            raise portflow.ContractLookupFailed(
                f"The previous operator did not answer about {line.national}."
            )
        end = self._declared.binding_end(order)
        self.log.append((now, order.id, f"binding ends {end}" if end else "no binding"))
        return end


def local(instant: dt.datetime | None) -> str:
    """Return an instant as Zurich wall-clock time."""
    return "-" if instant is None else f"{ZURICH.local(instant):%Y-%m-%d %H:%M}"


def build_engine() -> tuple[portflow.Engine, UnreliableOperator]:
    """Wire an engine to in-memory adapters and the unreliable previous operator."""
    clock = portflow.ManualClock(START)
    operator = UnreliableOperator(clock, outages={"044 555 66 74": 2})
    engine = portflow.Engine(
        clock=clock,
        store=portflow.MemoryOrderStore(),
        inventory=portflow.MemoryNumberPool.for_country("CH"),
        donor=portflow.RecordingDonorGateway(),
        notifier=portflow.RecordingNotifier(),
        contracts=operator,
    )
    return engine, operator


def approve_all(engine: portflow.Engine) -> list[tuple[str, portflow.PortOrder]]:
    """Submit and approve every takeover; print where each stands right after approval."""
    print(f"Approval on {local(engine.clock.now())} (Zurich):")
    approved = []
    for label, request in TAKEOVERS:
        order = engine.approve(engine.submit(request).id)
        approved.append((label, order))
        print(f"  {order.id}  {request.line}  {label}")
        print(f"             {after_approval(order)}")
    return approved


def after_approval(order: portflow.PortOrder) -> str:
    """Return what the approval decided for one order, in words."""
    if order.state is portflow.OrderState.DEFERRED:
        wake = next(t for t in order.timers if t.action is portflow.TimerAction.WAKE)
        return f"deferred: wakes {local(wake.due)}, the line moves {local(order.port_at)}"
    if order.state is portflow.OrderState.SUBMITTED:
        retry = next(t for t in order.timers if t.action is portflow.TimerAction.LOOKUP)
        return f"submitted: the look-up failed, retried at {local(retry.due)}"
    return f"{order.state}: the line moves {local(order.port_at)}"


def run(engine: portflow.Engine) -> None:
    """Let time pass to `END`; each business day at 16:00 the donor confirms what it holds."""
    day = ZURICH.local_date(START)
    while (instant := ZURICH.at(day, DONOR_ANSWERS_AT)) <= END:
        if ZURICH.is_business_day(day):
            engine.advance(instant)
            for order in list(engine.orders()):
                if order.state is portflow.OrderState.REQUESTED:
                    engine.donor_confirms(order.id)
        day += dt.timedelta(days=1)
    engine.advance(END)


def report(
    engine: portflow.Engine, operator: UnreliableOperator, label: str, order_id: str
) -> None:
    """Print one order: its transitions, its look-ups, its letters and notices."""
    order = engine.get(order_id)
    line = order.valid.numbers.singles[0].national
    print(f"\n{order.id}  {order.valid.request.subscriber.name}, line {line} ({label})")
    print(f"  {order.state}; the line moved at {local(order.port_at)}")
    for at, looked_up, outcome in operator.log:
        if looked_up == order.id:
            print(f"  look-up {local(at)}: {outcome}")
    for event in order.history:
        if event.trigger is portflow.Trigger.WAKE:
            print(f"  woke at {local(event.at)} and went to the donor")
    print("  transitions:")
    for event in order.history:
        moved = f"{event.source} -> {event.dest}"
        print(f"    {local(event.at)}  {event.trigger:<8} {moved:<24} ({event.actor})")
    print("  letters and notices (kind, channel, due, parameters):")
    for notification in order.notifications:
        params = ", ".join(f"{k}={v}" for k, v in notification.params)
        row = f"    {notification.kind:<30} {notification.channel:<6} {local(notification.due)}"
        print(f"{row}  {params}".rstrip())


def main() -> None:
    """Approve the four takeovers, let the donor confirm them, and print what happened."""
    engine, operator = build_engine()
    approved = approve_all(engine)
    run(engine)
    print(f"\nThe clock stands at {local(engine.clock.now())}.")
    for label, order in approved:
        report(engine, operator, label, order.id)


if __name__ == "__main__":
    main()
