"""The simulated donor as a specification: when it answers, what it answers, reproducibly.

SPEC 10 asks for a simulated donor for tests and simulations. These tests
build an `Engine` with a `SimulatedDonor` as its donor gateway, have orders
sent to it through the engine's approval, and check the answers' instants in
Zurich local time against the 2025-2027 calendars of the canton of Zurich (the
CH profile's decision): Good Friday 26 and Easter Monday 29 March 2027, with
daylight saving time from Sunday 28 March 2027; Christmas 25 and St Stephen's
Day 26 December 2025.
"""

from __future__ import annotations

import collections
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portflow import (
    BusinessCalendar,
    Code,
    DonorContract,
    Engine,
    InvalidInput,
    ManualClock,
    MemoryNumberPool,
    MemoryOrderStore,
    OrderState,
    RecordingNotifier,
    RejectionReason,
    Timing,
    Trigger,
)
from portflow._adapters.simulated_donor import AnswerKind, DonorAnswer, SimulatedDonor
from portflow.testing import strategies as pst
from tests_support import swiss_request

ZURICH = ZoneInfo("Europe/Zurich")
CALENDAR = BusinessCalendar.for_country("CH")
START = dt.datetime(2027, 1, 4, 8, 0, tzinfo=dt.UTC)
"""Monday 4 January 2027, 09:00 in Zurich."""
OPENS, CLOSES = dt.time(8, 0), dt.time(17, 0)
FIRST_ANSWERS = frozenset({AnswerKind.CONFIRM, AnswerKind.REJECT})
TRIGGER_OF = {
    AnswerKind.CONFIRM: Trigger.CONFIRM,
    AnswerKind.REJECT: Trigger.REJECT,
    AnswerKind.RESCHEDULE: Trigger.RESCHEDULE,
}


def zurich(*parts: int) -> dt.datetime:
    """Return a wall-clock instant in Zurich."""
    return dt.datetime(*parts, tzinfo=ZURICH)


def engine_with(donor: SimulatedDonor, now: dt.datetime = START) -> Engine:
    """Return an in-memory Swiss engine, wired as `Engine.in_memory` does, with the donor."""
    return Engine(
        clock=ManualClock(now),
        store=MemoryOrderStore(),
        inventory=MemoryNumberPool.for_country("CH"),
        donor=donor,
        notifier=RecordingNotifier(),
    )


def asap_request(index: int = 0):
    """Return the Swiss PBX request for one number of its own, to port as soon as possible."""
    return swiss_request(
        numbers=(f"04420000{index:02d}",), timing=Timing.asap(), contract=DonorContract()
    )


def place(engine: Engine, count: int = 1, *, first: int = 0) -> list[str]:
    """Submit and approve ``count`` ASAP orders at the engine's clock; return their ids."""
    ids = []
    for index in range(first, first + count):
        order_id = engine.submit(asap_request(index)).id
        engine.approve(order_id)
        ids.append(order_id)
    return ids


def first_answer(donor: SimulatedDonor, order_id: str) -> DonorAnswer:
    """Return the pending confirmation or rejection of the order."""
    (answer,) = [a for a in donor.pending() if a.order_id == order_id and a.kind in FIRST_ANSWERS]
    return answer


def receipt_day(received: dt.datetime, closes: dt.time) -> dt.date:
    """Return the day a request counts from: its own if a business day before closing."""
    local = received.astimezone(ZURICH)
    if CALENDAR.is_business_day(local.date()) and local.time() < closes:
        return local.date()
    return CALENDAR.next_business_day(local.date())


def answers_of(donor: SimulatedDonor) -> dict[str, list[DonorAnswer]]:
    """Return the pending answers grouped by order id."""
    grouped: dict[str, list[DonorAnswer]] = collections.defaultdict(list)
    for answer in donor.pending():
        grouped[answer.order_id].append(answer)
    return dict(grouped)


# --- when the donor answers ---------------------------------------------------------------


