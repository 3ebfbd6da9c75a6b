"""In-memory adapters: the order store, the donor gateway and the notifier.

They keep everything in the process, serve tests as fakes and simulations as
the real thing, and show what each port promises.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import threading
from collections.abc import Iterator, Mapping, Sequence

from portflow._core.errors import ConcurrentChange, ValidationFailed
from portflow._core.holdings import clashes, clashes_within, held_keys
from portflow._core.notifications import Notification
from portflow._core.orders import PortOrder


class MemoryOrderStore:
    """Orders in a dictionary, held numbers in an index, due instants in a heap.

    Engines in several threads of one process may share it: a save, with its
    checks, and a look for the next due order are one step each.
    """

    def __init__(self) -> None:
        """Start empty."""
        self._lock = threading.Lock()
        self._orders: dict[str, PortOrder] = {}
        self._held: dict[str, str] = {}
        self._groups: dict[str, list[str]] = {}
        self._due: list[tuple[dt.datetime, str]] = []
        self._next_due: dict[str, dt.datetime] = {}
        self._ids = itertools.count(1)

    def new_id(self) -> str:
        """Return the next id of the sequence ``PO-000001``, ``PO-000002``, ..."""
        return f"PO-{next(self._ids):06d}"

    def get(self, order_id: str) -> PortOrder | None:
        """Return the order with the id, or ``None``."""
        return self._orders.get(order_id)

    def save(self, orders: Sequence[PortOrder]) -> None:
        """Store the orders and index what they hold and when they are due, all or none.

        Raises:
            ConcurrentChange: when an order's revision does not follow the stored
                one; nothing is saved.
            ValidationFailed: ``numbers.already_in_port`` when an order's unit shares a
                number with one another live order holds, or with another order of
                the same save; nothing is saved.
        """
        with self._lock:
            self._save_checked(orders)

    def _save_checked(self, orders: Sequence[PortOrder]) -> None:
        stored_orders = self._orders
        for order in orders:
            stored = stored_orders.get(order.id)
            stored_revision = 0 if stored is None else stored.revision
            if order.revision != stored_revision + 1:
                raise ConcurrentChange(order.id, order.revision - 1, stored_revision)
        # Most saves (a delivery, a question) leave what the order holds alone.
        reindexed = [order for order in orders if not self._holds_as_stored(order)]
        if reindexed:
            self._check_holdings(reindexed, {order.id for order in orders})
            for order in reindexed:
                self._reindex(order)
        for order in orders:
            self._save_one(order)

    def _check_holdings(self, reindexed: list[PortOrder], saving: set[str]) -> None:
        live = [order for order in reindexed if order.is_live]
        violations = [
            violation
            for order in live
            for violation in clashes(
                order.id, order.valid.numbers.entries, self.held_by, besides=saving
            )
        ]
        if len(live) > 1:
            violations += clashes_within({order.id: order.valid.numbers.entries for order in live})
        if violations:
            raise ValidationFailed(violations)

    def _holds_as_stored(self, order: PortOrder) -> bool:
        previous = self._orders.get(order.id)
        return (
            previous is not None
            and previous.is_live == order.is_live
            and (previous.valid is order.valid or previous.valid.numbers == order.valid.numbers)
        )

    def _reindex(self, order: PortOrder) -> None:
        previous = self._orders.get(order.id)
        if previous is not None:
            for key in held_keys(previous.valid.numbers, live=previous.is_live):
                if self._held.get(key) == order.id:
                    del self._held[key]
        for key in held_keys(order.valid.numbers, live=order.is_live):
            self._held[key] = order.id

    def _save_one(self, order: PortOrder) -> None:
        first_save = order.id not in self._orders
        # Stored before it is listed in its group: `group` reads without the lock.
        self._orders[order.id] = order
        if first_save and order.group_id is not None:
            self._groups.setdefault(order.group_id, []).append(order.id)
        due = order.next_due
        if due is None:
            self._next_due.pop(order.id, None)
        elif self._next_due.get(order.id) != due:
            self._next_due[order.id] = due
            heapq.heappush(self._due, (due, order.id))

    def group(self, group_id: str) -> list[PortOrder]:
        """Return the members of a port group, in the order they were first stored."""
        return [self._orders[order_id] for order_id in self._groups.get(group_id, ())]

    def held_by(self, keys: list[str]) -> Mapping[str, str]:
        """Return which live order holds each held key among ``keys``."""
        held = self._held
        # Read without the lock: a key another thread lets go of between a test and a
        # read must not raise, so each key is read once.
        return {key: holder for key in keys if (holder := held.get(key)) is not None}

    def next_due(self, until: dt.datetime) -> tuple[dt.datetime, str] | None:
        """Return the earliest due ``(instant, order id)`` at or before ``until``."""
        with self._lock:
            return self._earliest_due(until)

    def _earliest_due(self, until: dt.datetime) -> tuple[dt.datetime, str] | None:
        heap = self._due
        while heap:
            due, order_id = heap[0]
            if self._next_due.get(order_id) != due:
                heapq.heappop(heap)  # stale: the order's timers changed since
                continue
            return (due, order_id) if due <= until else None
        return None

    def orders(self) -> Iterator[PortOrder]:
        """Yield every order, in the order they were first stored."""
        yield from list(self._orders.values())


class RecordingDonorGateway:
    """A donor that only listens: it records what it was sent and what was withdrawn.

    Its answers are given by calling `Engine.donor_confirms`,
    `Engine.donor_rejects` and `Engine.reschedule`.
    """

    def __init__(self) -> None:
        """Start with nothing sent."""
        self.sent: list[str] = []
        """Ids of the orders sent, in order."""
        self.withdrawn: list[str] = []
        """Ids of the orders withdrawn after being sent, in order."""

    def send(self, order: PortOrder) -> None:
        """Record that the order was sent to the donor."""
        self.sent.append(order.id)

    def withdraw(self, order: PortOrder) -> None:
        """Record that the order was withdrawn."""
        self.withdrawn.append(order.id)


class RecordingNotifier:
    """A notifier that keeps every notification handed to it, in delivery order."""

    def __init__(self) -> None:
        """Start with nothing delivered."""
        self.delivered: list[Notification] = []

    def deliver(self, notification: Notification) -> None:
        """Record the notification."""
        self.delivered.append(notification)

    @property
    def keys(self) -> list[str]:
        """The idempotency keys delivered, in delivery order."""
        return [notification.key for notification in self.delivered]
