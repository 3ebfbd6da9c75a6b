"""Which order is due next: each store against a model that looks at every order (SPEC 6, 10).

Random saves give orders timers at a few instants (ties, moves back to an
earlier instant, timers emptied); after each step the store must name an order
due at the earliest instant at or before the bound, and `advance`'s way of
draining it (fire the first timer, save) must fire every due timer exactly once.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from portflow import MemoryOrderStore, PortOrder, SqlOrderStore, Timer, TimerAction
from portflow.testing.contracts import submitted_order

START = dt.datetime(2027, 1, 4, 8, tzinfo=dt.UTC)
INSTANTS = st.sampled_from([START + dt.timedelta(hours=hours) for hours in range(8)])
ORDERS = [submitted_order(f"PO-{n:06d}", f"044 123 45 {n:02d}") for n in range(6)]


class DueOrders(RuleBasedStateMachine):
    """Saves and drains one store; ``saved`` is what it should hold."""

    def __init__(self) -> None:
        """Start on an empty store."""
        super().__init__()
        self.store = self.new_store()
        self.saved: dict[str, PortOrder] = {}

    def new_store(self) -> MemoryOrderStore | SqlOrderStore:
        """Return the empty store under test."""
        return MemoryOrderStore()

    def teardown(self) -> None:
        """Close a database store."""
        if isinstance(self.store, SqlOrderStore):
            self.store.close()

    def _with_timers(self, order: PortOrder, dues: list[dt.datetime]) -> PortOrder:
        saved = self.saved.get(order.id)
        timers = tuple(Timer(due, TimerAction.EXECUTE) for due in sorted(dues))
        if saved is None:
            return attrs.evolve(order, timers=timers)  # ready for its first save
        return attrs.evolve(saved, timers=timers, revision=saved.revision + 1)

    def _save(self, orders: list[PortOrder]) -> None:
        self.store.save(orders)
        self.saved.update((order.id, order) for order in orders)

    def _next(self, until: dt.datetime) -> tuple[dt.datetime, str] | None:
        answer = self.store.next_due(until)
        due = {o.id: o.next_due for o in self.saved.values() if o.next_due is not None}
        earliest = min((instant for instant in due.values() if instant <= until), default=None)
        if earliest is None:
            assert answer is None
            return None
        assert answer is not None
        assert answer[0] == earliest
        assert due[answer[1]] == earliest
        return answer

    def _fire_first_timer(self, order_id: str) -> None:
        order = self.saved[order_id]
        self._save([attrs.evolve(order, timers=order.timers[1:], revision=order.revision + 1)])

    @rule(
        which=st.lists(st.sampled_from(ORDERS), min_size=1, max_size=3, unique_by=lambda o: o.id),
        data=st.data(),
    )
    def save(self, which: list[PortOrder], data: st.DataObject) -> None:
        """Save some orders together, each with up to three timers."""
        dues = [data.draw(st.lists(INSTANTS, max_size=3)) for _ in which]
        self._save([self._with_timers(o, d) for o, d in zip(which, dues, strict=True)])

    @rule(until=INSTANTS)
    def fire_one(self, until: dt.datetime) -> None:
        """Fire the first timer of the order named due."""
        answer = self._next(until)
        if answer is not None:
            self._fire_first_timer(answer[1])

    @rule(until=INSTANTS)
    def drain(self, until: dt.datetime) -> None:
        """Fire everything due by ``until``, as `Engine.advance` does: each timer once."""
        due = sum(t.due <= until for o in self.saved.values() for t in o.timers)
        fired = 0
        while (answer := self._next(until)) is not None:
            self._fire_first_timer(answer[1])
            fired += 1
            assert fired <= due
        assert fired == due

    @invariant()
    def nothing_is_due_before_its_instant(self) -> None:
        """SPEC 6: no timer fires before its instant."""
        self._next(START - dt.timedelta(microseconds=1))


class SqliteDueOrders(DueOrders):
    """The same on the embedded SQLite store (one SQL code path with PostgreSQL)."""

    def new_store(self) -> SqlOrderStore:
        """Return an empty in-memory SQLite store."""
        return SqlOrderStore("sqlite:///:memory:")


TestMemoryStore = DueOrders.TestCase
TestMemoryStore.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
TestSqliteStore = SqliteDueOrders.TestCase
TestSqliteStore.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
