"""The engine gives the same results on every store (SPEC 10: memory, SQLite, PostgreSQL)."""

import contextlib
import datetime as dt
import functools
import inspect
import json
import sqlite3
import sys
import threading
import typing
from collections.abc import Callable
from zoneinfo import ZoneInfo

import attrs
import pytest
import sqlalchemy as sa

from portflow import (
    Code,
    ConcurrentChange,
    DeclaredContractLookup,
    DonorContract,
    Engine,
    InvalidInput,
    ManualClock,
    MemoryNumberPool,
    MemoryOrderStore,
    NotificationKind,
    Orderer,
    OrderState,
    PortOrder,
    RecordingDonorGateway,
    RecordingNotifier,
    SqlOrderStore,
    TemporaryStatus,
    Timer,
    TimerAction,
    Timing,
    Trigger,
    ValidationFailed,
    held_keys,
    profile_for,
)
from portflow._adapters import documents
from portflow._adapters import sql as sql_adapter
from portflow._core import workflow
from portflow._core.notifications import notification_key
from portflow._engine import _OpenArguments
from portflow.testing.contracts import submitted_order
from portflow.testing.samples import SCHMIEDEISEN
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
def sql_store(request):
    """A fresh SQL store of each kind."""
    return request.getfixturevalue("sql_store_" + request.param)


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


@pytest.mark.parametrize("name", ["shop?1.db", "pct%41.db", "a b#c.db"])
def test_a_sqlite_file_is_the_one_named_whatever_characters_its_name_has(tmp_path, name):
    """SPEC 10: ``Engine.sqlite(path)`` keeps orders in that file and in no other.

    Pasted into a URL unescaped, ``shop?1.db`` opened ``shop`` and ``pct%41.db``
    opened ``pctA.db``, so two stores could share one file.
    """
    engine = Engine.sqlite(tmp_path / name, clock=ManualClock(START))
    order = engine.submit(swiss_request())
    engine.store.close()
    assert [path.name for path in tmp_path.glob("*.db")] == [name]
    assert Engine.sqlite(tmp_path / name).get(order.id) == order


def test_a_port_in_the_hour_a_dst_change_repeats_reads_back_equal(tmp_path):
    """SPEC 10: a stored order reads back equal, its plan in the country's zone again.

    Egypt turns its clocks back at midnight on a Thursday, a business day there,
    so 23:30 on 28 October 2027 happens twice. A document keeps the plan's UTC
    offset only; two offsets of one zone compare by wall time, and read back as
    it was the plan did not equal the one saved.
    """
    cairo = ZoneInfo("Africa/Cairo")
    assert (
        dt.datetime(2027, 10, 28, 23, 30, tzinfo=cairo).utcoffset()
        != dt.datetime(2027, 10, 28, 23, 30, tzinfo=cairo, fold=1).utcoffset()
    )
    request = swiss_request(
        country="EG",
        numbers=("+20 2 2345 6789",),
        timing=Timing.on(dt.date(2027, 10, 28), at=dt.time(23, 30)),
        contract=DonorContract(),
        subscriber=attrs.evolve(SCHMIEDEISEN, phone="+41 44 123 45 67"),
    )
    start = dt.datetime(2027, 10, 1, 8, 0, tzinfo=dt.UTC)
    engine = Engine.sqlite(tmp_path / "orders.db", country="EG", clock=ManualClock(start))
    order = engine.submit(request)
    engine.store.close()
    again = Engine.sqlite(tmp_path / "orders.db", country="EG").get(order.id)
    assert again == order
    assert again.valid.plan.port_at.utcoffset() == order.valid.plan.port_at.utcoffset()


def test_an_in_memory_sqlite_store_refuses_another_thread_rather_than_start_empty():
    """Nothing lost: another thread's connection would open a new, empty database."""
    engine = Engine.sqlite(":memory:", clock=ManualClock(START))
    order = engine.submit(swiss_request())
    outcome: list[BaseException | OrderState] = []

    def look_up() -> None:
        try:
            outcome.append(engine.get(order.id).state)
        except InvalidInput as refused:
            outcome.append(refused)

    worker = threading.Thread(target=look_up)
    worker.start()
    worker.join()
    (refused,) = outcome
    assert isinstance(refused, InvalidInput)
    assert refused.code is Code.ARGUMENT_INVALID
    assert "another thread" in str(refused)
    assert engine.get(order.id) == order  # the opening thread still has it
    engine.store.close()
    with pytest.raises(InvalidInput, match="after close"):
        engine.get(order.id)


def test_a_shared_cache_in_memory_sqlite_store_serves_every_thread():
    """A shared-cache in-memory database is one database for all its connections."""
    engine = Engine.open(
        "sqlite:///file:portflow-shared?mode=memory&cache=shared&uri=true",
        clock=ManualClock(START),
    )
    order = engine.submit(swiss_request())
    seen: list[PortOrder] = []
    worker = threading.Thread(target=lambda: seen.append(engine.get(order.id)))
    worker.start()
    worker.join()
    assert seen == [order]
    engine.store.close()


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


def saves_after(engine: Engine, other_worker, *, skip: int = 0) -> None:
    """Make ``other_worker`` run just before the engine's next save (after ``skip`` saves)."""
    store = engine.store
    save = store.save
    passed = 0

    def other_worker_first(orders):
        nonlocal passed
        if passed == skip:
            store.save = save
            other_worker()
        passed += 1
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


def test_a_refused_save_tells_the_inventory_the_stored_statuses_again(two_workers):
    """SPEC 7 and 10: after a refused cancel the shared pool agrees with the stored order.

    The refused cancel told the pool to deactivate the temporary number before its
    save; the approval stored meanwhile keeps it active, and so does the pool.
    """
    first, second = two_workers
    order = first.submit(swiss_request(numbers=("044 123 46 00",)))
    saves_after(second, lambda: first.approve(order.id))
    with pytest.raises(ConcurrentChange):
        second.cancel(order.id)
    (temporary,) = second.get(order.id).temporary_numbers
    assert temporary.status is TemporaryStatus.ACTIVE
    assert first.inventory.status[temporary.text] is TemporaryStatus.ACTIVE


