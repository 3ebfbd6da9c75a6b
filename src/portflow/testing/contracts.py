"""Contract tests for order stores: what every `portflow.OrderStore` must do.

Subclass `OrderStoreContract` in a pytest module, give it a ``store``
fixture that returns a fresh, empty store, and pytest runs every check
against your adapter. portflow runs the same suite against its memory,
SQLite and PostgreSQL stores.

```python
import pytest
from portflow.testing.contracts import OrderStoreContract


class TestMyStore(OrderStoreContract):
    @pytest.fixture
    def store(self):
        return MyStore(...)
```
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from portflow._core import workflow
from portflow._core.calendar import BusinessCalendar
from portflow._core.errors import Code, ConcurrentChange, ValidationFailed
from portflow._core.lifecycle import OrderState
from portflow._core.orders import PortOrder, Timer, TimerAction
from portflow._core.requests import validate_request
from portflow._core.timing import Timing
from portflow._ports import OrderStore
from portflow.testing.samples import swiss_request

_NOW = dt.datetime(2027, 1, 4, 8, tzinfo=dt.UTC)


def submitted_order(
    order_id: str, *numbers: str, group_id: str | None = None, now: dt.datetime = _NOW
) -> PortOrder:
    """Return a submitted Swiss PBX order for the numbers, ready for its first save."""
    request = swiss_request(numbers=numbers or ("044 123 45 67",), timing=Timing.contract_end())
    valid = validate_request(request, BusinessCalendar.for_country("CH").local_date(now))
    draft = PortOrder.draft(order_id, valid, group_id=group_id)
    return workflow.submit(draft, valid, (), now, "contract").next_revision()


def lifecycle_orders() -> list[PortOrder]:
    """Return orders an in-memory engine drove through their lifecycles, ready for a first save.

    Between them they hold every field an order has: a port group, temporary
    numbers active, deactivated and promoted, a DDI block, a donor rejection,
    a mobile order with its SIM, a deferred broadband takeover with its wake
    timer, a question, an execution, delivered and pending notifications.
    Each is at revision 1, as a store that has never seen it expects.
    """
    from portflow._core.contracts import DonorContract  # noqa: PLC0415
    from portflow._core.orders import RejectionReason  # noqa: PLC0415
    from portflow._core.requests import BroadbandRequest, Service  # noqa: PLC0415
    from portflow._core.sim import SimCard  # noqa: PLC0415
    from portflow._engine import Engine  # noqa: PLC0415 - the engine drives the orders

    engine = Engine.in_memory("CH", now=_NOW)
    singles = tuple(f"044 123 40 {n:02d}" for n in range(12))
    for member in engine.submit_group(swiss_request(numbers=singles)):
        engine.approve(member.id)
        engine.donor_confirms(member.id)
    rejected = engine.submit(swiss_request(numbers=("044 123 46 00", "04412347xx")))
    engine.approve(rejected.id)
    engine.donor_rejects(rejected.id, RejectionReason.ADDRESS_MISMATCH, "Werkstrasse 2")
    mobile = engine.submit(
        swiss_request(
            service=Service.MOBILE,
            numbers=("079 123 45 67",),
            sim=SimCard.physical("89410000123456789010"),
        )
    )
    engine.activate_sim(mobile.id)
    engine.approve(mobile.id)
    engine.donor_confirms(mobile.id)
    kept = engine.submit(swiss_request(numbers=("044 123 48 00",)))
    engine.cancel(kept.id, keep_temporary=True)
    asked = engine.submit(swiss_request(numbers=("044 123 49 00",)))
    engine.ask(asked.id, "Welche Rufnummern gehören zum Block?")
    takeover = engine.submit(
        BroadbandRequest(
            country="CH",
            line="044 123 50 00",
            subscriber=swiss_request().subscriber,
            signers=swiss_request().signers,
            power_of_attorney=True,
            donor="Swisscom",
            contract=DonorContract(binding_end=dt.date(2028, 6, 30)),
            reseller=swiss_request().reseller,
        )
    )
    engine.approve(takeover.id)
    done = engine.submit(
        swiss_request(
            numbers=("044 123 51 00",),
            timing=Timing.on(dt.date(2027, 2, 17)),
            contract=DonorContract(),
        )
    )
    engine.approve(done.id)
    port_at = engine.donor_confirms(done.id).port_at
    if port_at is None:  # never: a confirmed order has its port instant
        raise AssertionError(done.id)
    engine.advance(port_at)
    waiting = engine.submit(swiss_request(numbers=("044 123 52 00",)))
    engine.approve(waiting.id)  # its confirmation and the reseller's advice are pending
    return [order.changed(revision=1) for order in engine.orders()]


def _with_due(order: PortOrder, *dues: dt.datetime) -> PortOrder:
    """Return the order with execute timers at ``dues`` instead of its timers."""
    timers = tuple(Timer(due, TimerAction.EXECUTE) for due in sorted(dues))
    return attrs.evolve(order, timers=timers)


class OrderStoreContract:
    """Every check an `OrderStore` must pass; subclass it with a ``store`` fixture."""

    def test_ids_are_never_repeated(self, store: OrderStore) -> None:
        """Every id the store hands out is new."""
        ids = [store.new_id() for _ in range(50)]
        assert len(set(ids)) == len(ids)

    def test_an_unknown_order_is_none(self, store: OrderStore) -> None:
        """Looking up an id nobody saved finds nothing."""
        assert store.get("PO-404") is None

    def test_a_saved_order_comes_back_equal(self, store: OrderStore) -> None:
        """What is saved is what is read, field for field."""
        order = submitted_order(store.new_id(), "044 123 45 67", "04412346xx")
        store.save([order])
        assert store.get(order.id) == order

    def test_orders_of_every_kind_and_state_come_back_equal(self, store: OrderStore) -> None:
        """SPEC 10: a store keeps every field the engine relies on, not only a fresh order's.

        Temporary numbers, port groups, rejections, SIM cards, deferrals, timers,
        history and notifications all read back as they were saved.
        """
        orders = lifecycle_orders()
        states = {order.state for order in orders}
        assert {OrderState.SCHEDULED, OrderState.REJECTED, OrderState.CANCELLED} <= states
        assert {OrderState.DEFERRED, OrderState.CLARIFICATION, OrderState.COMPLETED} <= states
        assert any(order.pending_keys for order in orders)
        store.save(orders)
        for order in orders:
            assert store.get(order.id) == order
        group_id = next(order.group_id for order in orders if order.group_id is not None)
        assert store.group(group_id) == [o for o in orders if o.group_id == group_id]

    def test_saving_again_replaces_the_order(self, store: OrderStore) -> None:
        """A later version of an order replaces the earlier one."""
        order = submitted_order(store.new_id())
        store.save([order])
        approved = workflow.approve(order, _NOW, "contract").next_revision()
        store.save([approved])
        assert store.get(order.id) == approved
        assert [o.id for o in store.orders()] == [order.id]

    def test_a_live_order_holds_its_units_and_lets_them_go_when_it_ends(
        self, store: OrderStore
    ) -> None:
        """SPEC 1.3: a number is held by one live order at a time."""
        order = submitted_order(store.new_id(), "044 123 45 67", "04412346xx")
        store.save([order])
        keys = ["+41441234567", "+414412346xx", "+41441234999"]
        assert dict(store.held_by(keys)) == {
            "+41441234567": order.id,
            "+414412346xx": order.id,
        }
        cancelled = workflow.cancel(order, _NOW, "contract", keep_temporary=False)
        store.save([cancelled.next_revision()])
        assert dict(store.held_by(keys)) == {}

    def test_a_live_order_saved_with_other_units_holds_only_those(self, store: OrderStore) -> None:
        """SPEC 1.3: an order holds the units of its version as stored, no more."""
        order = submitted_order(store.new_id(), "044 123 45 67", "04412346xx")
        store.save([order])
        moved = submitted_order(order.id, "044 123 45 99").changed(revision=2)
        store.save([moved])
        keys = ["+41441234567", "+414412346xx", "+41441234599"]
        assert dict(store.held_by(keys)) == {"+41441234599": order.id}

    def test_a_unit_held_by_another_live_order_is_refused_and_nothing_is_saved(
        self, store: OrderStore
    ) -> None:
        """SPEC 1.3 and 11: a save that would hold a unit twice changes nothing."""
        first = submitted_order(store.new_id(), "044 123 45 67")
        store.save([first])
        fresh = submitted_order(store.new_id(), "044 123 45 68")
        clash = submitted_order(store.new_id(), "044 123 45 67")
        with pytest.raises(ValidationFailed) as raised:
            store.save([fresh, clash])
        assert raised.value.codes == {Code.NUMBERS_ALREADY_IN_PORT}
        # SPEC 1.3: the refusal names the order that holds the number.
        assert all(first.id in violation.message for violation in raised.value.violations)
        assert store.get(fresh.id) is None
        assert store.get(clash.id) is None
        assert dict(store.held_by(["+41441234568"])) == {}

    @pytest.mark.parametrize(
        ("held", "taken"),
        [
            ("04412346xx", "044 123 46 55"),
            ("044 123 46 55", "04412346xx"),
            ("0441234xxx", "04412346xx"),
            ("04412346xx", "0441234xxx"),
        ],
        ids=["single-in-block", "block-over-single", "block-in-block", "block-over-block"],
    )
    def test_a_unit_sharing_a_number_with_a_held_one_is_refused_and_nothing_is_saved(
        self, store: OrderStore, held: str, taken: str
    ) -> None:
        """SPEC 1.3: a block and a number in it, or two nested blocks, share numbers.

        The engine checks this before saving; the store checks it again as it
        saves, so that of two workers that checked at once only one holds them.
        """
        first = submitted_order(store.new_id(), held)
        store.save([first])
        clash = submitted_order(store.new_id(), taken)
        with pytest.raises(ValidationFailed) as raised:
            store.save([clash])
        assert raised.value.codes == {Code.NUMBERS_ALREADY_IN_PORT}
        assert all(first.id in violation.message for violation in raised.value.violations)
        assert store.get(clash.id) is None

    def test_orders_saved_together_may_not_share_a_number(self, store: OrderStore) -> None:
        """SPEC 1.3: two new orders of one save, a block and a number in it, are refused."""
        block = submitted_order(store.new_id(), "04412346xx")
        single = submitted_order(store.new_id(), "044 123 46 55")
        with pytest.raises(ValidationFailed) as raised:
            store.save([block, single])
        assert raised.value.codes == {Code.NUMBERS_ALREADY_IN_PORT}
        assert store.get(block.id) is None
        assert store.get(single.id) is None

    def test_neighbouring_units_are_held_side_by_side(self, store: OrderStore) -> None:
        """SPEC 1.3: units that share no number are held by two live orders at once."""
        first = submitted_order(store.new_id(), "04412346xx")
        second = submitted_order(store.new_id(), "044 123 47 00", "04412345xx")
        store.save([first])
        store.save([second])
        assert store.get(second.id) == second

    def test_a_port_group_lists_its_members_in_the_order_they_were_stored(
        self, store: OrderStore
    ) -> None:
        """SPEC 1.3: the members of a group are found together."""
        first_id, second_id = store.new_id(), store.new_id()
        first = submitted_order(first_id, "044 123 45 67", group_id=first_id)
        second = submitted_order(second_id, "044 123 45 68", group_id=first_id)
        store.save([first, second])
        store.save([submitted_order(store.new_id(), "044 123 45 69")])
        assert [m.id for m in store.group(first_id)] == [first_id, second_id]
        assert store.group("PO-404") == []

    def test_the_earliest_due_order_comes_first_and_only_when_due(self, store: OrderStore) -> None:
        """SPEC 6: timers fire earliest first; nothing is due before its instant.

        The earliest is found however the orders were saved: after a later one,
        in the same save or in a save of its own.
        """
        early, late = _NOW + dt.timedelta(days=1), _NOW + dt.timedelta(days=2)
        later_order = _with_due(submitted_order(store.new_id(), "044 123 45 67"), late)
        earlier_order = _with_due(submitted_order(store.new_id(), "044 123 45 68"), early, late)
        store.save([later_order, earlier_order])
        assert store.next_due(_NOW) is None
        assert store.next_due(early - dt.timedelta(microseconds=1)) is None
        assert store.next_due(early) == (early, earlier_order.id)
        assert store.next_due(late + dt.timedelta(days=9)) == (early, earlier_order.id)
        earliest = early - dt.timedelta(hours=1)
        earliest_order = _with_due(submitted_order(store.new_id(), "044 123 45 69"), earliest)
        store.save([earliest_order])
        assert store.next_due(late + dt.timedelta(days=9)) == (earliest, earliest_order.id)
        store.save([_with_due(earliest_order).next_revision()])
        store.save([_with_due(earlier_order, late + dt.timedelta(hours=1)).next_revision()])
        assert store.next_due(late + dt.timedelta(days=9)) == (late, later_order.id)
        store.save([_with_due(later_order).next_revision()])
        assert store.next_due(late) is None

    def test_orders_due_at_one_instant_come_once_each_however_their_timers_moved(
        self, store: OrderStore
    ) -> None:
        """Ports cluster on one instant: each order due then comes once, in any order.

        An order moved to another instant and back is due at the first one again.
        """
        due, later = _NOW + dt.timedelta(days=1), _NOW + dt.timedelta(days=2)
        orders = [
            _with_due(submitted_order(store.new_id(), f"044 123 45 6{digit}"), due)
            for digit in range(4)
        ]
        store.save(orders[2:])
        store.save(orders[:2])
        moved = _with_due(orders[1], later).next_revision()
        store.save([moved])
        current = {order.id: order for order in orders}
        current[moved.id] = _with_due(moved, due).next_revision()
        store.save([current[moved.id]])
        seen = []
        while (item := store.next_due(later + dt.timedelta(days=1))) is not None:
            assert item[0] == due
            seen.append(item[1])
            store.save([_with_due(current[item[1]]).next_revision()])  # its timer fired
        assert sorted(seen) == sorted(current)

    def test_every_order_is_listed_in_the_order_it_was_first_stored(
        self, store: OrderStore
    ) -> None:
        """Queries over all orders see each order once, oldest first."""
        orders = [submitted_order(store.new_id(), f"044 123 45 6{d}") for d in range(5)]
        for order in reversed(orders):
            store.save([order])
        store.save([workflow.approve(orders[2], _NOW, "contract").next_revision()])
        listed = list(store.orders())
        assert [o.id for o in listed] == [o.id for o in reversed(orders)]
        assert listed[2].state is OrderState.REQUESTED

    def test_a_save_must_follow_the_stored_revision(self, store: OrderStore) -> None:
        """SPEC 10: of two workers that loaded one revision, the second save is refused.

        Nothing of the refused save is stored, not even the other orders saved with it.
        """
        order = submitted_order(store.new_id(), "044 123 45 67")
        store.save([order])
        first = workflow.approve(order, _NOW, "first worker").next_revision()
        second = workflow.cancel(order, _NOW, "second worker", keep_temporary=False)
        store.save([first])
        other = submitted_order(store.new_id(), "044 123 45 68")
        with pytest.raises(ConcurrentChange) as raised:
            store.save([other, second.next_revision()])
        assert raised.value.code is Code.ORDER_CHANGED_CONCURRENTLY
        # Engine.advance tells another worker's save from a broken store by these two.
        assert (raised.value.order_id, raised.value.loaded, raised.value.stored) == (
            order.id,
            1,
            2,
        )
        assert store.get(order.id) == first
        assert store.get(other.id) is None
        assert dict(store.held_by(["+41441234567", "+41441234568"])) == {"+41441234567": order.id}

    def test_a_new_order_is_saved_at_revision_one_and_only_once(self, store: OrderStore) -> None:
        """SPEC 10: a first save is revision 1; saving that revision again is refused."""
        order = submitted_order(store.new_id(), "044 123 45 67")
        assert order.revision == 1
        store.save([order])
        with pytest.raises(ConcurrentChange):
            store.save([order])
        with pytest.raises(ConcurrentChange):
            store.save([attrs.evolve(order, revision=3)])
        assert store.get(order.id) == order
