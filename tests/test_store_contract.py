"""The order-store contract, run against every store portflow ships (STYLE 4)."""

from collections.abc import Iterator

import pytest

from portflow import MemoryOrderStore
from portflow._adapters.sql import SqlOrderStore
from portflow.testing.contracts import OrderStoreContract


class TestMemoryStore(OrderStoreContract):
    """The in-memory store keeps the contract."""

    @pytest.fixture
    def store(self):
        """A fresh memory store."""
        return MemoryOrderStore()


class TestSqliteStore(OrderStoreContract):
    """The embedded SQLite store keeps the contract."""

    @pytest.fixture
    def store(self, tmp_path) -> Iterator[SqlOrderStore]:
        """A fresh SQLite file."""
        store = SqlOrderStore(f"sqlite:///{tmp_path / 'orders.db'}")
        yield store
        store.close()


class TestPostgresStore(OrderStoreContract):
    """The PostgreSQL store keeps the contract."""

    @pytest.fixture
    def store(self, postgres_database) -> Iterator[SqlOrderStore]:
        """A fresh PostgreSQL database."""
        store = SqlOrderStore(postgres_database)
        yield store
        store.close()
