"""The engine gives the same results on every store (SPEC 10: memory, SQLite, PostgreSQL)."""

import datetime as dt

import pytest

from portflow import (
    Engine,
    ManualClock,
    MemoryNumberPool,
    MemoryOrderStore,
    OrderState,
    RecordingDonorGateway,
    RecordingNotifier,
    SqlOrderStore,
    TemporaryStatus,
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


def engine_on(store) -> Engine:
    """An engine on the store, with fresh in-memory adapters and the same clock."""
    return Engine(
        clock=ManualClock(START),
        store=store,
        inventory=MemoryNumberPool.for_country("CH"),
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
