"""The generated SQLAlchemy models declare exactly the schema the migration applier builds.

``farmgen.runtime.sqlschema.build_metadata`` is what migrations create; the
generated models must match it column for column (types included), index for
index and constraint for constraint, on every database.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from farmgen.migrations.snapshot import snapshot_of
from farmgen.project import load_project
from farmgen.runtime.sqlschema import build_metadata
from tests.generated.support import EXAMPLES_DIR

pytestmark = pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning")


async def compare_with_migrations(root: Path, package: ModuleType, sql_url: str) -> list[Any]:
    """alembic's differences between the migration applier's schema and ``package``'s."""
    migrated = build_metadata(snapshot_of(load_project(root).schema))
    engine = create_async_engine(sql_url)

    def diffs(conn: Any) -> list[Any]:
        migrated.create_all(conn)
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, package.Base.metadata))

    try:
        async with engine.begin() as conn:
            return await conn.run_sync(diffs)
    finally:
        await engine.dispose()


async def test_models_match_the_migration_schema(
    example: str, sqlalchemy_package: ModuleType, sql_url: str
) -> None:
    assert await compare_with_migrations(EXAMPLES_DIR / example, sqlalchemy_package, sql_url) == []
