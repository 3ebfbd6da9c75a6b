"""A rule-based state machine over the in-memory engine: random commands and time jumps.

Hypothesis drives `Engine.in_memory("CH")` with every command of SPEC 6 (submit,
port groups, ask, answer, approve, defer, confirm, reject, reschedule, cancel,
revise and resubmit), the service workflows of SPEC 8 (PBX, mobile with SIM
activation, IP telephony, broadband takeovers whose binding look-up fails now
and then) and with clock jumps from minutes to months, over a small
fixed pool of Swiss numbers so that ``numbers.already_in_port`` clashes are
common. After every step it checks the lifecycle (SPEC 6), the numbers held by
live orders (SPEC 1.3), the temporary numbers (SPEC 7) and the timers and
notifications (SPEC 6, 9); a command that raises must have changed nothing
(SPEC 6, 11).

Orders are picked by position among the orders whose state allows the command
(or, now and then, among all orders, to exercise refusals); every engine call
is logged with `hypothesis.note`, so a failing run prints a script to replay.
"""

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

import attrs
from hypothesis import HealthCheck, note, settings
from hypothesis import event as statistic
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from portflow import (
    BroadbandRequest,
    BusinessCalendar,
    Code,
    CommandRefused,
    ContractLookupFailed,
    DeclaredContractLookup,
    DeliveryFailed,
    DonorContract,
    Engine,
    HistoryEvent,
    IllegalTransition,
    InventoryExhausted,
    MemoryNumberPool,
    NoticePolicy,
    Notification,
    NotificationKind,
    NumberSet,
    OrderState,
    PortflowError,
    PortOrder,
    PortRequest,
    RecordingDonorGateway,
    RecordingNotifier,
    RejectionReason,
    Service,
    SimCard,
    TemporaryStatus,
    TimerAction,
    Timing,
    Trigger,
    Undelivered,
    ValidationFailed,
    add_months,
    find_overlaps,
    parse_numbers,
)
from portflow._core.lifecycle import TRANSITIONS
from portflow._core.number_sets import entry_text
from tests_support import SCHMIEDEISEN, swiss_request

START = dt.datetime(2027, 1, 4, 7, 30, tzinfo=dt.UTC)
"""A Monday morning; the clock only moves forward from here."""
CALENDAR = BusinessCalendar.for_country("CH")

SINGLES = tuple(f"044 123 45 6{digit}" for digit in range(6))
BLOCK = "04412347xx"
INSIDE = "0441234712"
"""A single number inside `BLOCK`: listing both is ``numbers.overlap``."""
ENTRIES = (*SINGLES, BLOCK, INSIDE)
LINES = ("044 555 66 70", "044 555 66 71", "044 555 66 72", SINGLES[0])
"""Broadband lines: three of their own and one a port may hold too."""
SIMS = (None, SimCard.esim(), SimCard.physical("89410000123456789010"))
GROUP_NUMBERS = tuple(f"04412345{n:02d}" for n in range(40, 60))
"""20 numbers beside `SINGLES`: two groups of 11 of them always clash."""

S = OrderState
LIVE = frozenset(state for state in OrderState if state.is_live)
ALLOWED = {(source, row.trigger): row.dest for row in TRANSITIONS for source in row.sources}
"""SPEC 6 as (state, trigger) -> next state."""
TEMPORARY_MOVES = {
    TemporaryStatus.RESERVED: {
        TemporaryStatus.ACTIVE,
        TemporaryStatus.DEACTIVATED,
        TemporaryStatus.PROMOTED,
    },
    TemporaryStatus.ACTIVE: {TemporaryStatus.DEACTIVATED, TemporaryStatus.PROMOTED},
}
"""SPEC 7: reserved -> active -> deactivated, or reserved|active -> promoted."""
TIMER_TRIGGERS = frozenset({Trigger.WAKE, Trigger.EXECUTE})
T = TypeVar("T")
EXPECTED_REFUSALS = (IllegalTransition, CommandRefused, ValidationFailed, InventoryExhausted)

FITS = {
    "ask": {S.SUBMITTED},
    "answer": {S.CLARIFICATION},
    "approve": {S.SUBMITTED},
    "confirm": {S.REQUESTED},
    "reject": {S.REQUESTED, S.SCHEDULED},
    "reschedule": {S.SCHEDULED},
    "cancel": {S.DRAFT, *LIVE},
    "revise": {S.REJECTED},
    "resubmit": {S.DRAFT},
    "activate_sim": LIVE,
}
"""The states each command is meant for; the machine picks outside them now and then."""

picks = st.integers(0, 30)
fitting = st.sampled_from([True, True, True, False])
times_of_day = st.sampled_from([None, dt.time(6, 0), dt.time(2, 30), dt.time(23, 45)])
services = st.sampled_from([Service.PBX, Service.MOBILE, Service.IP_TELEPHONY])
timing_kinds = st.sampled_from(["contract_end", "asap", "fixed"])
single_numbers = st.lists(st.sampled_from(ENTRIES), min_size=1, max_size=3, unique=True)
group_numbers = st.lists(st.sampled_from(GROUP_NUMBERS), min_size=11, max_size=14, unique=True)
valid_numbers = st.lists(st.sampled_from((*SINGLES, BLOCK)), min_size=1, max_size=3, unique=True)
"""Numbers that never overlap each other."""
minutes_ahead = st.one_of(
    st.just(0),
    st.integers(-3 * 24 * 60, -1),
    st.integers(1, 24 * 60),
    st.integers(1, 120).map(lambda days: days * 24 * 60),
    st.integers(1, 120 * 24 * 60),
)
"""Port and wake instants relative to the clock, in minutes: now, past, hours or months on."""
planned_or_minutes = st.one_of(st.none(), st.none(), st.none(), minutes_ahead)
"""Mostly the planned instant (``None``), sometimes one relative to the clock."""
jumps = st.one_of(
    st.integers(1, 180).map(lambda m: dt.timedelta(minutes=m)),
    st.integers(1, 72).map(lambda h: dt.timedelta(hours=h)),
    st.integers(1, 120).map(lambda d: dt.timedelta(days=d)),
)


