"""Shared fixtures: real PostgreSQL, MariaDB and SQLite databases, and the MongoDB fixture.

Every SQL test that asks for ``pg_url`` or ``mysql_url`` gets a database of its own,
created for it and dropped afterwards, so tests can run in parallel with each other
and with other projects on the same servers.

MongoDB has no server on the test machines: ``mongo_client`` is an in-memory fake
(see ``tests/support/mongo_fake.py``) unless ``FARMGEN_TEST_MONGODB_URL`` names a
real server, in which case the same tests run against it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support import databases, mongo_fake

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = REPO_ROOT / "examples"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An asyncpg SQLAlchemy URL to a fresh, empty PostgreSQL database."""
    with databases.postgres_database() as url:
        yield url


@pytest.fixture
def mysql_url() -> Iterator[str]:
    """An aiomysql SQLAlchemy URL to a fresh, empty MariaDB database."""
    with databases.mysql_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each SQL database in turn: the same test runs on SQLite, PostgreSQL and MariaDB."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    elif request.param == "postgresql":
        with databases.postgres_database() as url:
            yield url
    else:
        with databases.mysql_database() as url:
            yield url


@pytest.fixture
def mongo_url() -> str | None:
    """The real MongoDB server's URL, or None when the tests run on the fake."""
    return os.environ.get("FARMGEN_TEST_MONGODB_URL") or None


@pytest.fixture
async def mongo_client(mongo_url: str | None) -> AsyncIterator[Any]:
    """An async PyMongo client: a real ``AsyncMongoClient`` or the in-memory fake."""
    async with mongo_fake.client(mongo_url) as client:
        yield client


@pytest.fixture
async def mongo_database(mongo_client: Any) -> AsyncIterator[Any]:
    """A fresh database on ``mongo_client``, dropped afterwards."""
    name = databases.unique_name("farmgen_test")
    yield mongo_client[name]
    await mongo_client.drop_database(name)
