"""The ports: everything the engine needs from outside, as small typed protocols (SPEC 10).

The engine talks to time, storage, the number inventory, the donor operator,
notification delivery and event listeners only through these. Each has an
in-memory implementation in `portflow` that doubles as a test fake; a carrier
writes its own against its systems (see the adapter guide in the docs).

Every method may raise; the engine calls the adapters before it saves, so a
failing adapter leaves the stored orders as they were, and a failing notifier
leaves the notification pending, due again after a wait that grows from the
profile's ``delivery_retry`` to its ``delivery_retry_max`` (`Engine.advance`
then raises `DeliveryFailed`).

Calls whose result the engine does not use are typed to return `object`, so an
adapter may return what its own code does (a delivery receipt, a flag).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol, runtime_checkable

from portflow._core.notifications import Notification
from portflow._core.number_sets import Entry
from portflow._core.orders import HistoryEvent, PortOrder


class Clock(Protocol):
    """Tells the engine what time it is."""

    def now(self) -> dt.datetime:
        """Return the current instant, timezone-aware."""
        ...


@runtime_checkable
class SettableClock(Clock, Protocol):
    """A clock the engine may move forward, for simulations and tests."""

    def set(self, instant: dt.datetime) -> None:
        """Move the clock to ``instant``; never backwards."""
        ...


class OrderStore(Protocol):
    """Keeps port orders, the numbers live orders hold, and when each order is next due.

    `save` takes every order one command changed and stores them all or none.
    """

    def new_id(self) -> str:
        """Return an order id never returned before."""
        ...

    def get(self, order_id: str) -> PortOrder | None:
        """Return the order with the id, or ``None``."""
        ...

    def save(self, orders: Sequence[PortOrder]) -> None:
        """Store new or changed orders, all or none, with what they hold and when they are due."""
        ...

    def group(self, group_id: str) -> list[PortOrder]:
        """Return the members of a port group, in the order they were first stored."""
        ...

    def held_by(self, keys: list[str]) -> Mapping[str, str]:
        """Return, for each of the keys a live order holds, the id of that order.

        An order holds `portflow.held_keys` of itself while it is live.
        """
        ...

    def next_due(self, until: dt.datetime) -> tuple[dt.datetime, str] | None:
        """Return the earliest ``(due instant, order id)`` at or before ``until``, if any.

        An order's due instant is its `PortOrder.next_due`; ties may come in any order.
        """
        ...

    def orders(self) -> Iterator[PortOrder]:
        """Yield every order, in the order they were first stored."""
        ...


class NumberInventory(Protocol):
    """Hands out temporary numbers and switches them on and off (SPEC 7)."""

    def reserve(self, order_id: str, like: Entry) -> Entry:
        """Reserve a temporary unit for ``order_id`` standing in for ``like``.

        A number for a single number, a block of the same size for a block.

        Raises:
            InventoryExhausted: when no such unit is free.
        """
        ...

    def activate(self, number: Entry) -> object:
        """Make a reserved temporary unit work."""
        ...

    def deactivate(self, number: Entry) -> object:
        """Switch a temporary unit off for good."""
        ...

    def promote(self, number: Entry) -> object:
        """Hand a temporary unit to the customer as a permanent number."""
        ...


class DonorGateway(Protocol):
    """Sends port requests to the donor operator; its answers come back as engine commands."""

    def send(self, order: PortOrder) -> object:
        """Ask the donor to port the order's numbers (on approval, or when a deferral ends)."""
        ...

    def withdraw(self, order: PortOrder) -> object:
        """Tell the donor that an order it holds was cancelled."""
        ...


class ContractLookup(Protocol):
    """Looks up the binding left at the previous operator, with the customer's power of attorney.

    SPEC 8 and seed 000: the broadband takeover's timing rests on it.
    """

    def binding_end(self, order: PortOrder) -> dt.date | None:
        """Return the last day the order's line is bound at the previous operator, or ``None``.

        ``None`` means the line has no binding left. Raise `ContractLookupFailed`
        when the operator cannot answer (unreachable, timed out): the engine then
        tries again later instead of guessing.
        """
        ...


class Notifier(Protocol):
    """Delivers notifications; the key makes a repeated delivery recognisable (SPEC 9)."""

    def deliver(self, notification: Notification) -> object:
        """Deliver one notification; raise to have it tried again later (``delivery_wait``)."""
        ...


class EventSubscriber(Protocol):
    """Hears every transition after it was saved."""

    def __call__(self, order: PortOrder, event: HistoryEvent, /) -> object:
        """Take note of one transition of one order."""
        ...