def test_an_execution_refused_for_a_reschedule_leaves_the_port_to_its_new_instant(two_workers):
    """SPEC 6 and 10: the donor moved the port while a worker executed it; the move wins.

    The worker's advance does not fail; the order stays scheduled for the new
    instant, its temporary number active in the store and in the shared pool.
    """
    first, second = two_workers
    order = first.submit(swiss_request(numbers=("044 123 46 00",)))
    first.approve(order.id)
    port_at = first.donor_confirms(order.id).port_at
    later = port_at + dt.timedelta(days=7)
    first.advance(port_at - dt.timedelta(seconds=1))  # the notices due before the port
    saves_after(first, lambda: second.reschedule(order.id, later))

    assert first.advance(port_at) == ()

    moved = first.get(order.id)
    assert (moved.state, moved.port_at) == (OrderState.SCHEDULED, later)
    (temporary,) = moved.temporary_numbers
    assert temporary.status is TemporaryStatus.ACTIVE
    assert first.inventory.status[temporary.text] is TemporaryStatus.ACTIVE


def test_advance_reports_the_execution_it_saved_when_a_later_save_is_refused(two_workers):
    """SPEC 6: what fired before another worker's save is reported, the execution included."""
    first, second = two_workers
    order = first.submit(swiss_request(numbers=("044 123 46 00",)))
    first.approve(order.id)
    port_at = first.donor_confirms(order.id).port_at
    first.advance(port_at - dt.timedelta(seconds=1))  # the notices due before the port
    saves_after(first, lambda: second.advance(port_at), skip=1)

    fired = first.advance(port_at)

    assert [f.action for f in fired][:1] == [TimerAction.EXECUTE]
    done = first.get(order.id)
    assert done.state is OrderState.COMPLETED
    assert [e.trigger for e in done.history].count(Trigger.EXECUTE) == 1
    assert done.timers == ()


def _scheduled_group(engine: Engine):
    members = engine.submit_group(swiss_request(numbers=ELEVEN))
    for member in members:
        engine.approve(member.id)
    confirmed = [engine.donor_confirms(member.id) for member in members]
    port_at = confirmed[0].port_at
    engine.advance(port_at - dt.timedelta(seconds=1))  # the notices due before the port
    return members, port_at


def test_advance_goes_on_when_another_worker_changed_another_member_of_the_group(two_workers):
    """SPEC 6 and 10: a group's execution refused for another member's change is tried again.

    Another worker saved the second member just before this worker saved the
    group's execution (here the member as it was, as any of that worker's
    commands would): the save is refused for the second member, and advance goes
    on with the orders as stored instead of raising.
    """
    first, second = two_workers
    (one, other), port_at = _scheduled_group(first)
    saves_after(first, lambda: second.store.save([second.get(other.id).next_revision()]))

    fired = first.advance(port_at)

    assert [first.get(m).state for m in (one.id, other.id)] == [OrderState.COMPLETED] * 2
    executed = sorted(f.order_id for f in fired if f.action is TimerAction.EXECUTE)
    assert executed == sorted([one.id, other.id])


def test_a_group_another_worker_executed_is_not_reported_as_executed_again(two_workers):
    """SPEC 6: each execution is reported by the worker that made it, once."""
    first, second = two_workers
    (one, other), port_at = _scheduled_group(first)
    loaded = first.get(one.id)
    second.advance(port_at)
    fired: list = []
    first._fire_due(loaded, port_at, port_at, fired, [])  # noqa: SLF001 - the worker's step, loaded before
    assert [f for f in fired if f.action is TimerAction.EXECUTE] == []
    assert [first.get(m).state for m in (one.id, other.id)] == [OrderState.COMPLETED] * 2


class RefusingStore(MemoryOrderStore):
    """A store that breaks its contract: it refuses every save after the first few."""

    def __init__(self, accepted: int) -> None:
        """Accept ``accepted`` saves, then refuse every one."""
        super().__init__()
        self.accepted = accepted

    def save(self, orders):
        """Save, or refuse although nothing newer is stored."""
        if self.accepted == 0:
            order = orders[0]
            raise ConcurrentChange(order.id, order.revision - 1, order.revision - 1)
        self.accepted -= 1
        super().save(orders)


def test_advance_on_a_store_that_refuses_without_a_newer_version_raises_instead_of_looping():
    """SPEC 10: a refusal with nothing newer stored is no other worker; advance stops with it."""
    engine = engine_on(RefusingStore(accepted=3))
    order = engine.submit(swiss_request(numbers=("044 123 46 00",)))
    engine.approve(order.id)
    port_at = engine.donor_confirms(order.id).port_at
    with pytest.raises(ConcurrentChange):
        engine.advance(port_at)


def test_a_database_without_the_revision_column_is_refused_with_a_way_out(tmp_path):
    """SPEC 11: a store made by an earlier development build is named, with the fix."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with sa.create_engine(url).begin() as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE portflow_orders (seq INTEGER PRIMARY KEY, id VARCHAR(64) UNIQUE, "
                "group_id VARCHAR(64), next_due BIGINT, document JSON NOT NULL)"
            )
        )
    with pytest.raises(InvalidInput) as refused:
        SqlOrderStore(url)
    assert refused.value.code is Code.ARGUMENT_INVALID
    assert "ADD COLUMN revision" in str(refused.value)


def sqlite_file_state(path):
    """Return a SQLite file's bytes and the side files beside it."""
    return path.read_bytes(), sorted(p.name for p in path.parent.glob(f"{path.name}-*"))


def test_a_store_opened_to_be_read_must_be_there_and_is_left_as_it_was(tmp_path):
    """read_only refuses a missing file and a database without portflow's tables, unchanged."""
    missing = tmp_path / "missing.db"
    with pytest.raises(InvalidInput, match="no such readable file") as refused:
        SqlOrderStore(f"sqlite:///{missing}", read_only=True)
    assert refused.value.code is Code.ARGUMENT_INVALID
    assert not missing.exists()
    with pytest.raises(InvalidInput, match="to read at an in-memory database"):
        SqlOrderStore("sqlite://", read_only=True)
    with pytest.raises(InvalidInput, match="no such readable file"):
        SqlOrderStore(f"sqlite:///{tmp_path / ('x' * 300)}.db", read_only=True)
    foreign = tmp_path / "foreign.db"
    with contextlib.closing(sqlite3.connect(foreign)) as database:
        database.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        database.commit()
    before = sqlite_file_state(foreign)
    with pytest.raises(InvalidInput, match="holds no portflow store"):
        SqlOrderStore(f"sqlite:///{foreign}", read_only=True)
    assert sqlite_file_state(foreign) == before