@given(
    received=pst.aware_datetimes(
        "Europe/Zurich",
        dt.datetime(2026, 12, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
        dt.datetime(2027, 12, 31),  # noqa: DTZ001 - as above
    ),
    delay=st.integers(0, 5),
    seed=st.integers(0, 2**32),
    opens=st.integers(0, 20),
    hours=st.integers(1, 3),
)
def test_an_answer_comes_n_business_days_after_the_receipt_day_within_working_hours(
    received, delay, seed, opens, hours
):
    """The answer day is N business days after the receipt day, inside the local working hours.

    A request counts from the day it arrives if that is a business day and it
    arrives before closing, else from the next business day; with N = 0 the
    answer never comes before the request.
    """
    working_hours = (dt.time(opens), dt.time(opens + hours))
    donor = SimulatedDonor(
        seed=seed,
        answer_after_business_days=delay,
        working_hours=working_hours,
        reject_rate=0.5,
        reschedule_rate=1.0,
    )
    engine = engine_with(donor, received)
    (order_id,) = place(engine)
    start_day = receipt_day(received, working_hours[1])
    answer = first_answer(donor, order_id)
    day = CALENDAR.local_date(answer.at)
    assert CALENDAR.business_days_between(start_day, day) == delay
    assert day == CALENDAR.add_business_days(start_day, delay)
    assert answer.at >= received
    for each in donor.pending():
        local = CALENDAR.local(each.at)
        assert CALENDAR.is_business_day(local.date())
        assert working_hours[0] <= local.time() < working_hours[1]
    if answer.kind is AnswerKind.CONFIRM:
        assert answer.port_at is not None
        assert answer.port_at > answer.at


def test_answers_skip_easter_and_keep_local_working_hours_across_the_change_to_summer_time():
    """Sent on Maundy Thursday 2027, answered two business days later on Wednesday 31 March.

    Good Friday and Easter Monday are holidays in Zurich; summer time starts on
    the Sunday between, so 08:00-17:00 is 06:00-15:00 UTC on the answer day.
    """
    local_times = []
    for seed in range(200):
        donor = SimulatedDonor(seed=seed, reject_rate=0.5, reschedule_rate=0.0)
        engine = engine_with(donor, zurich(2027, 3, 25, 10, 0))
        (order_id,) = place(engine)
        answer = first_answer(donor, order_id)
        local = answer.at.astimezone(ZURICH)
        assert local.date() == dt.date(2027, 3, 31)
        assert local.utcoffset() == dt.timedelta(hours=2)
        local_times.append(local.time())
    assert all(OPENS <= t < CLOSES for t in local_times)
    assert min(local_times).hour == 8
    assert max(local_times).hour == 16


def test_answers_skip_christmas_and_st_stephens_day():
    """Sent Tuesday 23 December 2025, answered on Monday 29 December after 24 December."""
    assert not CALENDAR.is_business_day(dt.date(2025, 12, 25))
    assert not CALENDAR.is_business_day(dt.date(2025, 12, 26))
    for seed in range(20):
        donor = SimulatedDonor(seed=seed, answer_after_business_days=2)
        engine = engine_with(donor, zurich(2025, 12, 23, 10, 0))
        (order_id,) = place(engine)
        local = first_answer(donor, order_id).at.astimezone(ZURICH)
        assert local.date() == dt.date(2025, 12, 29)
        assert OPENS <= local.time() < CLOSES


def test_a_request_after_closing_counts_from_the_next_business_day():
    """Received Friday 8 January 2027 at 17:30, one business day later is Tuesday 12 January."""
    donor = SimulatedDonor(seed=1, answer_after_business_days=1)
    engine = engine_with(donor, zurich(2027, 1, 8, 17, 30))
    (order_id,) = place(engine)
    assert first_answer(donor, order_id).at.astimezone(ZURICH).date() == dt.date(2027, 1, 12)


def test_without_delay_the_answer_comes_the_same_day_after_the_request():
    """With N = 0 a request received at 15:00 is answered between 15:00 and closing."""
    for seed in range(30):
        donor = SimulatedDonor(seed=seed, answer_after_business_days=0)
        received = zurich(2027, 1, 5, 15, 0)
        engine = engine_with(donor, received)
        (order_id,) = place(engine)
        answer = first_answer(donor, order_id)
        assert received <= answer.at < zurich(2027, 1, 5, 17, 0)


def test_a_donor_calendar_of_another_country_sets_the_working_hours_zone():
    """A Swedish donor answers within 08:00-17:00 Stockholm time on Swedish business days."""
    sweden = BusinessCalendar.for_country("SE")
    donor = SimulatedDonor(seed=5, calendar="SE", reject_rate=0.0, reschedule_rate=0.0)
    engine = engine_with(donor)
    for order_id in place(engine, 10):
        local = sweden.local(first_answer(donor, order_id).at)
        assert sweden.is_business_day(local.date())
        assert OPENS <= local.time() < CLOSES


# --- what the donor answers ---------------------------------------------------------------


@given(seed=st.integers(0, 2**32))
def test_a_donor_that_never_rejects_confirms_every_order(seed):
    """reject_rate 0: every order gets a confirmation of a port still to come."""
    donor = SimulatedDonor(seed=seed, reject_rate=0.0, reschedule_rate=0.0)
    engine = engine_with(donor)
    ids = place(engine, 8)
    pending = donor.pending()
    assert sorted(a.order_id for a in pending) == sorted(ids)
    for answer in pending:
        assert answer.kind is AnswerKind.CONFIRM
        assert answer.reason is None
        assert answer.port_at == engine.get(answer.order_id).port_at


@given(
    seed=st.integers(0, 2**32),
    reasons=st.sets(st.sampled_from(RejectionReason), min_size=1),
)
def test_a_donor_that_always_rejects_gives_a_typed_reason_of_those_allowed(seed, reasons):
    """reject_rate 1: every order is refused with one of the given reasons and a text."""
    donor = SimulatedDonor(seed=seed, reject_rate=1.0, reject_reasons=reasons)
    engine = engine_with(donor)
    ids = place(engine, 8)
    pending = donor.pending()
    assert sorted(a.order_id for a in pending) == sorted(ids)
    for answer in pending:
        assert answer.kind is AnswerKind.REJECT
        assert isinstance(answer.reason, RejectionReason)
        assert answer.reason in reasons
        assert answer.text
        assert answer.port_at is None


def test_rejections_draw_every_allowed_reason():
    """Over many orders the reasons are spread over all members of `RejectionReason`."""
    donor = SimulatedDonor(seed=11, reject_rate=1.0)
    engine = engine_with(donor)
    place(engine, 80)
    assert {a.reason for a in donor.pending()} == set(RejectionReason)


def test_a_reschedule_moves_the_confirmed_port_by_business_days_before_it_happens():
    """A rescheduled port moves by the given business days, at the same local time of day."""
    donor = SimulatedDonor(
        seed=3, reject_rate=0.0, reschedule_rate=1.0, reschedule_by_business_days=3
    )
    engine = engine_with(donor)
    ids = place(engine, 10)
    grouped = answers_of(donor)
    assert sorted(grouped) == sorted(ids)
    for answers in grouped.values():
        confirm, reschedule = answers
        assert (confirm.kind, reschedule.kind) == (AnswerKind.CONFIRM, AnswerKind.RESCHEDULE)
        assert confirm.port_at is not None
        assert reschedule.port_at is not None
        assert confirm.at < reschedule.at < confirm.port_at
        old, new = CALENDAR.local(confirm.port_at), CALENDAR.local(reschedule.port_at)
        assert CALENDAR.business_days_between(old.date(), new.date()) == 3
        assert new.time() == old.time()


def test_a_reschedule_that_would_not_come_before_the_port_is_left_out():
    """A port earlier than any reschedule answer could come keeps its confirmed instant."""
    # Approved Monday at 09:00 for Wednesday 07:00, answered Tuesday: a reschedule
    # one business day after the answer would come after the port.
    donor = SimulatedDonor(
        seed=2, answer_after_business_days=1, reject_rate=0.0, reschedule_rate=1.0
    )
    engine = engine_with(donor)
    order_id = engine.submit(asap_request()).id
    engine.approve(order_id, port_at=zurich(2027, 1, 6, 7, 0))
    (answer,) = donor.pending()
    assert answer.kind is AnswerKind.CONFIRM
    assert answer.port_at == zurich(2027, 1, 6, 7, 0)


def test_a_planned_port_that_passes_before_the_answer_is_confirmed_at_the_asap_date():
    """A donor never confirms a past port: it offers the lead time from its answer day."""
    # Approved Monday 4 January for Tuesday 07:00; the answer comes Wednesday.
    donor = SimulatedDonor(seed=4, reject_rate=0.0, reschedule_rate=0.0)
    engine = engine_with(donor)
    order_id = engine.submit(asap_request()).id
    engine.approve(order_id, port_at=zurich(2027, 1, 5, 7, 0))
    (answer,) = donor.pending()
    assert answer.at.astimezone(ZURICH).date() == dt.date(2027, 1, 6)
    # Five business days after Wednesday 6 January: Wednesday 13 January, at 07:00.
    assert answer.port_at == zurich(2027, 1, 13, 7, 0)


def test_port_group_members_are_confirmed_together_and_never_rescheduled_alone():
    """SPEC 1.3: moving one member alone would stop the whole group, so none is moved."""
    donor = SimulatedDonor(seed=8, reject_rate=0.0, reschedule_rate=1.0)
    engine = engine_with(donor)
    members = engine.submit_group(
        swiss_request(
            numbers=tuple(f"04420001{i:02d}" for i in range(12)),
            timing=Timing.asap(),
            contract=DonorContract(),
        )
    )
    for member in members:
        engine.approve(member.id)
    assert {a.kind for a in donor.pending()} == {AnswerKind.CONFIRM}
    donor.answer(engine, START + dt.timedelta(days=30))
    orders = [engine.get(member.id) for member in members]
    assert {order.state for order in orders} == {OrderState.COMPLETED}
    assert len({order.history[-1].at for order in orders}) == 1


# --- reproducibility ----------------------------------------------------------------------


def pending_after_placing(seed: int, count: int = 20) -> tuple[DonorAnswer, ...]:
    """Return what a donor with the seed will answer to ``count`` orders placed at START."""
    donor = SimulatedDonor(seed=seed, reject_rate=0.3, reschedule_rate=0.3)
    place(engine_with(donor), count)
    return donor.pending()


@given(seed=st.integers(0, 2**64))
def test_the_same_seed_and_sends_give_the_same_answers(seed):
    """Two runs with the same seed and the same orders have identical answers."""
    assert pending_after_placing(seed, 5) == pending_after_placing(seed, 5)


def test_different_seeds_give_different_answers():
    """Different seeds give different answers over a sample of 20 orders."""
    runs = {pending_after_placing(seed) for seed in range(5)}
    assert len(runs) == 5


def test_the_answers_to_an_order_do_not_depend_on_when_the_others_are_sent():
    """The answers to each order are the same whether the others are sent before or after it."""
    forward = SimulatedDonor(seed=9, reject_rate=0.3, reschedule_rate=0.3)
    backward = SimulatedDonor(seed=9, reject_rate=0.3, reschedule_rate=0.3)
    engines = engine_with(forward), engine_with(backward)
    ids = [[engines[0].submit(asap_request(i)).id for i in range(6)]]
    ids.append([engines[1].submit(asap_request(i)).id for i in range(6)])
    assert ids[0] == ids[1]
    for order_id in ids[0]:
        engines[0].approve(order_id)
    for order_id in reversed(ids[1]):
        engines[1].approve(order_id)
    assert answers_of(forward) == answers_of(backward)


def test_the_same_seed_gives_the_same_engine_run():
    """A whole simulation run is reproducible: the same answers and the same histories."""

    def run() -> tuple[object, ...]:
        donor = SimulatedDonor(seed=21, reject_rate=0.3, reschedule_rate=0.3)
        engine = engine_with(donor)
        place(engine, 15)
        given_answers = donor.answer(engine, START + dt.timedelta(days=60))
        return given_answers, tuple(engine.orders())

    assert run() == run()


# --- withdrawing and sending again --------------------------------------------------------


def test_a_cancelled_order_is_withdrawn_and_never_answered():
    """Cancelling a requested order drops its pending answers; the run leaves it cancelled."""
    donor = SimulatedDonor(seed=1, reject_rate=0.0, reschedule_rate=1.0)
    engine = engine_with(donor)
    kept, cancelled = place(engine, 2)
    assert cancelled in answers_of(donor)
    engine.cancel(cancelled)
    assert cancelled not in answers_of(donor)
    assert kept in answers_of(donor)
    given_answers = donor.answer(engine, START + dt.timedelta(days=60))
    assert {a.order_id for a in given_answers} == {kept}
    assert engine.get(cancelled).state is OrderState.CANCELLED
    assert donor.dropped == ()


def test_sending_an_order_again_replaces_its_pending_answers():
    """A revised and resubmitted order is answered anew, from its second receipt."""
    donor = SimulatedDonor(seed=6, reject_rate=0.0, reschedule_rate=1.0)
    engine = engine_with(donor)
    (order_id,) = place(engine)
    engine.donor_rejects(order_id, RejectionReason.ADDRESS_MISMATCH)  # by another hand
    engine.revise(order_id)
    second = zurich(2027, 1, 11, 9, 0)
    engine.advance(second)
    engine.submit(asap_request(), order_id=order_id)
    engine.approve(order_id)
    answers = answers_of(donor)[order_id]
    assert [a.kind for a in answers].count(AnswerKind.CONFIRM) == 1
    assert all(a.at >= second for a in answers)


def test_an_answer_made_impossible_by_someone_else_is_dropped_not_given():
    """A confirmation due for an order already confirmed by hand is reported as dropped."""
    donor = SimulatedDonor(seed=1, reject_rate=0.0, reschedule_rate=0.0)
    engine = engine_with(donor)
    by_hand, left_to_donor = place(engine, 2)
    engine.donor_confirms(by_hand)
    given_answers = donor.answer(engine, START + dt.timedelta(days=60))
    assert [a.order_id for a in given_answers] == [left_to_donor]
    assert [a.order_id for a in donor.dropped] == [by_hand]
    assert engine.get(by_hand).state is OrderState.COMPLETED
    assert [e.trigger for e in engine.get(by_hand).history].count(Trigger.CONFIRM) == 1


def test_due_lists_the_pending_answers_up_to_an_instant():
    """`due` is the part of `pending` due at or before the instant; answering empties it."""
    donor = SimulatedDonor(seed=2, reject_rate=0.3, reschedule_rate=0.5)
    engine = engine_with(donor)
    place(engine, 10)
    pending = donor.pending()
    assert [a.at for a in pending] == sorted(a.at for a in pending)
    middle = pending[len(pending) // 2].at
    assert donor.due(middle) == tuple(a for a in pending if a.at <= middle)
    given_answers = donor.answer(engine, middle)
    assert given_answers == donor_due_before(pending, middle)
    assert donor.pending() == tuple(a for a in pending if a.at > middle)
    with pytest.raises(InvalidInput) as raised:
        donor.due(dt.datetime(2027, 1, 1))  # noqa: DTZ001 - the naive instant under test
    assert raised.value.code is Code.TIME_NAIVE


def donor_due_before(pending: tuple[DonorAnswer, ...], until: dt.datetime):
    """Return the answers of ``pending`` due at or before ``until``."""
    return tuple(a for a in pending if a.at <= until)


# --- driving an engine end to end ---------------------------------------------------------


def test_driving_an_engine_brings_every_order_to_its_end_at_the_answers_instants():
    """Every approved order ends completed or rejected; each answer is given at its instant."""
    donor = SimulatedDonor(seed=13, reject_rate=0.3, reschedule_rate=0.4)
    engine = engine_with(donor)
    ids = place(engine, 30)
    planned = {a.order_id: a for a in donor.pending() if a.kind in FIRST_ANSWERS}
    until = START + dt.timedelta(days=60)
    given_answers = donor.answer(engine, until)
    assert donor.pending() == ()
    assert donor.dropped == ()
    assert engine.clock.now() == until
    kinds = collections.Counter(a.kind for a in given_answers)
    assert kinds[AnswerKind.CONFIRM] > 0
    assert kinds[AnswerKind.REJECT] > 0
    assert kinds[AnswerKind.RESCHEDULE] > 0
    for answer in given_answers:
        history = engine.get(answer.order_id).history
        assert any(
            e.trigger is TRIGGER_OF[answer.kind] and e.at == answer.at and e.actor == "donor"
            for e in history
        )
    last_move = {a.order_id: a for a in given_answers if a.port_at is not None}
    for order_id in ids:
        order = engine.get(order_id)
        if planned[order_id].kind is AnswerKind.REJECT:
            assert order.state is OrderState.REJECTED
            assert order.rejection is not None
            assert order.rejection.reason is planned[order_id].reason
        else:
            assert order.state is OrderState.COMPLETED
            assert order.port_at == last_move[order_id].port_at
            assert order.history[-1].at == order.port_at


def test_an_order_placed_by_a_wake_timer_during_the_run_is_answered_at_its_own_instant():
    """A deferral ending inside the run sends the order; its answer is not skipped over."""
    donor = SimulatedDonor(seed=5, reject_rate=0.0, reschedule_rate=0.0)
    engine = engine_with(donor)
    order_id = engine.submit(
        swiss_request(numbers=("0442000000",), timing=Timing.on(dt.date(2027, 3, 1)))
    ).id
    wake = zurich(2027, 2, 1, 8, 0)
    engine.approve(order_id, defer_until=wake)
    assert donor.pending() == ()
    given_answers = donor.answer(engine, zurich(2027, 6, 1, 0, 0))
    (answer,) = given_answers
    assert answer.kind is AnswerKind.CONFIRM
    # Monday 1 February 2027 plus two business days: Wednesday 3 February.
    assert answer.at.astimezone(ZURICH).date() == dt.date(2027, 2, 3)
    order = engine.get(order_id)
    assert order.state is OrderState.COMPLETED
    confirm = next(e for e in order.history if e.trigger is Trigger.CONFIRM)
    assert confirm.at == answer.at


def test_an_answer_withdrawn_while_time_moves_to_it_is_never_given():
    """A cancel made by a subscriber at the answer's instant withdraws the answer for good."""
    donor = SimulatedDonor(seed=5, reject_rate=0.0, reschedule_rate=0.0)
    engine = engine_with(donor)
    (answered,) = place(engine)
    due = first_answer(donor, answered).at
    deferred = engine.submit(asap_request(1)).id
    engine.approve(deferred, defer_until=due)

    def cancel_on_wake(order, event):
        if order.id == deferred and event.trigger is Trigger.WAKE:
            engine.cancel(answered)

    engine.subscribe(cancel_on_wake)
    given_answers = donor.answer(engine, START + dt.timedelta(days=30))
    assert [a.order_id for a in given_answers] == [deferred]
    assert donor.dropped == ()
    assert engine.get(answered).state is OrderState.CANCELLED
    assert engine.get(deferred).state is OrderState.COMPLETED


def test_the_run_ends_with_the_engine_at_the_until_instant_and_later_answers_pending():
    """Answers after ``until`` stay pending for the next run."""
    donor = SimulatedDonor(seed=7, reject_rate=0.0, reschedule_rate=0.0)
    engine = engine_with(donor)
    place(engine, 3)
    until = zurich(2027, 1, 5, 12, 0)
    assert donor.answer(engine, until) == ()
    assert engine.clock.now() == until
    assert len(donor.pending()) == 3
    assert len(donor.answer(engine, zurich(2027, 1, 7, 0, 0))) == 3


# --- arguments ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"seed": "7"}, "seed"),
        ({"seed": True}, "seed"),
        ({"answer_after_business_days": -1}, "answer_after_business_days"),
        ({"answer_after_business_days": 1.5}, "answer_after_business_days"),
        ({"working_hours": (dt.time(17), dt.time(8))}, "working_hours"),
        ({"working_hours": (dt.time(8), dt.time(8))}, "working_hours"),
        ({"working_hours": (dt.time(8, tzinfo=dt.UTC), dt.time(17))}, "working_hours"),
        ({"working_hours": (dt.time(8),)}, "working_hours"),
        ({"working_hours": "08:00-17:00"}, "working_hours"),
        ({"reject_rate": -0.1}, "reject_rate"),
        ({"reject_rate": 1.5}, "reject_rate"),
        ({"reject_rate": float("nan")}, "reject_rate"),
        ({"reject_rate": "0.1"}, "reject_rate"),
        ({"reschedule_rate": 2}, "reschedule_rate"),
        ({"reschedule_rate": True}, "reschedule_rate"),
        ({"reject_reasons": ()}, "reject_reasons"),
        ({"reject_reasons": ("no_such_reason",)}, "reject_reasons"),
        ({"reject_reasons": "not_portable"}, "reject_reasons"),
        ({"reschedule_by_business_days": 0}, "reschedule_by_business_days"),
        ({"reschedule_by_business_days": 2.0}, "reschedule_by_business_days"),
        ({"calendar": 41}, "calendar"),
    ],
)
def test_bad_arguments_are_refused_naming_the_argument(changes, field):
    """SPEC 11: an argument outside its domain raises ``argument.invalid`` naming it."""
    arguments = {"seed": 1} | changes
    with pytest.raises(InvalidInput) as raised:
        SimulatedDonor(**arguments)
    assert raised.value.code is Code.ARGUMENT_INVALID
    assert raised.value.field == field
    assert field in raised.value.message


