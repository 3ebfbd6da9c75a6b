"""The engine's per-service rules: broadband takeover (SPEC 8) and IP telephony (SPEC 9).

Seed 000 (Phonera), ADSL: with the customer's power of attorney the new operator
looks up the binding left at the previous operator; more than 6 months left and
the order waits, 6 months or less and it is placed now but connected at the
binding end, with a letter either way; the modem ships, preconfigured, in good
time, and a letter gives the connection date. IP telephony: the equipment we
sent must be connected when the number moves.

Expected instants are worked out by hand from the 2027 calendar of the canton
of Zurich (the CH profile's decision): Good Friday 26 March, Easter Monday
29 March, Ascension 6 May, Whit Monday 17 May, 1 August (a Sunday), Christmas
25 and 26 December; daylight saving time from 28 March to 31 October. The port
time is the profile's default, 07:00 local, unless a request names another.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from portflow import (
    BroadbandRequest,
    BusinessCalendar,
    Channel,
    Code,
    ContractLookup,
    ContractLookupFailed,
    DonorContract,
    Engine,
    InvalidInput,
    ManualClock,
    MemoryNumberPool,
    MemoryOrderStore,
    Notification,
    NotificationKind,
    OrderState,
    PortOrder,
    PortRequest,
    RecordingDonorGateway,
    RecordingNotifier,
    RejectionReason,
    Service,
    Timer,
    TimerAction,
    Timing,
    Trigger,
    ValidationFailed,
    add_months,
    profile_for,
)
from tests_support import LINE, RESELLER, broadband, swiss_request

ZURICH = ZoneInfo("Europe/Zurich")
LINE_E164 = "+41441234567"
POSTAL = "Schmiedeisen AG, Werkstrasse 1, 8004 Zuerich"
"""Where Schmiedeisen AG's letters go (name, address, city)."""
BILLING = "rechnung@schmiedeisen.ch"
"""Where Schmiedeisen AG's e-mails go."""
APPROVED = dt.datetime(2027, 3, 2, 10, 0, tzinfo=ZURICH)
"""Tuesday 2 March 2027, 10:00 local: most approvals below happen then."""
HOUR = dt.timedelta(hours=1)
ONE_SECOND = dt.timedelta(seconds=1)

_S = OrderState
_K = NotificationKind


# --- helpers ----------------------------------------------------------------------------


def zurich(*parts: int) -> dt.datetime:
    """Return a wall-clock instant in Zurich."""
    return dt.datetime(*parts, tzinfo=ZURICH)


def day(text: str) -> dt.date:
    """Return the date of an ISO text."""
    return dt.date.fromisoformat(text)


def engine_at(now: dt.datetime = APPROVED, contracts: ContractLookup | None = None) -> Engine:
    """Return a Swiss engine in memory at ``now``, with a contract look-up of the test's."""
    return Engine(
        clock=ManualClock(now),
        store=MemoryOrderStore(),
        inventory=MemoryNumberPool.for_country("CH"),
        donor=RecordingDonorGateway(),
        notifier=RecordingNotifier(),
        contracts=contracts,
    )


def takeover(engine: Engine, request: BroadbandRequest, actor: str = "provider") -> PortOrder:
    """Submit the takeover and approve it now; return the order as saved."""
    order = engine.submit(request)
    return engine.approve(order.id, actor=actor)


def of_kind(engine: Engine, order_id: str, kind: NotificationKind) -> list[Notification]:
    """Return the order's notifications of one kind, in the order they were produced."""
    return [n for n in engine.notifications(order_id) if n.kind is kind]


def delivered(engine: Engine, kind: NotificationKind) -> list[Notification]:
    """Return the notifications of one kind the notifier was handed, in delivery order."""
    return [n for n in engine.notifier.delivered if n.kind is kind]


def assert_notice(
    notice: Notification,
    kind: NotificationKind,
    channel: Channel,
    recipient: str,
    due: dt.datetime,
    **params: str,
) -> None:
    """Check a notification's kind, route, due instant and the named parameters."""
    assert notice.kind is kind
    assert notice.channel is channel
    assert notice.recipient == recipient
    assert notice.due == due
    assert {name: notice.param_map.get(name) for name in params} == params


def only(engine: Engine, order_id: str, kind: NotificationKind) -> Notification:
    """Return the order's one notification of a kind."""
    notices = of_kind(engine, order_id, kind)
    assert len(notices) == 1, notices
    return notices[0]


def timers_of(order: PortOrder, action: TimerAction) -> list[Timer]:
    """Return the order's pending timers of one action."""
    return [t for t in order.timers if t.action is action]


def local_day(instant: dt.datetime) -> dt.date:
    """Return the Zurich date of an instant."""
    return instant.astimezone(ZURICH).date()


