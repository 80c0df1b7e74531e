"""The oracle: compare a migrated database with a freshly created one, by reflection.

``schema_of`` reflects tables, columns (type, nullability, server default), primary
keys, indexes, unique constraints, foreign keys (columns, target, ondelete) and, on
PostgreSQL, enum types with their values in order. Constraint names of primary and
foreign keys are left out (PostgreSQL and MySQL keep them through renames; the
applier finds them by reflection when it needs them).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

HISTORY_TABLES = frozenset({"schema_migrations", "schema_migrations_progress"})


def _type(column: dict[str, Any], dialect: sa.Dialect) -> str:
    return str(column["type"].compile(dialect=dialect))


def schema_of(conn: sa.Connection) -> dict[str, Any]:
    inspector = sa.inspect(conn)
    dialect = conn.dialect
    tables: dict[str, Any] = {}
    for name in sorted(set(inspector.get_table_names()) - HISTORY_TABLES):
        columns = {
            c["name"]: (_type(c, dialect), c["nullable"], c.get("default"))
            for c in inspector.get_columns(name)
        }
        indexes = sorted(
            (
                ix["name"],
                tuple(ix["column_names"]),
                bool(ix["unique"]),
                tuple(sorted((ix.get("column_sorting") or {}).items())),
            )
            for ix in inspector.get_indexes(name)
        )
        uniques = sorted(
            (u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(name)
        )
        fks = sorted(
            (
                tuple(fk["constrained_columns"]),
                fk["referred_table"],
                tuple(fk["referred_columns"]),
                (fk.get("options") or {}).get("ondelete"),
            )
            for fk in inspector.get_foreign_keys(name)
        )
        pk = tuple(inspector.get_pk_constraint(name)["constrained_columns"])
        tables[name] = {
            "columns": columns,
            "indexes": indexes,
            "uniques": uniques,
            "fks": fks,
            "pk": pk,
        }
    result: dict[str, Any] = {"tables": tables}
    if dialect.name == "postgresql":
        rows = conn.exec_driver_sql(
            "SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid "
            "ORDER BY t.typname, e.enumsortorder"
        ).all()
        enums: dict[str, list[str]] = {}
        for typname, label in rows:
            enums.setdefault(typname, []).append(label)
        result["enums"] = enums
    return result


def metadata_diffs(conn: sa.Connection, metadata: sa.MetaData) -> list[Any]:
    def include(obj: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
        return not (kind == "table" and name in HISTORY_TABLES)

    context = MigrationContext.configure(
        conn, opts={"include_object": include, "compare_type": True}
    )
    return list(compare_metadata(context, metadata))


async def reflect(engine: AsyncEngine) -> dict[str, Any]:
    async with engine.connect() as conn:
        return await conn.run_sync(schema_of)


async def diffs_against(engine: AsyncEngine, metadata: sa.MetaData) -> list[Any]:
    async with engine.connect() as conn:
        return await conn.run_sync(metadata_diffs, metadata)


async def fresh_schema(url: str, metadata: sa.MetaData) -> dict[str, Any]:
    """Create ``metadata`` in the (empty) database at ``url`` and reflect it."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        return await reflect(engine)
    finally:
        await engine.dispose()