def test_a_store_of_an_earlier_build_opened_to_be_read_is_refused_unchanged(tmp_path):
    """The revision check refuses it; reading it switched nothing (no write-ahead log)."""
    old = tmp_path / "old.db"
    with contextlib.closing(sqlite3.connect(old)) as database:
        database.execute(
            "CREATE TABLE portflow_orders (seq INTEGER PRIMARY KEY, id VARCHAR(64) UNIQUE, "
            "group_id VARCHAR(64), next_due BIGINT, document JSON NOT NULL)"
        )
        database.commit()
    before = sqlite_file_state(old)
    with pytest.raises(InvalidInput, match="ADD COLUMN revision"):
        SqlOrderStore(f"sqlite:///{old}", read_only=True)
    assert sqlite_file_state(old) == before


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_store_opened_to_be_read_reads_it_and_changes_nothing(tmp_path, journal):
    """A store made by portflow, or a copy of it in rollback-journal mode, is read as it is."""
    made = tmp_path / "made.db"
    writer = SqlOrderStore(f"sqlite:///{made}")
    engine_on(writer).submit(swiss_request())
    writer.close()
    path = made
    if journal == "delete":
        path = tmp_path / "copy.db"
        with contextlib.closing(sqlite3.connect(made)) as database:
            database.execute(f"VACUUM INTO '{path}'")
        path.chmod(0o444)
    before = path.read_bytes()
    for url in (f"sqlite:///{path}", f"sqlite:///file:{path}?mode=ro&uri=true"):
        reader = SqlOrderStore(url, read_only=True)
        try:
            assert [order.id for order in reader.orders()] == ["PO-000001"]
            with pytest.raises(sa.exc.OperationalError, match="readonly database"):
                engine_on(reader).submit(swiss_request(numbers=("0447654321",)))
        finally:
            reader.close()
    assert path.read_bytes() == before
    assert not (tmp_path / f"{path.name}?mode=ro").exists()


def test_a_postgresql_store_opened_to_be_read_refuses_to_write(sql_store_postgresql):
    """Every session of a read-only PostgreSQL store is read-only: a save is refused."""
    engine_on(sql_store_postgresql).submit(swiss_request())
    reader = SqlOrderStore(sql_store_postgresql.url, read_only=True)
    try:
        assert [order.id for order in reader.orders()] == ["PO-000001"]
        with pytest.raises(sa.exc.DBAPIError, match="read-only transaction"):
            engine_on(reader).submit(swiss_request(numbers=("0447654321",)))
        # Reads run outside a transaction; the server refuses a write there too.
        reads = reader._reads  # noqa: SLF001 - the sessions the store reads in
        with reads.connect() as connection, pytest.raises(sa.exc.DBAPIError, match="read-only"):
            connection.execute(sa.text("UPDATE portflow_orders SET revision = revision + 1"))
    finally:
        reader.close()
    assert [order.id for order in sql_store_postgresql.orders()] == ["PO-000001"]


def test_a_text_that_is_no_url_is_refused_with_an_example():
    """A URL that cannot be read is argument.invalid, with what would be accepted."""
    for url in ("postgresql://postgres@127.0.0.1:abc/test", "://"):
        with pytest.raises(InvalidInput, match="is not a database URL") as refused:
            SqlOrderStore(url)
        assert "postgresql://user@host:5432/database" in str(refused.value)


def test_a_store_sees_the_versions_another_worker_saved(sql_store):
    """SPEC 10: orders kept in memory by revision never hide a newer stored version."""
    other = SqlOrderStore(sql_store.url)
    try:
        order = submitted_order(sql_store.new_id(), "044 123 45 67", group_id=None)
        sql_store.save([order])
        assert sql_store.get(order.id) is sql_store.get(order.id)  # kept, not read again
        loaded = other.get(order.id)
        approved = workflow.approve(loaded, START, "other worker").next_revision()
        other.save([approved])
        assert sql_store.get(order.id) == approved
        assert list(sql_store.orders()) == [approved]
    finally:
        other.close()


def test_a_store_reads_every_order_when_it_keeps_fewer_than_it_lists(sql_store, monkeypatch):
    """SPEC 10: the orders kept in memory are bounded; listing more than that loses none."""
    monkeypatch.setattr(sql_adapter, "_CACHED_ORDERS", 2)
    orders = [submitted_order(sql_store.new_id(), f"044 123 45 6{d}") for d in range(5)]
    sql_store.save(orders)
    assert list(sql_store.orders()) == orders
    assert [sql_store.get(order.id) for order in orders] == orders


def test_a_request_with_a_customised_profile_is_stored_with_its_rules(sql_store):
    """SPEC 10: a carrier's own profile (a shorter ASAP lead) comes back from the store as given."""
    profile = attrs.evolve(profile_for("CH"), asap_lead_business_days=3)
    engine = engine_on(sql_store)
    request = attrs.evolve(
        swiss_request(numbers=("044 123 46 00",), timing=Timing.asap()), country=profile
    )
    order = engine.submit(request)
    other = SqlOrderStore(sql_store.url)
    reread = engine_on(other).get(order.id)
    other.close()
    assert reread == order
    assert reread.valid.request.country == profile
    assert reread.valid.profile.asap_lead_business_days == 3
    # Monday 4 January 2027: three business days on is Thursday 7 January.
    assert reread.port_at.date() == dt.date(2027, 1, 7)


def test_a_self_service_order_is_stored_with_its_orderer(sql_store):
    """Seed 003: who placed the order, and with which right, comes back from the store."""
    engine = engine_on(sql_store)
    orderer = Orderer("Lars Berg", account_permission=True)
    order = engine.submit(swiss_request(numbers=("044 123 46 00",), orderer=orderer))
    other = SqlOrderStore(sql_store.url)
    reread = engine_on(other).get(order.id)
    other.close()
    assert reread == order
    assert reread.valid.request.orderer == orderer