class ScriptedLookup:
    """A previous operator's contract look-up that answers from a script, and counts calls.

    Each call takes the next outcome: an exception is raised, anything else is
    the binding end returned; the last outcome repeats forever.
    """

    def __init__(self, *outcomes: dt.date | Exception | None) -> None:
        """Remember the outcomes, first call first."""
        self.outcomes = list(outcomes)
        self.calls: list[str] = []

    def binding_end(self, order: PortOrder) -> dt.date | None:
        """Answer the next outcome of the script for the order."""
        self.calls.append(order.id)
        outcome = self.outcomes[min(len(self.calls), len(self.outcomes)) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def unreachable() -> ContractLookupFailed:
    """Return the failure of a previous operator that does not answer."""
    return ContractLookupFailed("Swisscom did not answer within 30 s.")


def failing(times: int, then: dt.date | None = None) -> ScriptedLookup:
    """Return a look-up that fails ``times`` times, then answers ``then``."""
    return ScriptedLookup(*[unreachable()] * times, then)


# --- SPEC 8: the power of attorney ----------------------------------------------------------


def test_a_takeover_without_power_of_attorney_is_refused_with_every_violation():
    """SPEC 8, seed 000: no power of attorney, no look-up: ``binding.no_power_of_attorney``.

    SPEC 11: every violation is reported at once, here a missing reseller too,
    and nothing is stored.
    """
    engine = engine_at()
    request = broadband(day("2027-06-30"), power_of_attorney=False, reseller="")
    with pytest.raises(ValidationFailed) as failed:
        engine.submit(request)
    assert {Code.BINDING_NO_POWER_OF_ATTORNEY, Code.CUSTOMER_MISSING_FIELD} <= failed.value.codes
    fields = {v.code: v.field for v in failed.value.errors}
    assert fields[Code.BINDING_NO_POWER_OF_ATTORNEY] == "power_of_attorney"
    assert fields[Code.CUSTOMER_MISSING_FIELD] == "reseller"
    assert list(engine.orders()) == []


def test_a_takeover_with_power_of_attorney_is_submitted_without_temporary_numbers():
    """SPEC 7 and 8: a broadband line is submitted like any order; it needs no temporary number."""
    engine = engine_at()
    order = engine.submit(broadband(day("2027-06-30")))
    assert order.state is _S.SUBMITTED
    assert order.valid.request.service is Service.BROADBAND
    assert order.temporary_numbers == ()
    assert engine.donor.sent == []


# --- SPEC 8: the 6-month rule, decided at approval ---------------------------------------------


@pytest.mark.parametrize(
    ("now", "port_at"),
    [
        pytest.param(APPROVED, zurich(2027, 3, 9, 7, 0), id="tuesday"),
        # 00:30 local on 2 March is still 1 March in UTC: the local day counts.
        pytest.param(zurich(2027, 3, 2, 0, 30), zurich(2027, 3, 9, 7, 0), id="local-day"),
        pytest.param(zurich(2027, 3, 2, 23, 30), zurich(2027, 3, 9, 7, 0), id="late-evening"),
        # Good Friday: 30, 31 March, 1, 2 and 5 April (Easter Monday is skipped).
        pytest.param(zurich(2027, 3, 26, 10, 0), zurich(2027, 4, 5, 7, 0), id="easter"),
    ],
)
def test_without_binding_the_takeover_is_placed_now_for_the_earliest_feasible_date(now, port_at):
    """SPEC 8: no binding → placed now, executed at the earliest feasible date.

    SPEC 3.2: 5 business days after the approval's local day, at 07:00 local.
    No binding letter goes out.
    """
    engine = engine_at(now)
    order = takeover(engine, broadband(None))
    assert order.state is _S.REQUESTED
    assert order.port_at == port_at
    assert engine.donor.sent == [order.id]
    assert timers_of(order, TimerAction.WAKE) == []
    assert of_kind(engine, order.id, _K.PORT_DEFERRED) == []
    assert of_kind(engine, order.id, _K.PORT_ORDERED_PENDING_BINDING) == []
    assert order.history[-1].trigger is Trigger.APPROVE
    assert order.history[-1].at == now


@pytest.mark.parametrize(
    ("binding_end", "port_at"),
    [
        pytest.param("2027-09-02", zurich(2027, 9, 2, 7, 0), id="exactly-six-months"),
        pytest.param("2027-06-15", zurich(2027, 6, 15, 7, 0), id="three-months"),
        # 1 August 2027 is a Sunday and the national day: the Monday after.
        pytest.param("2027-08-01", zurich(2027, 8, 2, 7, 0), id="sunday"),
        # Whit Monday 17 May 2027: the Tuesday after.
        pytest.param("2027-05-17", zurich(2027, 5, 18, 7, 0), id="whit-monday"),
        # Ends before the earliest feasible date (9 March): connected at that date.
        pytest.param("2027-03-05", zurich(2027, 3, 9, 7, 0), id="before-earliest"),
        # Ends today: still bound today, so the letter goes out; connected at the earliest date.
        pytest.param("2027-03-02", zurich(2027, 3, 9, 7, 0), id="ends-today"),
    ],
)
def test_a_binding_ending_within_six_months_is_placed_now_and_connects_at_its_end(
    binding_end, port_at
):
    """SPEC 8, seed 000: 6 months or less (exactly 6 included) → placed now, executed at the end.

    Seed 000: not before the binding is over, so on the business day on or
    after the binding end (decision), and never before the earliest feasible
    date (SPEC 3.2). The customer gets the ``port.ordered_pending_binding``
    letter, due at approval.
    """
    engine = engine_at()
    order = takeover(engine, broadband(day(binding_end)), actor="backoffice")
    assert order.state is _S.REQUESTED
    assert order.port_at == port_at
    assert engine.donor.sent == [order.id]
    assert timers_of(order, TimerAction.WAKE) == []
    assert (order.history[-1].trigger, order.history[-1].actor) == (Trigger.APPROVE, "backoffice")
    letter = only(engine, order.id, _K.PORT_ORDERED_PENDING_BINDING)
    assert_notice(
        letter,
        _K.PORT_ORDERED_PENDING_BINDING,
        Channel.LETTER,
        POSTAL,
        APPROVED,
        binding_end=binding_end,
        order_id=order.id,
    )
    assert of_kind(engine, order.id, _K.PORT_DEFERRED) == []


def test_a_binding_ending_one_day_after_six_months_defers_the_order():
    """SPEC 8, seed 000: more than 6 months → deferred until binding end - 6 months.

    Approved 2 March 2027, bound until 3 September: the order waits until
    3 March 00:00 local, planned for the binding end; nothing goes to the donor
    yet, and the customer gets the ``port.deferred`` letter, due at approval.
    """
    engine = engine_at()
    order = takeover(engine, broadband(day("2027-09-03")))
    assert order.state is _S.DEFERRED
    assert order.history[-1].trigger is Trigger.DEFER
    assert order.port_at == zurich(2027, 9, 3, 7, 0)
    assert timers_of(order, TimerAction.WAKE) == [Timer(zurich(2027, 3, 3, 0, 0), TimerAction.WAKE)]
    assert engine.donor.sent == []
    letter = only(engine, order.id, _K.PORT_DEFERRED)
    assert_notice(
        letter,
        _K.PORT_DEFERRED,
        Channel.LETTER,
        POSTAL,
        APPROVED,
        binding_end="2027-09-03",
        wake_date="2027-03-03",
        order_id=order.id,
    )
    assert of_kind(engine, order.id, _K.PORT_ORDERED_PENDING_BINDING) == []


def test_a_threshold_shorter_than_the_lead_time_connects_after_the_lead_time():
    """SPEC 8, decision: the donor gets the deferred order at the wake, and its lead time.

    A profile waiting until one month before the binding end, with a donor that
    needs 19 business days: the order bound until Sunday 7 May 2028 wakes on
    7 April, and connects 19 business days later (Easter and 1 May in between),
    on 9 May, not on Monday 8 May, and is never refused for it.
    """
    profile = attrs.evolve(
        profile_for("CH"), binding_threshold_months=1, asap_lead_business_days=19
    )
    engine = engine_at(zurich(2028, 3, 1, 9, 0))
    order = takeover(engine, broadband(day("2028-05-07"), country=profile))
    assert order.state is _S.DEFERRED
    assert timers_of(order, TimerAction.WAKE) == [Timer(zurich(2028, 4, 7, 0, 0), TimerAction.WAKE)]
    assert order.port_at == zurich(2028, 5, 9, 7, 0)
    engine.advance(zurich(2028, 4, 7, 0, 0))
    assert engine.donor_confirms(order.id).state is _S.SCHEDULED


WAKE = zurich(2027, 3, 3, 0, 0)
"""Where the order bound until 3 September 2027 and approved on 2 March wakes."""


@pytest.mark.parametrize(
    "to",
    [
        pytest.param(WAKE, id="exactly"),
        pytest.param(WAKE + ONE_SECOND, id="just-after"),
        pytest.param(zurich(2027, 7, 1, 12, 0), id="months-later"),
    ],
)
def test_a_deferred_takeover_is_placed_with_the_donor_at_its_wake_instant(to):
    """SPEC 6 and 8: the wake timer places the deferred order (deferred → requested).

    The history records the wake at the wake instant itself, however far one
    advance jumps past it, and only then does the donor get the order.
    """
    engine = engine_at()
    order = takeover(engine, broadband(day("2027-09-03")))
    engine.advance(WAKE - ONE_SECOND)
    assert engine.get(order.id).state is _S.DEFERRED
    assert engine.donor.sent == []

    fired = engine.advance(to)

    woken = engine.get(order.id)
    assert woken.state is _S.REQUESTED
    assert engine.donor.sent == [order.id]
    wake = woken.history[-1]
    assert (wake.trigger, wake.source, wake.dest, wake.at) == (
        Trigger.WAKE,
        _S.DEFERRED,
        _S.REQUESTED,
        WAKE,
    )
    assert [f.at for f in fired if f.action is TimerAction.WAKE] == [WAKE]
    assert timers_of(woken, TimerAction.WAKE) == []
    assert woken.port_at == zurich(2027, 9, 3, 7, 0)


@pytest.mark.parametrize(
    ("checked", "binding_end", "port_day"),
    [
        # 28 Feb + 6 months = 28 Aug, so 29-31 Aug are more than 6 months away; but
        # binding end - 6 months clamps to 28 Feb = today: placed now (decision).
        pytest.param("2027-02-28", "2027-08-31", "2027-08-31", id="31-aug-on-28-feb"),
        pytest.param("2027-02-28", "2027-08-30", "2027-08-30", id="30-aug-on-28-feb"),
        pytest.param("2027-02-28", "2027-08-29", "2027-08-30", id="29-aug-on-28-feb"),
        pytest.param("2027-02-28", "2027-08-28", "2027-08-30", id="exactly-28-aug"),
        # Leap year: 29 Feb + 6 months = 29 Aug; 31 Aug - 6 months = 29 Feb = today.
        pytest.param("2028-02-29", "2028-08-31", "2028-08-31", id="leap-31-aug"),
        pytest.param("2028-02-29", "2028-08-30", "2028-08-30", id="leap-30-aug"),
        pytest.param("2028-02-29", "2028-08-29", "2028-08-29", id="leap-exactly-29-aug"),
    ],
)
def test_month_end_bindings_whose_wake_day_is_today_are_placed_now(checked, binding_end, port_day):
    """SPEC 2 and 8: month-end clamping; a wake day of today places the order now (decision).

    A binding ending 31 August checked on 28 February is more than 6 months
    away, but the order would wake today: it is placed now, with the
    ``port.ordered_pending_binding`` letter, on the business day on or after
    the binding end (29 and 28 August 2027 fall on a weekend).
    """
    now = dt.datetime.combine(day(checked), dt.time(10, 0), ZURICH)
    engine = engine_at(now)
    order = takeover(engine, broadband(day(binding_end)))
    assert order.state is _S.REQUESTED
    assert local_day(order.port_at) == day(port_day)
    assert order.port_at == dt.datetime.combine(day(port_day), dt.time(7, 0), ZURICH)
    assert engine.donor.sent == [order.id]
    letter = only(engine, order.id, _K.PORT_ORDERED_PENDING_BINDING)
    assert_notice(
        letter,
        _K.PORT_ORDERED_PENDING_BINDING,
        Channel.LETTER,
        POSTAL,
        now,
        binding_end=binding_end,
    )
    assert of_kind(engine, order.id, _K.PORT_DEFERRED) == []


@pytest.mark.parametrize(
    ("checked", "binding_end", "wake_day"),
    [
        pytest.param("2027-02-27", "2027-08-31", "2027-02-28", id="31-aug-on-27-feb"),
        pytest.param("2027-02-27", "2027-08-28", "2027-02-28", id="28-aug-on-27-feb"),
        pytest.param("2028-02-28", "2028-08-31", "2028-02-29", id="leap-31-aug-on-28-feb"),
        pytest.param("2028-02-28", "2028-08-29", "2028-02-29", id="leap-29-aug-on-28-feb"),
    ],
)
def test_month_end_bindings_whose_wake_day_is_later_are_deferred(checked, binding_end, wake_day):
    """SPEC 2 and 8: checked a day earlier, the same bindings defer the order to the month end.

    The wake instant is 00:00 local on binding end - 6 months (clamped), and the
    ``port.deferred`` letter names that day.
    """
    now = dt.datetime.combine(day(checked), dt.time(10, 0), ZURICH)
    engine = engine_at(now)
    order = takeover(engine, broadband(day(binding_end)))
    assert order.state is _S.DEFERRED
    wake_at = dt.datetime.combine(day(wake_day), dt.time(0, 0), ZURICH)
    assert timers_of(order, TimerAction.WAKE) == [Timer(wake_at, TimerAction.WAKE)]
    letter = only(engine, order.id, _K.PORT_DEFERRED)
    assert_notice(
        letter,
        _K.PORT_DEFERRED,
        Channel.LETTER,
        POSTAL,
        now,
        binding_end=binding_end,
        wake_date=wake_day,
    )
    engine.advance(wake_at)
    assert engine.get(order.id).state is _S.REQUESTED
    assert engine.donor.sent == [order.id]


MONTH_ENDS = [
    dt.date(2027, 2, 27),
    dt.date(2027, 2, 28),
    dt.date(2027, 8, 31),
    dt.date(2028, 2, 28),
    dt.date(2028, 2, 29),
    dt.date(2028, 3, 31),
    dt.date(2029, 2, 28),
]
"""Approval days where 6-month arithmetic clamps; drawn more often than chance would."""

approval_days = st.one_of(
    st.dates(dt.date(2027, 1, 1), dt.date(2029, 12, 31)), st.sampled_from(MONTH_ENDS)
)


@st.composite
def binding_ends(draw: st.DrawFn, today: dt.date) -> dt.date:
    """Draw a binding end within 2 years of ``today``, often close to the 6-month mark."""
    anywhere = today + dt.timedelta(days=draw(st.integers(-730, 730)))
    near_threshold = add_months(today, 6) + dt.timedelta(days=draw(st.integers(-4, 4)))
    return draw(st.sampled_from([anywhere, near_threshold]))


@given(data=st.data(), today=approval_days, hour=st.integers(0, 23))
def test_the_six_month_rule_holds_for_any_approval_day_and_binding_end(data, today, hour):
    """SPEC 8 as a property: deferred exactly when binding end - 6 months is still to come.

    The order waits iff the binding ends more than 6 months after the local
    approval day and binding end - 6 months (clamped) is after that day, and
    then wakes at 00:00 local on that day. Either way the port is planned on a
    business day at 07:00 local: the first on or after the binding end, but
    never before the earliest feasible date (SPEC 3.2). A binding that ended
    before the approval day is no binding: no letter.
    """
    binding_end = data.draw(binding_ends(today), label="binding_end")
    now = dt.datetime.combine(today, dt.time(hour, 30), ZURICH)
    engine = engine_at(now)
    order = takeover(engine, broadband(binding_end))
    calendar = BusinessCalendar.for_country("CH")
    earliest = calendar.add_business_days(today, 5)
    wake_day = add_months(binding_end, -6)
    waits = binding_end > add_months(today, 6) and wake_day > today
    event("deferred" if waits else "placed now")
    assert order.state is (_S.DEFERRED if waits else _S.REQUESTED)
    assert engine.donor.sent == ([] if waits else [order.id])
    port_day = local_day(order.port_at)
    assert calendar.is_business_day(port_day)
    assert order.port_at.astimezone(ZURICH).time() == dt.time(7, 0)
    bound = binding_end >= today
    assert port_day == (max(calendar.on_or_after(binding_end), earliest) if bound else earliest)
    letters = {n.kind for n in engine.notifications(order.id)} & {
        _K.PORT_DEFERRED,
        _K.PORT_ORDERED_PENDING_BINDING,
    }
    if not bound:
        assert letters == set()
    elif waits:
        wake_at = dt.datetime.combine(wake_day, dt.time(0, 0), ZURICH)
        assert timers_of(order, TimerAction.WAKE) == [Timer(wake_at, TimerAction.WAKE)]
        assert letters == {_K.PORT_DEFERRED}
        engine.advance(wake_at)
        woken = engine.get(order.id)
        assert (woken.state, woken.history[-1].at) == (_S.REQUESTED, wake_at)
        assert engine.donor.sent == [order.id]
    else:
        assert timers_of(order, TimerAction.WAKE) == []
        assert letters == {_K.PORT_ORDERED_PENDING_BINDING}


def test_a_binding_that_ended_before_the_approval_is_no_binding():
    """SPEC 8: a binding ended yesterday leaves none: placed now, no binding letter."""
    engine = engine_at()
    order = takeover(engine, broadband(day("2027-03-01")))
    assert order.state is _S.REQUESTED
    assert order.port_at == zurich(2027, 3, 9, 7, 0)
    assert of_kind(engine, order.id, _K.PORT_ORDERED_PENDING_BINDING) == []
    assert of_kind(engine, order.id, _K.PORT_DEFERRED) == []


# --- SPEC 8 and 9: the modem and the connection-date letter -----------------------------------


@pytest.mark.parametrize(
    ("binding_end", "port_at", "modem_due"),
    [
        # Thursday 2 September: 1 Sep, 31, 30, 27 and 26 August.
        pytest.param("2027-09-02", zurich(2027, 9, 2, 7, 0), zurich(2027, 8, 26, 7, 0), id="sep"),
        # Wednesday 31 March, after Easter: 30, (29, 26 holidays) 25, 24, 23 and 22 March,
        # still in winter time while the port is in summer time, both at 07:00 local.
        pytest.param(
            "2027-03-31", zurich(2027, 3, 31, 7, 0), zurich(2027, 3, 22, 7, 0), id="easter"
        ),
    ],
)
def test_confirmation_sends_the_connection_date_and_ships_the_modem_in_good_time(
    binding_end, port_at, modem_due
):
    """SPEC 8 and 9, seed 000: a letter with the connection date when the date is fixed.

    The modem ships 5 business days (decision) before the connection, at the
    port's local time of day; ``modem.shipped`` goes to the customer then.
    """
    engine = engine_at()
    order = takeover(engine, broadband(day(binding_end)))
    confirmed_at = zurich(2027, 3, 4, 15, 0)
    engine.advance(confirmed_at)
    scheduled = engine.donor_confirms(order.id)
    assert scheduled.state is _S.SCHEDULED
    assert scheduled.port_at == port_at

    letter = only(engine, order.id, _K.CONNECTION_DATE)
    assert_notice(
        letter,
        _K.CONNECTION_DATE,
        Channel.LETTER,
        POSTAL,
        confirmed_at,
        connection_date=binding_end,
        order_id=order.id,
    )
    modem = only(engine, order.id, _K.MODEM_SHIPPED)
    assert_notice(
        modem,
        _K.MODEM_SHIPPED,
        Channel.EMAIL,
        BILLING,
        modem_due,
        connection_date=binding_end,
        order_id=order.id,
    )
    engine.advance(modem_due - ONE_SECOND)
    assert delivered(engine, _K.MODEM_SHIPPED) == []
    engine.advance(modem_due)
    assert delivered(engine, _K.MODEM_SHIPPED) == [modem]


def test_a_modem_that_should_have_shipped_already_ships_at_confirmation():
    """SPEC 8: a connection less than 5 business days after confirmation ships the modem at once.

    No binding, approved Tuesday 2 March: connected Tuesday 9 March 07:00. The
    donor confirms on Friday 5 March, after the 5-day mark (2 March 07:00).
    """
    engine = engine_at()
    order = takeover(engine, broadband(None))
    confirmed_at = zurich(2027, 3, 5, 9, 0)
    engine.advance(confirmed_at)
    engine.donor_confirms(order.id)
    modem = only(engine, order.id, _K.MODEM_SHIPPED)
    assert_notice(
        modem, _K.MODEM_SHIPPED, Channel.EMAIL, BILLING, confirmed_at, connection_date="2027-03-09"
    )
    letter = only(engine, order.id, _K.CONNECTION_DATE)
    assert_notice(
        letter,
        _K.CONNECTION_DATE,
        Channel.LETTER,
        POSTAL,
        confirmed_at,
        connection_date="2027-03-09",
    )


def test_a_rescheduled_connection_replaces_the_pending_modem_notice():
    """SPEC 6, 8 and 9: a moved port moves the modem shipping and announces the new date.

    The pending ``modem.shipped`` of the old date is withdrawn (neither listed
    nor ever delivered); one for the new date takes its place, and a new
    ``connection.date`` letter gives the new date.
    """
    engine = engine_at()
    order = takeover(engine, broadband(day("2027-09-02")))
    engine.donor_confirms(order.id)
    old_modem = only(engine, order.id, _K.MODEM_SHIPPED)
    assert old_modem.due == zurich(2027, 8, 26, 7, 0)

    moved_at = zurich(2027, 3, 8, 11, 0)
    engine.advance(moved_at)
    moved = engine.reschedule(order.id, zurich(2027, 9, 9, 7, 0))
    assert moved.port_at == zurich(2027, 9, 9, 7, 0)

    assert old_modem.key not in {n.key for n in engine.notifications(order.id)}
    assert old_modem.key not in moved.pending_keys
    new_modem = only(engine, order.id, _K.MODEM_SHIPPED)
    assert_notice(
        new_modem,
        _K.MODEM_SHIPPED,
        Channel.EMAIL,
        BILLING,
        zurich(2027, 9, 2, 7, 0),
        connection_date="2027-09-09",
    )
    letters = of_kind(engine, order.id, _K.CONNECTION_DATE)
    assert [n.param_map["connection_date"] for n in letters] == ["2027-09-02", "2027-09-09"]
    assert_notice(
        letters[-1],
        _K.CONNECTION_DATE,
        Channel.LETTER,
        POSTAL,
        moved_at,
        connection_date="2027-09-09",
    )

    engine.advance(zurich(2027, 9, 1, 12, 0))
    assert delivered(engine, _K.MODEM_SHIPPED) == []
    engine.advance(zurich(2027, 9, 2, 7, 0))
    assert [n.key for n in delivered(engine, _K.MODEM_SHIPPED)] == [new_modem.key]


def test_a_connection_moved_after_the_modem_shipped_does_not_ship_it_again():
    """Seed 000: one preconfigured modem; a later reschedule only announces the new date."""
    engine = engine_at()
    order = takeover(engine, broadband(day("2027-06-15")))
    engine.donor_confirms(order.id)
    modem = only(engine, order.id, _K.MODEM_SHIPPED)
    engine.advance(modem.due)
    assert delivered(engine, _K.MODEM_SHIPPED) == [modem]

    moved = engine.reschedule(order.id, zurich(2027, 6, 22, 7, 0))

    assert of_kind(engine, order.id, _K.MODEM_SHIPPED) == [modem]
    letters = of_kind(engine, order.id, _K.CONNECTION_DATE)
    assert [n.param_map["connection_date"] for n in letters] == ["2027-06-15", "2027-06-22"]
    engine.advance(moved.port_at)
    assert delivered(engine, _K.MODEM_SHIPPED) == [modem]


def test_a_takeover_approved_again_at_one_instant_writes_its_letter_again():
    """SPEC 8 and 9, seed 000: a revised takeover approved anew gets a new letter, at any instant.

    The clock does not move between the rejected round and the second one.
    """
    engine = engine_at()
    order = takeover(engine, broadband(dt.date(2027, 6, 30)))
    engine.advance()
    engine.donor_rejects(order.id, RejectionReason.ADDRESS_MISMATCH)
    engine.revise(order.id)
    engine.submit(broadband(dt.date(2027, 6, 30)), order_id=order.id)
    engine.approve(order.id)
    engine.advance()
    letters = delivered(engine, NotificationKind.PORT_ORDERED_PENDING_BINDING)
    assert len(letters) == 2
    assert len({n.key for n in letters}) == 2


def test_a_takeover_moves_exactly_one_line():
    """SPEC 8: a broadband request names one line; a block or several numbers are refused."""
    engine = engine_at()
    for numbers in (("044 555 66 7x",), ("044 555 66 70", "044 555 66 71")):
        request = attrs.evolve(broadband(None).as_port_request(), numbers=numbers)
        with pytest.raises(ValidationFailed) as failed:
            engine.submit(request)
        assert [(v.code, v.field) for v in failed.value.errors] == [
            (Code.ARGUMENT_INVALID, "numbers")
        ]
    assert list(engine.orders()) == []


# --- SPEC 8: the look-up fails, and is tried again ---------------------------------------------


def test_a_failed_lookup_leaves_the_order_submitted_and_retries_it_an_hour_later():
    """SPEC 8 and 10: a look-up that cannot answer is tried again; the binding is never guessed.

    The order stays submitted with its history untouched and one LOOKUP timer
    an hour on (the profile's ``lookup_retry``); when the look-up answers, the
    order is approved in the name of who approved it.
    """
    lookup = failing(2, then=day("2027-06-15"))
    engine = engine_at(contracts=lookup)
    submitted = engine.submit(broadband(day("2027-06-15")))

    waiting = engine.approve(submitted.id, actor="backoffice")

    assert waiting.state is _S.SUBMITTED
    assert waiting.history == submitted.history
    assert engine.get(submitted.id) == waiting
    assert timers_of(waiting, TimerAction.LOOKUP) == [
        Timer(APPROVED + HOUR, TimerAction.LOOKUP, "backoffice")
    ]
    assert engine.donor.sent == []
    assert of_kind(engine, submitted.id, _K.ADVICE_REVIEW_DONOR_SERVICES) == []
    assert of_kind(engine, submitted.id, _K.PORT_ORDERED_PENDING_BINDING) == []

    engine.advance(APPROVED + HOUR)
    retried = engine.get(submitted.id)
    assert retried.state is _S.SUBMITTED
    assert retried.history == submitted.history
    assert timers_of(retried, TimerAction.LOOKUP) == [
        Timer(APPROVED + 2 * HOUR, TimerAction.LOOKUP, "backoffice")
    ]

    engine.advance(APPROVED + 2 * HOUR)
    approved = engine.get(submitted.id)
    assert lookup.calls == [submitted.id] * 3
    assert approved.state is _S.REQUESTED
    event = approved.history[-1]
    assert (event.trigger, event.actor, event.at) == (
        Trigger.APPROVE,
        "backoffice",
        APPROVED + 2 * HOUR,
    )
    assert len(approved.history) == len(submitted.history) + 1
    assert timers_of(approved, TimerAction.LOOKUP) == []
    assert approved.port_at == zurich(2027, 6, 15, 7, 0)
    assert engine.donor.sent == [submitted.id]
    letter = only(engine, submitted.id, _K.PORT_ORDERED_PENDING_BINDING)
    assert_notice(
        letter,
        _K.PORT_ORDERED_PENDING_BINDING,
        Channel.LETTER,
        POSTAL,
        APPROVED + 2 * HOUR,
        binding_end="2027-06-15",
    )


def test_a_lookup_answered_later_defers_in_the_approvers_name():
    """SPEC 8: the retried look-up applies the 6-month rule on the day it answers."""
    lookup = failing(1, then=day("2027-12-31"))
    engine = engine_at(contracts=lookup)
    order = takeover(engine, broadband(day("2027-12-31")), actor="backoffice")
    assert order.state is _S.SUBMITTED
    engine.advance(APPROVED + HOUR)
    deferred = engine.get(order.id)
    assert deferred.state is _S.DEFERRED
    assert (deferred.history[-1].trigger, deferred.history[-1].actor) == (
        Trigger.DEFER,
        "backoffice",
    )
    assert timers_of(deferred, TimerAction.WAKE) == [
        Timer(zurich(2027, 6, 30, 0, 0), TimerAction.WAKE)
    ]
    assert timers_of(deferred, TimerAction.LOOKUP) == []
    assert engine.donor.sent == []


def test_repeated_failures_keep_exactly_one_lookup_timer():
    """SPEC 6 and 8: nothing is lost and nothing doubles while the look-up keeps failing.

    Hour after hour, and in one advance over ten hours, the order keeps exactly
    one LOOKUP timer, an hour after the last attempt, and stays submitted.
    """
    lookup = ScriptedLookup(unreachable())  # never answers
    engine = engine_at(contracts=lookup)
    order = takeover(engine, broadband(day("2027-06-15")))
    for hours in range(1, 6):
        engine.advance(APPROVED + hours * HOUR)
        now = engine.get(order.id)
        assert now.state is _S.SUBMITTED
        assert timers_of(now, TimerAction.LOOKUP) == [
            Timer(APPROVED + (hours + 1) * HOUR, TimerAction.LOOKUP, "provider")
        ]
    fired = engine.advance(APPROVED + 15 * HOUR + ONE_SECOND)
    assert [f.at for f in fired if f.action is TimerAction.LOOKUP] == [
        APPROVED + hours * HOUR for hours in range(6, 16)
    ]
    later = engine.get(order.id)
    assert later.state is _S.SUBMITTED
    assert timers_of(later, TimerAction.LOOKUP) == [
        Timer(APPROVED + 16 * HOUR, TimerAction.LOOKUP, "provider")
    ]
    assert len(lookup.calls) == 16
    assert engine.donor.sent == []


def test_an_unknown_declared_binding_is_retried_for_a_day_then_the_reseller_is_asked():
    """SPEC 8 and 10: the in-memory look-up answers from the declared contract, or not at all.

    A contract whose binding nobody knows cannot be answered from the
    declaration: the order stays submitted and the look-up is retried hourly.
    After a day of failures (``lookup_patience``, decision) the engine stops
    retrying and asks the reseller; once answered, the order is approved anew.
    """
    engine = Engine.in_memory("CH", now=APPROVED)
    order = takeover(engine, broadband(contract=DonorContract.unknown()))
    assert order.state is _S.SUBMITTED
    assert order.lookup_failing_since == APPROVED
    assert timers_of(order, TimerAction.LOOKUP) == [
        Timer(APPROVED + HOUR, TimerAction.LOOKUP, "provider")
    ]
    engine.advance(APPROVED + 23 * HOUR)
    waiting = engine.get(order.id)
    assert waiting.state is _S.SUBMITTED
    assert waiting.lookup_failing_since == APPROVED
    assert timers_of(waiting, TimerAction.LOOKUP) == [
        Timer(APPROVED + 24 * HOUR, TimerAction.LOOKUP, "provider")
    ]

    fired = engine.advance(APPROVED + dt.timedelta(days=3))

    asked = engine.get(order.id)
    assert [f.at for f in fired if f.action is TimerAction.LOOKUP] == [APPROVED + 24 * HOUR]
    assert asked.state is _S.CLARIFICATION
    event = asked.history[-1]
    assert (event.trigger, event.actor, event.at) == (Trigger.ASK, "engine", APPROVED + 24 * HOUR)
    assert "since 2027-03-02 10:00 (Europe/Zurich)" in dict(event.details)["question"]
    assert timers_of(asked, TimerAction.LOOKUP) == []
    assert asked.lookup_failing_since is None
    question = only(engine, order.id, _K.CLARIFICATION_REQUESTED)
    assert (question.recipient, question.due) == (RESELLER, APPROVED + 24 * HOUR)
    assert engine.donor.sent == []

    engine.answer(order.id, "Die Bindung endet am 30. Juni 2027.")
    again = engine.approve(order.id)
    assert again.state is _S.SUBMITTED
    assert again.lookup_failing_since == APPROVED + dt.timedelta(days=3)


def test_cancelling_while_a_lookup_is_pending_removes_the_retry():
    """SPEC 6: cancel stops the order; the pending look-up is never tried again."""
    lookup = ScriptedLookup(unreachable())  # never answers
    engine = engine_at(contracts=lookup)
    order = takeover(engine, broadband(day("2027-06-15")))
    cancelled = engine.cancel(order.id)
    assert cancelled.state is _S.CANCELLED
    assert timers_of(cancelled, TimerAction.LOOKUP) == []
    assert cancelled.lookup_failing_since is None
    fired = engine.advance(APPROVED + dt.timedelta(days=2))
    assert [f for f in fired if f.action is TimerAction.LOOKUP] == []
    assert lookup.calls == [order.id]
    assert engine.get(order.id).state is _S.CANCELLED
    assert engine.donor.sent == []
    assert engine.donor.withdrawn == []


def test_a_question_asked_while_the_lookup_is_pending_lets_the_retry_lapse():
    """SPEC 6: an order in clarification is not approved by a stale look-up; approve it anew."""
    lookup = failing(1, then=None)
    engine = engine_at(contracts=lookup)
    order = takeover(engine, broadband(None))
    asked_now = engine.ask(order.id, "Welcher Anschluss genau?")
    assert timers_of(asked_now, TimerAction.LOOKUP) == []
    assert asked_now.lookup_failing_since is None
    engine.advance(APPROVED + 2 * HOUR)
    asked = engine.get(order.id)
    assert asked.state is _S.CLARIFICATION
    assert timers_of(asked, TimerAction.LOOKUP) == []
    assert lookup.calls == [order.id]
    engine.answer(order.id, "Der Anschluss 044 123 45 67.")
    assert engine.approve(order.id).state is _S.REQUESTED


def test_a_lookup_that_breaks_otherwise_propagates_from_approve_and_changes_nothing():
    """SPEC 10 and 12: only `ContractLookupFailed` means "try later"; other errors propagate.

    A command that raises has changed nothing: no retry timer, no history, no donor.
    """
    engine = engine_at(contracts=ScriptedLookup(RuntimeError("look-up adapter broken")))
    order = engine.submit(broadband(day("2027-06-15")))
    with pytest.raises(RuntimeError, match="broken"):
        engine.approve(order.id)
    assert engine.get(order.id) == order
    assert engine.donor.sent == []


def test_a_retried_lookup_that_breaks_otherwise_propagates_and_keeps_the_retry():
    """SPEC 6 and 10: a timer whose look-up breaks leaves the stored order as it was.

    The error reaches the caller of `Engine.advance`; the LOOKUP timer stays,
    so the next advance tries again.
    """
    lookup = ScriptedLookup(unreachable(), RuntimeError("look-up adapter broken"), None)
    engine = engine_at(contracts=lookup)
    waiting = takeover(engine, broadband(None))
    assert timers_of(waiting, TimerAction.LOOKUP) == [
        Timer(APPROVED + HOUR, TimerAction.LOOKUP, "provider")
    ]
    with pytest.raises(RuntimeError, match="broken"):
        engine.advance(APPROVED + HOUR)
    assert engine.get(waiting.id) == waiting
    assert engine.donor.sent == []
    engine.advance(APPROVED + HOUR)
    assert engine.get(waiting.id).state is _S.REQUESTED
    assert lookup.calls == [waiting.id] * 3


# --- SPEC 9, seed 000: IP telephony ------------------------------------------------------------


def ip_telephony(**changes) -> PortRequest:
    """Return Schmiedeisen AG's request to move one number to IP telephony."""
    return swiss_request(service=Service.IP_TELEPHONY, numbers=(LINE,), **changes)


def fixed(on: str, at: dt.time) -> dict[str, object]:
    """Return the request fields of a port on a fixed day and time, without binding."""
    return {"timing": Timing.on(day(on), at=at), "contract": DonorContract()}


@pytest.mark.parametrize(
    ("start", "changes", "port_at", "reminder_due"),
    [
        # The contract end, Wednesday 31 March 2027 06:00: 30 March, then Easter
        # Monday and Good Friday are skipped, so Thursday 25 March 06:00 (winter time).
        pytest.param(
            zurich(2027, 3, 1, 9, 0),
            {},
            zurich(2027, 3, 31, 6, 0),
            zurich(2027, 3, 25, 6, 0),
            id="easter",
        ),
        # Monday 10 May: Friday 7, (Ascension Thursday 6), Wednesday 5 May.
        pytest.param(
            zurich(2027, 4, 1, 9, 0),
            fixed("2027-05-10", dt.time(9, 30)),
            zurich(2027, 5, 10, 9, 30),
            zurich(2027, 5, 5, 9, 30),
            id="ascension",
        ),
        # Wednesday 19 May: Tuesday 18, (Whit Monday 17), Friday 14 May.
        pytest.param(
            zurich(2027, 4, 1, 9, 0),
            fixed("2027-05-19", dt.time(7, 0)),
            zurich(2027, 5, 19, 7, 0),
            zurich(2027, 5, 14, 7, 0),
            id="whit-monday",
        ),
        # Wednesday 27 December 2028: Friday 22, (25 and 26 holidays), Thursday 21.
        pytest.param(
            zurich(2028, 12, 1, 9, 0),
            fixed("2028-12-27", dt.time(7, 0)),
            zurich(2028, 12, 27, 7, 0),
            zurich(2028, 12, 21, 7, 0),
            id="christmas",
        ),
    ],
)
def test_ip_telephony_reminds_the_customer_to_connect_the_equipment(
    start, changes, port_at, reminder_due
):
    """SPEC 9, seed 000: the equipment we sent must be connected when the number moves.

    Once the donor confirms, ``equipment.connect_reminder`` is due 2 business
    days (decision) before the port at its local time of day, to the customer,
    naming the number and the port date; it is delivered then, once.
    """
    engine = Engine.in_memory("CH", now=start)
    order = engine.submit(ip_telephony(**changes))
    engine.approve(order.id)
    assert of_kind(engine, order.id, _K.EQUIPMENT_CONNECT_REMINDER) == []
    scheduled = engine.donor_confirms(order.id)
    assert scheduled.port_at == port_at
    reminder = only(engine, order.id, _K.EQUIPMENT_CONNECT_REMINDER)
    assert_notice(
        reminder,
        _K.EQUIPMENT_CONNECT_REMINDER,
        Channel.EMAIL,
        BILLING,
        reminder_due,
        number=LINE_E164,
        port_date=local_day(port_at).isoformat(),
        order_id=order.id,
    )
    assert of_kind(engine, order.id, _K.MODEM_SHIPPED) == []
    assert of_kind(engine, order.id, _K.CONNECTION_DATE) == []
    engine.advance(reminder_due - ONE_SECOND)
    assert delivered(engine, _K.EQUIPMENT_CONNECT_REMINDER) == []
    engine.advance(reminder_due)
    assert delivered(engine, _K.EQUIPMENT_CONNECT_REMINDER) == [reminder]


def test_an_ip_telephony_reminder_already_due_goes_out_at_confirmation():
    """SPEC 9: a confirmation later than the reminder's day reminds the customer at once.

    The donor confirms the 31 March port on Easter Monday, after the 25 March mark.
    """
    engine = Engine.in_memory("CH", now=zurich(2027, 3, 1, 9, 0))
    order = engine.submit(ip_telephony())
    engine.approve(order.id)
    confirmed_at = zurich(2027, 3, 29, 10, 0)
    engine.advance(confirmed_at)
    engine.donor_confirms(order.id)
    reminder = only(engine, order.id, _K.EQUIPMENT_CONNECT_REMINDER)
    assert_notice(
        reminder,
        _K.EQUIPMENT_CONNECT_REMINDER,
        Channel.EMAIL,
        BILLING,
        confirmed_at,
        port_date="2027-03-31",
    )


def test_a_rescheduled_ip_telephony_port_replaces_the_pending_reminder():
    """SPEC 6 and 9: the reminder of the old date is withdrawn, one for the new date replaces it."""
    engine = Engine.in_memory("CH", now=zurich(2027, 3, 1, 9, 0))
    order = engine.submit(ip_telephony())
    engine.approve(order.id)
    engine.donor_confirms(order.id)
    old = only(engine, order.id, _K.EQUIPMENT_CONNECT_REMINDER)
    assert old.due == zurich(2027, 3, 25, 6, 0)

    engine.advance(zurich(2027, 3, 10, 9, 0))
    engine.reschedule(order.id, zurich(2027, 5, 19, 6, 0))

    assert old.key not in {n.key for n in engine.notifications(order.id)}
    new = only(engine, order.id, _K.EQUIPMENT_CONNECT_REMINDER)
    assert_notice(
        new,
        _K.EQUIPMENT_CONNECT_REMINDER,
        Channel.EMAIL,
        BILLING,
        zurich(2027, 5, 14, 6, 0),
        number=LINE_E164,
        port_date="2027-05-19",
    )
    engine.advance(zurich(2027, 4, 1, 12, 0))
    assert delivered(engine, _K.EQUIPMENT_CONNECT_REMINDER) == []
    engine.advance(zurich(2027, 5, 14, 6, 0))
    assert delivered(engine, _K.EQUIPMENT_CONNECT_REMINDER) == [new]


@pytest.mark.parametrize("service", [Service.PBX, Service.MOBILE])
def test_other_services_get_neither_reminder_nor_modem(service):
    """SPEC 9: the equipment reminder is IP telephony's; modem and connection date broadband's."""
    engine = Engine.in_memory("CH", now=zurich(2027, 3, 1, 9, 0))
    numbers = ("0791234567",) if service is Service.MOBILE else (LINE,)
    order = engine.submit(swiss_request(service=service, numbers=numbers))
    engine.approve(order.id)
    engine.donor_confirms(order.id)
    kinds = {n.kind for n in engine.notifications(order.id)}
    assert kinds.isdisjoint({_K.EQUIPMENT_CONNECT_REMINDER, _K.MODEM_SHIPPED, _K.CONNECTION_DATE})


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(
            lambda lookup: Engine.in_memory("CH", APPROVED, contracts=lookup), id="memory"
        ),
        pytest.param(
            lambda lookup: Engine.sqlite(":memory:", clock=ManualClock(APPROVED), contracts=lookup),
            id="sqlite",
        ),
        pytest.param(
            lambda lookup: Engine.open(
                "sqlite:///:memory:", clock=ManualClock(APPROVED), contracts=lookup
            ),
            id="open",
        ),
    ],
)
def test_every_ready_made_engine_takes_the_carriers_contract_lookup(build):
    """SPEC 10: the contract look-up is a port; each factory wires the one given."""
    lookup = ScriptedLookup(day("2027-06-15"))
    engine = build(lookup)
    order = takeover(engine, broadband(None))
    assert lookup.calls == [order.id]
    assert order.port_at == zurich(2027, 6, 15, 7, 0)


