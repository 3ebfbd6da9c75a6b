"""The port order record: its state, plan and append-only history (SPEC 6).

An order is a frozen value. Every change returns a new order, so a command that
fails part-way leaves the stored order exactly as it was, and history can only
grow: the one way to a new state is `PortOrder.apply`, which appends; copies with
other fields changed (`PortOrder.changed`) keep state and history.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from collections.abc import Mapping
from typing import Any, Final

import attrs

from portflow._core.calendar import require_aware
from portflow._core.errors import checked_text, member_of
from portflow._core.lifecycle import OrderState, Trigger, port_order_lifecycle
from portflow._core.notifications import Notification
from portflow._core.requests import ValidRequest
from portflow._core.temporaries import TemporaryNumber


class RejectionReason(enum.StrEnum):
    """Why the donor refused a port request."""

    SUBSCRIBER_NAME_MISMATCH = "subscriber_name_mismatch"
    ADDRESS_MISMATCH = "address_mismatch"
    AUTHORIZED_PERSON_MISMATCH = "authorized_person_mismatch"
    NUMBER_MISMATCH = "number_mismatch"
    NOT_PORTABLE = "not_portable"
    MUST_SPLIT = "must_split"
    DONOR_UNRESPONSIVE = "donor_unresponsive"
    OTHER = "other"


def _rejection_reason(value: object) -> RejectionReason:
    return member_of(RejectionReason, value, "reason")


def _text(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    checked_text(value, attribute.name, empty=True)


@attrs.frozen(weakref_slot=False)
class Rejection:
    """A donor's refusal: a typed reason and the donor's own words."""

    reason: RejectionReason = attrs.field(converter=_rejection_reason)
    text: str = attrs.field(default="", validator=_text)
    """The donor's own words; may be empty."""


@attrs.frozen(weakref_slot=False)
class HistoryEvent:
    """One transition of an order: when, what, from where to where, by whom, with what."""

    at: dt.datetime
    trigger: Trigger
    source: OrderState
    dest: OrderState
    actor: str
    details: tuple[tuple[str, str], ...] = ()


class TimerAction(enum.StrEnum):
    """What the engine does when a timer of an order is due."""

    DELIVER = "deliver"
    """Hand a notification to the notifier."""
    WAKE = "wake"
    """Place a deferred order with the donor."""
    EXECUTE = "execute"
    """Carry out the port."""
    LOOKUP = "lookup"
    """Try the binding look-up of an approved broadband takeover again; the timer's key
    names who approved."""


@attrs.frozen(weakref_slot=False)
class Timer:
    """Something due on an order at an instant: data, fired by the engine exactly once."""

    due: dt.datetime
    """When it is due, in UTC."""
    action: TimerAction
    key: str = ""
    """The notification key for `TimerAction.DELIVER`; the approving actor for
    `TimerAction.LOOKUP`."""


