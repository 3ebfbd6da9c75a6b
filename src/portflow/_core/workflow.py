"""What each command and each due timer does to port orders: the pure half of the engine.

Every function takes orders and an instant and returns new orders; none reads
a clock, touches a store or calls an operator. The engine loads the orders,
calls these functions, tells the adapters what changed (temporary numbers,
the donor) and saves the result, so a command that fails anywhere leaves the
stored orders exactly as they were.

Notifications produced by a step become data on the order, each with a
``deliver`` timer at its due instant (SPEC 9); the engine hands them to the
notifier when its clock passes that instant.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from portflow._core.calendar import BusinessCalendar, add_months, utc
from portflow._core.errors import (
    Code,
    CommandRefused,
    InvalidInput,
    checked_flag,
    checked_text,
)
from portflow._core.lifecycle import OrderState, Trigger
from portflow._core.notifications import (
    ROUTES,
    Channel,
    Notification,
    NotificationKind,
    Variant,
    trusted_notification,
)
from portflow._core.number_sets import entry_text
from portflow._core.numbers import NumberType, PhoneNumber
from portflow._core.orders import PortOrder, Rejection, Timer, TimerAction, merged_timers
from portflow._core.parties import Subscriber, contact_number
from portflow._core.profiles import CountryProfile
from portflow._core.requests import Service, ValidRequest, binding_floor
from portflow._core.temporaries import TemporaryNumber, TemporaryStatus, temporaries_moved
from portflow._core.timing import Timing, earliest_port_day, plan_port

_S = OrderState
_DONOR_HAS_IT = frozenset({_S.REQUESTED, _S.SCHEDULED})


# --- notifications (SPEC 9) -----------------------------------------------------------


def customer_contact(
    subscriber: Subscriber, channel: Channel, profile: CountryProfile
) -> tuple[Channel, str] | None:
    """Return how to reach the customer: the wanted channel if it has an address, else another.

    E-mail goes to the billing address, letters to the postal address and SMS to
    the subscriber's phone; when the wanted one is missing the next of e-mail,
    letter, SMS that exists is used. An SMS is wanted on a mobile number: a
    landline hears it read out at best, so e-mail or a letter goes first, and
    the landline only when the customer gave neither. ``None`` when the
    customer gave no way at all.
    """
    for candidate, textable in ((channel, True), *_FALLBACKS):
        address = _address(subscriber, candidate, profile, textable=textable)
        if address:
            return candidate, address
    return None


_FALLBACKS: Final = ((Channel.EMAIL, False), (Channel.LETTER, False), (Channel.SMS, False))
_TEXTABLE: Final = frozenset({NumberType.MOBILE, NumberType.FIXED_LINE_OR_MOBILE})
"""Number types that receive an SMS as a text (US numbers are typed as either)."""


def _address(
    subscriber: Subscriber, channel: Channel, profile: CountryProfile, *, textable: bool
) -> str:
    """Return the subscriber's address for the channel, or the empty string.

    ``textable`` asks an SMS address to be a mobile number.
    """
    if channel is Channel.EMAIL:
        return subscriber.billing_email.strip()
    if channel is Channel.LETTER:
        if not subscriber.address.strip():
            return ""
        return _postal_address(subscriber.name, subscriber.address, subscriber.city)
    phone = contact_number(subscriber, profile)
    if phone is None or (textable and phone.type not in _TEXTABLE):
        return ""
    return phone.e164


@functools.lru_cache(maxsize=4096)
def _postal_address(*parts: str) -> str:
    # One text for all letters to a customer, however many orders they have.
    return ", ".join(part for part in parts if part.strip())


def _numbers_text(valid: ValidRequest) -> str:
    return ", ".join(entry_text(entry) for entry in valid.numbers)


def _params(order: PortOrder, **extra: str) -> dict[str, str]:
    return {"number": _numbers_text(order.valid), **extra}


def _customer_notice(
    order: PortOrder,
    kind: NotificationKind,
    due: dt.datetime,
    params: dict[str, str],
    *,
    occasion: dt.datetime | None,
) -> Notification | None:
    valid = order.valid
    contact = customer_contact(valid.request.subscriber, ROUTES[kind].channel, valid.profile)
    if contact is None:
        return None
    channel, recipient = contact
    variant = Variant.MOBILE if valid.request.service is Service.MOBILE else Variant.STANDARD
    return trusted_notification(
        kind=kind,
        channel=channel,
        recipient=recipient,
        locale=valid.profile.locale,
        order_id=order.id,
        due=due,
        params=params,
        occasion=occasion,
        variant=variant,
    )


def _reseller_notice(
    order: PortOrder, kind: NotificationKind, due: dt.datetime, params: dict[str, str]
) -> Notification:
    valid = order.valid
    return trusted_notification(
        kind=kind,
        channel=ROUTES[kind].channel,
        recipient=valid.request.reseller,
        locale=valid.profile.locale,
        order_id=order.id,
        due=due,
        params=params,
        occasion=due,
    )


def with_notices(
    order: PortOrder, notices: Iterable[Notification | None], now: dt.datetime
) -> PortOrder:
    """Return the order with the notices of an event at ``now`` and a deliver timer for each.

    A notice's key stands for one event, the occasion being its instant. A
    second event at the same instant (a clock that did not move: the same
    question asked again after an answer, a revised order submitted and
    approved again, a port moved back to a date announced before) would give
    its notice a key the order has seen; it is keyed apart instead
    (`_keyed_apart`), for it is a new message.
    """
    fresh = [n for n in notices if n is not None]
    if order.notifications and fresh:
        known = {notification.key for notification in order.notifications}
        fresh = [_keyed_apart(notice, known, now) for notice in fresh]
    if not fresh:
        return order
    return order.changed(
        notifications=(*order.notifications, *fresh),
        timers=order.with_timers(tuple(Timer(n.due, TimerAction.DELIVER, n.key) for n in fresh)),
    )


def _deactivation_notice(
    order: PortOrder, before: Sequence[TemporaryNumber], at: dt.datetime
) -> Notification | None:
    ended = [
        after.text
        for old, after in zip(before, order.temporary_numbers, strict=True)
        if after.status is TemporaryStatus.DEACTIVATED and old.status is not after.status
    ]
    if not ended:
        return None
    return _customer_notice(
        order,
        NotificationKind.TEMPORARY_NUMBER_DEACTIVATED,
        at,
        {"temporary_number": ", ".join(ended)},
        occasion=at,
    )


def _local_date_and_time(profile: CountryProfile, instant: dt.datetime) -> dict[str, str]:
    local = BusinessCalendar.for_profile(profile).local(instant)
    return {"port_date": local.date().isoformat(), "port_time": local.strftime("%H:%M")}


def _date_announcements(order: PortOrder, at: dt.datetime) -> list[Notification]:
    """Mobile (seed 000): an SMS to the old number and one to the temporary number."""
    if order.valid.request.service is not Service.MOBILE or order.port_at is None:
        return []
    when = _local_date_and_time(order.valid.profile, order.port_at)
    notices: list[Notification] = []
    for temporary in order.temporary_numbers:
        if temporary.status.is_ended or not isinstance(temporary.number, PhoneNumber):
            continue
        params = {
            "number": entry_text(temporary.stands_for),
            "temporary_number": temporary.text,
            **when,
        }
        notices.extend(
            trusted_notification(
                kind=NotificationKind.PORT_DATE_ANNOUNCED,
                channel=Channel.SMS,
                recipient=recipient,
                locale=order.valid.profile.locale,
                order_id=order.id,
                due=at,
                params=params,
                occasion=order.port_at,
                variant=Variant.MOBILE,
            )
            for recipient in (entry_text(temporary.stands_for), temporary.text)
        )
    return notices


# --- commands ---------------------------------------------------------------------------


def _not_before(instant: dt.datetime, now: dt.datetime, what: str) -> None:
    if instant < now:
        raise CommandRefused(
            Code.TIMING_IN_PAST,
            f"The {what} {instant.isoformat()} is before the engine's clock "
            f"({now.isoformat()}); give a port instant still to come.",
        )


def submit(
    order: PortOrder,
    valid: ValidRequest,
    temporaries: tuple[TemporaryNumber, ...],
    now: dt.datetime,
    actor: str,
) -> PortOrder:
    """Submit a draft with its validated request and new temporary numbers (SPEC 6, 7).

    The customer's order confirmation is due a couple of days later (seed 000;
    decision: the profile's ``confirmation_business_days``, 2, after the day it
    counts as received, at the same local time; a Saturday submission counts
    from Monday).

    A mobile order resubmitted on the SIM it had (decision): a SIM the customer
    was told of (its ``sim.shipped`` went out) or activated is not shipped
    again, and once activated the new temporary numbers work at once; the
    customer meets the new number in the date SMS sent to it. A request naming
    another SIM than the last submission's, or another service, starts afresh.
    """
    mobile = Service.MOBILE
    same_sim = (
        order.valid.request.service is mobile
        and valid.request.service is mobile
        and order.valid.sim == valid.sim
    )
    sim_active_since = order.sim_active_since if same_sim else None
    if sim_active_since is not None:
        temporaries = temporaries_moved(temporaries, TemporaryStatus.ACTIVE)
    shipped = same_sim and (
        sim_active_since is not None
        or any(n.kind is NotificationKind.SIM_SHIPPED for n in order.notifications)
    )
    calendar = BusinessCalendar.for_profile(valid.profile)
    local = calendar.local(now)
    confirm_day = calendar.due_date(now, valid.profile.confirmation_business_days)
    details = {"warnings": ",".join(v.code for v in valid.warnings)} if valid.warnings else None
    submitted = order.apply(
        Trigger.SUBMIT,
        now,
        actor,
        details,
        valid=valid,
        port_at=valid.plan.port_at_utc,
        needs_arrangement=valid.plan.needs_arrangement,
        rejection=None,
        temporary_numbers=(*order.temporary_numbers, *temporaries),
        sim_active_since=sim_active_since,
    )
    due = calendar.utc_at(confirm_day, local.time())
    notice = _customer_notice(
        submitted,
        NotificationKind.ORDER_CONFIRMATION,
        due,
        {},
        occasion=now,
    )
    sim_notice = None if shipped else _sim_shipped(submitted, temporaries, now)
    return with_notices(submitted, [notice, sim_notice], now)


def _sim_shipped(
    order: PortOrder, temporaries: Sequence[TemporaryNumber], now: dt.datetime
) -> Notification | None:
    """Seed 000: the SIM card is sent separately; the temporary number works once it is in.

    An eSIM is not sent anywhere (decision): its customer installs it as the
    order form instructs (seed 003) and gets no ``sim.shipped`` notice.
    """
    sim = order.valid.sim
    if order.valid.request.service is not Service.MOBILE or sim is None or sim.is_esim:
        return None
    numbers = ", ".join(temporary.text for temporary in temporaries)
    return _customer_notice(
        order,
        NotificationKind.SIM_SHIPPED,
        now,
        {"temporary_number": numbers or "-"},
        occasion=now,
    )


def activate_sim(order: PortOrder, now: dt.datetime) -> PortOrder:
    """The customer put the SIM in: the mobile order's temporary numbers work (SPEC 7).

    A mobile order whose request names no SIM takes it too: its SIM went out
    with other equipment (decision).

    Raises:
        CommandRefused: ``argument.invalid`` for an order that is not a live mobile order.
    """
    if order.valid.request.service is not Service.MOBILE or not order.state.is_live:
        raise CommandRefused(
            Code.ARGUMENT_INVALID,
            f"Order {order.id} is a {order.valid.request.service} order in state {order.state}; "
            "only a live mobile order has a SIM whose activation starts its temporary number.",
        )
    # Not a transition of the lifecycle: the temporaries' status and the instant record it.
    return order.changed(
        temporary_numbers=temporaries_moved(
            order.temporary_numbers, TemporaryStatus.ACTIVE, only=TemporaryStatus.RESERVED
        ),
        sim_active_since=order.sim_active_since or utc(now),
    )


def ask(order: PortOrder, question: str, now: dt.datetime, actor: str) -> PortOrder:
    """The provider asks the reseller a question (seed 002: "usually needs a consultation").

    An approval waiting for a binding look-up lapses: once answered, the order
    is approved anew.
    """
    checked_text(question, "question")
    asked = order.apply(
        Trigger.ASK, now, actor, {"question": question}, **_without_lookup(order.timers)
    )
    notice = _reseller_notice(
        asked,
        NotificationKind.CLARIFICATION_REQUESTED,
        now,
        {"question": question},
    )
    return with_notices(asked, [notice], now)


def answer(order: PortOrder, text: str, now: dt.datetime, actor: str) -> PortOrder:
    """The reseller answers; the order is back with the provider for review."""
    return order.apply(Trigger.ANSWER, now, actor, {"answer": checked_text(text, "answer")})


def approve(
    order: PortOrder,
    now: dt.datetime,
    actor: str,
    *,
    port_at: dt.datetime | None = None,
    defer_until: dt.datetime | None = None,
) -> PortOrder:
    """The provider approves: the order goes to the donor, or waits until ``defer_until``.

    An ASAP order's date is fixed now (seed 002: agreed with the provider): the
    given ``port_at``, or the earliest feasible instant counted from today, or
    from the wake day of a deferral. PBX temporary numbers work from approval
    (SPEC 7). The reseller is advised to review which donor services are still
    needed (seed 002).

    Raises:
        IllegalTransition: unless the order is submitted.
        CommandRefused: ``timing.in_past`` for a port or wake instant already
            past; ``timing.too_early`` for a port the donor could not meet from
            the wake day of a deferral, or for a date fixed at submission whose
            cancel freeze has started.
    """
    order.ensure(Trigger.APPROVE)
    wake_at = None if defer_until is None else utc(defer_until, "defer_until")
    if wake_at is not None:
        _not_before(wake_at, now, "wake instant")
    # A deferred order reaches the donor at its wake instant: its port is planned from then.
    placed = now if wake_at is None else wake_at
    planned = order.port_at
    if port_at is not None:
        planned = utc(port_at, "port_at")
    elif order.needs_arrangement:
        planned = _replanned(order, placed)
    if planned is not None:
        _not_before(planned, now, "port instant")
        if wake_at is not None:
            _not_before_lead_time(order, planned, wake_at)
        elif port_at is None:
            _not_frozen_on_arrival(order, planned, now)
    temporaries = order.temporary_numbers
    if order.valid.request.service is not Service.MOBILE:
        temporaries = temporaries_moved(
            temporaries, TemporaryStatus.ACTIVE, only=TemporaryStatus.RESERVED
        )
    changes: dict[str, object] = {
        "port_at": planned,
        "needs_arrangement": False,
        "temporary_numbers": temporaries,
        # An approval supersedes a binding look-up still to be retried.
        **_without_lookup(order.timers),
    }
    if wake_at is None:
        approved = order.apply(Trigger.APPROVE, now, actor, None, **changes)
    else:
        deferred = order.apply(Trigger.DEFER, now, actor, {"until": wake_at.isoformat()}, **changes)
        approved = deferred.changed(
            timers=deferred.with_timers((Timer(wake_at, TimerAction.WAKE),))
        )
    advice = _reseller_notice(
        approved,
        NotificationKind.ADVICE_REVIEW_DONOR_SERVICES,
        now,
        {},
    )
    return with_notices(approved, [advice], now)


def _not_before_lead_time(order: PortOrder, planned: dt.datetime, wake_at: dt.datetime) -> None:
    """Refuse a deferral that would hand the donor a port date it cannot meet.

    Decision: the donor gets a deferred order at its wake instant, and needs the
    profile's lead time from that day, as for any new request (SPEC 3.2).
    """
    profile = order.valid.profile
    calendar = BusinessCalendar.for_profile(profile)
    earliest = earliest_port_day(calendar, calendar.local_date(wake_at))
    port_day = calendar.local_date(planned)
    if port_day < earliest:
        raise CommandRefused(
            Code.TIMING_TOO_EARLY,
            f"Deferred until {wake_at.isoformat()}, the order would reach the donor with its "
            f"port on {port_day}; the earliest date it can then meet is {earliest} "
            f"({profile.asap_lead_business_days} business days on). Give a later port_at, "
            "or defer less.",
        )


def _not_frozen_on_arrival(order: PortOrder, planned: dt.datetime, now: dt.datetime) -> None:
    """Refuse an approval that would hand the donor an order already inside its cancel freeze.

    Decision: a date fixed at submission left the donor its lead time from
    then; approved later, the order must still reach the donor before the
    freeze before its port starts, or it could not even be cancelled.
    """
    frozen_from = _freeze_from(order.valid.profile, planned)
    if now >= frozen_from:
        raise CommandRefused(
            Code.TIMING_TOO_EARLY,
            f"Approved now, order {order.id} would reach the donor inside the cancel freeze "
            f"before its port at {planned.isoformat()}, which started at "
            f"{frozen_from.isoformat()} ({order.valid.profile.cancel_freeze_business_days} "
            "business days before). Give a later port_at.",
        )


def _without_lookup(timers: tuple[Timer, ...]) -> dict[str, object]:
    """Return the changes that end the retries of a binding look-up."""
    return {"timers": _no_lookup(timers), "lookup_failing_since": None}


def _no_lookup(timers: tuple[Timer, ...]) -> tuple[Timer, ...]:
    return tuple(t for t in timers if t.action is not TimerAction.LOOKUP)


def lookup_later(order: PortOrder, now: dt.datetime, actor: str) -> PortOrder:
    """The binding look-up failed: the order stays where it is and the look-up is retried.

    SPEC 8: the takeover's timing is never guessed. The retry timer remembers
    who approved, so the approval completes in their name once the look-up
    answers. Once the look-ups have failed for the profile's
    ``lookup_patience``, the engine stops retrying and asks the reseller
    instead (decision): the order waits in clarification, and is approved anew
    once the reseller has answered.
    """
    order.ensure(Trigger.APPROVE)
    profile = order.valid.profile
    since = order.lookup_failing_since or now
    if now - since >= profile.lookup_patience:
        local = BusinessCalendar.for_profile(profile).local(since)
        question = (
            f"The binding at the previous operator could not be looked up since "
            f"{local:%Y-%m-%d %H:%M} ({profile.zone}). Please check the power of attorney "
            "and the previous operator, then answer so that the order can be approved again."
        )
        return ask(order, question, now, "engine")
    retry = Timer(now + profile.lookup_retry, TimerAction.LOOKUP, actor)
    timers = merged_timers(_no_lookup(order.timers), (retry,))
    return order.changed(timers=timers, lookup_failing_since=since)


def lookup_lapsed(order: PortOrder) -> PortOrder:
    """Return the order without a look-up retry its state no longer takes (it has moved on)."""
    return order.changed(timers=_no_lookup(order.timers), lookup_failing_since=None)


def approve_takeover(
    order: PortOrder, binding_end: dt.date | None, now: dt.datetime, actor: str
) -> PortOrder:
    """Approve a broadband takeover by the binding the look-up found (SPEC 8, seed 000).

    - No binding, or one that ended before today: placed now, connected at the
      earliest feasible date, without a letter.
    - A binding ending at most ``binding_threshold_months`` after today (the
      exact day included): placed now, connected at the binding end (the
      business day on or after it, never before the earliest feasible date:
      seed 000, not before the contract time is over); the customer gets the
      ``port.ordered_pending_binding`` letter.
    - Ending later: deferred until the binding end minus the threshold, then
      placed (wake timer); the customer gets the ``port.deferred`` letter. The
      connection leaves the donor its lead time from the wake day, even when
      that is after the binding end (a threshold shorter than the lead time).
      Decision: when month-end clamping puts that day on today or earlier
      (binding end 31 August, checked on 28 February), the order is placed now.
    """
    order.ensure(Trigger.APPROVE)
    profile = order.valid.profile
    calendar = BusinessCalendar.for_profile(profile)
    today = calendar.local_date(now)
    if binding_end is None or binding_end < today:
        return approve(order, now, actor)
    earliest = earliest_port_day(calendar, today)
    connection_day = max(calendar.on_or_after(binding_end), earliest)
    port_at = calendar.utc_at(connection_day, _port_time(order))
    params = {"binding_end": binding_end.isoformat()}
    wake_day = add_months(binding_end, -profile.binding_threshold_months)
    if binding_end > add_months(today, profile.binding_threshold_months) and wake_day > today:
        wake_at = calendar.utc_at(wake_day, dt.time(0))
        # The donor gets the order at the wake and needs its lead time from then: with a
        # short threshold or a long lead time the connection moves past the binding end.
        after_lead = earliest_port_day(calendar, wake_day)
        if after_lead > connection_day:
            port_at = calendar.utc_at(after_lead, _port_time(order))
        deferred = approve(order, now, actor, port_at=port_at, defer_until=wake_at)
        letter = _customer_notice(
            deferred,
            NotificationKind.PORT_DEFERRED,
            now,
            {**params, "wake_date": wake_day.isoformat()},
            occasion=now,
        )
        return with_notices(deferred, [letter], now)
    placed = approve(order, now, actor, port_at=port_at)
    letter = _customer_notice(
        placed, NotificationKind.PORT_ORDERED_PENDING_BINDING, now, params, occasion=now
    )
    return with_notices(placed, [letter], now)


def _port_time(order: PortOrder) -> dt.time:
    return order.valid.request.timing.at or order.valid.profile.default_port_time


def _replanned(order: PortOrder, now: dt.datetime) -> dt.datetime:
    valid = order.valid
    calendar = BusinessCalendar.for_profile(valid.profile)
    # Only ASAP plans need arranging (a broadband request is planned as ASAP whatever it says).
    asap = Timing.asap(valid.request.timing.at)
    plan, _ = plan_port(
        asap,
        valid.request.contract,
        calendar,
        calendar.local_date(now),
        bound_until=binding_floor(valid.request),
    )
    if plan is None:  # never: an ASAP plan always has a date
        return now
    return plan.port_at_utc


def wake(order: PortOrder, at: dt.datetime) -> PortOrder:
    """The wake timer places a deferred order with the donor."""
    timers = tuple(t for t in order.timers if t.action is not TimerAction.WAKE)
    return order.apply(Trigger.WAKE, at, "engine", None, timers=timers)


def execution_lapsed(order: PortOrder) -> PortOrder:
    """Return an ended order without the execute timer it should no longer hold."""
    return order.changed(timers=_without_execution(order.timers))


def _without_execution(timers: tuple[Timer, ...]) -> tuple[Timer, ...]:
    return tuple(t for t in timers if t.action is not TimerAction.EXECUTE)


def confirm(
    order: PortOrder, port_at: dt.datetime | None, now: dt.datetime, actor: str
) -> PortOrder:
    """The donor confirms the planned instant, or another one (SPEC 6).

    A port group's members get their execute timers only once all of them are
    scheduled for the same instant (`synchronised`); a lone order gets its own.
    """
    order.ensure(Trigger.CONFIRM)
    instant = order.port_at if port_at is None else utc(port_at, "port_at")
    if instant is None:
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            "The order has no planned port instant; the donor must give one.",
            "port_at",
        )
    _not_before(instant, now, "port instant")
    return _scheduled(order, Trigger.CONFIRM, instant, now, actor)


def reschedule(order: PortOrder, port_at: dt.datetime, now: dt.datetime, actor: str) -> PortOrder:
    """The donor moves a scheduled port to another instant."""
    instant = utc(port_at, "port_at")
    order.ensure(Trigger.RESCHEDULE)
    _not_before(instant, now, "port instant")
    return _scheduled(order, Trigger.RESCHEDULE, instant, now, actor)


def _execution(instant: dt.datetime) -> Timer:
    return _execution_at(utc(instant))


def _port_at_details(instant: dt.datetime) -> tuple[tuple[str, str], ...]:
    return _port_at_details_of(utc(instant))


# Ports cluster on a few instants (contract ends, the usual times of day): the orders
# scheduled for one share its execute timer and the details of its history event.
# Keyed by plain UTC instants only: an equal instant of another zone or type would
# be served the first one's text or object.
@functools.lru_cache(maxsize=4096)
def _execution_at(instant: dt.datetime) -> Timer:
    return Timer(instant, TimerAction.EXECUTE)


@functools.lru_cache(maxsize=4096)
def _port_at_details_of(instant: dt.datetime) -> tuple[tuple[str, str], ...]:
    return (("port_at", instant.isoformat()),)


def _scheduled(
    order: PortOrder, trigger: Trigger, instant: dt.datetime, now: dt.datetime, actor: str
) -> PortOrder:
    timers = _without_execution(order.timers)
    if order.group_id is None:
        timers = merged_timers(timers, (_execution(instant),))
    scheduled = order.apply(
        trigger, now, actor, _port_at_details(instant), port_at=instant, timers=timers
    )
    if order.state is _S.SCHEDULED and order.port_at == instant:
        return scheduled  # the instant it had (a replayed answer): its notices stand
    current = _without_pending(scheduled, _DATED_NOTICES)
    return with_notices(current, _dated_notices(current, now), now)


_DATED_NOTICES = frozenset(
    {
        NotificationKind.CONNECTION_DATE,
        NotificationKind.PORT_DATE_ANNOUNCED,
        NotificationKind.MODEM_SHIPPED,
        NotificationKind.EQUIPMENT_CONNECT_REMINDER,
    }
)
"""Notices about the port instant: a moved port makes the pending ones wrong."""


def _keyed_apart(notice: Notification, known: set[str], now: dt.datetime) -> Notification:
    """Return a notice whose key the order has seen, keyed apart from the one it had.

    A port moved back to an instant whose notice went out before (15 June, then
    22 June, then 15 June again) must be announced again: the customer's last
    word was 22 June. The instant of the new notice, an extra parameter no text
    shows, makes its key new; told again at one instant, the notice is counted
    too (``…#2``), so the last word is the latest event's.
    """
    if notice.key not in known:
        return notice
    stamp = marked = now.isoformat()
    repeat = 1
    while True:
        again = attrs.evolve(notice, params=(*notice.params, ("announced_at", marked)))
        if again.key not in known:
            return again
        repeat += 1
        marked = f"{stamp}#{repeat}"


def _without_pending(order: PortOrder, kinds: frozenset[NotificationKind]) -> PortOrder:
    """Return the order without the undelivered notifications of ``kinds``."""
    stale = {t.key for t in order.timers if _delivers_kind(t, kinds)}
    if not stale:
        return order
    return order.changed(
        timers=tuple(t for t in order.timers if t.key not in stale),
        notifications=tuple(n for n in order.notifications if n.key not in stale),
    )


def _delivers_kind(timer: Timer, kinds: frozenset[NotificationKind]) -> bool:
    """Whether the timer delivers a notification of one of ``kinds``.

    A key starts with its notification's kind (`notification_key`), so the kind
    is read off the key without looking the notification up.
    """
    return timer.action is TimerAction.DELIVER and timer.key.partition(":")[0] in kinds


def _dated_notices(order: PortOrder, now: dt.datetime) -> list[Notification | None]:
    """What each service tells the customer once the donor has fixed the port instant.

    ``order`` holds no pending notices of an earlier instant (`_without_pending`).
    """
    service = order.valid.request.service
    if service is Service.MOBILE:
        return list(_date_announcements(order, now))
    if service is Service.PBX or order.port_at is None:
        return []  # seed 002 names no notice of the date for a PBX port
    profile = order.valid.profile
    port_date = _local_date_and_time(profile, order.port_at)["port_date"]
    if service is Service.IP_TELEPHONY:
        # Seed 000: the equipment must be connected when the number moves.
        due = _business_days_before(order, profile.equipment_reminder_business_days, now)
        reminder = _params(order, port_date=port_date)
        return [
            _customer_notice(
                order,
                NotificationKind.EQUIPMENT_CONNECT_REMINDER,
                due,
                reminder,
                occasion=order.port_at,
            )
        ]
    if service is Service.BROADBAND:
        # Seed 000: a letter with the connection date, and the modem, preconfigured,
        # shipped in good time before the connection.
        dated = {"connection_date": port_date}
        letter = _customer_notice(
            order, NotificationKind.CONNECTION_DATE, now, dated, occasion=order.port_at
        )
        if any(n.kind is NotificationKind.MODEM_SHIPPED for n in order.notifications):
            return [letter]  # delivered already: the modem is with the customer
        modem_due = _business_days_before(order, profile.modem_lead_business_days, now)
        modem = _customer_notice(
            order, NotificationKind.MODEM_SHIPPED, modem_due, dated, occasion=order.port_at
        )
        return [letter, modem]
    return []


def _business_days_before(order: PortOrder, days: int, now: dt.datetime) -> dt.datetime:
    """Return ``days`` business days before the port, at its local time, or now if that passed."""
    if order.port_at is None:
        return now
    calendar = BusinessCalendar.for_profile(order.valid.profile)
    local = calendar.local(order.port_at)
    day = calendar.add_business_days(local.date(), -days)
    return max(now, calendar.utc_at(day, local.time()))


def synchronised(members: Sequence[PortOrder], now: dt.datetime) -> list[PortOrder]:
    """Return a port group's members with execute timers only if the group can execute.

    SPEC 1.3 and 6: a group executes together, so every live member gets an
    execute timer at the common instant when all live members are scheduled for
    the same instant and that instant is still to come; none has one otherwise.
    A common instant that passed while a member was not ready is never executed
    after the fact: the donor must reschedule. One that passed while the group
    was ready still executes, when a member that held nothing back ends before
    the next `Engine.advance`.
    """
    live = [m for m in members if m.state.is_live]
    instants = {m.port_at for m in live}
    common = next(iter(instants)) if len(instants) == 1 else None
    ready = (
        common is not None
        and all(m.state is _S.SCHEDULED for m in live)
        and (common >= now or all(_execution(common) in m.timers for m in live))
    )
    synced = []
    for member in members:
        timers = _without_execution(member.timers)
        if ready and member.state.is_live and member.port_at is not None:
            timers = merged_timers(timers, (_execution(member.port_at),))
        synced.append(member if timers == member.timers else member.changed(timers=timers))
    return synced


def execute(order: PortOrder, at: dt.datetime) -> PortOrder:
    """The port happens: the numbers work at the new operator, temporary numbers end.

    Seed 000: the old number moves onto the new SIM and the temporary number
    disappears; the customer is told, mobile customers that a restart may be
    needed. Seed 002: provisional numbers are deactivated after the port.
    """
    before = order.temporary_numbers
    done = order.apply(
        Trigger.EXECUTE,
        at,
        "engine",
        None,
        timers=_without_execution(order.timers),
        temporary_numbers=temporaries_moved(before, TemporaryStatus.DEACTIVATED),
    )
    return with_notices(
        done, [*_completion_notices(done, at), _deactivation_notice(done, before, at)], at
    )


def _completion_notices(order: PortOrder, at: dt.datetime) -> list[Notification | None]:
    """Mobile (seed 000): an SMS to each moved number, on its new SIM; else one to the customer."""
    if order.valid.request.service is not Service.MOBILE:
        notice = _customer_notice(
            order, NotificationKind.PORT_COMPLETED, at, _params(order), occasion=at
        )
        return [notice]
    return [
        trusted_notification(
            kind=NotificationKind.PORT_COMPLETED,
            channel=Channel.SMS,
            recipient=number.e164,
            locale=order.valid.profile.locale,
            order_id=order.id,
            due=at,
            params={"number": number.e164},
            occasion=at,
            variant=Variant.MOBILE,
        )
        for number in order.valid.numbers.singles
    ]


_STILL_TRUE_WHEN_ENDED = frozenset({NotificationKind.TEMPORARY_NUMBER_DEACTIVATED})


def _withdrawn(order: PortOrder) -> dict[str, object]:
    """Return the changes that withdraw what is still due on an order that ends.

    A confirmation, an announced date or a question about an order that was
    cancelled or rejected would only mislead (decision): the pending ones are
    never sent and no longer listed; what was delivered stays, and so does a
    pending notice of ended temporary numbers, which is still true.
    """
    withdrawn = {
        timer.key for timer in order.timers if not _delivers_kind(timer, _STILL_TRUE_WHEN_ENDED)
    }
    return {
        "timers": tuple(t for t in order.timers if t.key not in withdrawn),
        "notifications": tuple(n for n in order.notifications if n.key not in withdrawn),
        "lookup_failing_since": None,  # a look-up being retried is withdrawn too
    }


def reject(order: PortOrder, rejection: Rejection, now: dt.datetime, actor: str) -> PortOrder:
    """The donor refuses with a typed reason; the order's numbers and temporaries are let go."""
    before = order.temporary_numbers
    rejected = order.apply(
        Trigger.REJECT,
        now,
        actor,
        {"reason": rejection.reason.value, "text": rejection.text},
        rejection=rejection,
        temporary_numbers=temporaries_moved(before, TemporaryStatus.DEACTIVATED),
        **_withdrawn(order),
    )
    return with_notices(rejected, [_deactivation_notice(rejected, before, now)], now)


def revise(order: PortOrder, now: dt.datetime, actor: str) -> PortOrder:
    """A rejected order goes back to draft, to be corrected and submitted again."""
    return order.apply(Trigger.REVISE, now, actor)


def freeze_start(order: PortOrder, now: dt.datetime) -> dt.datetime | None:
    """Return the instant from which the order can no longer be cancelled, if it has one.

    Decision (SPEC 6): once the donor has the order, cancelling stops
    ``cancel_freeze_business_days`` business days before the port, at the
    port's local time of day. A port instant that passed with no execution
    due (the donor never confirmed it, or a port group was not scheduled
    together) froze nothing: the order is not being ported.
    """
    if order.state not in _DONOR_HAS_IT or order.port_at is None:
        return None
    if order.port_at < now and all(t.action is not TimerAction.EXECUTE for t in order.timers):
        return None
    return _freeze_from(order.valid.profile, order.port_at)


def _freeze_from(profile: CountryProfile, port_at: dt.datetime) -> dt.datetime:
    """Return when the cancel freeze before a port at ``port_at`` starts (SPEC 6 decision)."""
    calendar = BusinessCalendar.for_profile(profile)
    local = calendar.local(port_at)
    day = calendar.add_business_days(local.date(), -profile.cancel_freeze_business_days)
    return calendar.utc_at(day, local.time())


def cancel(order: PortOrder, now: dt.datetime, actor: str, *, keep_temporary: bool) -> PortOrder:
    """Stop the order before execution; temporaries end, or stay with the customer (SPEC 7).

    Raises:
        IllegalTransition: for a completed, rejected or cancelled order.
        CommandRefused: ``order.cancel_too_late`` inside the freeze before the port.
    """
    checked_flag(keep_temporary, "keep_temporary")
    order.ensure(Trigger.CANCEL)
    frozen_from = freeze_start(order, now)
    if frozen_from is not None and now >= frozen_from:
        raise CommandRefused(
            Code.ORDER_CANCEL_TOO_LATE,
            f"Order {order.id} ports at {order.port_at.isoformat() if order.port_at else '?'}; "
            f"it could be cancelled until {frozen_from.isoformat()} "
            f"({order.valid.profile.cancel_freeze_business_days} business days before).",
        )
    before = order.temporary_numbers
    ending = TemporaryStatus.PROMOTED if keep_temporary else TemporaryStatus.DEACTIVATED
    cancelled = order.apply(
        Trigger.CANCEL,
        now,
        actor,
        {"keep_temporary": str(keep_temporary).lower()},
        temporary_numbers=temporaries_moved(before, ending),
        **_withdrawn(order),
    )
    return with_notices(cancelled, [_deactivation_notice(cancelled, before, now)], now)


def with_deliveries(
    order: PortOrder, delivered: Sequence[Notification], postponed: Timer | None = None
) -> PortOrder:
    """Return the order with deliveries made from an older version of it recorded.

    A worker delivered ``delivered`` while another saved the order: their
    timers go, and a notification the other worker withdrew meanwhile (the
    order was cancelled) is listed again, since it went out. A ``postponed``
    delivery, refused by the notifier, is due at its new instant if it is
    still pending.
    """
    done = {notification.key for notification in delivered}
    moved = set() if postponed is None else {postponed.key}
    pending = {t.key for t in order.timers if t.action is TimerAction.DELIVER}
    timers = tuple(
        t for t in order.timers if t.action is not TimerAction.DELIVER or t.key not in done | moved
    )
    if postponed is not None and postponed.key in pending:
        timers = merged_timers(timers, (postponed,))
    known = {notification.key for notification in order.notifications}
    restored = tuple(n for n in delivered if n.key not in known)
    if timers == order.timers and not restored:
        return order
    return order.changed(timers=timers, notifications=(*order.notifications, *restored))


def notification(order: PortOrder, key: str) -> Notification:
    """Return the order's notification with the key."""
    return next(n for n in order.notifications if n.key == key)
