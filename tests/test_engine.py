"""The engine as a specification: lifecycle, freeze, temporaries, holdings, groups, notices.

Every scenario drives `portflow.Engine` through its public commands and checks
the outcome against SPEC 1.3, 6, 7 and 9. Expected instants are worked out by
hand from the 2027 calendar of the canton of Zurich (the CH profile's
decision): Good Friday 26 March, Easter Monday 29 March, Ascension 6 May,
Whit Monday 17 May, Christmas 25 and St Stephen's Day 26 December; daylight
saving time from 28 March to 31 October.
"""

from __future__ import annotations

import collections
import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portflow import (
    Channel,
    Code,
    CommandRefused,
    CustomerKind,
    DeliveryFailed,
    DonorContract,
    Engine,
    HistoryEvent,
    IllegalTransition,
    InvalidInput,
    ManualClock,
    MemoryNumberPool,
    MemoryOrderStore,
    Notification,
    NotificationKind,
    NumberBlock,
    Orderer,
    OrderNotFound,
    OrderState,
    PhoneNumber,
    PortOrder,
    RecordingDonorGateway,
    RecordingNotifier,
    RejectionReason,
    Service,
    Subscriber,
    TemporaryStatus,
    TimerAction,
    Timing,
    Trigger,
    ValidationFailed,
    Variant,
    parse_block,
    parse_number,
    profile_for,
)
from portflow._core.lifecycle import port_order_lifecycle
from tests_support import SCHMIEDEISEN, swiss_request

ZURICH = ZoneInfo("Europe/Zurich")
START = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
"""Where `Engine.in_memory` starts its clock: Friday 1 January 2027 (New Year's Day)."""
PLANNED = dt.datetime(2027, 3, 31, 6, 0, tzinfo=ZURICH)
"""`swiss_request()` ports at the contract end, Wednesday 31 March 2027, 06:00 local (CEST)."""
RESELLER = "porting@reseller.example"
ONE_SECOND = dt.timedelta(seconds=1)


def zurich(*parts: int) -> dt.datetime:
    """Return a wall-clock instant in Zurich."""
    return dt.datetime(*parts, tzinfo=ZURICH)


def engine_at(now: dt.datetime = START) -> Engine:
    """Return an in-memory Swiss engine whose manual clock reads ``now``."""
    return Engine.in_memory(country="CH", now=now)


def fixed_request(day: dt.date, at: dt.time = dt.time(7, 0), **changes: object):
    """Return the Swiss PBX request, porting on a fixed day at a local time."""
    return swiss_request(timing=Timing.on(day, at=at), contract=DonorContract(), **changes)


def of_kind(engine: Engine, order_id: str, kind: NotificationKind) -> list[Notification]:
    """Return the order's notifications of one kind."""
    return [n for n in engine.notifications(order_id) if n.kind is kind]


def triggers(order: PortOrder) -> list[Trigger]:
    """Return the triggers of the order's history, in order."""
    return [event.trigger for event in order.history]


def snapshot(engine: Engine) -> tuple[object, ...]:
    """Return everything a failed command must leave as it was."""
    return (
        tuple(engine.orders()),
        dict(engine.inventory.status),
        dict(engine.inventory.serving),
        list(engine.donor.sent),
        list(engine.donor.withdrawn),
        list(engine.notifier.delivered),
        engine.clock.now(),
    )


def assert_pool_agrees(engine: Engine) -> None:
    """SPEC 7: the pool and the orders tell the same story; no temporary serves two orders."""
    texts = [t.text for order in engine.orders() for t in order.temporary_numbers]
    assert len(texts) == len(set(texts))
    assert set(texts) == set(engine.inventory.status)
    for order in engine.orders():
        for temporary in order.temporary_numbers:
            assert engine.inventory.status[temporary.text] is temporary.status
            assert engine.inventory.serving[temporary.text] == order.id
        if order.state.is_ended:
            assert all(t.status.is_ended for t in order.temporary_numbers)


# --- driving an order into each state ---------------------------------------------------

WAKE_AT = zurich(2027, 2, 1, 8, 0)


def _submitted(engine: Engine) -> str:
    return engine.submit(swiss_request()).id


def _clarification(engine: Engine) -> str:
    order_id = _submitted(engine)
    engine.ask(order_id, "Wer zeichnet für die Schmiedeisen AG?")
    return order_id


def _deferred(engine: Engine) -> str:
    order_id = _submitted(engine)
    engine.approve(order_id, defer_until=WAKE_AT)
    return order_id


def _requested(engine: Engine) -> str:
    order_id = _submitted(engine)
    engine.approve(order_id)
    return order_id


def _scheduled(engine: Engine) -> str:
    order_id = _requested(engine)
    engine.donor_confirms(order_id)
    return order_id


def _completed(engine: Engine) -> str:
    order_id = _scheduled(engine)
    engine.advance(PLANNED)
    return order_id


def _rejected(engine: Engine) -> str:
    order_id = _requested(engine)
    engine.donor_rejects(order_id, RejectionReason.NOT_PORTABLE, "Nummer gesperrt")
    return order_id


def _draft(engine: Engine) -> str:
    order_id = _rejected(engine)
    engine.revise(order_id)
    return order_id


def _cancelled(engine: Engine) -> str:
    order_id = _submitted(engine)
    engine.cancel(order_id)
    return order_id


DRIVE = {
    OrderState.DRAFT: _draft,
    OrderState.SUBMITTED: _submitted,
    OrderState.CLARIFICATION: _clarification,
    OrderState.DEFERRED: _deferred,
    OrderState.REQUESTED: _requested,
    OrderState.SCHEDULED: _scheduled,
    OrderState.COMPLETED: _completed,
    OrderState.REJECTED: _rejected,
    OrderState.CANCELLED: _cancelled,
}

COMMANDS = {
    Trigger.SUBMIT: lambda e, i: e.submit(swiss_request(), order_id=i),
    Trigger.ASK: lambda e, i: e.ask(i, "Noch eine Frage?"),
    Trigger.ANSWER: lambda e, i: e.answer(i, "Anna Muster zeichnet einzeln."),
    Trigger.APPROVE: lambda e, i: e.approve(i),
    Trigger.CONFIRM: lambda e, i: e.donor_confirms(i),
    Trigger.RESCHEDULE: lambda e, i: e.reschedule(i, zurich(2027, 6, 2, 7, 0)),
    Trigger.REJECT: lambda e, i: e.donor_rejects(i, RejectionReason.OTHER, "nein"),
    Trigger.REVISE: lambda e, i: e.revise(i),
    Trigger.CANCEL: lambda e, i: e.cancel(i),
}
"""The commands that fire each trigger; wake and execute are timers, not commands."""

ALLOWED = {
    OrderState.DRAFT: {Trigger.SUBMIT, Trigger.CANCEL},
    OrderState.SUBMITTED: {Trigger.ASK, Trigger.APPROVE, Trigger.CANCEL},
    OrderState.CLARIFICATION: {Trigger.ANSWER, Trigger.CANCEL},
    OrderState.DEFERRED: {Trigger.CANCEL},
    OrderState.REQUESTED: {Trigger.CONFIRM, Trigger.REJECT, Trigger.CANCEL},
    OrderState.SCHEDULED: {Trigger.RESCHEDULE, Trigger.REJECT, Trigger.CANCEL},
    OrderState.COMPLETED: set(),
    OrderState.REJECTED: {Trigger.REVISE},
    OrderState.CANCELLED: set(),
}
"""SPEC 6's table, read row by row: the commands each state allows."""

ILLEGAL = [
    (state, trigger)
    for state in OrderState
    for trigger in COMMANDS
    if trigger not in ALLOWED[state]
]


# --- SPEC 6: the lifecycle ----------------------------------------------------------------


def test_an_approved_and_confirmed_order_executes_at_its_port_instant():
    """SPEC 6, seed 002: submit, approve, donor confirms, and the timer executes the port."""
    engine = engine_at()
    order = engine.submit(swiss_request())
    assert order.state is OrderState.SUBMITTED
    assert order.port_at == PLANNED
    assert engine.donor.sent == []
    assert engine.approve(order.id).state is OrderState.REQUESTED
    assert engine.donor.sent == [order.id]
    assert engine.donor_confirms(order.id).state is OrderState.SCHEDULED
    engine.advance(PLANNED - ONE_SECOND)
    assert engine.get(order.id).state is OrderState.SCHEDULED
    engine.advance(PLANNED)
    done = engine.get(order.id)
    assert done.state is OrderState.COMPLETED
    assert triggers(done) == [Trigger.SUBMIT, Trigger.APPROVE, Trigger.CONFIRM, Trigger.EXECUTE]
    assert [(e.source, e.dest) for e in done.history] == [
        (OrderState.DRAFT, OrderState.SUBMITTED),
        (OrderState.SUBMITTED, OrderState.REQUESTED),
        (OrderState.REQUESTED, OrderState.SCHEDULED),
        (OrderState.SCHEDULED, OrderState.COMPLETED),
    ]
    assert done.history[-1].at == PLANNED
    assert engine.donor.sent == [order.id]


def test_a_confirmation_at_another_instant_becomes_the_port_instant():
    """SPEC 6, seed 002: the donor confirms with its own port instant, which the timer keeps."""
    engine = engine_at()
    order_id = _requested(engine)
    other = zurich(2027, 4, 7, 7, 0)
    assert engine.donor_confirms(order_id, other).port_at == other
    engine.advance(PLANNED)
    assert engine.get(order_id).state is OrderState.SCHEDULED
    engine.advance(other)
    done = engine.get(order_id)
    assert done.state is OrderState.COMPLETED
    assert done.history[-1].at == other


def test_the_provider_asks_the_reseller_and_the_answer_returns_the_order_for_review():
    """SPEC 6 and 9, seed 002: ask leads to clarification and notifies the reseller; answer back."""
    engine = engine_at()
    order_id = _submitted(engine)
    asked = engine.ask(order_id, "Wer zeichnet für die Schmiedeisen AG?")
    assert asked.state is OrderState.CLARIFICATION
    (notice,) = of_kind(engine, order_id, NotificationKind.CLARIFICATION_REQUESTED)
    assert notice.recipient == RESELLER
    assert notice.channel is Channel.EMAIL
    assert notice.locale == "de"
    assert notice.param_map["question"] == "Wer zeichnet für die Schmiedeisen AG?"
    answered = engine.answer(order_id, "Anna Muster, Einzelunterschrift")
    assert answered.state is OrderState.SUBMITTED
    assert triggers(answered) == [Trigger.SUBMIT, Trigger.ASK, Trigger.ANSWER]
    assert engine.approve(order_id).state is OrderState.REQUESTED


def test_a_deferred_approval_reaches_the_donor_only_when_the_wake_timer_fires():
    """SPEC 6 and 8, seed 000: approve with a wake date defers; the timer then requests."""
    engine = engine_at()
    order_id = _submitted(engine)
    deferred = engine.approve(order_id, defer_until=WAKE_AT)
    assert deferred.state is OrderState.DEFERRED
    assert engine.donor.sent == []
    engine.advance(WAKE_AT - ONE_SECOND)
    assert engine.get(order_id).state is OrderState.DEFERRED
    assert engine.donor.sent == []
    engine.advance(WAKE_AT)
    woken = engine.get(order_id)
    assert woken.state is OrderState.REQUESTED
    assert engine.donor.sent == [order_id]
    assert woken.history[-1].trigger is Trigger.WAKE
    assert woken.history[-1].at == WAKE_AT
    assert (woken.history[-1].source, woken.history[-1].dest) == (
        OrderState.DEFERRED,
        OrderState.REQUESTED,
    )
    assert engine.donor_confirms(order_id).state is OrderState.SCHEDULED


