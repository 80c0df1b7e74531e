"""Migrations create exactly what the generated SQLAlchemy models declare.

For each example, its spec is diffed into an initial migration and applied to an
empty database; ``compare_metadata`` against the committed generated models'
``Base.metadata`` finds nothing, and the reflected schema equals the one that
``Base.metadata.create_all`` makes, on SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from farmgen.migrations.files import load_chain, write_migration
from farmgen.migrations.make import plan_migration
from farmgen.project import load_project
from farmgen.runtime.migrate import migrate
from tests.generated.support import EXAMPLES, EXAMPLES_DIR, import_generated, unload_sqlalchemy
from tests.migrations.oracle import diffs_against, fresh_schema, reflect
from tests.migrations.test_sql_oracle import _differences

pytestmark = pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning")


@pytest.fixture(params=EXAMPLES)
def generated(request: pytest.FixtureRequest) -> Iterator[tuple[str, ModuleType]]:
    module = import_generated(request.param, "sqlalchemy")
    try:
        yield request.param, module
    finally:
        unload_sqlalchemy(module)


async def test_migrated_database_matches_generated_models(
    generated: tuple[str, ModuleType], sql_pair: tuple[str, str], tmp_path: Path
) -> None:
    example, module = generated
    metadata = module.Base.metadata
    project = load_project(EXAMPLES_DIR / example)
    plan = plan_migration(load_chain(tmp_path), project.schema, "initial")
    assert plan.migration is not None
    write_migration(tmp_path, plan.migration)
    engine = create_async_engine(sql_pair[0])
    try:
        await migrate(engine, load_chain(tmp_path))
        assert await diffs_against(engine, metadata) == []
        want = await fresh_schema(sql_pair[1], metadata)
        assert _differences(await reflect(engine), want) == {}
    finally:
        await engine.dispose()