class FlakyContractLookup(DeclaredContractLookup):
    """Answers from the declared contract, except while an outage lasts."""

    def __init__(self) -> None:
        """Start without an outage."""
        self.failures_left = 0

    def binding_end(self, order: PortOrder) -> dt.date | None:
        """Fail while the outage lasts, then answer as declared."""
        if self.failures_left:
            self.failures_left -= 1
            raise ContractLookupFailed("the previous operator did not answer in time")
        return super().binding_end(order)


class ClockedNotifier(RecordingNotifier):
    """A recording notifier that also notes the clock at each delivery, and may be down."""

    def __init__(self, engine: Engine) -> None:
        """Record into the lists of `RecordingNotifier`, reading ``engine``'s clock."""
        super().__init__()
        self._engine = engine
        self.clock_at: list[dt.datetime] = []
        self.failures_left = 0
        self.refused: list[str] = []

    def deliver(self, notification: Notification) -> None:
        """Refuse while an outage lasts; else record the notification and the clock's reading."""
        if self.failures_left:
            self.failures_left -= 1
            self.refused.append(notification.key)
            raise ConnectionError("the mail relay does not answer")
        super().deliver(notification)
        self.clock_at.append(self._engine.clock.now())


@attrs.frozen
class Snapshot:
    """Everything a command may change, copied."""

    now: dt.datetime
    orders: tuple[PortOrder, ...]
    pool_status: dict[str, TemporaryStatus]
    pool_serving: dict[str, str]
    sent: tuple[str, ...]
    withdrawn: tuple[str, ...]
    delivered: tuple[Notification, ...]
    heard: int

    @property
    def by_id(self) -> dict[str, PortOrder]:
        """The orders by id."""
        return {order.id: order for order in self.orders}


def _timing(today: dt.date, kind: str, day_offset: int, at: dt.time | None) -> Timing:
    """The timing of a request made ``today``: ASAP, contract end, or a fixed day ahead."""
    if kind == "asap":
        return Timing.asap(at)
    if kind == "contract_end":
        return Timing.contract_end(at)
    return Timing.on(today + dt.timedelta(days=day_offset), at)


def _live_throughout(order: PortOrder, instant: dt.datetime) -> bool:
    """Whether the order was live just before ``instant`` and still after every event at it.

    Events of two orders at one instant have no order between them in their
    histories (a member may be cancelled, or revised and resubmitted, at the very
    instant another executes), so only a member live on both sides of the
    instant was certainly live when the other executed.
    """
    before = after = S.DRAFT
    for event in order.history:
        if event.at > instant:
            break
        after = event.dest
        if event.at < instant:
            before = event.dest
    return before.is_live and after.is_live


@functools.lru_cache(maxsize=1024)
def _parsed(numbers: tuple[object, ...]) -> NumberSet | None:
    """The numbers of a request, or ``None`` when they break a rule of their own."""
    try:
        return parse_numbers(numbers, "CH")
    except ValidationFailed:
        return None


def _shown(request: PortRequest) -> str:
    """A request as the `swiss_request` call that builds it, for the replay script."""
    return (
        f"swiss_request(numbers={request.numbers!r}, service=Service.{request.service.name}, "
        f"timing={request.timing!r}, contract={request.contract!r}, sim={request.sim!r}, "
        f"power_of_attorney={request.power_of_attorney})"
    )