@pytest.mark.parametrize("reason", list(RejectionReason))
def test_a_rejected_order_is_revised_to_a_draft_and_resubmitted_under_its_id(reason):
    """SPEC 6, seed 002: a typed rejection, revise to draft, and submit again with the same id."""
    engine = engine_at()
    order_id = _requested(engine)
    rejected = engine.donor_rejects(order_id, reason, "Angaben stimmen nicht")
    assert rejected.state is OrderState.REJECTED
    assert rejected.rejection is not None
    assert rejected.rejection.reason is reason
    assert rejected.rejection.text == "Angaben stimmen nicht"
    assert ("reason", reason.value) in rejected.history[-1].details
    draft = engine.revise(order_id)
    assert draft.state is OrderState.DRAFT
    resubmitted = engine.submit(
        swiss_request(signers=("Beat Keller", "Carla Frei")), order_id=order_id
    )
    assert resubmitted.id == order_id
    assert resubmitted.state is OrderState.SUBMITTED
    assert resubmitted.rejection is None
    assert resubmitted.valid.request.signers == ("Beat Keller", "Carla Frei")
    assert triggers(resubmitted) == [
        Trigger.SUBMIT,
        Trigger.APPROVE,
        Trigger.REJECT,
        Trigger.REVISE,
        Trigger.SUBMIT,
    ]
    assert len(list(engine.orders())) == 1
    engine.approve(order_id)
    assert engine.donor.sent == [order_id, order_id]


def test_a_user_without_the_account_permission_orders_nothing_and_revises_nothing():
    """SPEC 5, seed 003: auth.forbidden refuses the order; a draft stays as it was."""
    engine = engine_at()
    user = Orderer("Lars Berg")
    with pytest.raises(ValidationFailed) as raised:
        engine.submit(swiss_request(orderer=user))
    assert raised.value.codes == {Code.AUTH_FORBIDDEN}
    assert list(engine.orders()) == []
    assert engine.inventory.status == {}
    order_id = _requested(engine)
    engine.donor_rejects(order_id, RejectionReason.OTHER)
    draft = engine.revise(order_id)
    with pytest.raises(ValidationFailed):
        engine.submit(swiss_request(orderer=user), order_id=order_id)
    assert engine.get(order_id) == draft
    owner = Orderer("Anna Muster", account_owner=True)
    resubmitted = engine.submit(swiss_request(orderer=owner), order_id=order_id)
    assert resubmitted.state is OrderState.SUBMITTED
    assert resubmitted.valid.request.orderer == owner


def test_a_scheduled_order_can_still_be_rejected_and_then_never_executes():
    """SPEC 6, seed 002: reject also leaves scheduled; the execute timer goes with it."""
    engine = engine_at()
    order_id = _scheduled(engine)
    rejected = engine.donor_rejects(order_id, RejectionReason.MUST_SPLIT)
    assert rejected.state is OrderState.REJECTED
    assert not any(t.action is TimerAction.EXECUTE for t in rejected.timers)
    engine.advance(PLANNED + dt.timedelta(days=30))
    assert engine.get(order_id).state is OrderState.REJECTED


def test_a_rejection_reason_outside_the_typed_list_is_refused():
    """SPEC 6, seed 002: donor rejections carry one of the typed reasons."""
    engine = engine_at()
    order_id = _requested(engine)
    before = snapshot(engine)
    with pytest.raises(ValueError, match="weil"):
        engine.donor_rejects(order_id, "weil")
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    "new_instant",
    [zurich(2027, 4, 7, 7, 0), zurich(2027, 2, 17, 7, 0)],
    ids=["later", "earlier"],
)
def test_a_rescheduled_port_executes_at_the_new_instant_only(new_instant):
    """SPEC 6, seed 002: reschedule keeps the order scheduled and moves its execute timer."""
    engine = engine_at()
    order_id = _scheduled(engine)
    moved = engine.reschedule(order_id, new_instant)
    assert moved.state is OrderState.SCHEDULED
    assert moved.port_at == new_instant
    assert moved.history[-1].trigger is Trigger.RESCHEDULE
    assert (moved.history[-1].source, moved.history[-1].dest) == (
        OrderState.SCHEDULED,
        OrderState.SCHEDULED,
    )
    assert [t.due for t in moved.timers if t.action is TimerAction.EXECUTE] == [new_instant]
    engine.advance(min(PLANNED, new_instant) - ONE_SECOND)
    assert engine.get(order_id).state is OrderState.SCHEDULED
    engine.advance(max(PLANNED, new_instant) + dt.timedelta(days=1))
    done = engine.get(order_id)
    assert done.state is OrderState.COMPLETED
    assert done.history[-1].at == new_instant
    assert triggers(done).count(Trigger.EXECUTE) == 1


@pytest.mark.parametrize(
    "state",
    [
        OrderState.DRAFT,
        OrderState.SUBMITTED,
        OrderState.CLARIFICATION,
        OrderState.DEFERRED,
        OrderState.REQUESTED,
        OrderState.SCHEDULED,
    ],
)
def test_an_order_can_be_cancelled_from_every_state_before_execution(state):
    """SPEC 6, seed 002: cancel from any state before completed or rejected; timers stop."""
    engine = engine_at()
    order_id = DRIVE[state](engine)
    sent = list(engine.donor.sent)
    cancelled = engine.cancel(order_id)
    assert cancelled.state is OrderState.CANCELLED
    last = cancelled.history[-1]
    assert (last.trigger, last.source, last.dest) == (Trigger.CANCEL, state, OrderState.CANCELLED)
    assert all(t.action is TimerAction.DELIVER for t in cancelled.timers)
    donor_had_it = state in {OrderState.REQUESTED, OrderState.SCHEDULED}
    assert engine.donor.withdrawn == ([order_id] if donor_had_it else [])
    engine.advance(PLANNED + dt.timedelta(days=1))
    after = engine.get(order_id)
    assert after.state is OrderState.CANCELLED
    assert triggers(after) == triggers(cancelled)
    assert engine.donor.sent == sent


@pytest.mark.parametrize(("state", "trigger"), ILLEGAL, ids=[f"{s}-{t}" for s, t in ILLEGAL])
def test_a_trigger_the_state_does_not_allow_raises_and_changes_nothing(state, trigger):
    """SPEC 6 and 11, seed 002: order.illegal_transition names state and trigger; nothing moves."""
    engine = engine_at()
    order_id = DRIVE[state](engine)
    heard = []
    engine.subscribe(lambda order, event: heard.append((order.id, event)))
    before = snapshot(engine)
    with pytest.raises(IllegalTransition) as raised:
        COMMANDS[trigger](engine, order_id)
    assert raised.value.code is Code.ORDER_ILLEGAL_TRANSITION
    assert raised.value.state == state
    assert raised.value.trigger == trigger
    assert str(state) in raised.value.message
    assert str(trigger) in raised.value.message
    # The message names the order and the states the trigger needs.
    assert order_id in raised.value.message
    allowed_from = port_order_lifecycle().allowed_from(trigger)
    assert raised.value.allowed_from == allowed_from
    assert all(str(source) in raised.value.message for source in allowed_from)
    assert snapshot(engine) == before
    assert heard == []


@pytest.mark.parametrize("trigger", list(COMMANDS))
def test_a_command_for_an_unknown_order_raises_order_unknown(trigger):
    """SPEC 12, seed 002: orders are named by the id the engine gave; others are order.unknown."""
    engine = engine_at()
    _submitted(engine)
    before = snapshot(engine)
    with pytest.raises(OrderNotFound) as raised:
        COMMANDS[trigger](engine, "PO-999999")
    assert raised.value.code is Code.ORDER_UNKNOWN
    assert snapshot(engine) == before


def test_an_order_of_no_group_is_not_a_group():
    """An order submit did not split has no group: the refusal says so, not that it is unknown."""
    engine = engine_at()
    order_id = _submitted(engine)
    with pytest.raises(OrderNotFound) as raised:
        engine.group(order_id)
    assert raised.value.code is Code.ORDER_UNKNOWN
    assert raised.value.order_id == order_id
    assert raised.value.message.startswith(f"No port group has the id {order_id!r}")


class _WallClock:
    """A clock adapter with a bug: it gives the wall time without a zone."""

    def now(self) -> dt.datetime:
        return dt.datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - the bug under test


def test_a_clock_that_gives_naive_instants_is_named_as_the_culprit():
    """SPEC 11: the message names the offending input, here the clock adapter, not the request."""
    memory = engine_at()
    engine = Engine(
        clock=_WallClock(),
        store=memory.store,
        inventory=memory.inventory,
        donor=memory.donor,
        notifier=memory.notifier,
    )
    with pytest.raises(InvalidInput) as raised:
        engine.submit(swiss_request())
    assert (raised.value.code, raised.value.field) == (Code.TIME_NAIVE, "clock")
    assert "_WallClock" in raised.value.message
    assert "2026, 11, 23, 10, 0" in raised.value.message
    assert list(memory.store.orders()) == []
    with pytest.raises(InvalidInput, match="_WallClock"):
        engine.advance()


# --- SPEC 6: the cancel freeze ----------------------------------------------------------

FREEZES = [
    pytest.param(dt.date(2027, 2, 17), zurich(2027, 2, 15, 7, 0), id="wed-to-mon"),
    pytest.param(dt.date(2027, 2, 16), zurich(2027, 2, 12, 7, 0), id="tue-over-weekend-to-fri"),
    pytest.param(dt.date(2027, 3, 31), zurich(2027, 3, 25, 7, 0), id="over-easter-and-dst"),
    pytest.param(dt.date(2027, 5, 10), zurich(2027, 5, 5, 7, 0), id="over-ascension"),
    pytest.param(dt.date(2027, 12, 28), zurich(2027, 12, 24, 7, 0), id="over-christmas"),
]
"""Port day at 07:00 Zurich, and the instant two business days before it (SPEC 6 decision).

Wed 17 Feb: Tue 16 (1), Mon 15 (2). Tue 16 Feb: Mon 15 (1), the weekend, Fri 12 (2).
Wed 31 Mar (CEST): Tue 30 (1), then Easter Monday, the weekend and Good Friday are
skipped, Thu 25 (2), still CET. Mon 10 May: the weekend, Fri 7 (1), Ascension Thu 6
is skipped, Wed 5 (2). Tue 28 Dec: Mon 27 (1), St Stephen's Sun 26, Christmas Sat 25,
Fri 24 (2) (Christmas Eve is a business day in Zurich).
"""


def _donor_holds(engine: Engine, day: dt.date, *, confirmed: bool) -> str:
    order_id = engine.submit(fixed_request(day)).id
    engine.approve(order_id)
    if confirmed:
        engine.donor_confirms(order_id)
    return order_id


@pytest.mark.parametrize("confirmed", [False, True], ids=["requested", "scheduled"])
@pytest.mark.parametrize(("port_day", "freeze"), FREEZES)
def test_cancel_is_allowed_until_one_second_before_the_freeze(port_day, freeze, confirmed):
    """SPEC 6, seed 002: the freeze starts 2 business days before, at the port's time of day."""
    engine = engine_at()
    order_id = _donor_holds(engine, port_day, confirmed=confirmed)
    assert engine.get(order_id).port_at == dt.datetime.combine(port_day, dt.time(7), ZURICH)
    engine.clock.set(freeze - ONE_SECOND)
    assert engine.cancel(order_id).state is OrderState.CANCELLED
    assert engine.donor.withdrawn == [order_id]


@pytest.mark.parametrize("confirmed", [False, True], ids=["requested", "scheduled"])
@pytest.mark.parametrize(("port_day", "freeze"), FREEZES)
def test_cancel_is_refused_from_the_first_instant_of_the_freeze(port_day, freeze, confirmed):
    """SPEC 6, seed 002: order.cancel_too_late from the freeze start on; nothing changes."""
    engine = engine_at()
    order_id = _donor_holds(engine, port_day, confirmed=confirmed)
    port_at = engine.get(order_id).port_at
    for now in (freeze, port_at - ONE_SECOND):
        engine.clock.set(now)
        before = snapshot(engine)
        with pytest.raises(CommandRefused) as raised:
            engine.cancel(order_id)
        assert raised.value.code is Code.ORDER_CANCEL_TOO_LATE
        assert snapshot(engine) == before


