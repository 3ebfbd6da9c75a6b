"""Code as an adopter writes it, run here and checked by ``mypy --strict`` in the quality gates.

Each test is also a typing test: ``scripts/test.sh`` runs mypy on this file, so
an annotation of the public API that refuses ordinary use fails the build.
"""

import datetime as dt
from typing import assert_type

import pytest

from portflow import (
    Engine,
    EventSubscriber,
    HistoryEvent,
    InMemoryEngine,
    InvalidInput,
    ManualClock,
    Notification,
    PortOrder,
    Rendered,
    Trigger,
)
from portflow.testing.samples import swiss_request

NOW = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)


def test_a_subscriber_names_its_parameters_as_it_likes() -> None:
    """`EventSubscriber` is any function of an order and an event, whatever it calls them."""
    heard: list[tuple[str, Trigger]] = []

    def audit(changed: PortOrder, what: HistoryEvent) -> None:
        heard.append((changed.id, what.trigger))

    subscriber: EventSubscriber = audit
    engine = Engine.in_memory(now=NOW)
    engine.subscribe(subscriber)
    order = engine.submit(swiss_request())
    assert heard == [(order.id, Trigger.SUBMIT)]


def test_an_in_memory_engine_has_its_in_memory_adapters_typed() -> None:
    """Tests read what the recording adapters kept and move the manual clock, type-checked."""
    engine = assert_type(InMemoryEngine.in_memory(now=NOW), InMemoryEngine)
    order = engine.submit(swiss_request())
    engine.approve(order.id)
    assert engine.donor.sent == [order.id]
    engine.clock.set(NOW + dt.timedelta(days=3))
    engine.advance(engine.clock.now())
    delivered = engine.notifier.delivered
    assert [notice.order_id for notice in delivered] == [order.id] * len(delivered)
    assert delivered
    assert isinstance(assert_type(delivered[0].render(), Rendered), Rendered)


def test_an_engine_on_a_sql_store_closes_at_the_end_of_a_with_block() -> None:
    """`Engine.close` releases the store's connections; ``with`` calls it."""
    with Engine.sqlite(":memory:", clock=ManualClock(NOW)) as engine:
        assert_type(engine, Engine)
        order = engine.submit(swiss_request())
        assert engine.get(order.id) == order
    with pytest.raises(InvalidInput, match="after close"):
        engine.get(order.id)  # the in-memory database went with its connection
    engine.close()  # closing again does nothing
    Engine.in_memory(now=NOW).close()  # the memory store holds nothing open


def test_a_subclass_of_the_engine_builds_in_memory_engines_of_its_own() -> None:
    """`Engine.in_memory` builds the class it is called on, typed so."""

    class AuditedEngine(Engine):
        pass

    assert type(assert_type(AuditedEngine.in_memory(now=NOW), AuditedEngine)) is AuditedEngine
    assert type(assert_type(Engine.in_memory(now=NOW), Engine)) is Engine


class _ReceiptNotifier:
    """A carrier's notifier that returns the receipt of its own gateway."""

    def __init__(self) -> None:
        self.receipts: list[str] = []

    def deliver(self, notification: Notification) -> str:
        receipt = f"receipt-{len(self.receipts) + 1}-{notification.kind}"
        self.receipts.append(receipt)
        return receipt


class _QueueingDonor:
    """A carrier's donor gateway that says whether its queue took the message."""

    def __init__(self) -> None:
        self.queued: list[str] = []

    def send(self, order: PortOrder) -> bool:
        self.queued.append(order.id)
        return True

    def withdraw(self, order: PortOrder) -> bool:
        return order.id in self.queued


def test_adapters_may_return_what_their_own_code_does() -> None:
    """The ports type ignored results as `object`: receipts and flags fit, type-checked."""
    notifier = _ReceiptNotifier()
    memory = InMemoryEngine.in_memory(now=NOW)
    engine = Engine(
        clock=memory.clock,
        store=memory.store,
        inventory=memory.inventory,
        donor=_QueueingDonor(),
        notifier=notifier,
        subscribers=[lambda order, event: (order.id, event.trigger)],
    )
    order = engine.submit(swiss_request())
    engine.approve(order.id)
    engine.advance(NOW + dt.timedelta(days=5))
    assert notifier.receipts[:2] == [
        "receipt-1-advice.review_donor_services",
        "receipt-2-order.confirmation",
    ]