def test_a_retry_left_on_an_order_that_moved_on_lapses_without_blocking_other_timers():
    """SPEC 6: a store may hold a look-up retry on an order no longer submitted; it lapses.

    Every command drops the retry when the order moves on; an order stored with
    one anyway (by another writer) must not stop ``advance`` for every order.
    """
    engine = engine_at(contracts=ScriptedLookup(unreachable()))
    stale = engine.ask(engine.submit(broadband(None)).id, "Welcher Anschluss?")
    retry = Timer(APPROVED + HOUR, TimerAction.LOOKUP, "provider")
    engine.store.save([attrs.evolve(stale, timers=stale.with_timers((retry,))).next_revision()])
    other = engine.submit(swiss_request(numbers=("044 555 11 22",)))

    engine.advance(APPROVED + dt.timedelta(days=3))

    lapsed = engine.get(stale.id)
    assert lapsed.state is _S.CLARIFICATION
    assert lapsed.history == stale.history
    assert timers_of(lapsed, TimerAction.LOOKUP) == []
    assert engine.contracts.calls == []
    assert only(engine, other.id, _K.ORDER_CONFIRMATION) in engine.notifier.delivered


def test_a_connection_moved_back_to_an_announced_date_is_announced_again():
    """SPEC 9, seed 000: the customer's last letter must name the date that holds.

    Confirmed for 15 June, moved to 22 June, then back to 15 June, each letter
    delivered before the next move: the third letter names 15 June again, under
    a key of its own (an ``announced_at`` parameter no text shows).
    """
    engine = engine_at()
    order = takeover(engine, broadband(day("2027-06-15")))
    engine.donor_confirms(order.id)
    engine.advance(APPROVED + HOUR)
    engine.reschedule(order.id, zurich(2027, 6, 22, 7, 0))
    engine.advance(APPROVED + 2 * HOUR)
    back = engine.reschedule(order.id, zurich(2027, 6, 15, 7, 0))
    engine.advance(APPROVED + 3 * HOUR)

    sent = delivered(engine, _K.CONNECTION_DATE)
    assert [n.param_map["connection_date"] for n in sent] == [
        "2027-06-15",
        "2027-06-22",
        "2027-06-15",
    ]
    assert len({n.key for n in sent}) == 3
    assert sent[-1].param_map["announced_at"] == "2027-03-02T11:00:00+00:00"  # in UTC
    assert "announced_at" not in sent[-1].render().body
    assert back.port_at == zurich(2027, 6, 15, 7, 0)