def test_the_freeze_holds_at_and_after_the_port_instant_while_the_execution_is_due():
    """SPEC 6: at the port instant the port is under way, until advance has executed it."""
    engine = engine_at()
    order_id = _donor_holds(engine, dt.date(2027, 2, 17), confirmed=True)
    port_at = engine.get(order_id).port_at
    engine.clock.set(port_at + dt.timedelta(hours=1))
    with pytest.raises(CommandRefused) as raised:
        engine.cancel(order_id)
    assert raised.value.code is Code.ORDER_CANCEL_TOO_LATE


def test_an_order_whose_port_instant_passed_unconfirmed_can_be_cancelled():
    """SPEC 6: a donor that never confirmed did not port; the freeze before it has lapsed.

    Up to the port instant the freeze holds (the donor may still confirm it at
    that instant); once it has passed with no execution due, the reseller can
    cancel the order and the donor is told.
    """
    engine = engine_at()
    order_id = _donor_holds(engine, dt.date(2027, 2, 17), confirmed=False)
    port_at = engine.get(order_id).port_at
    for frozen in (port_at - ONE_SECOND, port_at):
        engine.clock.set(frozen)
        with pytest.raises(CommandRefused):
            engine.cancel(order_id)
    engine.clock.set(port_at + ONE_SECOND)
    assert engine.cancel(order_id).state is OrderState.CANCELLED
    assert engine.donor.withdrawn == [order_id]


def test_a_group_member_left_scheduled_for_a_passed_instant_can_be_cancelled():
    """SPEC 1.3 and 6: a member whose group never executed at its instant is not stuck.

    One member is confirmed, the other is still with the donor when the instant
    passes, so nothing executes; then the donor rejects the other. The confirmed
    member holds no execution, and its reseller can cancel it.
    """
    engine = engine_at()
    first, second = engine.submit_group(swiss_request(numbers=SINGLES_23[:12]))
    engine.approve(first.id)
    engine.approve(second.id)
    port_at = engine.donor_confirms(first.id).port_at
    engine.advance(port_at + dt.timedelta(days=1))
    engine.donor_rejects(second.id, RejectionReason.NOT_PORTABLE)
    stranded = engine.get(first.id)
    assert stranded.state is OrderState.SCHEDULED
    assert not any(t.action is TimerAction.EXECUTE for t in stranded.timers)
    assert engine.cancel(first.id).state is OrderState.CANCELLED


@pytest.mark.parametrize(
    "state", [OrderState.SUBMITTED, OrderState.CLARIFICATION, OrderState.DEFERRED]
)
def test_there_is_no_freeze_before_the_donor_has_the_order(state):
    """SPEC 6, seed 002: the freeze concerns the donor; before approval a cancel always works."""
    engine = engine_at()
    port_day = dt.date(2027, 2, 17)
    order_id = engine.submit(fixed_request(port_day)).id
    port_at = zurich(2027, 2, 17, 7, 0)
    if state is OrderState.CLARIFICATION:
        engine.ask(order_id, "Stimmt die Adresse?")
    if state is OrderState.DEFERRED:
        # The latest wake that leaves the donor its 5 business days' lead time.
        engine.approve(order_id, defer_until=zurich(2027, 2, 10, 7, 0))
    engine.clock.set(port_at - dt.timedelta(hours=1))  # the wake timer has not fired
    assert engine.get(order_id).state is state
    assert engine.cancel(order_id).state is OrderState.CANCELLED
    assert engine.donor.withdrawn == []


# --- timing.in_past -----------------------------------------------------------------------


def test_a_deferred_asap_order_is_planned_from_its_wake_day():
    """SPEC 3.2, decision: the donor gets a deferred order at its wake, and its lead time then."""
    engine = engine_at(zurich(2027, 1, 4, 9, 0))
    order_id = engine.submit(swiss_request(timing=Timing.asap(at=dt.time(7, 0)))).id
    deferred = engine.approve(order_id, defer_until=zurich(2027, 3, 1, 8, 0))  # a Monday
    assert deferred.port_at == zurich(2027, 3, 8, 7, 0)  # 5 business days after the wake day
    engine.advance(zurich(2027, 3, 1, 8, 0))
    assert engine.donor_confirms(order_id).state is OrderState.SCHEDULED


@pytest.mark.parametrize(
    ("wake", "allowed"),
    [((2027, 3, 22, 23, 59), True), ((2027, 3, 23, 0, 0), False), ((2027, 4, 1, 8, 0), False)],
    ids=["5 business days before", "4 business days before", "after the port"],
)
def test_a_deferral_must_leave_the_donor_its_lead_time(wake, allowed):
    """SPEC 3.2, decision: a port instant the donor could not meet from the wake is refused.

    The contract ends on Wednesday 31 March 2027; five business days before it
    is Monday 22 March, Good Friday and Easter Monday falling in between.
    """
    engine = engine_at()
    order_id = _submitted(engine)
    before = snapshot(engine)
    if allowed:
        assert engine.approve(order_id, defer_until=zurich(*wake)).port_at == PLANNED
        return
    with pytest.raises(CommandRefused) as raised:
        engine.approve(order_id, defer_until=zurich(*wake))
    assert raised.value.code is Code.TIMING_TOO_EARLY
    assert snapshot(engine) == before


def _refused_in_past(engine: Engine, command) -> None:
    before = snapshot(engine)
    with pytest.raises(CommandRefused) as raised:
        command()
    assert raised.value.code is Code.TIMING_IN_PAST
    assert snapshot(engine) == before


def test_a_donor_confirmation_for_a_past_instant_is_refused():
    """SPEC 6, seed 002: timing.in_past when the donor confirms an instant before the clock."""
    engine = engine_at(zurich(2027, 2, 1, 9, 0))
    order_id = _requested(engine)
    _refused_in_past(
        engine, lambda: engine.donor_confirms(order_id, engine.clock.now() - ONE_SECOND)
    )
    assert engine.get(order_id).state is OrderState.REQUESTED


def test_confirming_a_planned_instant_that_has_passed_is_refused():
    """SPEC 6, seed 002: confirming the planned instant after it passed is timing.in_past too."""
    engine = engine_at()
    order_id = _requested(engine)
    engine.clock.set(PLANNED + ONE_SECOND)
    _refused_in_past(engine, lambda: engine.donor_confirms(order_id))


def test_a_reschedule_to_a_past_instant_is_refused():
    """SPEC 6, seed 002: timing.in_past when the donor moves the port before the clock."""
    engine = engine_at(zurich(2027, 2, 1, 9, 0))
    order_id = _scheduled(engine)
    _refused_in_past(engine, lambda: engine.reschedule(order_id, zurich(2027, 2, 1, 8, 59, 59)))
    assert engine.get(order_id).port_at == PLANNED


def test_an_approval_with_a_past_port_instant_or_wake_date_is_refused():
    """SPEC 6, seed 002: approving with a past port instant or wake date is timing.in_past."""
    engine = engine_at(zurich(2027, 2, 1, 9, 0))
    order_id = _submitted(engine)
    past = zurich(2027, 2, 1, 8, 59, 59)
    _refused_in_past(engine, lambda: engine.approve(order_id, port_at=past))
    _refused_in_past(engine, lambda: engine.approve(order_id, defer_until=past))
    assert engine.get(order_id).state is OrderState.SUBMITTED
    assert engine.approve(order_id, port_at=zurich(2027, 4, 7, 7, 0)).port_at == zurich(
        2027, 4, 7, 7, 0
    )


# --- SPEC 7: temporary numbers -----------------------------------------------------------


def test_each_porting_unit_gets_a_reserved_temporary_unit_of_its_size_at_submission():
    """SPEC 7, seed 002: a temporary number per single, a block of the same size per block."""
    engine = engine_at()
    order = engine.submit(swiss_request(numbers=("0441234567", "04412346xx", "0441234580")))
    assert len(order.temporary_numbers) == 3
    assert collections.Counter(t.stands_for for t in order.temporary_numbers) == (
        collections.Counter(
            [
                parse_number("0441234567", "CH"),
                parse_block("04412346xx", "CH"),
                parse_number("0441234580", "CH"),
            ]
        )
    )
    for temporary in order.temporary_numbers:
        assert temporary.status is TemporaryStatus.RESERVED
        assert type(temporary.number) is type(temporary.stands_for)
        assert temporary.number != temporary.stands_for
        if isinstance(temporary.stands_for, NumberBlock):
            assert temporary.number.size == temporary.stands_for.size == 100
        else:
            assert isinstance(temporary.number, PhoneNumber)
    assert_pool_agrees(engine)


def test_pbx_temporaries_work_from_approval_and_end_with_the_port():
    """SPEC 7, seed 002: PBX provisional numbers are active from approval, deactivated after."""
    engine = engine_at()
    order_id = _submitted(engine)
    approved = engine.approve(order_id)
    assert {t.status for t in approved.temporary_numbers} == {TemporaryStatus.ACTIVE}
    assert_pool_agrees(engine)
    engine.donor_confirms(order_id)
    assert {t.status for t in engine.get(order_id).temporary_numbers} == {TemporaryStatus.ACTIVE}
    engine.advance(PLANNED)
    done = engine.get(order_id)
    assert {t.status for t in done.temporary_numbers} == {TemporaryStatus.DEACTIVATED}
    assert_pool_agrees(engine)
    (notice,) = of_kind(engine, order_id, NotificationKind.TEMPORARY_NUMBER_DEACTIVATED)
    for temporary in done.temporary_numbers:
        assert temporary.text in notice.param_map["temporary_number"]


def test_a_deferred_pbx_order_has_active_temporaries_while_it_waits():
    """SPEC 7, seed 002: PBX temporaries are active from approval, a deferred approval too."""
    engine = engine_at()
    order_id = _deferred(engine)
    assert {t.status for t in engine.get(order_id).temporary_numbers} == {TemporaryStatus.ACTIVE}
    assert_pool_agrees(engine)


@pytest.mark.parametrize(
    "state",
    [OrderState.SUBMITTED, OrderState.DEFERRED, OrderState.REQUESTED, OrderState.SCHEDULED],
)
def test_cancelling_deactivates_the_temporaries(state):
    """SPEC 7, seed 002: on cancel every temporary number is deactivated, and the customer told."""
    engine = engine_at()
    order_id = DRIVE[state](engine)
    cancelled = engine.cancel(order_id)
    assert {t.status for t in cancelled.temporary_numbers} == {TemporaryStatus.DEACTIVATED}
    assert_pool_agrees(engine)
    assert of_kind(engine, order_id, NotificationKind.TEMPORARY_NUMBER_DEACTIVATED)


@pytest.mark.parametrize("state", [OrderState.SUBMITTED, OrderState.SCHEDULED])
def test_a_customer_who_cancels_may_keep_the_temporaries(state):
    """SPEC 7, seed 000: cancel(keep_temporary=True) promotes reserved or active temporaries."""
    engine = engine_at()
    order_id = DRIVE[state](engine)
    kept = engine.cancel(order_id, keep_temporary=True)
    assert {t.status for t in kept.temporary_numbers} == {TemporaryStatus.PROMOTED}
    assert_pool_agrees(engine)
    assert of_kind(engine, order_id, NotificationKind.TEMPORARY_NUMBER_DEACTIVATED) == []


def test_a_rejection_deactivates_the_temporaries_and_a_resubmission_gets_fresh_ones():
    """SPEC 7, seed 002: a rejection ends the temporaries; a resubmission gets new ones."""
    engine = engine_at()
    order_id = _rejected(engine)
    first = engine.get(order_id).temporary_numbers
    assert {t.status for t in first} == {TemporaryStatus.DEACTIVATED}
    assert_pool_agrees(engine)
    engine.revise(order_id)
    again = engine.submit(swiss_request(), order_id=order_id)
    fresh = again.temporary_numbers[len(first) :]
    assert len(fresh) == 2
    assert {t.status for t in fresh} == {TemporaryStatus.RESERVED}
    assert not {t.text for t in fresh} & {t.text for t in first}
    assert_pool_agrees(engine)


