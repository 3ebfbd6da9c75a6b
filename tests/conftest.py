"""Shared test configuration: hypothesis profiles and the PostgreSQL server.

``ci`` (selected when CI=true) runs more examples and never uses a deadline,
because shared CI machines are noisy; ``dev`` keeps the local loop fast.

Tests that need PostgreSQL read its URL from ``PORTFLOW_TEST_POSTGRES_URL``
(default: the local server). Under CI=true they fail when it is missing;
elsewhere they are skipped.
"""

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

POSTGRES_URL = os.environ.get(
    "PORTFLOW_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture(scope="session")
def postgres_server() -> sa.URL:
    """The PostgreSQL server; under CI=true it must be there, elsewhere its absence skips."""
    url = sa.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    probe = sa.create_engine(url)
    try:
        probe.connect().close()
    except sa.exc.OperationalError as error:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no PostgreSQL at {POSTGRES_URL}: {error}")
    finally:
        probe.dispose()
    return url


@pytest.fixture
def postgres_database(postgres_server) -> Iterator[str]:
    """A database of its own for one test, dropped afterwards."""
    name = f"portflow_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield postgres_server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
