"""Hypothesis-generated evolutions: the differ's operations turn v1 into v2 exactly,
their reverse turns v2 back into v1, and on every SQL database migrating v1 to v2
gives the schema a fresh v2 has (and rolling back gives v1 again).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from farmgen.migrations.compare import diff
from farmgen.migrations.files import Migration, build_chain
from farmgen.migrations.snapshot import Renames, comparable
from farmgen.ops import apply_all, operations_from_json, reverse_all
from farmgen.runtime import schema_state as st
from farmgen.runtime.migrate import migrate, rollback
from farmgen.runtime.sqlschema import build_metadata
from tests.migrations.oracle import diffs_against, reflect
from tests.migrations.strategies import evolutions
from tests.migrations.test_sql_oracle import _differences, recreate
from tests.support import databases


@settings(max_examples=300, deadline=None)
@given(evolutions())
def test_operations_replay_to_v2_and_reverse_to_v1(
    evolution: tuple[st.Snapshot, st.Snapshot, Renames],
) -> None:
    v1, v2, renames = evolution
    result = diff(v1, v2, renames)
    assert not result.errors
    assert comparable(apply_all(v1, result.operations)) == comparable(v2)
    assert comparable(apply_all(v2, reverse_all(result.operations))) == comparable(v1)
    data = [op.to_json() for op in result.operations]
    assert operations_from_json(data) == result.operations
    assert [op.to_json() for op in diff(v1, v2, renames).operations] == data
    for (coll, new), old in renames.fields.items():
        if coll in v2["models"] and new in v2["models"][coll]["fields"]:
            assert not any(
                op.type == "remove_field"
                and op.to_json()["field"] == old
                and op.to_json()["collection"] == coll
                for op in result.operations
            ), "a rename became drop + add"


def _chain(v1: st.Snapshot, v2: st.Snapshot, renames: Renames) -> object:
    first = diff(st.empty_snapshot(), v1).operations
    second = diff(v1, v2, renames).operations
    return build_chain(
        [
            Migration("0001_v1", None, "v1", first, reverse_all(first), v1),
            Migration("0002_v2", "0001_v1", "v2", second, reverse_all(second), v2),
        ]
    )


@contextmanager
def _database_pair(kind: str) -> Iterator[tuple[str, str]]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite+aiosqlite:///{tmp}/a.db", f"sqlite+aiosqlite:///{tmp}/b.db"
    elif kind == "postgresql":
        with databases.postgres_database() as a, databases.postgres_database() as b:
            yield a, b
    else:
        with databases.mysql_database() as a, databases.mysql_database() as b:
            yield a, b


async def _check(urls: tuple[str, str], v1: st.Snapshot, v2: st.Snapshot, renames: Renames) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    chain = _chain(v1, v2, renames)
    migrated, fresh = create_async_engine(urls[0]), create_async_engine(urls[1])
    try:
        await recreate(migrated, build_metadata(st.empty_snapshot()))
        async with migrated.begin() as conn:
            await conn.exec_driver_sql("DROP TABLE IF EXISTS schema_migrations")
        await migrate(migrated, chain, target="0001_v1")
        at_v1 = await reflect(migrated)
        assert _differences(at_v1, await recreate(fresh, build_metadata(v1))) == {}
        await migrate(migrated, chain)
        assert (
            _differences(await reflect(migrated), await recreate(fresh, build_metadata(v2))) == {}
        )
        assert await diffs_against(migrated, build_metadata(v2)) == []
        await rollback(migrated, chain, "0001_v1")
        assert _differences(await reflect(migrated), at_v1) == {}
    finally:
        await migrated.dispose()
        await fresh.dispose()


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "examples"), [("sqlite", 25), ("postgresql", 12), ("mysql", 12)])
def test_random_evolutions_on_sql_match_a_fresh_database(kind: str, examples: int) -> None:
    examples = int(os.environ.get("FARMGEN_DB_EXAMPLES", examples))
    with _database_pair(kind) as urls:

        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no slow shrinking on a DB
        )
        @given(evolutions())
        def run(evolution: tuple[st.Snapshot, st.Snapshot, Renames]) -> None:
            asyncio.run(_check(urls, *evolution))

        run()
