"""A season of porting traffic in CH, SE or NO, seeded, as ``portflow simulate`` runs it.

A company of `portflow.testing.samples` (Schmiedeisen AG in Zurich, Berg & Son
AB in Stockholm, Fjord Telecom AS in Oslo) ports its numbers through a reseller,
who submits port orders every business day: PBX and IP-telephony ports,
mobile ports with a SIM card, and broadband takeovers under the 6-month
binding rule. Mobile ports are ordered in the customer's app, where a user
without the account permission is refused (``auth.forbidden``) and the
account owner orders instead. The provider approves them the next morning
(asking a question now and then); mobile customers activate their SIM; a
seeded `SimulatedDonor` confirms most requests within its working hours,
rejects some with a typed reason (the reseller revises and resubmits) and
moves a few; some customers cancel. The clock moves day by day and the engine
fires every due timer: wake-ups of deferred takeovers, executions at the port
instants, notifications when due. The same seed gives the same run.
"""

from __future__ import annotations

import collections
import datetime as dt
import random
from collections.abc import Callable, Iterable
from typing import Final

import attrs

from portflow import (
    BroadbandRequest,
    BusinessCalendar,
    Code,
    CommandRefused,
    DonorContract,
    Engine,
    ManualClock,
    MemoryNumberPool,
    Orderer,
    OrderState,
    OrderStore,
    PortOrder,
    PortRequest,
    RecordingNotifier,
    Service,
    SimCard,
    SimulatedDonor,
    Subscriber,
    TemporaryStatus,
    TimerAction,
    Timing,
    ValidationFailed,
)
from portflow.testing.samples import BERG_AND_SON, FJORD_TELECOM, SCHMIEDEISEN

START = dt.datetime(2027, 1, 4, 7, tzinfo=dt.UTC)
"""Where the clock starts: Monday 4 January 2027, 08:00 in Zurich, Stockholm and Oslo."""
RESELLER = "porting@reseller.example"
SERVICE_MIX = (Service.PBX,) * 4 + (Service.MOBILE,) * 3 + (Service.IP_TELEPHONY,) * 2
"""Nine in ten requests are ports; the tenth is a broadband takeover."""


@attrs.frozen
class Traffic:
    """Who orders in one country, and which numbers and lines move."""

    country: str
    customer: Subscriber
    """The company whose numbers move; its contact person owns the account and signs."""
    colleague: Orderer
    """A user of the customer's app without the account permission."""
    fixed: str
    """The prefix of the fixed numbers ported; each order's index completes it (six digits,
    never the customer's own phone)."""
    mobile: str
    """The prefix of the mobile numbers ported."""
    lines: str
    """The prefix of the broadband lines taken over."""
    sim: SimCard
    calendar: BusinessCalendar = attrs.field(init=False)
    """The country's business days and zone."""

    @calendar.default
    def _calendar(self) -> BusinessCalendar:
        return BusinessCalendar.for_country(self.country)

    @property
    def owner(self) -> Orderer:
        """The account owner, who also orders in the app."""
        return Orderer(self.customer.contact_person, account_owner=True)


TRAFFIC: Final = {
    "CH": Traffic(
        "CH",
        SCHMIEDEISEN,
        Orderer("Peter Meier"),
        fixed="+41442",
        mobile="+41791",
        lines="+41445",
        sim=SimCard.physical("8941 0000 1234 5678 9010"),
    ),
    "SE": Traffic(
        "SE",
        BERG_AND_SON,
        Orderer("Karin Berg"),
        fixed="+46814",
        mobile="+46701",
        lines="+46815",
        sim=SimCard.physical("8946 0000 1234 5678 9015"),
    ),
    "NO": Traffic(
        "NO",
        FJORD_TELECOM,
        Orderer("Ola Nordmann"),
        fixed="+4723",
        mobile="+4741",
        lines="+4721",
        sim=SimCard.physical("8947 0000 1234 5678 9014"),
    ),
}
"""The traffic of each country a simulation runs in."""