def test_no_temporary_number_serves_two_orders():
    """SPEC 7, seed 000, 002: a temporary number serves one order at a time, across many orders."""
    engine = engine_at()
    ids = [
        engine.submit(swiss_request(numbers=(f"04412341{n:02d}", f"0441236{n:02d}x"))).id
        for n in range(12)
    ]
    engine.approve(ids[0])
    engine.cancel(ids[1], keep_temporary=True)
    engine.cancel(ids[2])
    assert_pool_agrees(engine)
    assert sorted(set(engine.inventory.serving.values())) == sorted(ids)


# --- SPEC 1.3: numbers.already_in_port ----------------------------------------------------


def _already_in_port(engine: Engine, numbers: tuple[str, ...], holder: str) -> None:
    before = snapshot(engine)
    with pytest.raises(ValidationFailed) as raised:
        engine.submit(swiss_request(numbers=numbers))
    clashes = [v for v in raised.value.violations if v.code is Code.NUMBERS_ALREADY_IN_PORT]
    assert clashes
    assert all(holder in v.message for v in clashes)
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("0441234567",), ("044 123 45 67",)),
        (("+41 44 123 45 67",), ("0441234580", "0041441234567")),
        (("04412346xx",), ("0441234650",)),
        (("0441234567",), ("04412345xx",)),
        (("04412346xx",), ("0441234xxx",)),
        (("0441234xxx",), ("04412346xx",)),
    ],
    ids=[
        "same-number",
        "same-number-other-format",
        "single-in-live-block",
        "block-holding-live-single",
        "block-holding-live-block",
        "block-inside-live-block",
    ],
)
def test_a_number_of_a_live_order_cannot_be_in_a_second_order(first, second):
    """SPEC 1.3, seed 002: numbers.already_in_port names the live order holding the number."""
    engine = engine_at()
    holder = engine.submit(swiss_request(numbers=first)).id
    _already_in_port(engine, second, holder)


@pytest.mark.parametrize(
    "state",
    [
        OrderState.SUBMITTED,
        OrderState.CLARIFICATION,
        OrderState.DEFERRED,
        OrderState.REQUESTED,
        OrderState.SCHEDULED,
    ],
)
def test_every_live_state_holds_the_numbers(state):
    """SPEC 1.3, seed 002: the number stays held while the order is live, in every state."""
    engine = engine_at()
    holder = DRIVE[state](engine)
    _already_in_port(engine, ("0441234567",), holder)


@pytest.mark.parametrize("state", [OrderState.COMPLETED, OrderState.CANCELLED, OrderState.REJECTED])
def test_a_number_is_free_again_once_its_order_has_ended(state):
    """SPEC 1.3, seed 002: completion, cancellation or rejection lets the numbers go."""
    engine = engine_at()
    DRIVE[state](engine)
    second = engine.submit(
        fixed_request(dt.date(2028, 2, 16), numbers=("0441234567", "0441234650"))
    )
    assert second.state is OrderState.SUBMITTED


def test_a_clash_is_reported_together_with_every_other_violation():
    """SPEC 1.3 and 11, seed 002: validation reports all violations at once, the clash included."""
    engine = engine_at()
    holder = _submitted(engine)
    before = snapshot(engine)
    with pytest.raises(ValidationFailed) as raised:
        engine.submit(
            swiss_request(
                numbers=("0441234567", "0441234580"),
                signers=("Hans Unbekannt",),
                reseller="",
                timing=Timing.on(dt.date(2027, 1, 2)),
            )
        )
    assert {
        Code.NUMBERS_ALREADY_IN_PORT,
        Code.AUTH_UNKNOWN_SIGNATORY,
        Code.CUSTOMER_MISSING_FIELD,
        Code.TIMING_NOT_BUSINESS_DAY,
        Code.TIMING_TOO_EARLY,
    } <= raised.value.codes
    (clash,) = [v for v in raised.value.violations if v.code is Code.NUMBERS_ALREADY_IN_PORT]
    assert holder in clash.message
    assert "+41441234567" in clash.message
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("numbers", "code"),
    [
        (("0441234567", "1234567"), Code.NUMBER_INVALID),
        (("0441234567", "0441234580", "044 123 45 80"), Code.NUMBERS_OVERLAP),
    ],
    ids=["invalid-number", "duplicate-entry"],
)
def test_a_clash_is_reported_even_when_another_entry_is_wrong(numbers, code):
    """SPEC 11 and 1.3, seed 002: all violations at once; a wrong entry does not hide the clash."""
    engine = engine_at()
    holder = _submitted(engine)
    with pytest.raises(ValidationFailed) as raised:
        engine.submit(swiss_request(numbers=numbers))
    assert code in raised.value.codes
    clashes = [v for v in raised.value.violations if v.code is Code.NUMBERS_ALREADY_IN_PORT]
    assert clashes
    assert holder in clashes[0].message


# --- SPEC 1.3 and 6: port groups -----------------------------------------------------------

SINGLES_23 = tuple(f"04412340{n:02d}" for n in range(23))


def _group(engine: Engine) -> tuple[PortOrder, ...]:
    return engine.submit_group(swiss_request(numbers=(*SINGLES_23, "04412346xx")))


def test_an_oversized_request_is_refused_as_one_order():
    """SPEC 1.3, seed 002: more than 10 single numbers in one order is numbers.too_many_singles."""
    engine = engine_at()
    with pytest.raises(ValidationFailed) as raised:
        engine.submit(swiss_request(numbers=SINGLES_23))
    assert Code.NUMBERS_TOO_MANY_SINGLES in raised.value.codes
    assert list(engine.orders()) == []


def test_an_oversized_request_is_split_into_a_group_of_orders_within_the_limit():
    """SPEC 1.3, seed 002: 23 singles make 3 orders of at most 10; blocks go to the first."""
    engine = engine_at()
    members = _group(engine)
    assert len(members) == 3
    assert [len(m.valid.numbers.singles) for m in members] == [10, 10, 3]
    assert [len(m.valid.numbers.blocks) for m in members] == [1, 0, 0]
    ported = [n.e164 for m in members for n in m.valid.numbers.singles]
    assert sorted(ported) == sorted(parse_number(text, "CH").e164 for text in SINGLES_23)
    assert members[0].valid.numbers.blocks == (parse_block("04412346xx", "CH"),)
    group_id = members[0].id
    assert {m.group_id for m in members} == {group_id}
    assert [m.id for m in engine.group(group_id)] == [m.id for m in members]
    assert {m.state for m in members} == {OrderState.SUBMITTED}
    assert {m.port_at for m in members} == {PLANNED}
    assert {m.valid.request.subscriber for m in members} == {members[0].valid.request.subscriber}
    assert [len(m.temporary_numbers) for m in members] == [11, 10, 3]
    assert_pool_agrees(engine)


def _approve_all(engine: Engine, members) -> list[str]:
    ids = [m.id for m in members]
    for order_id in ids:
        engine.approve(order_id)
    return ids


def _states(engine: Engine, ids) -> list[OrderState]:
    return [engine.get(order_id).state for order_id in ids]


def test_a_group_executes_when_all_its_members_are_scheduled_at_one_instant():
    """SPEC 1.3 and 6, seed 002: the members execute together, at the same instant."""
    engine = engine_at()
    ids = _approve_all(engine, _group(engine))
    for order_id in ids:
        engine.donor_confirms(order_id)
    engine.advance(PLANNED - ONE_SECOND)
    assert _states(engine, ids) == [OrderState.SCHEDULED] * 3
    fired = engine.advance(PLANNED)
    assert _states(engine, ids) == [OrderState.COMPLETED] * 3
    assert [engine.get(i).history[-1].at for i in ids] == [PLANNED] * 3
    # Every member's execute timer is reported, once, though one step executed them all.
    executed = [f.order_id for f in fired if f.action is TimerAction.EXECUTE]
    assert sorted(executed) == sorted(ids)


def test_a_group_does_not_execute_while_one_member_is_not_yet_confirmed():
    """SPEC 6, seed 002: no member executes while another is not scheduled for the same instant."""
    engine = engine_at()
    ids = _approve_all(engine, _group(engine))
    engine.donor_confirms(ids[0])
    engine.donor_confirms(ids[1])
    engine.advance(PLANNED + dt.timedelta(days=1))
    assert _states(engine, ids) == [
        OrderState.SCHEDULED,
        OrderState.SCHEDULED,
        OrderState.REQUESTED,
    ]
    later = zurich(2027, 4, 14, 7, 0)
    engine.donor_confirms(ids[2], later)
    engine.advance(later - ONE_SECOND)
    assert OrderState.COMPLETED not in _states(engine, ids)
    engine.reschedule(ids[0], later)
    engine.advance(later - ONE_SECOND)
    assert OrderState.COMPLETED not in _states(engine, ids)
    engine.reschedule(ids[1], later)
    engine.advance(later)
    assert _states(engine, ids) == [OrderState.COMPLETED] * 3
    assert [engine.get(i).history[-1].at for i in ids] == [later] * 3


@pytest.mark.parametrize("ending", ["cancel", "reject"])
def test_a_member_that_ended_no_longer_holds_the_group_back(ending):
    """SPEC 6, seed 002: the group waits for live members only; an ended one drops out."""
    engine = engine_at()
    ids = _approve_all(engine, _group(engine))
    engine.donor_confirms(ids[0])
    engine.donor_confirms(ids[1])
    if ending == "cancel":
        engine.cancel(ids[2])
    else:
        engine.donor_rejects(ids[2], RejectionReason.NUMBER_MISMATCH)
    engine.advance(PLANNED)
    ended = OrderState.CANCELLED if ending == "cancel" else OrderState.REJECTED
    assert _states(engine, ids) == [OrderState.COMPLETED, OrderState.COMPLETED, ended]
    assert [engine.get(i).history[-1].at for i in ids[:2]] == [PLANNED] * 2


def test_rescheduling_one_member_holds_the_group_until_the_others_follow():
    """SPEC 6, seed 002: members at different instants do not execute; once aligned, all execute."""
    engine = engine_at()
    ids = _approve_all(engine, _group(engine))
    for order_id in ids:
        engine.donor_confirms(order_id)
    later = zurich(2027, 4, 14, 7, 0)
    engine.reschedule(ids[1], later)
    engine.advance(PLANNED + dt.timedelta(hours=1))
    assert _states(engine, ids) == [OrderState.SCHEDULED] * 3
    engine.reschedule(ids[0], later)
    engine.reschedule(ids[2], later)
    engine.advance(later)
    assert _states(engine, ids) == [OrderState.COMPLETED] * 3
    assert [engine.get(i).history[-1].at for i in ids] == [later] * 3


def test_an_asap_group_approved_over_several_days_still_executes_together():
    """SPEC 1.3 and 3.2, seed 002: split ASAP members share one port moment, whenever approved."""
    engine = engine_at(zurich(2027, 2, 1, 9, 0))
    members = engine.submit_group(swiss_request(numbers=SINGLES_23, timing=Timing.asap()))
    ids = [m.id for m in members]
    engine.approve(ids[0])
    engine.advance(zurich(2027, 2, 2, 9, 0))
    engine.approve(ids[1])
    engine.approve(ids[2])
    assert len({engine.get(i).port_at for i in ids}) == 1
    for order_id in ids:
        engine.donor_confirms(order_id)
    engine.advance(zurich(2027, 3, 31, 12, 0))
    assert _states(engine, ids) == [OrderState.COMPLETED] * 3


@pytest.mark.parametrize(
    "timing", [Timing.asap(), Timing.on(dt.date(2027, 2, 8))], ids=["asap", "fixed"]
)
def test_a_member_approved_inside_its_groups_freeze_joins_the_group_instant(timing):
    """SPEC 1.3, seed 002: a member approved late takes the group's instant (decision).

    The first member reaches the donor on Monday 1 February for Monday
    8 February; the second is approved on Friday 5 February, inside the freeze
    that began on Thursday. The donor has known the port since the first
    member, so the second joins its instant rather than being refused, and the
    group still executes together.
    """
    engine = engine_at(zurich(2027, 2, 1, 9, 0))
    first, second = engine.submit_group(swiss_request(numbers=SINGLES_23[:12], timing=timing))
    port_at = engine.approve(first.id).port_at
    assert port_at == zurich(2027, 2, 8, 7, 0)
    engine.advance(zurich(2027, 2, 5, 9, 0))
    assert engine.approve(second.id).port_at == port_at
    for member in (first, second):
        engine.donor_confirms(member.id)
    engine.advance(port_at)
    assert _states(engine, [first.id, second.id]) == [OrderState.COMPLETED] * 2


