"""Two throw-away databases of one kind per test: one to migrate, one created fresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import databases


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def sql_pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(URL of the database to migrate, URL of the database to create fresh)."""
    if request.param == "sqlite":
        yield (
            f"sqlite+aiosqlite:///{tmp_path / 'migrated.db'}",
            f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}",
        )
    elif request.param == "postgresql":
        with databases.postgres_database() as a, databases.postgres_database() as b:
            yield a, b
    else:
        with databases.mysql_database() as a, databases.mysql_database() as b:
            yield a, b