def request_for(
    index: int, rng: random.Random, today: dt.date, traffic: Traffic = TRAFFIC["CH"]
) -> PortRequest | BroadbandRequest:
    """Return the ``index``-th request of the run: a port of one number or a line takeover."""
    signer = traffic.customer.contact_person
    if rng.random() < 0.1:
        binding_days = rng.choice([None, rng.randint(10, 180), rng.randint(181, 400)])
        binding_end = None if binding_days is None else today + dt.timedelta(days=binding_days)
        return BroadbandRequest(
            country=traffic.country,
            line=f"{traffic.lines}{index:06d}",
            subscriber=traffic.customer,
            signers=(signer,),
            power_of_attorney=True,
            contract=DonorContract(binding_end=binding_end),
            reseller=RESELLER,
        )
    service = rng.choice(SERVICE_MIX)
    mobile = service is Service.MOBILE
    timings = [Timing.contract_end(at=dt.time(6)), Timing.asap()]
    if not mobile:  # a fixed date may fall inside a mobile binding (binding.remaining)
        later = traffic.calendar.add_business_days(today, rng.randint(6, 30))
        timings.append(Timing.on(later, at=dt.time(7)))
    # Mostly the owner orders in the app; now and then a colleague without the permission.
    app_users = (traffic.owner,) * 4 + (traffic.colleague,)
    return PortRequest(
        country=traffic.country,
        service=service,
        numbers=(f"{traffic.mobile if mobile else traffic.fixed}{index:06d}",),
        subscriber=traffic.customer,
        signers=(signer,),
        timing=rng.choice(timings),
        contract=DonorContract(binding_end=today + dt.timedelta(days=rng.randint(20, 120))),
        reseller=RESELLER,
        sim=traffic.sim if mobile else None,
        orderer=rng.choice(app_users) if mobile else None,
    )


@attrs.frozen
class Summary:
    """What a simulation left in its store, counted."""

    orders: int
    """Port orders in the store."""
    clock: dt.datetime
    """The engine's clock when the last order ended."""
    services: dict[str, int]
    """Orders per service."""
    states: dict[str, int]
    """Orders per final state."""
    happened: dict[str, int]
    """What the parties did and the donor answered, each counted."""
    notifications: dict[str, int]
    """Notifications per kind."""
    temporary_numbers: dict[str, int]
    """Temporary numbers per final status."""

    @classmethod
    def of(cls, engine: Engine, happened: collections.Counter[str]) -> Summary:
        """Count what the engine's store holds once the traffic has ended."""
        orders = list(engine.orders())
        return cls(
            orders=len(orders),
            clock=engine.clock.now(),
            services=_counted(order.valid.request.service.value for order in orders),
            states=_counted(order.state.value for order in orders),
            happened=dict(sorted(happened.items())),
            notifications=_counted(n.kind.value for n in engine.notifications()),
            temporary_numbers=_counted(
                t.status.value for order in orders for t in order.temporary_numbers
            ),
        )


def _counted(names: Iterable[str]) -> dict[str, int]:
    return dict(sorted(collections.Counter(names).items()))


def simulate(
    store: OrderStore,
    orders: int,
    seed: int,
    on_day: Callable[[int], None],
    country: str = "CH",
) -> Summary:
    """Run ``orders`` orders of seeded traffic in ``country`` on ``store`` until every one ended.

    The clock starts at `START`; the donor is a `SimulatedDonor` of the same seed.
    ``on_day`` is told, after every simulated business day, how many orders have
    ended so far. Returns what the store holds then, and what happened, counted.
    """
    traffic = TRAFFIC[country.upper()]
    calendar = traffic.calendar
    donor = SimulatedDonor(seed=seed, reject_rate=0.08, reschedule_rate=0.1)
    engine = Engine(
        clock=ManualClock(START),
        store=store,
        inventory=MemoryNumberPool.for_country(country),
        donor=donor,
        notifier=RecordingNotifier(),
    )
    rng = random.Random(seed)  # noqa: S311 - reproducible traffic, not secrets
    happened: collections.Counter[str] = collections.Counter()
    submitted = 0
    running: list[str] = []  # orders not yet ended, or rejected and to be resubmitted
    day = calendar.local_date(engine.clock.now())
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
            request = request_for(submitted, rng, day, traffic)
            running.append(place(engine, request, traffic, happened).id)
            submitted += 1
        day = calendar.next_business_day(day)
        for answer in donor.answer(engine, until=calendar.at(day, dt.time(7))):
            reason = f" ({answer.reason})" if answer.reason else ""
            happened[f"donor: {answer.kind}{reason}"] += 1
        running = [order_id for order_id in running if still_running(engine.get(order_id))]
        on_day(submitted - len(running))
    happened["donor: answers dropped"] = len(donor.dropped)
    return Summary.of(engine, happened)


def place(
    engine: Engine,
    request: PortRequest | BroadbandRequest,
    traffic: Traffic,
    happened: collections.Counter[str],
) -> PortOrder:
    """Submit the request; when the app refuses the user who ordered, the owner orders."""
    try:
        return engine.submit(request)
    except ValidationFailed as failed:
        if Code.AUTH_FORBIDDEN not in failed.codes or not isinstance(request, PortRequest):
            raise
        happened["refused in the app (auth.forbidden)"] += 1
        return engine.submit(attrs.evolve(request, orderer=traffic.owner))


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