def test_a_member_deferred_to_just_before_its_groups_instant_keeps_the_lead_time_of_its_wake():
    """SPEC 1.3 and 3.2 (decision): a deferred member needs the lead time from its wake.

    The first member is at the donor for Monday 8 February; deferring the second
    until Friday 5 February would have it reach the donor three days before the
    port, and alone if the first were cancelled meanwhile, inside its freeze.
    """
    engine = engine_at(zurich(2027, 2, 1, 9, 0))
    first, second = engine.submit_group(
        swiss_request(numbers=SINGLES_23[:12], timing=Timing.asap())
    )
    engine.approve(first.id)
    engine.donor_confirms(first.id)
    before = engine.get(second.id)
    with pytest.raises(CommandRefused) as refused:
        engine.approve(second.id, defer_until=zurich(2027, 2, 5, 9, 0))
    assert refused.value.code is Code.TIMING_TOO_EARLY
    assert engine.get(second.id) == before
    assert engine.approve(second.id).port_at == engine.get(first.id).port_at


def test_a_group_due_to_execute_still_does_when_a_member_is_rejected_before_the_tick():
    """SPEC 1.3 and 6: a rejected member no longer holds the group back, even after the instant.

    Both members are scheduled with their execute timers; the instant passes
    before the next advance (a worker ticking every few minutes), and the donor
    rejects one member meanwhile. The other was ready at its instant: it executes.
    """
    engine = engine_at(zurich(2027, 2, 1, 9, 0))
    first, second = engine.submit_group(
        swiss_request(numbers=SINGLES_23[:12], timing=Timing.on(dt.date(2027, 2, 10)))
    )
    for member in (first, second):
        engine.approve(member.id)
        engine.donor_confirms(member.id)
    port_at = engine.get(first.id).port_at
    engine.clock.set(port_at + dt.timedelta(minutes=1))
    engine.donor_rejects(second.id, RejectionReason.NOT_PORTABLE)
    engine.advance()
    done = engine.get(first.id)
    assert done.state is OrderState.COMPLETED
    assert done.history[-1].at == port_at


def test_a_dated_group_whose_freeze_began_before_any_approval_is_refused():
    """SPEC 3.2 and 6: with no member at the donor yet there is no group instant to join."""
    engine = engine_at(zurich(2027, 2, 1, 9, 0))
    first, _second = engine.submit_group(
        swiss_request(numbers=SINGLES_23[:12], timing=Timing.on(dt.date(2027, 2, 8)))
    )
    engine.advance(zurich(2027, 2, 5, 9, 0))
    with pytest.raises(CommandRefused) as refused:
        engine.approve(first.id)
    assert refused.value.code is Code.TIMING_TOO_EARLY


def test_group_members_hold_their_numbers_against_other_orders():
    """SPEC 1.3, seed 002: every member is a live order holding its share of the numbers."""
    engine = engine_at()
    members = _group(engine)
    _already_in_port(engine, (SINGLES_23[-1],), members[2].id)
    _already_in_port(engine, ("0441234650",), members[0].id)


# --- SPEC 9: notifications ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted_at", "due"),
    [
        pytest.param(zurich(2027, 2, 11, 10, 0), zurich(2027, 2, 15, 10, 0), id="thu-to-mon"),
        pytest.param(zurich(2027, 2, 8, 16, 45), zurich(2027, 2, 10, 16, 45), id="mon-to-wed"),
        pytest.param(
            zurich(2027, 3, 24, 15, 30), zurich(2027, 3, 30, 15, 30), id="over-easter-and-dst"
        ),
        pytest.param(zurich(2027, 5, 4, 11, 0), zurich(2027, 5, 7, 11, 0), id="over-ascension"),
        pytest.param(zurich(2027, 12, 23, 9, 0), zurich(2027, 12, 27, 9, 0), id="over-christmas"),
        pytest.param(zurich(2027, 2, 13, 10, 0), zurich(2027, 2, 17, 10, 0), id="sat-counts-mon"),
    ],
)
def test_the_order_confirmation_is_due_two_business_days_after_submission(submitted_at, due):
    """SPEC 9, seed 000: "ett par dagar" = 2 business days later, at the same local time."""
    engine = engine_at(submitted_at)
    order = engine.submit(fixed_request(dt.date(2028, 2, 16)))
    (notice,) = of_kind(engine, order.id, NotificationKind.ORDER_CONFIRMATION)
    assert notice.due == due
    assert notice.order_id == order.id
    assert notice.locale == "de"
    assert notice.channel in {Channel.LETTER, Channel.EMAIL}
    if notice.channel is Channel.LETTER:
        assert "Werkstrasse 1" in notice.recipient
    else:
        assert notice.recipient == "rechnung@schmiedeisen.ch"


def test_a_profile_sets_how_many_business_days_later_the_confirmation_is_due():
    """SPEC 0: "a couple of days" is a decision, so a country profile can change it (seed 000)."""
    engine = engine_at(zurich(2027, 3, 24, 15, 30))
    slower = attrs.evolve(profile_for("CH"), confirmation_business_days=4)
    order = engine.submit(fixed_request(dt.date(2028, 2, 16), country=slower))
    (notice,) = of_kind(engine, order.id, NotificationKind.ORDER_CONFIRMATION)
    # Wed 24 March + 4 business days, over Good Friday and Easter Monday.
    assert notice.due == zurich(2027, 4, 1, 15, 30)
    with pytest.raises(InvalidInput) as refused:
        attrs.evolve(profile_for("CH"), confirmation_business_days=0)
    assert refused.value.field == "confirmation_business_days"


def test_a_notification_is_delivered_by_advance_once_and_never_before_it_is_due():
    """SPEC 9, seed 000: the engine hands a notification over when its clock passes the due time."""
    submitted_at = zurich(2027, 2, 11, 10, 0)
    engine = engine_at(submitted_at)
    order = engine.submit(fixed_request(dt.date(2028, 2, 16)))
    (notice,) = of_kind(engine, order.id, NotificationKind.ORDER_CONFIRMATION)
    assert engine.notifier.delivered == []
    engine.advance(notice.due - ONE_SECOND)
    assert engine.notifier.delivered == []
    engine.advance(notice.due)
    assert engine.notifier.delivered == [notice]
    engine.advance(notice.due + dt.timedelta(days=40))
    assert engine.notifier.delivered == [notice]


def test_the_reseller_is_advised_to_review_donor_services_after_approval():
    """SPEC 4 and 9, seed 002: advice.review_donor_services goes to the reseller on approval."""
    engine = engine_at()
    order_id = _submitted(engine)
    assert of_kind(engine, order_id, NotificationKind.ADVICE_REVIEW_DONOR_SERVICES) == []
    engine.approve(order_id)
    (advice,) = of_kind(engine, order_id, NotificationKind.ADVICE_REVIEW_DONOR_SERVICES)
    assert advice.recipient == RESELLER
    assert advice.channel is Channel.EMAIL
    assert advice.locale == "de"


def _busy_lifecycle(engine: Engine) -> list[str]:
    """Run a few orders through many notifying steps; return their ids."""
    first = _submitted(engine)
    engine.ask(first, "Frage 1")
    engine.answer(first, "Antwort 1")
    engine.ask(first, "Frage 2")
    engine.answer(first, "Antwort 2")
    engine.approve(first)
    engine.donor_confirms(first)
    engine.reschedule(first, zurich(2027, 4, 7, 7, 0))
    engine.reschedule(first, PLANNED)
    mobile = engine.submit(
        swiss_request(service=Service.MOBILE, numbers=("079 123 45 67", "079 123 45 68"))
    ).id
    engine.approve(mobile)
    engine.donor_confirms(mobile)
    engine.reschedule(mobile, zurich(2027, 4, 7, 7, 0))
    cancelled = engine.submit(swiss_request(numbers=("0441234580",))).id
    engine.cancel(cancelled)
    return [first, mobile, cancelled]


def test_every_notification_has_its_own_key_and_is_delivered_exactly_once():
    """SPEC 9, seed 000: keys are unique; each notification reaches the notifier once."""
    engine = engine_at()
    _busy_lifecycle(engine)
    engine.advance(zurich(2027, 6, 30, 12, 0))
    produced = engine.notifications()
    keys = [n.key for n in produced]
    assert len(keys) == len(set(keys))
    assert collections.Counter(engine.notifier.keys) == collections.Counter(keys)
    assert all(not order.pending_keys for order in engine.orders())


def test_a_notice_names_its_order_once_and_its_texts_show_it():
    """SPEC 9: the order id is the notice's field, not a copy among its params, yet rendered."""
    engine = engine_at()
    _busy_lifecycle(engine)
    engine.advance(zurich(2027, 6, 30, 12, 0))
    for notice in engine.notifications():
        assert "order_id" not in dict(notice.params)
        assert notice.order_id in notice.render().body


class ClockedNotifier:
    """Records each delivery with the clock's reading at that moment."""

    def __init__(self, clock: ManualClock) -> None:
        """Read the time from ``clock``."""
        self.clock = clock
        self.delivered: list[tuple[Notification, dt.datetime]] = []

    def deliver(self, notification: Notification) -> None:
        """Record the notification and the instant it went out."""
        self.delivered.append((notification, self.clock.now()))


def wired_engine(notifier_for, now: dt.datetime = START) -> Engine:
    """Return an engine built from the public adapters with a notifier of the test's making."""
    clock = ManualClock(now)
    return Engine(
        clock=clock,
        store=MemoryOrderStore(),
        inventory=MemoryNumberPool.for_country("CH"),
        donor=RecordingDonorGateway(),
        notifier=notifier_for(clock),
    )


def test_no_notification_is_delivered_before_its_due_instant():
    """SPEC 6 and 9, seed 000: nothing goes out before the clock reaches its due instant."""
    engine = wired_engine(ClockedNotifier)
    _busy_lifecycle(engine)
    engine.advance(zurich(2027, 6, 30, 12, 0))
    assert len(engine.notifier.delivered) == len(engine.notifications())
    for notification, at in engine.notifier.delivered:
        assert notification.due <= at


class FlakyNotifier:
    """Fails the first ``failures`` deliveries, then delivers."""

    def __init__(self, failures: int) -> None:
        """Fail ``failures`` times before the first delivery."""
        self.failures = failures
        self.attempts = 0
        self.delivered: list[Notification] = []

    def deliver(self, notification: Notification) -> None:
        """Raise while failures remain, else record the notification."""
        self.attempts += 1
        if self.failures:
            self.failures -= 1
            raise ConnectionError("mail relay unreachable")
        self.delivered.append(notification)


def test_a_notification_the_notifier_refuses_stays_due_and_goes_out_when_retried():
    """SPEC 9 and 10, seed 000: at least once: a refused delivery is retried, then never again.

    It is due again the profile's delivery_retry (5 minutes) after the instant
    advance ran to; an advance before that leaves it pending.
    """
    engine = wired_engine(lambda _clock: FlakyNotifier(failures=1))
    order = engine.submit(fixed_request(dt.date(2028, 2, 16)))
    (notice,) = of_kind(engine, order.id, NotificationKind.ORDER_CONFIRMATION)
    with pytest.raises(DeliveryFailed) as failed:
        engine.advance(notice.due)
    assert failed.value.code is Code.NOTIFICATION_UNDELIVERED
    (refused,) = failed.value.undelivered
    assert (refused.order_id, refused.key) == (order.id, notice.key)
    assert isinstance(refused.error, ConnectionError)
    assert failed.value.__cause__ is refused.error
    assert refused.retry_at == notice.due + dt.timedelta(minutes=5)
    assert engine.notifier.attempts == 1
    assert notice.key in engine.get(order.id).pending_keys
    engine.advance(refused.retry_at - ONE_SECOND)
    assert engine.notifier.attempts == 1
    engine.advance(refused.retry_at)
    assert engine.notifier.delivered == [notice]
    engine.advance(notice.due + dt.timedelta(days=30))
    assert engine.notifier.delivered == [notice]
    assert notice.key not in engine.get(order.id).pending_keys