def test_a_document_stored_before_the_orderer_existed_reads_back_without_one():
    """Nothing lost: an order saved before `PortRequest.orderer` existed still loads."""
    order = Engine.in_memory("CH", now=START).submit(swiss_request())
    document = documents.order_to_document(order)
    del document["valid"]["request"]["orderer"]
    assert documents.order_from_document(document) == order


def test_a_notice_stored_with_its_order_id_among_its_params_is_still_delivered_under_its_key():
    """Nothing lost: notices kept ``order_id`` among their params before it came from the field."""
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(swiss_request())
    document = documents.order_to_document(order)
    (stored_notice,) = document["notifications"]
    stored_notice["params"] = [["order_id", order.id]]
    (confirmation,) = order.notifications
    earlier_key = notification_key(
        order.id,
        confirmation.kind,
        confirmation.recipient,
        confirmation.occasion,
        params=[("order_id", order.id)],
    )
    assert earlier_key != confirmation.key
    document["timers"][0]["key"] = earlier_key
    earlier = documents.order_from_document(document)
    assert earlier.notifications[0].key == earlier_key
    assert earlier.notifications[0].render() == confirmation.render()
    revived = Engine.in_memory("CH", now=START)
    revived.store.save([earlier])
    revived.advance(START + dt.timedelta(days=7))
    assert revived.notifier.keys == [earlier_key]
    assert revived.get(order.id).timers == ()


def test_a_document_stored_before_a_profile_field_existed_reads_back_with_its_default():
    """Nothing lost: an order saved before `delivery_retry_max` existed still loads."""
    order = Engine.in_memory("CH", now=START).submit(swiss_request())
    document = documents.order_to_document(order)
    del document["valid"]["profile"]["delivery_retry_max"]
    reread = documents.order_from_document(document)
    assert reread == order
    assert reread.valid.profile.delivery_retry_max == dt.timedelta(hours=1)


def test_workers_opened_on_one_store_share_the_inventory_and_notifier_given(sql_store):
    """SPEC 7 and 10: several workers pass one inventory; each process's own pool cannot do.

    With a pool each, the second worker would not know the temporary numbers the
    first handed out, and could not deactivate them when it executes the port.
    """
    inventory = MemoryNumberPool.for_country("CH")
    notifier = RecordingNotifier()
    first, second = (
        Engine.open(sql_store.url, clock=ManualClock(START), inventory=inventory, notifier=notifier)
        for _ in range(2)
    )
    order = first.submit(swiss_request(numbers=("044 123 46 00",)))
    first.approve(order.id)
    port_at = first.donor_confirms(order.id).port_at
    second.advance(port_at)
    (temporary,) = second.get(order.id).temporary_numbers
    assert second.get(order.id).state is OrderState.COMPLETED
    assert inventory.status[temporary.text] is TemporaryStatus.DEACTIVATED
    assert first.inventory is second.inventory is inventory
    assert {n.kind for n in notifier.delivered} >= {NotificationKind.PORT_COMPLETED}
    first.store.close()
    second.store.close()


def test_advance_raises_when_a_store_refuses_naming_a_revision_it_does_not_hold():
    """SPEC 10: a store whose refusal is off by one is no other worker; advance must not loop."""

    class OffByOne(MemoryOrderStore):
        def __init__(self) -> None:
            super().__init__()
            self.accepted = 3

        def save(self, orders):
            if self.accepted == 0:
                order = orders[0]
                raise ConcurrentChange(order.id, order.revision, order.revision - 1)
            self.accepted -= 1
            super().save(orders)

    engine = engine_on(OffByOne())
    order = engine.submit(swiss_request(numbers=("044 123 46 00",)))
    engine.approve(order.id)
    port_at = engine.donor_confirms(order.id).port_at
    with pytest.raises(ConcurrentChange):
        engine.advance(port_at)


def test_an_ended_group_member_still_holding_its_execute_timer_lets_it_lapse():
    """SPEC 6: a timer of an ended order is dropped, not fired again and again.

    The engine never leaves one there; a store written by other code might.
    """
    store = MemoryOrderStore()
    engine = engine_on(store)
    first, second = engine.submit_group(swiss_request(numbers=ELEVEN))
    engine.cancel(second.id)
    cancelled = engine.get(first.id)
    engine.cancel(first.id)
    ended = engine.get(first.id)
    execution = Timer(cancelled.port_at, TimerAction.EXECUTE)
    store.save([ended.changed(timers=(execution,)).next_revision()])

    fired = engine.advance(cancelled.port_at)
    assert [f for f in fired if f.action is TimerAction.EXECUTE] == []
    assert engine.get(first.id).timers == ()
    assert engine.get(first.id).state is OrderState.CANCELLED


def test_a_save_after_another_workers_change_is_refused_whatever_this_store_kept(sql_store):
    """SPEC 10: a store that kept an older version still has its save refused, not misread.

    This store saved the order live, holding the number; another worker then
    cancelled it and a new order took the number. Saving a change of the old
    version is a concurrent change (load the order again), not the number
    being taken, and leaves both orders and what they hold as they were.
    """
    other_worker = SqlOrderStore(sql_store.url)
    try:
        order = submitted_order(sql_store.new_id(), "044 123 45 67")
        sql_store.save([order])
        loaded = other_worker.get(order.id)
        cancelled = workflow.cancel(loaded, START, "reseller", keep_temporary=False)
        other_worker.save([cancelled.next_revision()])
        taker = submitted_order(other_worker.new_id(), "044 123 45 67")
        other_worker.save([taker])
        changed = workflow.ask(order, "Still yours?", START, "provider").next_revision()
        with pytest.raises(ConcurrentChange) as refused:
            sql_store.save([changed])
        assert (refused.value.loaded, refused.value.stored) == (1, 2)
        assert sql_store.get(order.id).state is OrderState.CANCELLED
        assert sql_store.held_by(["+41441234567"]) == {"+41441234567": taker.id}
    finally:
        other_worker.close()


