"""The oracle on SQL: migrating a database step by step gives exactly a fresh database.

For every step of the ``blog`` evolution (tests/migrations/evolutions/blog/vNN), on
SQLite, PostgreSQL and MariaDB: the database migrated from the previous version has
the same reflected schema as one created fresh from the new version's metadata, and
``alembic.autogenerate.compare_metadata`` finds no difference. Rolling back step by
step returns to each earlier reflected schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from farmgen.runtime.migrate import migrate, rollback
from farmgen.runtime.sqlschema import build_metadata
from tests.migrations.evolution import build_chain, snapshots
from tests.migrations.oracle import diffs_against, reflect

pytestmark = pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning")


async def recreate(engine: AsyncEngine, metadata: sa.MetaData) -> dict[str, Any]:
    """Empty the database, create ``metadata`` in it, and reflect it."""

    def reset(conn: sa.Connection) -> None:
        existing = sa.MetaData()
        existing.reflect(conn)
        existing.drop_all(conn)
        if conn.dialect.name == "postgresql":
            for (name,) in conn.exec_driver_sql(
                "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE t.typtype = 'e' AND n.nspname = 'public'"
            ).all():
                conn.exec_driver_sql(f'DROP TYPE "{name}"')
        metadata.create_all(conn)

    async with engine.begin() as conn:
        await conn.run_sync(reset)
    return await reflect(engine)


def _differences(got: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    tables = sorted(set(got["tables"]) | set(want["tables"]))
    out: dict[str, Any] = {
        t: (got["tables"].get(t), want["tables"].get(t))
        for t in tables
        if got["tables"].get(t) != want["tables"].get(t)
    }
    if got.get("enums") != want.get("enums"):
        out["enums"] = (got.get("enums"), want.get("enums"))
    return out


@pytest.mark.slow
async def test_blog_evolution_matches_fresh_and_rolls_back(
    sql_pair: tuple[str, str], tmp_path: Path
) -> None:
    chain = build_chain(tmp_path / "migrations", "blog")
    assert len(chain.migrations) >= 13
    states = snapshots(chain)
    migrated = create_async_engine(sql_pair[0])
    fresh = create_async_engine(sql_pair[1])
    reflections = []
    try:
        for migration, state in zip(chain.migrations, states, strict=True):
            await migrate(migrated, chain, target=migration.id)
            got = await reflect(migrated)
            want = await recreate(fresh, build_metadata(state))
            assert _differences(got, want) == {}, migration.id
            assert await diffs_against(migrated, build_metadata(state)) == [], migration.id
            reflections.append(got)
        for i in range(len(chain.migrations) - 2, -1, -1):
            result = await rollback(migrated, chain, chain.migrations[i].id)
            assert result.rolled_back == [chain.migrations[i + 1].id]
            back = await reflect(migrated)
            assert _differences(back, reflections[i]) == {}, f"rollback to {chain.migrations[i].id}"
    finally:
        await migrated.dispose()
        await fresh.dispose()