def test_a_notification_refused_in_a_run_to_a_past_instant_is_retried_after_the_clock():
    """SPEC 9: a retry never falls due before the clock, even when advance ran to the past.

    Refused at its first try, a day late, the notification waits the shortest
    wait after the clock.
    """
    engine = wired_engine(lambda _clock: FlakyNotifier(failures=1))
    order = engine.submit(fixed_request(dt.date(2028, 2, 16)))
    (notice,) = of_kind(engine, order.id, NotificationKind.ORDER_CONFIRMATION)
    engine.clock.set(notice.due + dt.timedelta(days=1))
    with pytest.raises(DeliveryFailed) as failed:
        engine.advance(notice.due)
    (refused,) = failed.value.undelivered
    assert refused.retry_at == engine.clock.now() + dt.timedelta(minutes=5)
    engine.advance()
    assert engine.notifier.attempts == 1


def test_a_notification_refused_again_and_again_waits_longer_each_time_up_to_an_hour():
    """SPEC 9 (decision): each wait is as long as it had waited by the refused try, 5 min to 1 h.

    Refused at its due instant and at every retry, it is tried 5, 10, 20, 40
    and 80 minutes after it was due, then hourly; it is never given up.
    """
    engine = wired_engine(lambda _clock: FlakyNotifier(failures=8))
    order = engine.submit(fixed_request(dt.date(2028, 2, 16)))
    (notice,) = of_kind(engine, order.id, NotificationKind.ORDER_CONFIRMATION)
    tried_at = [notice.due]
    for _ in range(8):
        with pytest.raises(DeliveryFailed) as failed:
            engine.advance(tried_at[-1])
        tried_at.append(failed.value.undelivered[0].retry_at)
    minutes = [(at - notice.due) / dt.timedelta(minutes=1) for at in tried_at]
    assert minutes == [0, 5, 10, 20, 40, 80, 140, 200, 260]
    assert engine.notifier.attempts == 8
    engine.advance(tried_at[-1])
    assert engine.notifier.delivered == [notice]


def test_a_notification_first_tried_late_and_refused_waits_the_shortest_wait():
    """SPEC 9 (decision): a late first try is no long outage: 5 minutes, then the waits grow.

    No advance ran for two days after the notification was due; the notifier
    refuses it at that first try, and at the retry 5 minutes later.
    """
    engine = wired_engine(lambda _clock: FlakyNotifier(failures=2))
    order = engine.submit(fixed_request(dt.date(2028, 2, 16)))
    (notice,) = of_kind(engine, order.id, NotificationKind.ORDER_CONFIRMATION)
    late = notice.due + dt.timedelta(days=2)
    with pytest.raises(DeliveryFailed) as first:
        engine.advance(late)
    assert first.value.undelivered[0].retry_at == late + dt.timedelta(minutes=5)
    with pytest.raises(DeliveryFailed) as second:
        engine.advance(late + dt.timedelta(minutes=5))
    assert second.value.undelivered[0].retry_at == late + dt.timedelta(minutes=65)


class ZurichWallClock(ManualClock):
    """A carrier's clock that reads local time, as a pendulum instant in Zurich."""

    def now(self) -> dt.datetime:
        """Return the instant in Zurich."""
        return pendulum.instance(super().now()).in_timezone("Europe/Zurich")


def test_a_retry_on_a_clock_reading_local_time_is_a_plain_utc_instant():
    """SPEC 2: instants the engine keeps are UTC, whatever zone the clock reads in.

    A day's wait added to a pendulum instant in Zurich would be counted in wall
    time: a day across the autumn change would last 25 hours.
    """
    engine = Engine(
        clock=ZurichWallClock(START),
        store=MemoryOrderStore(),
        inventory=MemoryNumberPool.for_country("CH"),
        donor=RecordingDonorGateway(),
        notifier=FlakyNotifier(failures=1),
    )
    order = engine.submit(fixed_request(dt.date(2028, 2, 16)))
    (notice,) = of_kind(engine, order.id, NotificationKind.ORDER_CONFIRMATION)
    engine.clock.set(notice.due + dt.timedelta(hours=1))
    with pytest.raises(DeliveryFailed) as failed:
        engine.advance(notice.due)
    retry_at = failed.value.undelivered[0].retry_at
    assert type(retry_at) is dt.datetime
    assert retry_at.tzinfo is dt.UTC
    assert retry_at == notice.due + dt.timedelta(hours=1, minutes=5)


def test_a_retry_wait_of_the_wrong_kind_is_refused():
    """SPEC 11: delivery_wait takes a timedelta."""
    with pytest.raises(InvalidInput) as refused:
        profile_for("CH").delivery_wait(300)
    assert refused.value.code is Code.ARGUMENT_INVALID


@given(
    first=st.timedeltas(dt.timedelta(seconds=1), dt.timedelta(hours=2)),
    longest=st.timedeltas(dt.timedelta(seconds=1), dt.timedelta(days=2)),
    waited=st.timedeltas(dt.timedelta(0), dt.timedelta(days=400)),
)
def test_a_retry_waits_as_long_as_it_had_waited_within_the_profiles_bounds(first, longest, waited):
    """SPEC 9 (decision): delivery_retry <= wait <= delivery_retry_max; the wait never shrinks.

    A longest wait below the first keeps every wait at the first.
    """
    profile = attrs.evolve(profile_for("CH"), delivery_retry=first, delivery_retry_max=longest)
    wait = profile.delivery_wait(waited)
    assert first <= wait <= max(first, longest)
    assert wait == waited or wait in (first, longest)
    assert profile.delivery_wait(waited + wait) >= wait
    if longest <= first:
        assert wait == first


def test_a_refused_notice_another_worker_withdrew_meanwhile_is_not_reported_as_due():
    """SPEC 9: DeliveryFailed lists what is still pending; a notice the cancel withdrew is not.

    The only refusal concerned the confirmation the cancel withdrew, so advance
    has nothing to report; the notice of the ended temporary numbers goes out.
    """
    engine = wired_engine(lambda _clock: FlakyNotifier(failures=1))
    order = engine.submit(fixed_request(dt.date(2028, 2, 16)))
    (notice,) = of_kind(engine, order.id, NotificationKind.ORDER_CONFIRMATION)
    refuse = engine.notifier.deliver

    def cancelled_meanwhile(notification):
        # Another worker (the same store here) cancels while the notifier is refusing.
        engine.notifier.deliver = refuse
        engine.cancel(order.id)
        refuse(notification)

    engine.notifier.deliver = cancelled_meanwhile
    engine.advance(notice.due)
    assert engine.get(order.id).pending_keys == frozenset()
    assert [n.kind for n in engine.notifier.delivered] == [
        NotificationKind.TEMPORARY_NUMBER_DEACTIVATED
    ]


class RefusingNotifier(RecordingNotifier):
    """Refuses every notification to one recipient, as a mailbox that no longer exists."""

    def __init__(self, recipient: str) -> None:
        """Refuse what goes to ``recipient``."""
        super().__init__()
        self.recipient = recipient
        self.refused: list[str] = []

    def deliver(self, notification: Notification) -> None:
        """Record the notification, or refuse it."""
        if notification.recipient == self.recipient:
            self.refused.append(notification.key)
            raise ConnectionError(f"550 no such mailbox {self.recipient}")
        super().deliver(notification)


def test_a_notification_that_cannot_go_out_holds_up_no_port():
    """SPEC 6 and 9: one refused message leaves every other timer to fire, executions included.

    Both orders' notices to one reseller's dead mailbox are refused, once each in
    a jump of months; both ports execute on time and the other reseller hears of
    its order. The failure is reported at the end, with everything that fired.
    """
    engine = wired_engine(lambda _clock: RefusingNotifier("dead@reseller.example"))
    doomed = engine.submit(fixed_request(dt.date(2027, 2, 17), reseller="dead@reseller.example"))
    fine = engine.submit(fixed_request(dt.date(2027, 2, 18), numbers=("0441234590",)))
    for order in (doomed, fine):
        engine.approve(order.id)
        engine.donor_confirms(order.id)
    with pytest.raises(DeliveryFailed) as failed:
        engine.advance(zurich(2027, 6, 30, 12, 0))
    assert {u.order_id for u in failed.value.undelivered} == {doomed.id}
    assert [u.key for u in failed.value.undelivered] == engine.notifier.refused
    assert len(engine.notifier.refused) == len(set(engine.notifier.refused))
    executed = [f.order_id for f in failed.value.fired if f.action is TimerAction.EXECUTE]
    assert executed == [doomed.id, fine.id]
    for order in (doomed, fine):
        assert engine.get(order.id).state is OrderState.COMPLETED
    assert set(engine.get(doomed.id).pending_keys) == set(engine.notifier.refused)
    assert engine.get(fine.id).pending_keys == frozenset()


# --- SPEC 6: advance ------------------------------------------------------------------------


def test_one_long_jump_fires_every_timer_once_in_instant_order_across_orders():
    """SPEC 6, seed 000: a late tick fires all that is due, in order, once; the clock ends at to."""
    engine = engine_at()
    late = engine.submit(fixed_request(dt.date(2027, 6, 2), numbers=("0441234580",))).id
    planned = _submitted(engine)
    early = engine.submit(fixed_request(dt.date(2027, 2, 17), numbers=("0441234590",))).id
    for order_id in (late, planned, early):
        engine.approve(order_id)
        engine.donor_confirms(order_id)
    to = zurich(2027, 12, 31, 23, 0)
    fired = engine.advance(to)
    assert engine.clock.now() == to
    instants = [f.at for f in fired]
    assert instants == sorted(instants)
    executed = [(f.order_id, f.at) for f in fired if f.action is TimerAction.EXECUTE]
    assert executed == [
        (early, zurich(2027, 2, 17, 7, 0)),
        (planned, PLANNED),
        (late, zurich(2027, 6, 2, 7, 0)),
    ]
    deliveries = [(f.order_id, f.key) for f in fired if f.action is TimerAction.DELIVER]
    assert len(deliveries) == len(set(deliveries))
    assert {key for _, key in deliveries} == {n.key for n in engine.notifications()}
    for order_id in (late, planned, early):
        order = engine.get(order_id)
        assert order.state is OrderState.COMPLETED
        assert order.history[-1].at == order.port_at
        assert order.timers == ()
    assert engine.advance(to) == ()


def test_advancing_in_small_steps_fires_the_same_as_one_jump():
    """SPEC 6, seed 000: timers are data; how the clock gets there does not change what fires."""
    jumped, stepped = engine_at(), engine_at()
    for engine in (jumped, stepped):
        _busy_lifecycle(engine)
    end = zurich(2027, 5, 1, 0, 0)
    in_one = jumped.advance(end)
    in_steps = []
    instant = START
    while instant < end:
        instant = min(instant + dt.timedelta(hours=7), end)
        in_steps.extend(stepped.advance(instant))
    assert in_steps == list(in_one)
    assert list(jumped.orders()) == list(stepped.orders())


def test_advance_to_the_clocks_own_instant_fires_what_is_due_now():
    """SPEC 6, seed 002: notifications due at the command's instant go out at the next tick."""
    engine = engine_at()
    order_id = _submitted(engine)
    engine.ask(order_id, "Frage")
    fired = engine.advance(engine.clock.now())
    assert [f.key for f in fired] == [
        n.key for n in of_kind(engine, order_id, NotificationKind.CLARIFICATION_REQUESTED)
    ]
    assert engine.clock.now() == START


# --- SPEC 10: event subscribers -------------------------------------------------------------