def test_an_order_of_an_earlier_build_lets_its_numbers_go_when_it_ends(tmp_path):
    """An order stored before revisions (0, as the schema check's fix adds the column) ends.

    Its first save under this build is revision 1 and ends it: the numbers it
    held are let go, so that a new order can take them.
    """
    url = f"sqlite:///{tmp_path / 'upgraded.db'}"
    store = SqlOrderStore(url)
    order = submitted_order(store.new_id(), "044 123 45 67")
    store.save([order])
    store.close()
    earlier = documents.order_to_document(order)
    del earlier["revision"]
    with sa.create_engine(url).begin() as connection:
        connection.execute(
            sa.text("UPDATE portflow_orders SET revision = 0, document = :document"),
            {"document": json.dumps(earlier)},
        )
    store = SqlOrderStore(url)
    try:
        loaded = store.get(order.id)
        assert loaded.revision == 0
        cancelled = workflow.cancel(loaded, START, "reseller", keep_temporary=False)
        store.save([cancelled.next_revision()])
        assert store.held_by(["+41441234567"]) == {}
        store.save([submitted_order(store.new_id(), "044 123 45 67")])
    finally:
        store.close()


def test_a_new_order_stored_under_the_same_id_meanwhile_is_a_concurrent_change(
    postgres_database,
):
    """SPEC 10: two workers inserting one new order: the second is told, not misled.

    The other worker's insert came in after this save began and before it
    wrote its row: that is another worker's order, not a number taken.
    """
    first, second = SqlOrderStore(postgres_database), SqlOrderStore(postgres_database)
    order = submitted_order(first.new_id(), "044 123 45 67")
    other = submitted_order(order.id, "044 123 45 68")

    pending = [other]

    def other_worker_first(_connection, _cursor, statement, *_args):
        # Just before this save takes the holdings lock, the first thing it writes.
        if statement.startswith("UPDATE portflow_locks") and pending:
            second.save([pending.pop()])

    sa.event.listen(first._engine, "before_cursor_execute", other_worker_first)  # noqa: SLF001
    with pytest.raises(ConcurrentChange):
        first.save([order])
    assert first.get(order.id) == other
    first.close()
    second.close()


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def every_store(request):
    """A fresh store of each kind: memory, SQLite and PostgreSQL."""
    if request.param == "memory":
        return MemoryOrderStore()
    return request.getfixturevalue("sql_store_" + request.param)


@pytest.fixture
def sql_store_sqlite(tmp_path):
    """A fresh SQLite store."""
    store = SqlOrderStore(f"sqlite:///{tmp_path / 'orders.db'}")
    yield store
    store.close()


@pytest.fixture
def sql_store_postgresql(postgres_database):
    """A fresh PostgreSQL store."""
    store = SqlOrderStore(postgres_database)
    yield store
    store.close()


def test_an_id_or_request_of_the_wrong_kind_is_refused_alike_on_every_store(every_store):
    """SPEC 10 and 11: every store answers a bad argument with argument.invalid, not a driver error.

    PostgreSQL compares a number with a text column only after an error; memory
    and SQLite would merely find no order. The engine refuses it before any store.
    """
    engine = engine_on(every_store)
    engine.submit(swiss_request())
    calls = {
        "order_id": [
            lambda: engine.get(1),
            lambda: engine.cancel(1),
            lambda: engine.notifications(7),
            lambda: engine.submit(swiss_request(), order_id=1),
        ],
        "group_id": [lambda: engine.group(1)],
        "request": [lambda: engine.submit("x"), lambda: engine.submit_group(None)],
    }
    for field, attempts in calls.items():
        for attempt in attempts:
            with pytest.raises(InvalidInput) as refused:
                attempt()
            assert (refused.value.code, refused.value.field) == (Code.ARGUMENT_INVALID, field)


@pytest.mark.parametrize(
    ("first_takes", "second_takes"),
    [("04412346xx", "044 123 46 55"), ("044 123 46 55", "04412346xx")],
    ids=["block-then-single", "single-then-block"],
)
def test_of_two_workers_taking_overlapping_units_at_once_only_one_holds_them(
    two_workers, first_takes, second_takes
):
    """SPEC 1.3 and 10: a block and a number in it are never held by two live orders.

    The second worker validates its request while nothing is held; the first
    saves its order before the second can. The keys differ (``+414412346xx``
    and ``+41441234655``), so the store must see the overlap as it saves.
    """
    first, second = two_workers
    saves_after(second, lambda: first.submit(swiss_request(numbers=(first_takes,))))
    with pytest.raises(ValidationFailed) as raised:
        second.submit(swiss_request(numbers=(second_takes,)))
    assert raised.value.codes == {Code.NUMBERS_ALREADY_IN_PORT}
    live = [order for order in second.orders() if order.state.is_live]
    assert [order.valid.request.numbers for order in live] == [(first_takes,)]


def test_workers_submitting_the_same_numbers_in_any_order_get_one_order_and_a_refusal(sql_store):
    """SPEC 10 and 11: racing submissions end in one order and a refusal, never a deadlock.

    Two threads submit the same ten numbers, listed the other way round, again and
    again; each round exactly one order holds them, and the other thread gets
    ``numbers.already_in_port``.
    """
    inventory = MemoryNumberPool.for_country("CH")
    stores = [sql_store, SqlOrderStore(sql_store.url)]
    engines = [engine_on(store, inventory) for store in stores]
    try:
        for round_number in range(8):
            numbers = [f"04412{round_number}{n:02d}00" for n in range(10)]
            requests = [
                swiss_request(numbers=tuple(numbers)),
                swiss_request(numbers=tuple(reversed(numbers))),
            ]
            barrier = threading.Barrier(2)
            outcomes: list[object] = [None, None]

            def submit(index: int, requests=requests, barrier=barrier, outcomes=outcomes) -> None:
                barrier.wait()
                try:
                    outcomes[index] = engines[index].submit(requests[index]).state
                except ValidationFailed as refused:
                    outcomes[index] = "+".join(sorted(refused.codes))
                except ConcurrentChange as refused:
                    outcomes[index] = refused.code

            threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sorted(map(str, outcomes)) == sorted(
                [str(OrderState.SUBMITTED), str(Code.NUMBERS_ALREADY_IN_PORT)]
            ), outcomes
    finally:
        stores[1].close()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_workers_opening_a_new_database_at_once_all_find_its_tables(kind, request, tmp_path):
    """SPEC 10: several workers start on one empty database; each creates what is missing."""
    if kind == "sqlite":
        url = sql_adapter.sqlite_url(str(tmp_path / "new.db"))
    else:
        url = request.getfixturevalue("postgres_database")
    barrier = threading.Barrier(4)
    opened: list[SqlOrderStore] = []
    failures: list[BaseException] = []

    def open_store() -> None:
        barrier.wait()
        try:
            opened.append(SqlOrderStore(url))
        except BaseException as error:  # noqa: BLE001 - every failure is reported below
            failures.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert failures == []
        ids = {store.new_id() for store in opened}
        assert len(ids) == 4
    finally:
        for store in opened:
            store.close()