class EngineMachine(RuleBasedStateMachine):
    """Random commands and time jumps against one in-memory Swiss engine."""

    def __init__(self) -> None:
        """Start an empty engine with a clocked notifier and an event subscriber."""
        super().__init__()
        self.engine = Engine.in_memory("CH", now=START)
        self.notifier = ClockedNotifier(self.engine)
        self.engine.notifier = self.notifier
        self.lookup = FlakyContractLookup()
        self.engine.contracts = self.lookup
        assert isinstance(self.engine.inventory, MemoryNumberPool)
        assert isinstance(self.engine.donor, RecordingDonorGateway)
        self.pool: MemoryNumberPool = self.engine.inventory
        self.donor: RecordingDonorGateway = self.engine.donor
        self.heard: list[tuple[dt.datetime, str, HistoryEvent]] = []
        self.heard_by_order: dict[str, list[HistoryEvent]] = {}
        self.engine.subscribe(self._hear)
        self.previous = self._snapshot()
        self.refusal: PortflowError | None = None
        """The error of the last refused command."""
        self.activated: set[str] = set()
        """Mobile orders whose SIM was activated."""

    # --- helpers ------------------------------------------------------------------------

    def _hear(self, order: PortOrder, event: HistoryEvent) -> None:
        self.heard.append((self.engine.clock.now(), order.id, event))
        self.heard_by_order.setdefault(order.id, []).append(event)

    def _snapshot(self) -> Snapshot:
        return Snapshot(
            now=self.engine.clock.now(),
            orders=tuple(self.engine.orders()),
            pool_status=dict(self.pool.status),
            pool_serving=dict(self.pool.serving),
            sent=tuple(self.donor.sent),
            withdrawn=tuple(self.donor.withdrawn),
            delivered=tuple(self.notifier.delivered),
            heard=len(self.heard),
        )

    @property
    def now(self) -> dt.datetime:
        """The engine's clock."""
        return self.engine.clock.now()

    def _pick(self, command: str, pick: int, *, fit: bool) -> str | None:
        orders = list(self.engine.orders())
        if not orders:
            return None
        candidates = [o.id for o in orders if o.state in FITS[command]] if fit else []
        if not candidates:
            candidates = [o.id for o in orders]
        return candidates[pick % len(candidates)]

    def _instant(self, order_id: str, minutes: int | None, *, sibling: bool) -> dt.datetime | None:
        """Return now + ``minutes``, or a port group sibling's port instant when asked."""
        if sibling:
            order = self.engine.get(order_id)
            if order.group_id is not None:
                for member in self.engine.group(order.group_id):
                    if member.id != order_id and member.port_at is not None:
                        return member.port_at
        return None if minutes is None else self.now + dt.timedelta(minutes=minutes)

    def _attempt(self, call: str, command: Callable[[], T]) -> T | None:
        """Run a command; if it raises, check that it changed nothing (SPEC 6, 11)."""
        before = self._snapshot()
        self.previous = before
        self.refusal = None
        name = call.partition("(")[0]
        try:
            result = command()
        except PortflowError as error:
            self.refusal = error
        else:
            note(call)
            statistic(f"{name} ok")
            return result
        refusal = self.refusal
        note(f"{call}  # raises {type(refusal).__name__} {refusal.code}")
        statistic(f"{name} refused: {refusal.code}")
        assert isinstance(refusal, EXPECTED_REFUSALS), refusal
        after = self._snapshot()
        for old, new in zip(before.orders, after.orders, strict=True):
            assert new == old, f"the refused {call} changed {old.id}"
        assert after == before, f"the refused {call} changed the adapters"
        return None

    def _request(
        self,
        numbers: list[str],
        service: Service,
        timing: tuple[str, int, dt.time | None],
        binding_days: int | None,
        *,
        notice: bool = False,
        sim: SimCard | None = None,
        power_of_attorney: bool = False,
    ) -> PortRequest:
        """A Swiss request; ``timing`` is (kind, days from today for a fixed date, time of day)."""
        today = CALENDAR.local_date(self.now)
        if binding_days is None:
            contract = DonorContract.unknown()
        else:
            contract = DonorContract(
                binding_end=today + dt.timedelta(days=binding_days),
                notice=NoticePolicy.current_month_plus(1) if notice else NoticePolicy.none(),
            )
        return swiss_request(
            numbers=tuple(numbers),
            service=service,
            timing=_timing(today, *timing),
            contract=contract,
            sim=sim if service is Service.MOBILE else None,
            power_of_attorney=power_of_attorney,
        )

    def _submit(
        self, call: str, command: Callable[[], T], request: PortRequest, own: str
    ) -> T | None:
        """Run a submission and check its ``numbers.already_in_port`` verdict (SPEC 1.3).

        The store's index must agree with the live orders: the request is refused
        for a clash exactly when a live order other than ``own`` holds one of its
        numbers (checked only when the request's numbers are sound on their own).
        """
        wanted = _parsed(request.numbers)
        clash = wanted is not None and any(
            wanted.overlaps(entry)
            for order in self.engine.orders()
            if order.state.is_live and order.id != own
            for entry in order.valid.numbers
        )
        outcome = self._attempt(call, command)
        if wanted is None:
            return outcome
        if outcome is not None:
            assert not clash, f"{request.numbers} accepted while a live order holds one"
        elif isinstance(self.refusal, ValidationFailed):
            found = Code.NUMBERS_ALREADY_IN_PORT in self.refusal.codes
            assert found == clash, self.refusal
        return outcome

    # --- the commands, shared by the rules -------------------------------------------------

    def _do_submit(self, request: PortRequest, order_id: str | None = None) -> None:
        if order_id is None:
            call = f"engine.submit({_shown(request)})"
            order = self._submit(call, lambda: self.engine.submit(request), request, "")
        else:
            call = f"engine.submit({_shown(request)}, order_id={order_id!r})"
            order = self._submit(
                call, lambda: self.engine.submit(request, order_id=order_id), request, order_id
            )
        if order is not None:
            assert order.state is S.SUBMITTED
            assert order.id == (order_id or order.id)
            self._check_sim_kept(order)

    def _check_sim_kept(self, order: PortOrder) -> None:
        """SPEC 7 (decision): a mobile resubmission on the SIM it had keeps it.

        Its activation carries over, and it is not shipped again once the
        customer was told of it or activated it; any other submission's new
        temporaries wait for an activation, and a physical SIM is shipped.
        """
        before = self.previous.by_id.get(order.id)
        mobile = Service.MOBILE
        kept = (
            before is not None
            and before.valid.request.service is mobile
            and order.valid.request.service is mobile
            and before.valid.sim == order.valid.sim
        )
        told = before is not None and any(
            n.kind is NotificationKind.SIM_SHIPPED for n in before.notifications
        )
        not_shipped_again = kept and (told or order.id in self.activated)
        if not (kept and order.id in self.activated):
            self.activated.discard(order.id)
        wanted = TemporaryStatus.ACTIVE if order.id in self.activated else TemporaryStatus.RESERVED
        fresh = order.temporary_numbers[-len(order.valid.numbers) :]
        assert all(t.status is wanted for t in fresh)
        assert (order.sim_active_since is not None) is (order.id in self.activated)
        sim = order.valid.sim
        ships = order.valid.request.service is mobile and sim is not None and not sim.is_esim
        new_notices = order.notifications[len(before.notifications) if before else 0 :]
        shipped = [n for n in new_notices if n.kind is NotificationKind.SIM_SHIPPED]
        assert len(shipped) == (1 if ships and not not_shipped_again else 0), (order.id, shipped)

    def _do_approve(
        self, order_id: str, port_at: dt.datetime | None, defer_until: dt.datetime | None
    ) -> None:
        order = self._attempt(
            f"engine.approve({order_id!r}, port_at={port_at!r}, defer_until={defer_until!r})",
            lambda: self.engine.approve(order_id, port_at=port_at, defer_until=defer_until),
        )
        if order is None:
            return
        by_binding = port_at is defer_until is None
        if by_binding and order.valid.request.service is Service.BROADBAND:
            self._check_takeover(order)
            return
        assert order.state is (S.REQUESTED if defer_until is None else S.DEFERRED)
        assert not order.needs_arrangement
        if port_at is not None:
            assert order.port_at == port_at

    def _check_takeover(self, order: PortOrder) -> None:
        """SPEC 8: the 6-month rule on the looked-up binding, or a retry when it failed.

        Failed look-ups are retried for the profile's ``lookup_patience``; then the
        engine asks the reseller (decision).
        """
        lookups = [t for t in order.timers if t.action is TimerAction.LOOKUP]
        previous = self.previous.by_id[order.id]
        profile = order.valid.profile
        if order.state is S.CLARIFICATION:
            statistic("takeover look-up given up")
            assert previous.lookup_failing_since is not None
            assert self.now - previous.lookup_failing_since >= profile.lookup_patience
            assert (order.history[-1].trigger, order.history[-1].actor) == (Trigger.ASK, "engine")
            assert not lookups
            assert order.lookup_failing_since is None
            return
        if order.state is S.SUBMITTED:
            statistic("takeover look-up failed")
            assert len(lookups) == 1
            assert lookups[0].due == self.now + profile.lookup_retry
            assert order.history == previous.history
            assert order.lookup_failing_since == (previous.lookup_failing_since or self.now)
            return
        assert not lookups
        assert order.lookup_failing_since is None
        binding_end = order.valid.request.contract.binding_end
        today = CALENDAR.local_date(self.now)
        wake_day = add_months(binding_end, -6) if binding_end else None
        waits = binding_end is not None and binding_end > add_months(today, 6) and wake_day > today
        statistic(f"takeover {order.state}")
        assert order.state is (S.DEFERRED if waits else S.REQUESTED), (order.id, binding_end)
        earliest = CALENDAR.add_business_days(today, 5)
        connected = CALENDAR.local_date(order.port_at)
        if binding_end is None or binding_end < today:
            assert connected == earliest
        else:
            assert connected == max(CALENDAR.on_or_after(binding_end), earliest)

    def _do_confirm(self, order_id: str, port_at: dt.datetime | None) -> None:
        order = self._attempt(
            f"engine.donor_confirms({order_id!r}, port_at={port_at!r})",
            lambda: self.engine.donor_confirms(order_id, port_at),
        )
        if order is not None:
            assert order.state is S.SCHEDULED
            assert order.port_at == (port_at or self.previous.by_id[order_id].port_at)

    def _do_answer(self, order_id: str) -> None:
        self._attempt(
            f"engine.answer({order_id!r}, 'Swisscom')",
            lambda: self.engine.answer(order_id, "Swisscom"),
        )

    def _do_revise(self, order_id: str) -> None:
        order = self._attempt(f"engine.revise({order_id!r})", lambda: self.engine.revise(order_id))
        if order is not None:
            assert order.state is S.DRAFT

    def _meeting_instant(self, order: PortOrder, later: dt.datetime) -> dt.datetime | None:
        """A port instant still to come: a group sibling's, the planned one (``None``), or later."""
        if order.group_id is not None:
            for member in self.engine.group(order.group_id):
                if member.id != order.id and member.port_at and member.port_at >= self.now:
                    return member.port_at
        if order.port_at is not None and order.port_at >= self.now:
            return None
        return later

    def _resubmission(
        self,
        order_id: str,
        numbers: list[str] | None,
        timing_kind: str,
        binding_days: int,
        sim: SimCard | str | None = "same",
    ) -> PortRequest:
        """The order's request with other numbers (or its own), timing and maybe SIM."""
        original = self.engine.get(order_id).valid
        listed = numbers
        if listed is None:
            listed = [entry_text(entry) for entry in original.numbers]
        return self._request(
            listed,
            original.request.service,
            (timing_kind, 10, original.request.timing.at),
            binding_days,
            sim=original.request.sim if sim == "same" else sim,
            power_of_attorney=original.request.power_of_attorney,
        )

    # --- rules: commands --------------------------------------------------------------------

    @initialize(numbers=valid_numbers, service=services, at=times_of_day)
    def submit_first(self, *, numbers, service, at):
        """SPEC 6: a valid ASAP request on an empty engine is submitted."""
        if service is Service.MOBILE:  # a mobile port moves single numbers (seed 000)
            numbers = [number for number in numbers if number != BLOCK] or [SINGLES[0]]
        self._do_submit(self._request(numbers, service, ("asap", 0, at), 30))
        assert any(True for _ in self.engine.orders())

    @rule(
        numbers=single_numbers,
        service=services,
        timing_kind=timing_kinds,
        day_offset=st.integers(0, 40),
        at=times_of_day,
        binding_days=st.none() | st.integers(-10, 200) | st.integers(20, 120),
        notice=st.booleans(),
        sim=st.sampled_from(SIMS),
    )
    def submit(self, *, numbers, service, timing_kind, day_offset, at, binding_days, notice, sim):
        """SPEC 1.3, 6, 7, 8: submit validates, holds the numbers and reserves temporaries."""
        timing = (timing_kind, day_offset, at)
        request = self._request(numbers, service, timing, binding_days, notice=notice, sim=sim)
        self._do_submit(request)

    @rule(
        numbers=group_numbers,
        with_block=st.booleans(),
        single=st.none() | st.sampled_from(SINGLES),
        service=services,
        timing_kind=timing_kinds,
        day_offset=st.integers(0, 40),
        at=times_of_day,
        binding_days=st.none() | st.integers(-10, 200),
    )
    def submit_group(
        self, *, numbers, with_block, single, service, timing_kind, day_offset, at, binding_days
    ):
        """SPEC 1.3: an oversized request splits into a port group of orders within the limit."""
        listed = [*numbers, *([BLOCK] if with_block else []), *([single] if single else [])]
        request = self._request(listed, service, (timing_kind, day_offset, at), binding_days)
        members = self._submit(
            f"engine.submit_group({_shown(request)})",
            lambda: self.engine.submit_group(request),
            request,
            "",
        )
        if members is not None:
            assert {m.group_id for m in members} == {members[0].id}
            assert all(len(m.valid.numbers.singles) <= 10 for m in members)
            assert sum(len(m.valid.numbers) for m in members) == len(listed)
            assert len({m.port_at for m in members}) == 1

    @rule(
        line=st.sampled_from(LINES),
        binding_days=st.none() | st.integers(-30, 400) | st.integers(170, 200),
        power_of_attorney=st.sampled_from([True, True, True, False]),
    )
    def submit_takeover(self, *, line, binding_days, power_of_attorney):
        """SPEC 8: a broadband takeover needs a power of attorney; its line is held."""
        today = CALENDAR.local_date(self.now)
        binding_end = None if binding_days is None else today + dt.timedelta(days=binding_days)
        takeover = BroadbandRequest(
            country="CH",
            line=line,
            subscriber=SCHMIEDEISEN,
            signers=("Anna Muster",),
            power_of_attorney=power_of_attorney,
            contract=DonorContract(binding_end=binding_end),
            reseller="porting@reseller.example",
        )
        request = takeover.as_port_request()
        order = self._submit(
            f"engine.submit({takeover!r})", lambda: self.engine.submit(takeover), request, ""
        )
        if not power_of_attorney:
            assert order is None
            assert isinstance(self.refusal, ValidationFailed)
            assert Code.BINDING_NO_POWER_OF_ATTORNEY in self.refusal.codes
        if order is not None:
            assert order.temporary_numbers == ()
            assert order.needs_arrangement

    @rule(failures=st.integers(1, 3) | st.just(30))
    def lookup_outage(self, *, failures):
        """SPEC 8: the previous operator does not answer the next binding look-ups.

        Thirty failures outlast the profile's patience of a day of hourly retries.
        """
        note(f"lookup.failures_left = {failures}")
        self.lookup.failures_left = failures

    @rule(failures=st.integers(1, 4))
    def notifier_outage(self, *, failures):
        """SPEC 9: the notifier refuses the next deliveries; they are tried again later."""
        note(f"notifier.failures_left = {failures}")
        self.notifier.failures_left = failures

    @rule(pick=picks, fit=fitting)
    def activate_sim(self, *, pick, fit):
        """SPEC 7: a mobile order's temporary numbers work from SIM activation."""
        if (order_id := self._pick("activate_sim", pick, fit=fit)) is None:
            return
        order = self._attempt(
            f"engine.activate_sim({order_id!r})", lambda: self.engine.activate_sim(order_id)
        )
        if order is not None:
            assert order.valid.request.service is Service.MOBILE
            assert all(
                t.status is TemporaryStatus.ACTIVE
                for t in order.temporary_numbers
                if not t.status.is_ended
            )
            self.activated.add(order_id)

    @rule(pick=picks, fit=fitting)
    def ask(self, *, pick, fit):
        """SPEC 6: ask moves submitted -> clarification; the reseller is notified (SPEC 9)."""
        if (order_id := self._pick("ask", pick, fit=fit)) is not None:
            self._attempt(
                f"engine.ask({order_id!r}, 'Which donor?')",
                lambda: self.engine.ask(order_id, "Which donor?"),
            )

    @rule(pick=picks, fit=fitting)
    def answer(self, *, pick, fit):
        """SPEC 6: answer moves clarification -> submitted."""
        if (order_id := self._pick("answer", pick, fit=fit)) is not None:
            self._do_answer(order_id)

    @rule(
        pick=picks,
        fit=fitting,
        port_minutes=planned_or_minutes,
        defer_minutes=planned_or_minutes,
    )
    def approve(self, *, pick, fit, port_minutes, defer_minutes):
        """SPEC 6, 7: approve sends to the donor or defers to a wake instant; PBX temps work."""
        if (order_id := self._pick("approve", pick, fit=fit)) is not None:
            self._do_approve(
                order_id,
                self._instant(order_id, port_minutes, sibling=False),
                self._instant(order_id, defer_minutes, sibling=False),
            )

    @rule(pick=picks, fit=fitting, port_minutes=planned_or_minutes, sibling=st.booleans())
    def donor_confirms(self, *, pick, fit, port_minutes, sibling):
        """SPEC 6: confirm moves requested -> scheduled at the planned or the given instant."""
        if (order_id := self._pick("confirm", pick, fit=fit)) is not None:
            self._do_confirm(order_id, self._instant(order_id, port_minutes, sibling=sibling))

    @rule(pick=picks, fit=fitting, reason=st.sampled_from(RejectionReason))
    def donor_rejects(self, *, pick, fit, reason):
        """SPEC 6, 7: reject ends a requested or scheduled order and its temporaries."""
        if (order_id := self._pick("reject", pick, fit=fit)) is None:
            return
        order = self._attempt(
            f"engine.donor_rejects({order_id!r}, RejectionReason.{reason.name})",
            lambda: self.engine.donor_rejects(order_id, reason, "donor says no"),
        )
        if order is not None:
            assert order.state is S.REJECTED
            assert order.rejection is not None
            assert order.rejection.reason is reason

    @rule(pick=picks, fit=fitting, port_minutes=minutes_ahead, sibling=st.booleans())
    def reschedule(self, *, pick, fit, port_minutes, sibling):
        """SPEC 6: reschedule keeps a scheduled order scheduled at the new instant."""
        if (order_id := self._pick("reschedule", pick, fit=fit)) is None:
            return
        port_at = self._instant(order_id, port_minutes, sibling=sibling)
        assert port_at is not None
        order = self._attempt(
            f"engine.reschedule({order_id!r}, {port_at!r})",
            lambda: self.engine.reschedule(order_id, port_at),
        )
        if order is not None:
            assert order.state is S.SCHEDULED
            assert order.port_at == port_at

    @rule(pick=picks, fit=fitting, keep_temporary=st.booleans())
    def cancel(self, *, pick, fit, keep_temporary):
        """SPEC 6, 7: cancel stops an order; its temporaries end, or are promoted when kept."""
        if (order_id := self._pick("cancel", pick, fit=fit)) is None:
            return
        order = self._attempt(
            f"engine.cancel({order_id!r}, keep_temporary={keep_temporary})",
            lambda: self.engine.cancel(order_id, keep_temporary=keep_temporary),
        )
        if order is None:
            return
        assert order.state is S.CANCELLED
        before = self.previous.by_id[order_id].temporary_numbers
        ending = TemporaryStatus.PROMOTED if keep_temporary else TemporaryStatus.DEACTIVATED
        for old, new in zip(before, order.temporary_numbers, strict=True):
            assert new.status is (old.status if old.status.is_ended else ending), (old, new)

    @rule(pick=picks, fit=fitting)
    def revise(self, *, pick, fit):
        """SPEC 6: revise takes a rejected order back to draft."""
        if (order_id := self._pick("revise", pick, fit=fit)) is not None:
            self._do_revise(order_id)

    @rule(
        pick=picks,
        fit=fitting,
        numbers=st.none() | single_numbers,
        timing_kind=timing_kinds,
        binding_days=st.integers(-10, 200),
        sim=st.just("same") | st.sampled_from(SIMS),
    )
    def resubmit(self, *, pick, fit, numbers, timing_kind, binding_days, sim):
        """SPEC 6: a revised draft is submitted again under its id, validated afresh."""
        if (order_id := self._pick("resubmit", pick, fit=fit)) is not None:
            self._do_submit(
                self._resubmission(order_id, numbers, timing_kind, binding_days, sim), order_id
            )

    @rule(pick=picks, days=st.integers(5, 60))
    def progress(self, *, pick, days):
        """SPEC 6: an order's usual next step: approve, answer, confirm, run, revise, resubmit."""
        open_ids = [
            o.id for o in self.engine.orders() if not o.state.is_ended or o.state is S.REJECTED
        ]
        if not open_ids:
            return
        order = self.engine.get(open_ids[pick % len(open_ids)])
        later = self.now + dt.timedelta(days=days)
        if order.state is S.SUBMITTED:
            self._do_approve(order.id, None, None)
        elif order.state is S.CLARIFICATION:
            self._do_answer(order.id)
        elif order.state is S.REQUESTED:
            self._do_confirm(order.id, self._meeting_instant(order, later))
        elif order.state in {S.DEFERRED, S.SCHEDULED}:
            self._advance(max(order.next_due or later, self.now))
        elif order.state is S.REJECTED:
            self._do_revise(order.id)
        elif order.state is S.DRAFT:
            self._do_submit(self._resubmission(order.id, None, "asap", 0), order.id)

    @rule(jump=jumps)
    def advance(self, *, jump):
        """SPEC 6: a tick fires everything due, earliest first, exactly once, never early."""
        self._advance(self.now + jump)

    @rule()
    def advance_to_next_timer(self):
        """SPEC 6: a timer fires when the clock reaches exactly its instant."""
        dues = [o.next_due for o in self.engine.orders() if o.next_due is not None]
        self._advance(max(min(dues, default=self.now), self.now))

    def _advance(self, to: dt.datetime) -> None:
        before = self._snapshot()
        self.previous = before
        note(f"engine.advance({to!r})")
        refused_before = len(self.notifier.refused)
        undelivered: tuple[Undelivered, ...] = ()
        try:
            fired = self.engine.advance(to)
        except DeliveryFailed as failed:
            statistic("deliveries refused")
            fired, undelivered = failed.fired, failed.undelivered
        except PortflowError as error:
            message = f"SPEC 6: engine.advance({to!r}) must fire what is due, but raised {error!r}"
            raise AssertionError(message) from error
        # SPEC 9: everything else fired; each refusal is reported, once, and still pending.
        assert [u.key for u in undelivered] == self.notifier.refused[refused_before:]
        for refused in undelivered:
            assert refused.retry_at > to
            assert refused.key in self.engine.get(refused.order_id).pending_keys
        for timer in fired:
            statistic(f"fired {timer.action}")
        assert self.now == to
        instants = [f.at for f in fired]
        assert instants == sorted(instants), "timers fired out of order"
        assert all(at <= to for at in instants)
        delivered = self.notifier.delivered[len(before.delivered) :]
        assert [n.key for n in delivered] == [
            f.key for f in fired if f.action is TimerAction.DELIVER
        ]
        for order in self.engine.orders():
            assert all(t.due > to for t in order.timers), f"{order.id} kept a due timer"
        self._check_group_execution(before)
        self._check_lookup_patience(before)

    def _check_lookup_patience(self, before: Snapshot) -> None:
        """SPEC 8: the engine asks the reseller once look-ups failed for ``lookup_patience``."""
        for old in before.orders:
            order = self.engine.get(old.id)
            asked = [
                event
                for event in order.history[len(old.history) :]
                if (event.trigger, event.actor) == (Trigger.ASK, "engine")
            ]
            if not asked:
                continue
            statistic("takeover look-up given up")
            assert old.lookup_failing_since is not None, old.id
            assert asked[0].at - old.lookup_failing_since >= old.valid.profile.lookup_patience
            assert order.lookup_failing_since is None

    def _check_group_execution(self, before: Snapshot) -> None:
        """SPEC 1.3, 6: a port group executes together, at one instant, or not at all."""
        after = {o.id: o for o in self.engine.orders()}
        groups: dict[str, list[PortOrder]] = {}
        for order in before.orders:
            if order.group_id is not None:
                groups.setdefault(order.group_id, []).append(order)
        for members in groups.values():
            executed = {
                m.id: event.at
                for m in members
                for event in after[m.id].history[len(m.history) :]
                if event.trigger is Trigger.EXECUTE
            }
            if not executed:
                continue
            statistic("group executed")
            if len(executed) < len(members):
                statistic("group partly executed")
            assert len(set(executed.values())) == 1, f"group executed at {executed}"
            for member in members:
                if member.state.is_live:
                    assert member.id in executed, (
                        f"{sorted(executed)} executed while {member.id} was {member.state}"
                    )
                    assert member.state is S.SCHEDULED

    # --- invariants -------------------------------------------------------------------------

    @invariant()
    def history_is_append_only_and_follows_the_table(self):
        """SPEC 6: history only grows, chains draft -> state by allowed triggers, in time."""
        previous = self.previous.by_id
        for order in self.engine.orders():
            old = previous.get(order.id)
            if old is not None:
                assert order.history[: len(old.history)] == old.history, order.id
            state = S.DRAFT
            last = None
            for event in order.history:
                assert event.source is state, (order.id, event)
                assert ALLOWED.get((event.source, event.trigger)) is event.dest, (order.id, event)
                assert last is None or event.at >= last, (order.id, event)
                state, last = event.dest, event.at
            assert state is order.state, order.id
            assert order.history, order.id  # the engine stores orders from submission on

    @invariant()
    def subscribers_hear_every_event_once_in_order(self):
        """SPEC 6, 10: subscribers hear each saved transition once, never before it happens."""
        for order in self.engine.orders():
            assert self.heard_by_order.get(order.id, []) == list(order.history), order.id
        for clock, _, event in self.heard:
            assert event.at <= clock
            if event.trigger not in TIMER_TRIGGERS:
                assert event.at == clock, event

    @invariant()
    def timer_driven_events_happen_at_their_instant(self):
        """SPEC 6: execute happens at the port instant, wake at the deferral's wake instant."""
        for order in self.engine.orders():
            until = None
            for event in order.history:
                if event.trigger is Trigger.DEFER:
                    until = dict(event.details)["until"]
                if event.trigger is Trigger.WAKE:
                    assert event.at.isoformat() == until, (order.id, event)
                if event.trigger is Trigger.EXECUTE:
                    assert event.at == order.port_at, (order.id, event)

    @invariant()
    def port_groups_execute_together(self):
        """SPEC 1.3, 6: when a group member executes, every member live until then executes too."""
        groups: dict[str, list[PortOrder]] = {}
        for order in self.engine.orders():
            if order.group_id is not None:
                groups.setdefault(order.group_id, []).append(order)
        for members in groups.values():
            instants = {
                event.at
                for member in members
                for event in member.history
                if event.trigger is Trigger.EXECUTE
            }
            for instant in instants:
                for member in members:
                    executed = any(
                        event.trigger is Trigger.EXECUTE and event.at == instant
                        for event in member.history
                    )
                    assert executed or not _live_throughout(member, instant), (
                        f"a member of group {member.group_id} executed at {instant} "
                        f"while {member.id} was {member.state}"
                    )

    @invariant()
    def timers_are_data_matching_the_state(self):
        """SPEC 6: wake timers only on deferred orders, execute timers only on scheduled ones."""
        for order in self.engine.orders():
            dues = [t.due for t in order.timers]
            assert dues == sorted(dues), order.id
            actions = Counter(t.action for t in order.timers)
            assert actions[TimerAction.WAKE] == (order.state is S.DEFERRED), order.id
            executes = [t for t in order.timers if t.action is TimerAction.EXECUTE]
            lookups = actions[TimerAction.LOOKUP]
            assert lookups <= 1, order.id
            assert bool(lookups) is (order.lookup_failing_since is not None), order.id
            if lookups:
                assert order.valid.request.service is Service.BROADBAND, order.id
                assert order.state is S.SUBMITTED, order.id
            if order.state is not S.SCHEDULED:
                assert not executes, order.id
            elif order.group_id is None:
                assert [t.due for t in executes] == [order.port_at], order.id
            else:
                assert all(t.due == order.port_at for t in executes), order.id
                assert len(executes) <= 1, order.id

    @invariant()
    def notifications_are_delivered_once_and_not_early(self):
        """SPEC 9: every notification is delivered once, by key, at or after its due instant."""
        keys = [n.key for n in self.notifier.delivered]
        assert len(keys) == len(set(keys)), "a notification key was delivered twice"
        for notification, clock in zip(
            self.notifier.delivered, self.notifier.clock_at, strict=True
        ):
            assert clock >= notification.due, notification
        delivered = set(keys)
        produced = set()
        for order in self.engine.orders():
            own = [n.key for n in order.notifications]
            assert len(own) == len(set(own)), order.id
            pending = order.pending_keys
            assert pending <= set(own), order.id
            for key in own:
                assert (key in pending) != (key in delivered), (order.id, key)
            produced.update(own)
        assert delivered <= produced

    @invariant()
    def no_number_in_two_live_orders(self):
        """SPEC 1.3: a number (or block member) is in at most one live order at a time."""
        entries = [
            (order.id, entry)
            for order in self.engine.orders()
            if order.state.is_live
            for entry in order.valid.numbers
        ]
        owner = {id(entry): order_id for order_id, entry in entries}
        clashes = find_overlaps([entry for _, entry in entries])
        assert not clashes, [(owner[id(a)], a, owner[id(b)], b) for a, b in clashes]

    @invariant()
    def temporaries_serve_one_live_order_and_agree_with_the_pool(self):
        """SPEC 7: one temporary unit per porting unit; none active outside a live order."""
        seen: dict[str, str] = {}
        for order in self.engine.orders():
            current = [t for t in order.temporary_numbers if not t.status.is_ended]
            if not order.valid.request.service.has_temporary_numbers:
                assert order.temporary_numbers == (), order.id
            elif order.state.is_live:
                assert [t.stands_for for t in current] == list(order.valid.numbers), order.id
                for temporary in current:
                    assert type(temporary.number) is type(temporary.stands_for)
                    if not hasattr(temporary.number, "e164"):
                        assert temporary.number.size == temporary.stands_for.size
                mobile = order.valid.request.service is Service.MOBILE
                pbx_working = not mobile and order.state in {S.DEFERRED, S.REQUESTED, S.SCHEDULED}
                sim_working = mobile and order.id in self.activated
                working = pbx_working or sim_working
                wanted = TemporaryStatus.ACTIVE if working else TemporaryStatus.RESERVED
                assert all(t.status is wanted for t in current), (order.id, order.state)
            else:
                assert not current, (order.id, order.state, current)
            if order.state in {S.COMPLETED, S.REJECTED}:
                assert all(
                    t.status is TemporaryStatus.DEACTIVATED for t in order.temporary_numbers
                ), order.id
            for temporary in order.temporary_numbers:
                assert temporary.text not in seen, (temporary.text, seen.get(temporary.text))
                seen[temporary.text] = order.id
                assert self.pool.status[temporary.text] is temporary.status, temporary
                assert self.pool.serving[temporary.text] == order.id, temporary
        assert set(self.pool.status) == set(seen), "the pool handed out units no order holds"

    @invariant()
    def temporaries_move_only_forward(self):
        """SPEC 7: reserved -> active -> deactivated, or -> promoted; ended ones stay ended."""
        previous = self.previous.by_id
        for order in self.engine.orders():
            old = previous.get(order.id)
            if old is None:
                continue
            assert len(order.temporary_numbers) >= len(old.temporary_numbers)
            for was, now in zip(old.temporary_numbers, order.temporary_numbers, strict=False):
                assert (was.number, was.stands_for) == (now.number, now.stands_for)
                assert now.status is was.status or now.status in TEMPORARY_MOVES.get(
                    was.status, set()
                ), (order.id, was, now)

    @invariant()
    def deactivated_temporaries_are_announced(self):
        """SPEC 9: the customer hears of every temporary number that was deactivated."""
        for order in self.engine.orders():
            told = {
                text
                for n in order.notifications
                if n.kind is NotificationKind.TEMPORARY_NUMBER_DEACTIVATED
                for text in n.param_map["temporary_number"].split(", ")
            }
            ended = {
                t.text for t in order.temporary_numbers if t.status is TemporaryStatus.DEACTIVATED
            }
            assert told == ended, order.id

    @invariant()
    def donor_hears_of_sending_and_withdrawal(self):
        """SPEC 10: the donor gets each placed order, and each cancel of one it holds."""
        sent = Counter(self.donor.sent)
        withdrawn = Counter(self.donor.withdrawn)
        for order in self.engine.orders():
            placed = sum(
                e.dest is S.REQUESTED and e.source is not S.REQUESTED for e in order.history
            )
            pulled = sum(
                e.trigger is Trigger.CANCEL and e.source in {S.REQUESTED, S.SCHEDULED}
                for e in order.history
            )
            assert sent[order.id] == placed, order.id
            assert withdrawn[order.id] == pulled, order.id

    @invariant()
    def clock_only_moves_forward(self):
        """SPEC 2, 6: the engine's clock never goes back."""
        assert self.now >= self.previous.now


EngineMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestEngine = EngineMachine.TestCase
