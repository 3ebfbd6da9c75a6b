"""The engine gives the same results on every store (SPEC 10: memory, SQLite, PostgreSQL)."""

import datetime as dt

import pytest

from portflow import (
    Code,
    ConcurrentChange,
    Engine,
    ManualClock,
    MemoryNumberPool,
    MemoryOrderStore,
    OrderState,
    RecordingDonorGateway,
    RecordingNotifier,
    SqlOrderStore,
    TemporaryStatus,
    Trigger,
)
from tests_support import swiss_request

START = dt.datetime(2027, 1, 4, 8, tzinfo=dt.UTC)
ELEVEN = tuple(f"044 123 45 {n:02d}" for n in range(11))


def run_scenario(engine: Engine) -> list:
    """Drive a port, a port group and a cancellation, and return every order."""
    single = engine.submit(swiss_request(numbers=("044 123 46 00", "04412347xx")))
    engine.approve(single.id)
    engine.donor_confirms(single.id)
    members = engine.submit_group(swiss_request(numbers=ELEVEN))
    for member in members:
        engine.approve(member.id)
        engine.donor_confirms(member.id)
    cancelled = engine.submit(swiss_request(numbers=("044 123 48 00",)))
    engine.cancel(cancelled.id, keep_temporary=True)
    engine.advance(dt.datetime(2027, 4, 1, tzinfo=dt.UTC))
    return list(engine.orders())


def engine_on(store, inventory: MemoryNumberPool | None = None) -> Engine:
    """An engine on the store, with fresh in-memory adapters (or the inventory given)."""
    return Engine(
        clock=ManualClock(START),
        store=store,
        inventory=inventory or MemoryNumberPool.for_country("CH"),
        donor=RecordingDonorGateway(),
        notifier=RecordingNotifier(),
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_store(request, tmp_path):
    """A fresh SQL store of each kind."""
    if request.param == "sqlite":
        store = SqlOrderStore(f"sqlite:///{tmp_path / 'orders.db'}")
    else:
        store = SqlOrderStore(request.getfixturevalue("postgres_database"))
    yield store
    store.close()


def test_a_scenario_ends_the_same_on_a_sql_store_as_in_memory(sql_store):
    """SPEC 10: stores are interchangeable; the same commands give equal orders."""
    expected = run_scenario(engine_on(MemoryOrderStore()))
    assert run_scenario(engine_on(sql_store)) == expected
    assert [o.state for o in expected] == [
        OrderState.COMPLETED,
        OrderState.COMPLETED,
        OrderState.COMPLETED,
        OrderState.CANCELLED,
    ]


def test_a_restarted_sqlite_engine_never_hands_out_a_temporary_number_twice(tmp_path):
    """SPEC 7: a temporary number serves one order at a time, also across restarts."""
    path = tmp_path / "orders.db"
    first = Engine.sqlite(path, clock=ManualClock(START))
    kept = first.submit(swiss_request(numbers=("044 123 46 00", "04412347xx")))
    first.store.close()
    second = Engine.sqlite(path, clock=ManualClock(START))
    fresh = second.submit(swiss_request(numbers=("044 123 46 01", "04412348xx")))
    taken = {t.text for t in kept.temporary_numbers}
    assert taken.isdisjoint(t.text for t in fresh.temporary_numbers)
    assert all(second.inventory.status[text] is TemporaryStatus.RESERVED for text in taken)
    assert second.get(kept.id) == kept


def test_the_store_is_chosen_by_url_then_environment_then_sqlite(tmp_path, monkeypatch):
    """STYLE 3: an explicit URL wins, then PORTFLOW_DATABASE_URL, then portflow.db here."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PORTFLOW_DATABASE_URL", raising=False)
    assert Engine.open().store.url == "sqlite:///portflow.db"
    monkeypatch.setenv("PORTFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert Engine.open().store.url.endswith("env.db")
    explicit = Engine.open(f"sqlite:///{tmp_path / 'explicit.db'}")
    assert explicit.store.url.endswith("explicit.db")


def test_a_store_url_of_another_database_is_refused():
    """Only SQLite and PostgreSQL are supported; anything else is named in the error."""
    with pytest.raises(ValueError, match="mysql"):
        Engine.open("mysql://root@localhost/test")


@pytest.fixture
def two_workers(sql_store):
    """Two engines, each with its own connections, on one shared SQL store and inventory."""
    second = SqlOrderStore(sql_store.url)
    inventory = MemoryNumberPool.for_country("CH")
    yield engine_on(sql_store, inventory), engine_on(second, inventory)
    second.close()


def saves_after(engine: Engine, other_worker) -> None:
    """Make ``other_worker`` run just before the engine's next save reaches its store."""
    store = engine.store
    save = store.save

    def other_worker_first(orders):
        store.save = save
        other_worker()
        save(orders)

    store.save = other_worker_first


def test_two_workers_never_overwrite_each_others_change(two_workers):
    """SPEC 10: several workers share a store; the second of two changes to one order is refused.

    The second worker loads the submitted order to cancel it, and the first
    approves it before the cancel is saved. The cancel is refused with
    ``order.changed_concurrently`` and nothing of it is stored: the approval and
    its history stay, and the order can be cancelled once loaded again.
    """
    first, second = two_workers
    order = first.submit(swiss_request(numbers=("044 123 46 00",)))
    saves_after(second, lambda: first.approve(order.id))
    with pytest.raises(ConcurrentChange) as raised:
        second.cancel(order.id)
    assert (raised.value.code, raised.value.order_id) == (Code.ORDER_CHANGED_CONCURRENTLY, order.id)
    approved = second.get(order.id)
    assert [e.trigger for e in approved.history] == [Trigger.SUBMIT, Trigger.APPROVE]
    assert approved.revision == 2
    cancelled = second.cancel(order.id)
    assert cancelled.state is OrderState.CANCELLED
    assert cancelled.revision == 3
    assert first.get(order.id) == cancelled


def test_two_workers_advancing_together_execute_a_port_once(two_workers):
    """SPEC 6 and 10: a timer fired by one worker is left alone by the other.

    The second worker loads the due order, and the first worker advances and
    saves before the second can: the second's save is refused, and its advance
    goes on with what is still due instead of failing. The port executes once.
    """
    first, second = two_workers
    order = first.submit(swiss_request(numbers=("044 123 46 00",)))
    first.approve(order.id)
    port_at = first.donor_confirms(order.id).port_at
    after_the_port = port_at + dt.timedelta(days=1)
    saves_after(second, lambda: first.advance(after_the_port))

    second.advance(after_the_port)

    done = second.get(order.id)
    assert done.state is OrderState.COMPLETED
    assert [e.trigger for e in done.history].count(Trigger.EXECUTE) == 1
    assert done.timers == ()
    assert second.store.next_due(after_the_port) is None
