"""The SQL order store: SQLite embedded by default, PostgreSQL for several workers.

One code path for both, through SQLAlchemy Core: an order is one JSON
document beside the columns the engine queries (its group, its next due
instant), and the numbers live orders hold are rows of their own whose
primary key is the held key, so two workers can never both hold one unit.

Foreign errors are translated at this boundary: a key another order took
between validation and save raises ``numbers.already_in_port``.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import sqlite3
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final, TypeVar

import sqlalchemy as sa

from portflow._adapters.documents import order_from_document, order_to_document
from portflow._core.errors import (
    Code,
    ConcurrentChange,
    InvalidInput,
    ValidationFailed,
    Violation,
    checked_flag,
)
from portflow._core.holdings import clashes, clashes_within, held_keys
from portflow._core.orders import PortOrder

URL_VARIABLE: Final = "PORTFLOW_DATABASE_URL"
"""The environment variable a store URL is read from when none is given."""
DEFAULT_URL: Final = "sqlite:///portflow.db"
"""The embedded default: a SQLite file in the working directory."""

_T = TypeVar("_T")
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# SQLite allows 32,766 bound parameters per statement; stay well below.
_KEYS_PER_QUERY: Final = 900
_CREATE_ATTEMPTS: Final = 5
_TRANSACTION_ATTEMPTS: Final = 3
_CACHED_ORDERS: Final = 10_000
"""How many parsed orders a store keeps, by id and revision, to skip reading them again."""

_metadata = sa.MetaData()
_orders = sa.Table(
    "portflow_orders",
    _metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(64), nullable=False, unique=True),
    sa.Column("group_id", sa.String(64), index=True),
    sa.Column("next_due", sa.BigInteger, index=True),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("document", sa.JSON, nullable=False),
)
_held = sa.Table(
    "portflow_held",
    _metadata,
    sa.Column("key", sa.String(32), primary_key=True),
    sa.Column("order_id", sa.String(64), nullable=False, index=True),
)
_ids = sa.Table(
    "portflow_ids",
    _metadata,
    sa.Column("value", sa.Integer, primary_key=True, autoincrement=True),
)
_locks = sa.Table(
    "portflow_locks",
    _metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("taken", sa.BigInteger, nullable=False),
)
_HOLDINGS_LOCK: Final = "holdings"
"""The lock row a save takes before it holds new units, so that one saver checks at a time."""
# Refusals of a transaction that another one's locks caused; running it again may succeed.
_PG_RETRYABLE: Final = frozenset({"40001", "40P01"})  # serialization failure, deadlock

# Every statement is built once, its values bound at each run: building one cost
# SQLAlchemy more than running it (docs/benchmarks.md). Bound names differ from the
# columns', which an update's SET clause takes its values under.
_by_revision = sa.select(_orders.c.id, _orders.c.revision).order_by(_orders.c.seq)
_REVISIONS_OF_ALL: Final = _by_revision
_REVISION_OF_ORDER: Final = _by_revision.where(_orders.c.id == sa.bindparam("order_id"))
_REVISIONS_OF_GROUP: Final = _by_revision.where(_orders.c.group_id == sa.bindparam("group"))
_DOCUMENTS: Final = sa.select(_orders.c.document).where(
    _orders.c.id.in_(sa.bindparam("order_ids", expanding=True))
)
_INSERT_ORDER: Final = sa.insert(_orders)
_UPDATE_ORDER: Final = sa.update(_orders).where(
    _orders.c.id == sa.bindparam("order_id"),
    _orders.c.revision == sa.bindparam("loaded"),
)
_STORED_REVISION: Final = sa.select(_orders.c.revision).where(
    _orders.c.id == sa.bindparam("order_id")
)
_DUE_FIRST: Final = (
    sa.select(_orders.c.next_due, _orders.c.id)
    .where(_orders.c.next_due <= sa.bindparam("until"))
    .order_by(_orders.c.next_due, _orders.c.seq)
    .limit(1)
)
_HOLDERS: Final = sa.select(_held.c.key, _held.c.order_id).where(
    _held.c.key.in_(sa.bindparam("keys", expanding=True))
)
_HELD_OF: Final = sa.select(_held.c.order_id, _held.c.key).where(
    _held.c.order_id.in_(sa.bindparam("order_ids", expanding=True))
)
_RELEASE: Final = sa.delete(_held).where(_held.c.order_id == sa.bindparam("order_id"))
_HOLD: Final = sa.insert(_held)
_TAKE_LOCK: Final = (
    sa.update(_locks).where(_locks.c.name == _HOLDINGS_LOCK).values(taken=_locks.c.taken + 1)
)
_MAKE_LOCK: Final = sa.insert(_locks).values(name=_HOLDINGS_LOCK, taken=1)
_NEW_ID: Final = sa.insert(_ids)


def _micros(instant: dt.datetime) -> int:
    # Whole microseconds since the epoch sort and compare the same in every database.
    return (instant - _EPOCH) // dt.timedelta(microseconds=1)


def _instant(micros: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=micros)


def _tune_sqlite(connection: sqlite3.Connection, _record: object) -> None:
    # Write-ahead logging with NORMAL sync survives a crash of the process and
    # commits without an fsync each; only a power cut may lose the last commits.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _in_memory(url: sa.engine.URL) -> bool:
    return url.get_backend_name() == "sqlite" and (
        url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"
    )


def _reading_engine(url: sa.engine.URL) -> sa.engine.Engine:
    """Return an engine that reads the database at ``url`` and can write nothing to it.

    A SQLite file is opened read-only as the path the URL names (a ``file:``
    URI's path included), and must be there; on PostgreSQL every session is
    read-only, inside a transaction or not.

    Raises:
        InvalidInput: ``argument.invalid`` for an in-memory database or a SQLite
            file that is not there.
    """
    if url.get_backend_name() != "sqlite":
        # Every session read-only at the server: transactions and reads outside one alike.
        read_only_sessions = {"options": "-c default_transaction_read_only=on"}
        return sa.create_engine(url, connect_args=read_only_sessions)
    path = _sqlite_path(url)
    # os.path.isfile, unlike Path.is_file on 3.11, is false for any OSError: a name
    # too long, a directory that may not be entered.
    if path is None or not os.path.isfile(path):  # noqa: PTH113
        where = "an in-memory database" if path is None else f"{path}: no such readable file"
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"There is no portflow store to read at {where}; name the SQLite file of a store.",
            "url",
        )
    uri = f"file:{urllib.parse.quote(str(Path(path).absolute()))}?mode=ro"

    def read_only() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return sa.create_engine(sqlite_url(path), creator=read_only)


def _sqlite_path(url: sa.engine.URL) -> str | None:
    """Return the file a SQLite URL names, or ``None`` for an in-memory database."""
    if _in_memory(url):
        return None
    database = url.database or ""
    if url.query.get("uri") == "true" and database.startswith("file:"):
        return urllib.parse.unquote(database.removeprefix("file:"))
    return database


def _first_connection_only() -> Callable[[sqlite3.Connection, object], None]:
    """Return a connect hook that refuses every connection after the first.

    Each connection to an in-memory SQLite database opens a new, empty one.
    """
    connected = False

    def refuse_another(_connection: sqlite3.Connection, _record: object) -> None:
        nonlocal connected
        if connected:
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                "An in-memory SQLite store lives in one connection, in the thread that "
                "opened it; used from another thread or after close(), it would be a "
                "new, empty database. Share a store between threads with a SQLite file "
                "(Engine.sqlite(path)) or a MemoryOrderStore.",
                "url",
            )
        connected = True

    return refuse_another


def sqlite_url(path: str) -> str:
    """Return the URL of the SQLite file at ``path``, characters such as ``?`` and ``%`` escaped.

    Pasted into ``sqlite:///…`` as it is, ``shop?1.db`` would open ``shop`` with an
    option, and ``pct%41.db`` would open ``pctA.db``.
    """
    return sa.engine.URL.create("sqlite", database=path).render_as_string(hide_password=False)


def store_url(url: str | None = None) -> str:
    """Return the store URL: the one given, else ``$PORTFLOW_DATABASE_URL``, else SQLite.

    Raises:
        InvalidInput: ``argument.invalid`` for a URL of another database than
            SQLite or PostgreSQL.
    """
    chosen = url or os.environ.get(URL_VARIABLE) or DEFAULT_URL
    try:
        backend = sa.make_url(chosen).get_backend_name()
    except (sa.exc.ArgumentError, ValueError) as error:
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"{hidden_password(chosen)!r} is not a database URL ({error}); write one such as "
            "postgresql://user@host:5432/database, or the path of a SQLite file.",
            "url",
        ) from None
    if backend not in ("sqlite", "postgresql"):
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"portflow stores orders in SQLite or PostgreSQL, not {backend!r} "
            f"({hidden_password(chosen)}).",
            "url",
        )
    return chosen


# The password of scheme://user:password@host, also in a URL SQLAlchemy cannot parse.
_PASSWORD: Final = re.compile(r"(://[^/@:]*:)[^/@]*@")


def hidden_password(url: str) -> str:
    """Return the URL to show in a message: its password, if any, as ``***``."""
    return _PASSWORD.sub(r"\1***@", url)


def _order_id(order: PortOrder) -> str:
    return order.id


def _retryable(error: sa.exc.OperationalError) -> bool:
    """Whether another transaction's locks refused this one: a deadlock, or a busy SQLite file."""
    cause = error.orig
    if getattr(cause, "sqlstate", None) in _PG_RETRYABLE:
        return True
    # The primary code, in the low byte: SQLITE_BUSY_SNAPSHOT is a kind of SQLITE_BUSY.
    code = getattr(cause, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class SqlOrderStore:
    """Orders in SQLite or PostgreSQL; create the tables on first use.

    Reading an order back from its document costs far more than the query, so
    the store keeps the orders it read or saved last, each under its revision:
    a revision names exactly one stored version, so an order whose stored
    revision is the kept one's is served from memory, also when other workers
    write to the same database.
    """

    def __init__(self, url: str | None = None, *, read_only: bool = False) -> None:
        """Connect to the store at ``url`` (see `store_url`) and create its tables.

        A PostgreSQL URL without a driver uses psycopg 3 (the ``postgres`` extra).
        ``read_only`` opens a store that is there already for a process that only
        looks at it (a report, ``portflow orders``): nothing is created and
        nothing can be written, so a save raises. A SQLite file that is not there,
        or a database without portflow's tables, is refused and left as it was;
        SQLite may add the ``-wal`` and ``-shm`` files it reads a store's
        write-ahead log through.

        Raises:
            InvalidInput: ``argument.invalid`` for a URL that is not one, or of
                another database; a store made by an earlier development build;
                with ``read_only``, a database that holds no store.
        """
        checked_flag(read_only, "read_only")
        chosen = sa.make_url(store_url(url))
        if chosen.drivername == "postgresql":
            chosen = chosen.set(drivername="postgresql+psycopg")
        if read_only:
            self._engine = _reading_engine(chosen)
        elif _in_memory(chosen):
            # One connection per thread, kept open: the database lives in its connections.
            self._engine = sa.create_engine(chosen, poolclass=sa.pool.SingletonThreadPool)
            if chosen.query.get("cache") != "shared":  # else every connection shares it
                sa.event.listen(self._engine, "connect", _first_connection_only())
        else:
            self._engine = sa.create_engine(chosen)
        try:
            if read_only:
                self._require_tables()
            else:
                if chosen.get_backend_name() == "sqlite":
                    sa.event.listen(self._engine, "connect", _tune_sqlite)
                self._create_tables()
            self._check_schema()
        except BaseException:
            self._engine.dispose()
            raise
        self._parsed: dict[str, PortOrder] = {}
        # Threads sharing the store read the kept orders freely (a dict look-up is
        # atomic) but change the dict one at a time: evicting walks it.
        self._parsing = threading.Lock()
        # On PostgreSQL reads run outside a transaction, which spares a BEGIN and a
        # ROLLBACK round trip each: a read is one query, or two whose second may find
        # a newer version (also right). SQLite starts no transaction for a read anyway.
        self._reads = (
            self._engine
            if chosen.get_backend_name() == "sqlite"
            else self._engine.execution_options(isolation_level="AUTOCOMMIT")
        )

    def _require_tables(self) -> None:
        if not sa.inspect(self._engine).has_table(_orders.name):
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"{self.url} holds no portflow store (it has no {_orders.name} table); "
                "name a database portflow keeps its orders in.",
                "url",
            )

    def _create_tables(self) -> None:
        """Create what is missing, also while other workers open the same new database."""
        for attempt in range(_CREATE_ATTEMPTS):
            try:
                _metadata.create_all(self._engine)
                with self._engine.begin() as connection:
                    if connection.execute(sa.select(_locks.c.name)).first() is None:
                        connection.execute(sa.insert(_locks).values(name=_HOLDINGS_LOCK, taken=0))
            except sa.exc.DBAPIError:
                # Another worker created a table or the lock row at the same moment:
                # look again, and find it there.
                if attempt == _CREATE_ATTEMPTS - 1:
                    raise
            else:
                return

    def _check_schema(self) -> None:
        columns = {column["name"] for column in sa.inspect(self._engine).get_columns(_orders.name)}
        if "revision" not in columns:
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"The orders table at {self.url} was made by an earlier development build "
                "of portflow and has no revision column; create the database again, or add "
                f"the column: ALTER TABLE {_orders.name} ADD COLUMN revision INTEGER NOT NULL "
                "DEFAULT 0.",
                "url",
            )

    @property
    def url(self) -> str:
        """The store's URL, password hidden."""
        return self._engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Release the store's connections."""
        self._engine.dispose()

    def new_id(self) -> str:
        """Return the next id of the sequence ``PO-000001``, ``PO-000002``, ...

        Raises:
            sqlalchemy.exc.OperationalError: when the database kept refusing the
                transaction because of other transactions' locks.
        """
        value = self._transaction(lambda connection: connection.execute(_NEW_ID))
        key = value.inserted_primary_key
        if key is None:  # never: the table has an autoincrement key
            raise RuntimeError("the id sequence returned no value")
        return f"PO-{key[0]:06d}"

    def _transaction(self, work: Callable[[sa.Connection], _T]) -> _T:
        """Run ``work`` in a transaction, again while other transactions' locks refuse it.

        A refused transaction committed nothing, so running it again is safe; after
        a few refusals the last one is raised.
        """
        attempt = 1
        while True:
            try:
                with self._engine.begin() as connection:
                    return work(connection)
            except sa.exc.OperationalError as error:
                if not _retryable(error) or attempt == _TRANSACTION_ATTEMPTS:
                    raise
                attempt += 1

    def get(self, order_id: str) -> PortOrder | None:
        """Return the order with the id, or ``None``."""
        found = self._read(_REVISION_OF_ORDER, {"order_id": order_id})
        return found[0] if found else None

    def _read(
        self, revisions: sa.Select[str, int], values: Mapping[str, object]
    ) -> list[PortOrder]:
        """Return the orders whose ids and revisions ``revisions`` selects, oldest first.

        Only orders not kept at their stored revision are read and parsed.
        """
        found: dict[str, PortOrder] = {}
        missing: list[str] = []
        with self._reads.connect() as connection:
            rows = connection.execute(revisions, values).all()
            for order_id, revision in rows:
                kept = self._parsed.get(order_id)
                if kept is not None and kept.revision == revision:
                    found[order_id] = kept
                else:
                    missing.append(order_id)
            for start in range(0, len(missing), _KEYS_PER_QUERY):
                chunk = missing[start : start + _KEYS_PER_QUERY]
                documents = connection.execute(_DOCUMENTS, {"order_ids": chunk}).scalars()
                # A version saved between the two queries is newer still: also right.
                found.update((order.id, order) for order in map(order_from_document, documents))
        self._remember(found[order_id] for order_id in missing)
        return [found[order_id] for order_id, _ in rows]

    def _remember(self, orders: Iterable[PortOrder]) -> None:
        with self._parsing:
            for order in orders:
                self._parsed.pop(order.id, None)  # the newest go last, the oldest leave first
                self._parsed[order.id] = order
            while len(self._parsed) > _CACHED_ORDERS:
                del self._parsed[next(iter(self._parsed))]

    def save(self, orders: Sequence[PortOrder]) -> None:
        """Store the orders, what they hold and when they are due, in one transaction.

        Each order's revision must follow the stored one: the update matches the
        row only at the revision before, so of two workers that loaded one
        revision, the second to save is refused. A transaction the database
        refuses because of another one's locks (a deadlock, a file locked past
        its wait) is run again, a few times.

        Raises:
            ConcurrentChange: when another worker saved one of the orders first,
                or the database kept refusing the transaction; nothing is saved.
            ValidationFailed: ``numbers.already_in_port`` when another order took
                one of the units first; nothing is saved.
        """
        try:
            self._transaction(functools.partial(self._save_all, orders=orders))
        except sa.exc.OperationalError as error:
            if not _retryable(error):
                raise
            raise self._busy(orders[0], error) from error
        except sa.exc.IntegrityError as error:
            raise self._refusal(orders, error) from error
        self._remember(orders)

    def _busy(self, order: PortOrder, error: sa.exc.OperationalError) -> ConcurrentChange:
        stored = self.get(order.id)
        return ConcurrentChange(
            order.id,
            order.revision - 1,
            0 if stored is None else stored.revision,
            why=f"the database kept refusing the save because of other transactions' locks "
            f"({error.orig})",
        )

    def _refusal(
        self, orders: Sequence[PortOrder], error: sa.exc.IntegrityError
    ) -> ValidationFailed | ConcurrentChange:
        """Say why the database refused the save: a unit taken, or a new order stored twice."""
        taken = self._taken(orders)
        if taken:
            return ValidationFailed(taken)
        for order in orders:
            stored = self.get(order.id) if order.revision == 1 else None
            if stored is not None:  # another worker stored a new order under this id
                return ConcurrentChange(order.id, 0, stored.revision)
        return ValidationFailed(
            [
                Violation(
                    Code.NUMBERS_ALREADY_IN_PORT,
                    "Another live order took one of the numbers while this command "
                    f"ran; nothing was saved ({error.orig}).",
                    "numbers",
                )
            ]
        )

    def _taken(self, orders: Sequence[PortOrder]) -> list[Violation]:
        """Name the live orders that took the saved orders' numbers while they were saved."""
        saving = {order.id for order in orders}
        return [
            Violation(
                Code.NUMBERS_ALREADY_IN_PORT,
                f"{key} of order {order.id} was taken by the live order {holder} while this "
                "command ran; nothing was saved.",
                "numbers",
            )
            for order in orders
            for key, holder in sorted(
                self.held_by(list(held_keys(order.valid.numbers, live=order.is_live))).items()
            )
            if holder not in saving
        ]

    def _save_all(self, connection: sa.Connection, orders: Sequence[PortOrder]) -> None:
        """Check and write the orders and what they hold; the caller's transaction commits."""
        saving = {order.id for order in orders}
        wanted = {
            order.id: frozenset(held_keys(order.valid.numbers, live=order.is_live))
            for order in orders
        }
        held = self._held_before(connection, orders)
        moving = [order for order in orders if held.get(order.id, frozenset()) != wanted[order.id]]
        taking = [order for order in moving if not wanted[order.id] <= held.get(order.id, set())]
        if taking:
            # Before any order row, so that every saver locks in one order. One saver at a
            # time checks and takes units: a block and a number in it have different keys,
            # so the primary key alone would let both in.
            self._lock_holdings(connection)
            violations = [
                violation
                for order in taking
                for violation in clashes(
                    order.id,
                    order.valid.numbers.entries,
                    functools.partial(self._held_by, connection),
                    besides=saving,
                )
            ]
            violations += clashes_within(
                {order.id: order.valid.numbers.entries for order in orders if order.is_live}
            )
            if violations:
                raise ValidationFailed(violations)
        # In one order of ids, so that two savers never wait for each other's rows.
        for order in sorted(orders, key=_order_id):
            self._write(connection, order)
        for order in sorted(moving, key=_order_id):
            connection.execute(_RELEASE, {"order_id": order.id})
            if wanted[order.id]:
                connection.execute(
                    _HOLD, [{"key": key, "order_id": order.id} for key in sorted(wanted[order.id])]
                )

    @staticmethod
    def _lock_holdings(connection: sa.Connection) -> None:
        taken = connection.execute(_TAKE_LOCK)
        if taken.rowcount == 0:  # a database whose lock row was lost: it is made again
            connection.execute(_MAKE_LOCK)

    def _held_before(
        self, connection: sa.Connection, orders: Sequence[PortOrder]
    ) -> dict[str, set[str]]:
        """Return the keys each order holds as stored, the version its save follows.

        That version is the one the store keeps when its revision is the one before
        (a revision names one stored version); the others are read. Should another
        worker have saved meanwhile, the save is refused at the order's row anyway,
        and nothing of it is kept. A live order saved at revision 1 is taken to
        hold nothing: its rows are replaced in any case, also those of an order an
        earlier build stored without a revision (at 0), which an ended one would
        otherwise keep.
        """
        held: dict[str, set[str]] = {}
        unknown: list[str] = []
        for order in orders:
            kept = self._parsed.get(order.id)
            if order.revision == 1 and order.is_live:
                held[order.id] = set()
            elif kept is not None and kept.revision == order.revision - 1:
                held[order.id] = set(held_keys(kept.valid.numbers, live=kept.is_live))
            else:
                unknown.append(order.id)
        if unknown:
            held.update(self._held_of(connection, sorted(unknown)))
        return held

    @staticmethod
    def _held_of(connection: sa.Connection, order_ids: list[str]) -> dict[str, set[str]]:
        held: dict[str, set[str]] = {}
        rows = connection.execute(_HELD_OF, {"order_ids": order_ids})
        for order_id, key in rows:
            held.setdefault(order_id, set()).add(key)
        return held

    @staticmethod
    def _write(connection: sa.Connection, order: PortOrder) -> None:
        values = {
            "group_id": order.group_id,
            "next_due": None if order.next_due is None else _micros(order.next_due),
            "revision": order.revision,
            "document": order_to_document(order),
        }
        updated = connection.execute(
            _UPDATE_ORDER, {**values, "order_id": order.id, "loaded": order.revision - 1}
        )
        if updated.rowcount == 0:
            stored = connection.execute(
                _STORED_REVISION, {"order_id": order.id}
            ).scalar_one_or_none()
            if stored is not None or order.revision != 1:
                raise ConcurrentChange(order.id, order.revision - 1, stored or 0)
            connection.execute(_INSERT_ORDER, {**values, "id": order.id})

    def group(self, group_id: str) -> list[PortOrder]:
        """Return the members of a port group, in the order they were first stored."""
        return self._read(_REVISIONS_OF_GROUP, {"group": group_id})

    def held_by(self, keys: list[str]) -> Mapping[str, str]:
        """Return which live order holds each held key among ``keys``."""
        with self._reads.connect() as connection:
            return self._held_by(connection, keys)

    @staticmethod
    def _held_by(connection: sa.Connection, keys: list[str]) -> dict[str, str]:
        holders: dict[str, str] = {}
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start : start + _KEYS_PER_QUERY]
            rows = connection.execute(_HOLDERS, {"keys": chunk})
            holders.update((key, order_id) for key, order_id in rows)
        return holders

    def next_due(self, until: dt.datetime) -> tuple[dt.datetime, str] | None:
        """Return the earliest due ``(instant, order id)`` at or before ``until``."""
        with self._reads.connect() as connection:
            row = connection.execute(_DUE_FIRST, {"until": _micros(until)}).first()
        return None if row is None else (_instant(row[0]), row[1])

    def orders(self) -> Iterator[PortOrder]:
        """Yield every order, in the order they were first stored."""
        return iter(self._read(_REVISIONS_OF_ALL, {}))