def test_a_sqlite_file_another_process_keeps_locked_refuses_the_save_as_a_concurrent_change(
    tmp_path,
):
    """SPEC 11: a write lock held past the wait ends in order.changed_concurrently, to retry.

    Nothing is saved, and once the lock is gone the same save goes through.
    """
    path = tmp_path / "locked.db"
    store = SqlOrderStore(f"{sql_adapter.sqlite_url(str(path))}?timeout=0.2")
    order = submitted_order(store.new_id(), "044 123 46 00")
    holder = sqlite3.connect(path, timeout=0.2)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(ConcurrentChange) as refused:
            store.save([order])
        assert refused.value.code is Code.ORDER_CHANGED_CONCURRENTLY
        assert "kept refusing" in refused.value.message
        holder.rollback()
        assert store.get(order.id) is None
        store.save([order])
        assert store.get(order.id) == order
    finally:
        holder.close()
        store.close()


def test_threads_taking_a_block_and_a_number_in_it_at_once_never_both_hold_them(sql_store):
    """SPEC 1.3 and 10: with no hook to order them, of two racing savers only one holds.

    Round after round, one thread saves a block and another a number inside it at
    the same moment; the first round runs with the lock row lost, which the
    store makes again.
    """
    other = SqlOrderStore(sql_store.url)
    with sql_store._engine.begin() as connection:  # noqa: SLF001 - a lock row lost
        connection.execute(sa.delete(sql_adapter._locks))  # noqa: SLF001
    try:
        for round_number in range(12):
            units = (f"04412{round_number:02d}6xx", f"044 12{round_number:02d} 6 55")
            orders = [
                submitted_order(store.new_id(), unit)
                for store, unit in zip((sql_store, other), units, strict=True)
            ]
            barrier = threading.Barrier(2)

            def save(store, order, barrier=barrier) -> None:
                barrier.wait()
                with contextlib.suppress(ValidationFailed):
                    store.save([order])

            threads = [
                threading.Thread(target=save, args=pair)
                for pair in zip((sql_store, other), orders, strict=True)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            saved = [order for order in orders if sql_store.get(order.id) is not None]
            assert len(saved) == 1, round_number
    finally:
        other.close()


@pytest.fixture
def frequent_thread_switches():
    """Let threads switch every microsecond, so that races show within a few rounds."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def _race(*saves: Callable[[], None]) -> int:
    """Run the saves in threads released at one moment; return how many the store took."""
    barrier = threading.Barrier(len(saves))
    taken: list[bool] = []

    def run(save: Callable[[], None]) -> None:
        barrier.wait()
        try:
            save()
        except (ConcurrentChange, ValidationFailed):
            return
        taken.append(True)

    threads = [threading.Thread(target=run, args=(save,)) for save in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(taken)


@pytest.mark.usefixtures("frequent_thread_switches")
def test_threads_sharing_a_memory_store_never_lose_a_save_or_hold_a_number_twice():
    """SPEC 1.3 and 10: a memory store shared by threads checks and saves in one step.

    Round after round, six threads save their version of one order loaded at
    one revision, and two threads save a block and a number inside it.
    """
    for _ in range(150):
        store = MemoryOrderStore()
        order = submitted_order(store.new_id(), "044 123 45 67")
        store.save([order])
        versions = [workflow.approve(order, START, f"worker {n}").next_revision() for n in range(6)]
        assert _race(*[functools.partial(store.save, [version]) for version in versions]) == 1
        assert store.get(order.id) in versions
        block = submitted_order(store.new_id(), "04412346xx")
        single = submitted_order(store.new_id(), "044 123 46 55")
        saves = (functools.partial(store.save, [block]), functools.partial(store.save, [single]))
        assert _race(*saves) == 1
        assert [store.get(block.id), store.get(single.id)].count(None) == 1


class _LetGoRightAfterTheTest(dict):
    """Held numbers another thread lets go of just after a reader tested for them."""

    def __contains__(self, key):
        held = super().__contains__(key)
        self.pop(key, None)
        return held


def test_a_memory_store_reads_each_held_number_once_so_one_let_go_meanwhile_cannot_raise():
    """SPEC 10: `held_by` reads without the lock; testing for a key, then reading it, raised.

    The index here lets a number go as soon as it is tested for, as another
    thread might between the test and the read.
    """
    store = MemoryOrderStore()
    order = submitted_order(store.new_id(), "044 123 45 67")
    store.save([order])
    keys = list(held_keys(order.valid.numbers, live=True))
    assert store.held_by(keys) == dict.fromkeys(keys, order.id)
    store._held = _LetGoRightAfterTheTest(store._held)  # noqa: SLF001 - plays the other thread
    assert store.held_by(keys) == dict.fromkeys(keys, order.id)


def test_a_notice_delivered_while_another_worker_cancels_stays_listed(two_workers):
    """SPEC 9: nothing lost: what went out is listed, though the cancel withdrew it meanwhile.

    The first worker delivers the reseller's advice; before it can save that,
    the second cancels the order, withdrawing what was still pending. The first
    worker records the delivery on the cancelled order: the advice is listed as
    delivered, the confirmation not yet sent stays withdrawn.
    """
    first, second = two_workers
    order = first.approve(first.submit(swiss_request(numbers=("044 123 46 00",))).id)
    saves_after(first, lambda: second.cancel(order.id))
    fired = first.advance()
    advice = next(
        n for n in order.notifications if n.kind is NotificationKind.ADVICE_REVIEW_DONOR_SERVICES
    )
    assert (order.id, advice.key) in [(f.order_id, f.key) for f in fired]
    cancelled = second.get(order.id)
    assert cancelled.state is OrderState.CANCELLED
    kinds = [n.kind for n in second.notifications(order.id)]
    assert NotificationKind.ADVICE_REVIEW_DONOR_SERVICES in kinds
    assert NotificationKind.ORDER_CONFIRMATION not in kinds
    assert advice.key not in cancelled.pending_keys
    assert first.notifier.keys.count(advice.key) == 1


def _every_adapter() -> dict[str, object]:
    return {
        "clock": ManualClock(START),
        "donor": RecordingDonorGateway(),
        "contracts": DeclaredContractLookup(),
        "inventory": MemoryNumberPool.for_country("SE"),
        "notifier": RecordingNotifier(),
    }


def test_engine_sqlite_and_postgresql_take_what_open_takes():
    """One list of `Engine.open`'s keyword arguments serves its two shortcuts."""
    opens = inspect.signature(Engine.open).parameters.values()
    keywords = {p.name for p in opens if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert set(typing.get_type_hints(_OpenArguments)) == keywords


@pytest.mark.parametrize("shortcut", ["sqlite", "postgresql"])
def test_engine_shortcuts_wire_the_adapters_given(shortcut, request):
    """Every adapter given to `Engine.sqlite` or `Engine.postgresql` is the one used."""
    location = ":memory:" if shortcut == "sqlite" else request.getfixturevalue("postgres_database")
    adapters = _every_adapter()
    engine = getattr(Engine, shortcut)(location, **adapters)
    assert {name: getattr(engine, name) for name in adapters} == adapters
    engine.store.close()
    if shortcut == "sqlite":
        pool = Engine.sqlite(location, country="SE").inventory
        assert isinstance(pool, MemoryNumberPool)
        assert {block.country for block in pool.ranges} == {"SE"}


def test_engine_shortcuts_refuse_what_open_does_not_take():
    """A misspelt argument is refused, not dropped."""
    with pytest.raises(TypeError, match="zone"):
        Engine.sqlite(":memory:", zone="Europe/Zurich")  # type: ignore[call-arg]


@pytest.fixture
def two_workers_on_every_store(every_store):
    """Two engines on one store of each kind, sharing one inventory."""
    inventory = MemoryNumberPool.for_country("CH")
    if isinstance(every_store, MemoryOrderStore):
        yield engine_on(every_store, inventory), engine_on(every_store, inventory)
        return
    second = SqlOrderStore(every_store.url)
    yield engine_on(every_store, inventory), engine_on(second, inventory)
    second.close()


def _approved_group(engine: Engine) -> tuple[PortOrder, ...]:
    """Submit eleven single numbers as a group of two and approve both members."""
    members = engine.submit_group(swiss_request(numbers=ELEVEN))
    return tuple(engine.approve(member.id) for member in members)


def _executes(engine: Engine, order_id: str) -> bool:
    return any(timer.action is TimerAction.EXECUTE for timer in engine.get(order_id).timers)


def test_two_members_confirmed_at_once_still_execute_together(two_workers_on_every_store):
    """SPEC 1.3: each worker read the other member unconfirmed; the second save is refused.

    Saved side by side, neither confirmation saw the group ready, no member got
    its execute timer, and the port never happened. The second worker runs its
    command again and the group executes.
    """
    first, second = two_workers_on_every_store
    one, two = _approved_group(first)
    saves_after(first, lambda: second.donor_confirms(two.id))
    with pytest.raises(ConcurrentChange):
        first.donor_confirms(one.id)
    assert first.get(one.id).state is OrderState.REQUESTED  # nothing of it was saved
    first.donor_confirms(one.id)
    assert _executes(first, one.id)
    assert _executes(first, two.id)
    first.advance(dt.datetime(2027, 4, 1, tzinfo=dt.UTC))
    assert [member.state for member in first.group(one.id)] == [OrderState.COMPLETED] * 2


def test_a_member_confirmed_while_the_other_is_cancelled_executes(two_workers_on_every_store):
    """SPEC 6: a cancelled member no longer holds the group back, also when cancelled meanwhile.

    The confirmation read the other member unconfirmed, the cancel read this one
    unconfirmed: saved side by side, the confirmed member got no execute timer.
    """
    first, second = two_workers_on_every_store
    one, two = _approved_group(first)
    saves_after(first, lambda: second.cancel(two.id))
    with pytest.raises(ConcurrentChange):
        first.donor_confirms(one.id)
    first.donor_confirms(one.id)
    assert _executes(first, one.id)
    first.advance(dt.datetime(2027, 4, 1, tzinfo=dt.UTC))
    assert [m.state for m in first.group(one.id)] == [OrderState.COMPLETED, OrderState.CANCELLED]


def test_members_approved_at_once_on_two_days_take_one_instant(two_workers_on_every_store):
    """Decision: a member approved after another takes that one's ASAP instant, also at once.

    The second worker's clock reads the next day: approved side by side, each
    member got an instant of its own day, and the group could never execute.
    """
    first, second = two_workers_on_every_store
    second.clock = ManualClock(START + dt.timedelta(days=1))
    one, two = first.submit_group(swiss_request(numbers=ELEVEN, timing=Timing.asap()))
    saves_after(first, lambda: second.approve(two.id))
    with pytest.raises(ConcurrentChange):
        first.approve(one.id)
    first.approve(one.id)
    assert first.get(one.id).port_at == first.get(two.id).port_at


@pytest.fixture
def two_workers_one_donor(two_workers_on_every_store):
    """Two workers on one store of each kind, telling one donor gateway."""
    first, second = two_workers_on_every_store
    second.donor = first.donor
    return first, second


def test_a_wake_refused_for_a_cancel_meanwhile_withdraws_what_it_sent(two_workers_one_donor):
    """SPEC 6: a cancelled order is not left at the donor, also when cancelled during its wake.

    The wake sent the deferred order to the donor before its save, which was
    refused: another worker had cancelled the order, which the donor did not have
    then. The engine withdraws what it sent.
    """
    first, second = two_workers_one_donor
    order = first.submit(swiss_request(numbers=("044 123 46 00",)))
    wake = START + dt.timedelta(days=3)
    first.approve(order.id, defer_until=wake)
    first.advance(wake - dt.timedelta(seconds=1))  # the notices due before it
    saves_after(first, lambda: second.cancel(order.id))
    first.advance(wake)
    assert first.get(order.id).state is OrderState.CANCELLED
    assert first.donor.sent == [order.id]
    assert first.donor.withdrawn == [order.id]


def test_a_cancel_refused_for_a_confirmation_meanwhile_sends_the_order_again(
    two_workers_one_donor,
):
    """SPEC 6: a port that goes ahead is at the donor, also after a cancel that was refused.

    The cancel withdrew the order at the donor before its save, which was
    refused: the donor had confirmed it meanwhile. The engine sends it again, so
    that the donor holds what the store holds.
    """
    first, second = two_workers_one_donor
    order = first.submit(swiss_request(numbers=("044 123 46 00",)))
    first.approve(order.id)
    saves_after(second, lambda: first.donor_confirms(order.id))
    with pytest.raises(ConcurrentChange):
        second.cancel(order.id)
    assert first.get(order.id).state is OrderState.SCHEDULED
    assert first.donor.withdrawn == [order.id]
    assert first.donor.sent == [order.id, order.id]


class _FailingDonor(RecordingDonorGateway):
    """A donor gateway whose sends or withdrawals fail once their flag is set."""

    sends_fail = False
    withdrawals_fail = False

    def send(self, order: PortOrder) -> None:
        if self.sends_fail:
            raise ConnectionError("donor unreachable")
        super().send(order)

    def withdraw(self, order: PortOrder) -> None:
        if self.withdrawals_fail:
            raise ConnectionError("donor unreachable")
        super().withdraw(order)


@pytest.fixture
def two_workers_failing_donor(two_workers_on_every_store):
    """Two workers on one store of each kind, telling one donor that may fail."""
    first, second = two_workers_on_every_store
    first.donor = second.donor = _FailingDonor()
    return first, second, first.donor


def test_advance_goes_on_when_the_donor_fails_to_take_back_a_wake(two_workers_failing_donor):
    """Nothing lost: a wake refused for a cancel meanwhile, its withdrawal failing, stops nothing.

    The other order due in the same run still reaches the donor.
    """
    first, second, donor = two_workers_failing_donor
    order = first.submit(swiss_request(numbers=("044 123 46 00",)))
    later = first.submit(swiss_request(numbers=("044 123 46 01",)))
    wake = START + dt.timedelta(days=3)
    first.approve(order.id, defer_until=wake)
    first.approve(later.id, defer_until=wake + dt.timedelta(hours=1))
    first.advance(wake - dt.timedelta(seconds=1))

    def cancel_while_withdrawals_fail() -> None:
        second.cancel(order.id)
        donor.withdrawals_fail = True

    saves_after(first, cancel_while_withdrawals_fail)
    first.advance(wake + dt.timedelta(hours=2))
    assert first.get(order.id).state is OrderState.CANCELLED
    assert first.get(later.id).state is OrderState.REQUESTED
    assert donor.sent == [order.id, later.id]


def test_a_refused_cancel_whose_resend_fails_is_still_a_concurrent_change(
    two_workers_failing_donor,
):
    """SPEC 11: the caller gets the refusal to run again, with a note naming the donor's failure."""
    first, second, donor = two_workers_failing_donor
    order = first.submit(swiss_request(numbers=("044 123 46 00",)))
    first.approve(order.id)

    def confirm_while_sends_fail() -> None:
        first.donor_confirms(order.id)
        donor.sends_fail = True

    saves_after(second, confirm_while_sends_fail)
    with pytest.raises(ConcurrentChange) as raised:
        second.cancel(order.id)
    (note,) = raised.value.__notes__
    assert f"order {order.id}'s stored status (scheduled)" in note
    assert "donor unreachable" in note
    assert first.get(order.id).state is OrderState.SCHEDULED


TWENTY_ONE = tuple(f"044 123 47 {n:02d}" for n in range(21))


def test_two_members_but_the_first_confirmed_at_once_still_execute_together(
    two_workers_on_every_store,
):
    """SPEC 1.3: the group's first member is saved by every group command, so they serialise.

    Members two and three are confirmed at once, the first was confirmed before:
    both commands save the first member, and the second of them is refused.
    A command does not rewrite the members it leaves as they were: member
    three's revision moves only with its own changes.
    """
    first, second = two_workers_on_every_store
    one, two, three = first.submit_group(swiss_request(numbers=TWENTY_ONE))
    for member in (one, two, three):
        first.approve(member.id)
    first.donor_confirms(one.id)
    untouched = first.get(three.id).revision
    saves_after(first, lambda: second.donor_confirms(three.id))
    with pytest.raises(ConcurrentChange):
        first.donor_confirms(two.id)
    assert first.get(three.id).revision == untouched + 1  # its own confirmation only
    first.donor_confirms(two.id)
    assert all(_executes(first, member.id) for member in (one, two, three))
    first.advance(dt.datetime(2027, 4, 1, tzinfo=dt.UTC))
    assert {member.state for member in first.group(one.id)} == {OrderState.COMPLETED}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres:s3cret@127.0.0.1:abc/test",  # no URL SQLAlchemy reads
        "mysql://root:s3cret@localhost/orders",  # another database
        "postgresql+psycopg://postgres:s3cret@/test?host=/nowhere",
    ],
)
def test_a_refused_store_url_never_shows_its_password(url):
    """Messages name the input (SPEC 11), but a password does not belong in logs."""
    with pytest.raises((InvalidInput, sa.exc.SQLAlchemyError)) as refused:
        SqlOrderStore(url)
    assert "s3cret" not in str(refused.value)