@attrs.frozen(weakref_slot=False)
class PortOrder:
    """A port order: the validated request, where it stands, and how it got there."""

    id: str
    valid: ValidRequest
    """The request as validated at the last submission."""
    state: OrderState = OrderState.DRAFT
    port_at: dt.datetime | None = None
    """The planned, confirmed or rescheduled port instant, in UTC."""
    needs_arrangement: bool = False
    """ASAP orders: the date is fixed only when the provider approves it."""
    group_id: str | None = None
    """The port group the order belongs to, if the request was split."""
    rejection: Rejection | None = None
    temporary_numbers: tuple[TemporaryNumber, ...] = ()
    """Every temporary number the order was given, ended ones included."""
    timers: tuple[Timer, ...] = ()
    """What is still due, earliest first."""
    notifications: tuple[Notification, ...] = ()
    """Every notification the order produced, delivered or not."""
    history: tuple[HistoryEvent, ...] = ()
    lookup_failing_since: dt.datetime | None = None
    """Broadband: when the binding look-up of the pending approval first failed, while
    it is being retried (SPEC 8)."""
    sim_active_since: dt.datetime | None = None
    """Mobile: when the customer first reported the order's SIM active
    (`Engine.activate_sim`), in UTC. Kept through a rejection: a resubmission
    on the same SIM starts its new temporary numbers at once."""
    revision: int = 0
    """How many times the order was saved; 0 before its first save. A store refuses
    a save whose revision does not follow the stored one (`ConcurrentChange`)."""

    @classmethod
    def draft(cls, order_id: str, valid: ValidRequest, group_id: str | None = None) -> PortOrder:
        """Return a new draft order planned as its validated request says."""
        return cls(
            order_id,
            valid,
            port_at=valid.plan.port_at_utc,
            needs_arrangement=valid.plan.needs_arrangement,
            group_id=group_id,
        )

    @property
    def is_live(self) -> bool:
        """Whether the order holds its numbers (submitted and not yet ended)."""
        return self.state.is_live

    @property
    def next_due(self) -> dt.datetime | None:
        """The instant of the earliest timer, if any is pending."""
        return self.timers[0].due if self.timers else None

    @property
    def pending_keys(self) -> frozenset[str]:
        """Keys of the notifications not yet handed to the notifier."""
        return frozenset(t.key for t in self.timers if t.action is TimerAction.DELIVER)

    def ensure(self, trigger: Trigger) -> None:
        """Check that the order's state allows ``trigger``.

        Raises:
            IllegalTransition: when it does not.
        """
        port_order_lifecycle().ensure(self.state, trigger, self.id)

    def apply(
        self,
        trigger: Trigger,
        at: dt.datetime,
        actor: str,
        details: Mapping[str, str] | tuple[tuple[str, str], ...] | None = None,
        **changes: Any,  # noqa: ANN401 - field values of any type; attrs checks the names
    ) -> PortOrder:
        """Return the order after ``trigger`` fired at ``at``, with one more history event.

        ``details`` is a mapping, or already the event's sorted ``(name, value)``
        pairs. ``changes`` sets the other fields the trigger changes (the port
        instant, a rejection, timers) in the same step.

        Raises:
            IllegalTransition: when the state does not allow the trigger.
            InvalidInput: ``time.naive`` for a naive ``at``.
        """
        at = require_aware(at, "at")
        checked_text(actor, "actor")
        dest = port_order_lifecycle().fire(self.state, trigger, self.id)
        if details is not None and not isinstance(details, tuple):
            details = tuple(sorted(details.items()))
        event = HistoryEvent(at, trigger, self.state, dest, actor, details or ())
        if "state" in changes or "history" in changes:
            raise TypeError("apply sets the state and history itself; change the other fields")
        return self._copy({"state": dest, "history": (*self.history, event), **changes})

    def next_revision(self) -> PortOrder:
        """Return the order as its next save stores it: one revision further."""
        return self.changed(revision=self.revision + 1)

    def changed(self, **changes: Any) -> PortOrder:  # noqa: ANN401 - field values of any type
        """Return a copy of the order with fields other than state and history changed.

        As `attrs.evolve`, at a third of its cost: a command copies its order a
        few times, and `attrs.evolve` looks the fields up again on every call.

        Raises:
            TypeError: for a name that is not a field of the order, and for
                ``state`` or ``history``, which change only through `apply`.
        """
        if "state" in changes or "history" in changes:
            raise TypeError("An order's state and history change only through PortOrder.apply")
        return self._copy(changes)

    def _copy(self, changes: Mapping[str, Any]) -> PortOrder:
        values = list(_field_values(self))
        for name, value in changes.items():
            index = _FIELD_INDEX.get(name)
            if index is None:
                raise TypeError(f"PortOrder has no field {name!r}")
            values[index] = value
        return PortOrder(*values)

    def with_timers(self, timers: tuple[Timer, ...]) -> tuple[Timer, ...]:
        """Return the order's timers merged with ``timers``, earliest first (stable on ties)."""
        return merged_timers(self.timers, timers)


_FIELD_NAMES: Final = tuple(field.name for field in attrs.fields(PortOrder))
_FIELD_INDEX: Final = {name: index for index, name in enumerate(_FIELD_NAMES)}
_field_values: Final = operator.attrgetter(*_FIELD_NAMES)


def merged_timers(timers: tuple[Timer, ...], more: tuple[Timer, ...]) -> tuple[Timer, ...]:
    """Return two sets of timers as one, earliest first (stable on ties)."""
    if not timers and len(more) < 2:
        return more
    if len(more) == 1 and timers and more[0].due >= timers[-1].due:
        return (*timers, *more)  # the usual case: one timer after those already due
    return tuple(sorted((*timers, *more), key=_due))


def _due(timer: Timer) -> dt.datetime:
    return timer.due