def test_a_connection_moved_twice_before_the_letter_went_out_sends_only_the_last_date():
    """SPEC 9: a pending connection-date letter naming a date that no longer holds is withdrawn."""
    engine = engine_at()
    order = takeover(engine, broadband(day("2027-06-15")))
    engine.donor_confirms(order.id)
    engine.reschedule(order.id, zurich(2027, 6, 22, 7, 0))
    engine.reschedule(order.id, zurich(2027, 7, 20, 7, 0))
    letters = of_kind(engine, order.id, _K.CONNECTION_DATE)
    assert [n.param_map["connection_date"] for n in letters] == ["2027-07-20"]
    engine.advance(APPROVED + HOUR)
    assert [n.param_map["connection_date"] for n in delivered(engine, _K.CONNECTION_DATE)] == [
        "2027-07-20"
    ]


def test_a_failing_lookup_survives_a_restart_of_an_sqlite_engine(tmp_path):
    """SPEC 10: the retry and its first failure are data on the stored order; nothing is lost.

    The engine is reopened on the same file half-way; the retries go on in the
    approver's name and the reseller is asked a day after the first failure.
    """
    path = tmp_path / "portflow.db"
    clock = ManualClock(APPROVED)
    first = Engine.sqlite(path, clock=clock, contracts=ScriptedLookup(unreachable()))
    order = first.approve(first.submit(broadband(None)).id, actor="backoffice")
    first.advance(APPROVED + 5 * HOUR)

    lookup = ScriptedLookup(unreachable())
    second = Engine.sqlite(path, clock=clock, contracts=lookup)
    reloaded = second.get(order.id)
    assert reloaded.lookup_failing_since == APPROVED
    assert timers_of(reloaded, TimerAction.LOOKUP) == [
        Timer(APPROVED + 6 * HOUR, TimerAction.LOOKUP, "backoffice")
    ]
    second.advance(APPROVED + 2 * 24 * HOUR)
    asked = second.get(order.id)
    assert len(lookup.calls) == 19  # hours 6 to 24
    assert asked.state is _S.CLARIFICATION
    assert (asked.history[-1].actor, asked.history[-1].at) == ("engine", APPROVED + 24 * HOUR)


def test_a_takeover_is_never_split_into_a_port_group():
    """SPEC 8: a takeover moves one line; submit_group names submit instead of a group of one."""
    engine = engine_at()
    with pytest.raises(InvalidInput) as raised:
        engine.submit_group(broadband())
    assert (raised.value.code, raised.value.field) == (Code.ARGUMENT_INVALID, "request")
    assert repr(LINE) in raised.value.message
    assert "Engine.submit" in raised.value.message
    assert list(engine.orders()) == []