class Listener:
    """Records each event heard, and whether the store already had it when it was heard."""

    def __init__(self, engine: Engine) -> None:
        """Listen to ``engine``."""
        self.engine = engine
        self.heard: list[tuple[str, HistoryEvent]] = []
        self.saved_first: list[bool] = []

    def __call__(self, order: PortOrder, event: HistoryEvent) -> None:
        """Record one event."""
        self.heard.append((order.id, event))
        self.saved_first.append(event in self.engine.get(order.id).history)


def test_subscribers_hear_every_transition_once_after_it_was_saved():
    """SPEC 6 and 10, seed 002: every history event reaches each subscriber once, after the save."""
    engine = engine_at()
    listener = Listener(engine)
    engine.subscribe(listener)
    ids = _busy_lifecycle(engine)
    rejected = engine.submit(swiss_request(numbers=("0441234590",))).id
    engine.approve(rejected)
    engine.donor_rejects(rejected, RejectionReason.ADDRESS_MISMATCH)
    engine.revise(rejected)
    engine.submit(swiss_request(numbers=("0441234590",)), order_id=rejected)
    engine.approve(rejected)
    members = [m.id for m in engine.submit_group(swiss_request(numbers=SINGLES_23))]
    _approve_all(engine, [engine.get(i) for i in members])
    for member in members:
        engine.donor_confirms(member)
    engine.advance(zurich(2027, 6, 30, 12, 0))
    assert all(listener.saved_first)
    for order in engine.orders():
        assert [e for i, e in listener.heard if i == order.id] == list(order.history)
    assert len(listener.heard) == sum(len(o.history) for o in engine.orders())
    assert {engine.get(i).state for i in [*ids[:2], *members]} == {OrderState.COMPLETED}


def test_a_failed_command_is_not_heard():
    """SPEC 10 and 11, seed 002: a refused or invalid command changes nothing, unheard."""
    engine = engine_at()
    order_id = _scheduled(engine)
    heard = []
    engine.subscribe(lambda _order, event: heard.append(event))
    with pytest.raises(IllegalTransition):
        engine.approve(order_id)
    with pytest.raises(CommandRefused):
        engine.reschedule(order_id, START - ONE_SECOND)
    with pytest.raises(ValidationFailed):
        engine.submit(swiss_request())
    engine.clock.set(zurich(2027, 3, 29, 12, 0))
    with pytest.raises(CommandRefused):
        engine.cancel(order_id)
    assert heard == []


# --- seed 000: mobile ports ----------------------------------------------------------------

MOBILE = "+41791234567"


def _mobile(engine: Engine) -> PortOrder:
    return engine.submit(swiss_request(service=Service.MOBILE, numbers=("079 123 45 67",)))


def test_a_fixed_mobile_port_date_is_announced_by_sms_to_the_old_and_the_temporary_number():
    """SPEC 9, seed 000: one SMS to the number that moves and one to the temporary number."""
    engine = engine_at()
    order = _mobile(engine)
    engine.approve(order.id)
    assert of_kind(engine, order.id, NotificationKind.PORT_DATE_ANNOUNCED) == []
    confirmed_at = zurich(2027, 2, 1, 9, 0)
    engine.clock.set(confirmed_at)
    engine.donor_confirms(order.id)
    (temporary,) = engine.get(order.id).temporary_numbers
    sms = of_kind(engine, order.id, NotificationKind.PORT_DATE_ANNOUNCED)
    assert len(sms) == 2
    assert {n.recipient for n in sms} == {MOBILE, temporary.text}
    assert temporary.text != MOBILE
    assert len({n.key for n in sms}) == 2
    for notice in sms:
        assert notice.channel is Channel.SMS
        assert notice.locale == "de"
        assert notice.due == confirmed_at
        assert notice.param_map["port_date"] == "2027-03-31"
        assert notice.param_map["port_time"] == "06:00"
        assert notice.param_map["temporary_number"] == temporary.text
        # The data keeps ISO 8601; the Swiss customer reads the date the German way.
        assert "am 31.03.2027 um 06:00 Uhr" in notice.render().body


def test_a_rescheduled_mobile_port_is_announced_again_under_new_keys():
    """SPEC 9, seed 000: a moved date is a new announcement to both numbers.

    The pair already sent stays; a pair still pending when the port moves again
    names a date that no longer holds and is withdrawn (decision).
    """
    engine = engine_at()
    order = _mobile(engine)
    engine.approve(order.id)
    engine.donor_confirms(order.id)
    first = of_kind(engine, order.id, NotificationKind.PORT_DATE_ANNOUNCED)
    engine.advance()
    engine.reschedule(order.id, zurich(2027, 4, 7, 7, 30))
    sms = of_kind(engine, order.id, NotificationKind.PORT_DATE_ANNOUNCED)
    again = sms[len(first) :]
    assert len(again) == 2
    assert {n.recipient for n in again} == {n.recipient for n in first}
    assert not {n.key for n in again} & {n.key for n in first}
    assert {(n.param_map["port_date"], n.param_map["port_time"]) for n in again} == {
        ("2027-04-07", "07:30")
    }

    engine.reschedule(order.id, zurich(2027, 4, 8, 7, 30))
    latest = of_kind(engine, order.id, NotificationKind.PORT_DATE_ANNOUNCED)
    assert latest[: len(first)] == first
    assert len(latest) == len(first) + 2
    assert {(n.param_map["port_date"], n.param_map["port_time"]) for n in latest[2:]} == {
        ("2027-04-08", "07:30")
    }
    engine.advance()
    sent = [n for n in engine.notifier.delivered if n.kind is NotificationKind.PORT_DATE_ANNOUNCED]
    assert [n.param_map["port_date"] for n in sent] == ["2027-03-31"] * 2 + ["2027-04-08"] * 2


def test_a_reschedule_to_the_instant_the_port_has_announces_nothing_again():
    """SPEC 9: a donor message that arrives twice is a replay; the date was announced once.

    The reschedule is recorded in the history; the SMS pair for the date is not
    sent again.
    """
    engine = engine_at()
    order = _mobile(engine)
    engine.approve(order.id)
    engine.donor_confirms(order.id)
    engine.advance()
    moved = zurich(2027, 4, 7, 7, 0)
    engine.reschedule(order.id, moved)
    engine.advance()
    replayed = engine.reschedule(order.id, moved)
    engine.advance()
    assert [e.trigger for e in replayed.history][-2:] == [Trigger.RESCHEDULE] * 2
    sent = [n for n in engine.notifier.delivered if n.kind is NotificationKind.PORT_DATE_ANNOUNCED]
    assert [n.param_map["port_date"] for n in sent] == ["2027-03-31"] * 2 + ["2027-04-07"] * 2
    assert replayed.port_at == moved
    assert [t.due for t in replayed.timers if t.action is TimerAction.EXECUTE] == [moved]


def test_a_port_moved_back_and_forth_at_one_instant_is_last_announced_at_its_date():
    """SPEC 9, seed 000: the customer's last SMS names the date the port is at.

    Moved 31 March → 7 April → 31 March → 7 April → 31 March, each move
    announced before the next, all at one clock instant: the third announcement
    of 31 March is not taken for the second one, already sent.
    """
    engine = engine_at()
    order = _mobile(engine)
    engine.approve(order.id)
    engine.donor_confirms(order.id)
    engine.advance()
    for moved in (zurich(2027, 4, 7, 7, 0), PLANNED, zurich(2027, 4, 7, 7, 0), PLANNED):
        engine.reschedule(order.id, moved)
        engine.advance()
    sent = [n for n in engine.notifier.delivered if n.kind is NotificationKind.PORT_DATE_ANNOUNCED]
    assert [n.param_map["port_date"] for n in sent][-2:] == ["2027-03-31"] * 2
    assert len(sent) == 10
    assert len({n.key for n in sent}) == 10


def test_each_mobile_number_of_an_order_gets_its_own_pair_of_announcements():
    """SPEC 9, seed 000: two numbers that move, two temporary numbers, four SMS."""
    engine = engine_at()
    order = engine.submit(
        swiss_request(service=Service.MOBILE, numbers=("079 123 45 67", "079 123 45 68"))
    )
    engine.approve(order.id)
    engine.donor_confirms(order.id)
    temporaries = {t.text for t in engine.get(order.id).temporary_numbers}
    sms = of_kind(engine, order.id, NotificationKind.PORT_DATE_ANNOUNCED)
    assert len(sms) == 4
    assert {n.recipient for n in sms} == {MOBILE, "+41791234568", *temporaries}


def test_a_completed_mobile_port_tells_the_customer_to_restart_the_phone():
    """SPEC 9, seed 000: port.completed in the mobile variant adds the restart advice."""
    engine = engine_at()
    order = _mobile(engine)
    engine.approve(order.id)
    engine.donor_confirms(order.id)
    engine.advance(PLANNED)
    (done,) = of_kind(engine, order.id, NotificationKind.PORT_COMPLETED)
    assert done.variant is Variant.MOBILE
    assert done.due == PLANNED
    assert "neu starten" in done.render().body
    assert done in engine.notifier.delivered
    assert {t.status for t in engine.get(order.id).temporary_numbers} == {
        TemporaryStatus.DEACTIVATED
    }


def test_a_pbx_port_is_not_announced_by_sms_and_completes_without_the_restart_advice():
    """SPEC 9, seeds 000 and 002: the SMS pair and the restart advice are for mobile only."""
    engine = engine_at()
    order_id = _scheduled(engine)
    engine.advance(PLANNED)
    assert of_kind(engine, order_id, NotificationKind.PORT_DATE_ANNOUNCED) == []
    (done,) = of_kind(engine, order_id, NotificationKind.PORT_COMPLETED)
    assert done.variant is Variant.STANDARD
    assert "neu starten" not in done.render().body


KELLER = Subscriber(
    "Eva Keller",
    kind=CustomerKind.PRIVATE,
    address="Seeweg 2",
    city="8008 Zuerich",
    phone="044 987 65 43",
)
"""A private customer with a landline and a postal address."""


@pytest.mark.parametrize(
    ("subscriber", "channel", "recipient"),
    [
        (SCHMIEDEISEN, Channel.EMAIL, "rechnung@schmiedeisen.ch"),  # phone: 044 123 45 67
        (attrs.evolve(SCHMIEDEISEN, phone="079 123 45 67"), Channel.SMS, "+41791234567"),
        (KELLER, Channel.LETTER, "Eva Keller, Seeweg 2, 8008 Zuerich"),
        (attrs.evolve(KELLER, address="", city=""), Channel.SMS, "+41449876543"),
    ],
    ids=["landline-email", "mobile-sms", "landline-letter", "landline-only"],
)
def test_a_port_completed_goes_by_sms_to_a_landline_only_as_the_last_way(
    subscriber, channel, recipient
):
    """SPEC 9: the completion is an SMS, and SMS is for mobile numbers.

    A landline hears one read out at best, so e-mail or a letter goes first.
    Nothing lost: a customer reached only by landline gets it there.
    """
    engine = engine_at()
    private = subscriber.kind is CustomerKind.PRIVATE  # signs for themself
    signers = (subscriber.name,) if private else ("Anna Muster",)
    order = engine.submit(swiss_request(subscriber=subscriber, signers=signers))
    engine.approve(order.id)
    engine.donor_confirms(order.id)
    engine.advance(PLANNED)
    (done,) = of_kind(engine, order.id, NotificationKind.PORT_COMPLETED)
    assert (done.channel, done.recipient) == (channel, recipient)


def test_the_engine_rejects_a_naive_advance_instant():
    """SPEC 2, seed 002: a naive datetime is rejected with time.naive."""
    engine = engine_at()
    with pytest.raises(ValueError, match="time zone") as raised:
        engine.advance(dt.datetime(2027, 2, 1, 9, 0))  # noqa: DTZ001 - the point of the test
    assert raised.value.code is Code.TIME_NAIVE
    assert engine.clock.now() == START