def test_an_unknown_country_is_refused():
    """A country code the calendar does not know raises ``country.unknown``."""
    with pytest.raises(InvalidInput) as raised:
        SimulatedDonor(seed=1, calendar="XX")
    assert raised.value.code is Code.COUNTRY_UNKNOWN


def test_good_arguments_in_other_spellings_are_accepted():
    """Integer rates, reason strings, a calendar object and an earlier reschedule are fine."""
    donor = SimulatedDonor(
        seed=-3,
        calendar=CALENDAR,
        reject_rate=1,
        reschedule_rate=0,
        reject_reasons=["not_portable", RejectionReason.NOT_PORTABLE],
        reschedule_by_business_days=-2,
    )
    engine = engine_with(donor)
    place(engine, 3)
    assert {a.reason for a in donor.pending()} == {RejectionReason.NOT_PORTABLE}


def test_only_a_requested_order_can_be_sent():
    """The engine sends orders when they become requested; a submitted one is refused."""
    donor = SimulatedDonor(seed=1)
    engine = engine_with(donor)
    order = engine.submit(asap_request())
    with pytest.raises(InvalidInput) as raised:
        donor.send(order)
    assert raised.value.code is Code.ARGUMENT_INVALID
    assert donor.pending() == ()


def test_a_group_member_confirmed_after_the_agreed_instant_moves_the_group_with_it():
    """SPEC 1.3: a group executes together; the donor does not leave it split for ever.

    The first member is confirmed for Monday 11 January. The second, approved on
    Friday, takes that agreed instant, but the donor answers it only on Tuesday
    12 January: it confirms it at its own ASAP date and moves the first member
    there too, and the group executes then.
    """
    donor = SimulatedDonor(seed=1, reject_rate=0, reschedule_rate=0)
    engine = engine_with(donor)
    numbers = tuple(f"044 555 11 {n:02d}" for n in range(11))
    first, second = engine.submit_group(swiss_request(numbers=numbers, timing=Timing.asap()))
    engine.approve(first.id)
    donor.answer(engine, until=dt.datetime(2027, 1, 8, 8, 0, tzinfo=dt.UTC))
    engine.approve(second.id)
    donor.answer(engine, until=dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    members = engine.group(first.id)
    assert [m.state for m in members] == [OrderState.COMPLETED] * 2
    assert len({m.port_at for m in members}) == 1
    assert donor.pending() == ()


def test_a_reschedule_is_dropped_with_the_confirmation_it_was_decided_with():
    """The donor moves only a port it confirmed itself: the carrier confirmed it first."""
    donor = SimulatedDonor(seed=1, reject_rate=0, reschedule_rate=1, answer_after_business_days=3)
    engine = engine_with(donor)
    order_id = engine.submit(swiss_request(numbers=("044 555 11 22",))).id  # port 31 March
    engine.approve(order_id)
    assert {a.kind for a in donor.pending()} == {AnswerKind.CONFIRM, AnswerKind.RESCHEDULE}
    by_hand = dt.datetime(2027, 5, 5, 5, 0, tzinfo=dt.UTC)
    engine.donor_confirms(order_id, by_hand)
    assert donor.answer(engine, until=dt.datetime(2027, 2, 1, tzinfo=dt.UTC)) == ()
    assert [a.kind for a in donor.dropped] == [AnswerKind.CONFIRM, AnswerKind.RESCHEDULE]
    assert engine.get(order_id).port_at == by_hand