@pytest.mark.parametrize("end", ["cancel", "reject"])
def test_an_order_that_ends_withdraws_what_was_still_due_but_keeps_what_was_sent(end):
    """SPEC 9 (decision): no confirmation or date announcement for a port that will not happen."""
    engine = engine_at(zurich(2027, 2, 8, 9, 0))
    order = engine.submit(fixed_request(dt.date(2027, 3, 17)))
    engine.approve(order.id)
    engine.advance(zurich(2027, 2, 8, 9, 30))  # the advice goes out; the confirmation waits
    sent = [n.key for n in engine.notifier.delivered]
    if end == "cancel":
        engine.cancel(order.id)
    else:
        engine.donor_rejects(order.id, RejectionReason.NOT_PORTABLE)
    engine.advance(zurich(2027, 3, 31, 9, 0))
    kinds = [n.kind for n in engine.notifier.delivered]
    assert NotificationKind.ORDER_CONFIRMATION not in kinds
    assert kinds.count(NotificationKind.TEMPORARY_NUMBER_DEACTIVATED) == 1
    assert [n.key for n in engine.notifier.delivered][: len(sent)] == sent
    assert {n.key for n in engine.notifications(order.id)} == set(engine.notifier.keys)
    assert engine.get(order.id).timers == ()


def test_two_questions_asked_at_one_instant_both_reach_the_reseller():
    """SPEC 9, seed 002: every question of the provider is its own message."""
    engine = engine_at(zurich(2027, 2, 8, 9, 0))
    order = engine.submit(fixed_request(dt.date(2027, 3, 17)))
    engine.ask(order.id, "Which DDI range?")
    engine.answer(order.id, "04412346xx")
    engine.ask(order.id, "Who signed?")
    engine.advance()
    questions = [
        n.param_map["question"]
        for n in engine.notifier.delivered
        if n.kind is NotificationKind.CLARIFICATION_REQUESTED
    ]
    assert questions == ["Which DDI range?", "Who signed?"]


def test_the_same_question_asked_again_at_one_instant_reaches_the_reseller_again():
    """SPEC 9, seed 002: a second ask is a second message, even with the same text and instant."""
    engine = engine_at(zurich(2027, 2, 8, 9, 0))
    order = engine.submit(fixed_request(dt.date(2027, 3, 17)))
    engine.ask(order.id, "Is the block complete?")
    engine.advance()
    engine.answer(order.id, "no")
    engine.ask(order.id, "Is the block complete?")
    engine.advance()
    asked = [
        n for n in engine.notifier.delivered if n.kind is NotificationKind.CLARIFICATION_REQUESTED
    ]
    assert [n.param_map["question"] for n in asked] == ["Is the block complete?"] * 2
    assert len({n.key for n in asked}) == 2
    assert asked[0].render() == asked[1].render()


def test_an_order_resubmitted_and_approved_again_at_one_instant_is_told_again():
    """SPEC 6 and 9: the revised order gets its own confirmation and the reseller its advice.

    The clock does not move between the first and the second round, so each
    second notice has the occasion of the first; it is still a new message.
    """
    engine = engine_at(zurich(2027, 2, 8, 9, 0))
    order = engine.submit(fixed_request(dt.date(2027, 3, 17)))
    engine.approve(order.id)
    engine.advance()
    engine.donor_rejects(order.id, RejectionReason.ADDRESS_MISMATCH)
    engine.revise(order.id)
    engine.submit(fixed_request(dt.date(2027, 3, 17)), order_id=order.id)
    engine.approve(order.id)
    kinds = collections.Counter(n.kind for n in engine.notifications(order.id))
    assert kinds[NotificationKind.ORDER_CONFIRMATION] == 1  # the first was withdrawn undelivered
    assert kinds[NotificationKind.ADVICE_REVIEW_DONOR_SERVICES] == 2
    engine.advance(zurich(2027, 2, 11, 9, 0))
    delivered = collections.Counter(n.kind for n in engine.notifier.delivered)
    assert delivered[NotificationKind.ADVICE_REVIEW_DONOR_SERVICES] == 2
    assert delivered[NotificationKind.ORDER_CONFIRMATION] == 1


ELEVEN = tuple(f"044 123 45 {n:02d}" for n in range(40, 51))


def test_a_revised_group_member_that_is_resubmitted_holds_its_group_back_again():
    """SPEC 1.3 and 6: no member executes while another live member is not scheduled."""
    engine = engine_at(zurich(2027, 2, 1, 9, 0))
    first, second = engine.submit_group(fixed_request(dt.date(2027, 3, 17), numbers=ELEVEN))
    for member in (first, second):
        engine.approve(member.id)
    engine.donor_confirms(second.id)
    engine.donor_rejects(first.id, RejectionReason.ADDRESS_MISMATCH)
    assert any(t.action is TimerAction.EXECUTE for t in engine.get(second.id).timers)
    engine.revise(first.id)
    engine.submit(fixed_request(dt.date(2027, 3, 17), numbers=ELEVEN[:10]), order_id=first.id)
    assert not any(t.action is TimerAction.EXECUTE for t in engine.get(second.id).timers)
    engine.advance(zurich(2027, 3, 18, 9, 0))
    assert engine.get(second.id).state is OrderState.SCHEDULED


def test_a_port_group_is_ordered_only_by_a_user_who_may_and_each_member_keeps_them():
    """SPEC 1.3 and 5, seed 003: a split request is checked whole; its members name the orderer."""
    engine = engine_at()
    with pytest.raises(ValidationFailed) as raised:
        engine.submit_group(swiss_request(numbers=ELEVEN, orderer=Orderer("Lars Berg")))
    assert raised.value.codes == {Code.AUTH_FORBIDDEN}
    assert list(engine.orders()) == []
    owner = Orderer("Anna Muster", account_owner=True)
    first, second = engine.submit_group(swiss_request(numbers=ELEVEN, orderer=owner))
    assert first.valid.request.orderer == second.valid.request.orderer == owner
    engine.approve(first.id)
    engine.donor_rejects(first.id, RejectionReason.OTHER)
    draft = engine.revise(first.id)
    again = engine.submit(draft.valid.request, order_id=first.id)
    assert again.valid.request.orderer == owner


def test_a_group_member_is_revised_and_resubmitted_with_its_own_request():
    """SPEC 1.3 and 6: each member's request names its own numbers, ready to submit again.

    With the whole group's numbers it would be refused as too many singles and
    as holding the other members' numbers.
    """
    engine = engine_at()
    members = _group(engine)
    assert [len(m.valid.request.numbers) for m in members] == [11, 10, 3]
    assert [m.valid.request.numbers for m in members] == [m.valid.numbers.entries for m in members]
    last = members[-1]
    engine.approve(last.id)
    engine.donor_rejects(last.id, RejectionReason.NUMBER_MISMATCH)
    draft = engine.revise(last.id)
    again = engine.submit(draft.valid.request, order_id=last.id)
    assert again.state is OrderState.SUBMITTED
    assert again.valid.numbers == last.valid.numbers


def test_a_group_never_executes_after_the_fact_at_an_instant_that_passed():
    """SPEC 1.3 and 6 (decision): a missed common instant needs a reschedule, not a late port."""
    engine = engine_at(zurich(2027, 2, 1, 9, 0))
    first, second = engine.submit_group(fixed_request(dt.date(2027, 3, 17), numbers=ELEVEN))
    engine.approve(first.id)
    engine.donor_confirms(first.id)
    engine.approve(second.id)
    engine.advance(zurich(2027, 3, 18, 9, 0))  # the instant passes with the second unconfirmed
    engine.donor_rejects(second.id, RejectionReason.NOT_PORTABLE)
    engine.advance(zurich(2027, 3, 19, 9, 0))
    assert engine.get(first.id).state is OrderState.SCHEDULED
    engine.reschedule(first.id, zurich(2027, 3, 24, 7, 0))
    engine.advance(zurich(2027, 3, 25, 9, 0))
    done = engine.get(first.id)
    assert done.state is OrderState.COMPLETED
    assert done.history[-1].at == zurich(2027, 3, 24, 7, 0)


def test_a_cancel_keeps_the_pending_notice_of_numbers_ended_before():
    """SPEC 7, decision: a cancel withdraws what is pending, but not news of ended numbers.

    The rejection ended the first temporary numbers and its notice is still
    pending when the resubmitted order is cancelled: it stays due, and so does
    the cancel's own notice of the second ones; the new confirmation is withdrawn.
    """
    engine = engine_at()
    order_id = _draft(engine)
    first = engine.get(order_id).temporary_numbers
    engine.submit(swiss_request(), order_id=order_id)
    cancelled = engine.cancel(order_id)
    second = cancelled.temporary_numbers[len(first) :]
    ended = [
        n.param_map["temporary_number"]
        for n in cancelled.notifications
        if n.key in cancelled.pending_keys
        and n.kind is NotificationKind.TEMPORARY_NUMBER_DEACTIVATED
    ]
    assert ended == [", ".join(t.text for t in first), ", ".join(t.text for t in second)]
    pending = {n.kind for n in cancelled.notifications if n.key in cancelled.pending_keys}
    assert pending == {NotificationKind.TEMPORARY_NUMBER_DEACTIVATED}


def test_history_records_a_moved_port_in_utc_whatever_zone_the_donor_gave():
    """SPEC 6: the details of a reschedule name the instant in UTC, as the order keeps it.

    Ports scheduled for one instant share its details: one named in UTC first
    must not give a later order, named in Zurich time, other text.
    """
    engine = engine_at()
    first = _scheduled(engine)
    second = engine.submit(swiss_request(numbers=("044 987 65 43",))).id
    engine.approve(second)
    engine.donor_confirms(second)
    moved = zurich(2027, 4, 7, 7, 0)
    engine.reschedule(first, moved.astimezone(dt.UTC))
    rescheduled = engine.reschedule(second, moved)
    assert rescheduled.history[-1].details == (("port_at", "2027-04-07T05:00:00+00:00"),)
    assert engine.get(first).history[-1].details == rescheduled.history[-1].details


ARGUMENTS_OF_THE_WRONG_KIND = {
    "question": (_submitted, lambda engine, order_id: engine.ask(order_id, None)),
    "blank question": (_submitted, lambda engine, order_id: engine.ask(order_id, "  ")),
    "answer": (_clarification, lambda engine, order_id: engine.answer(order_id, 42)),
    "keep_temporary": (
        _requested,
        lambda engine, order_id: engine.cancel(order_id, keep_temporary="false"),
    ),
    "actor": (_submitted, lambda engine, order_id: engine.approve(order_id, actor=None)),
    "rejection text": (
        _requested,
        lambda engine, order_id: engine.donor_rejects(order_id, "other", None),
    ),
}


@pytest.mark.parametrize(
    ("drive", "command"),
    ARGUMENTS_OF_THE_WRONG_KIND.values(),
    ids=ARGUMENTS_OF_THE_WRONG_KIND.keys(),
)
def test_an_argument_of_the_wrong_kind_is_refused_and_changes_nothing(drive, command):
    """SPEC 11: a command given the wrong kind of value raises argument.invalid, nothing saved.

    Before, ``keep_temporary="false"`` promoted the temporary numbers (the text
    is true) and a question of ``None`` went into the history as it was.
    """
    engine = engine_at()
    order_id = drive(engine)
    before = snapshot(engine)
    with pytest.raises(InvalidInput) as raised:
        command(engine, order_id)
    assert raised.value.code is Code.ARGUMENT_INVALID
    assert snapshot(engine) == before


def test_a_subscriber_that_raises_after_a_submission_leaves_its_temporary_numbers_reserved():
    """SPEC 7: the order was saved and holds its temporary numbers; the inventory agrees.

    A subscriber runs after the save; its error reaches the caller, but the
    saved order's numbers are not released as a failed submission's would be.
    """
    engine = engine_at()

    def failing(_order, _event):
        raise RuntimeError("subscriber down")

    engine.subscribe(failing)
    with pytest.raises(RuntimeError):
        engine.submit(swiss_request())
    (order,) = engine.orders()
    assert order.state is OrderState.SUBMITTED
    assert {engine.inventory.status[t.text] for t in order.temporary_numbers} == {
        TemporaryStatus.RESERVED
    }
