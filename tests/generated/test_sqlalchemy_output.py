"""The committed SQLAlchemy output of every example, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import event, inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from farmgen.ir import Model, Schema
from farmgen.project import load_project
from farmgen.targets.python import attr_name
from farmgen.targets.sql_relations import fk_column
from tests.generated.support import EXAMPLES_DIR
from tests.generated.values import Values

EXPECTED_INDEXES: dict[str, dict[str, set[tuple[str, bool]]]] = {
    "blog": {
        "tags": {("uq_tags_name", True), ("uq_tags_slug", True)},
        "posts": {
            ("ix_posts_author", False),
            ("uq_posts_slug", True),
            ("ix_posts_status", False),
            ("ix_posts_status_published_at", False),
            ("posts_by_author_recent", False),
        },
        "comments": {("ix_comments_post", False), ("ix_comments_post_created_at", False)},
        "users": {
            ("uq_users_email", True),
            ("uq_users_username", True),
            ("ix_users_role", False),
            ("ix_users_status_role", False),
            ("users_recent_first", False),
        },
        "author_pages": {("uq_author_pages_user", True), ("ix_author_pages_featured", False)},
    },
    "farm-users": {
        "users": {
            ("uq_users_email", True),
            ("uq_users_username", True),
            ("ix_users_status", False),
            ("ix_users_email_verified", False),
            ("ix_users_last_active_at", False),
            ("ix_users_status_email_verified", False),
            ("ix_users_created_at", False),
            ("ix_users_updated_at", False),
            ("ix_users_is_deleted", False),
        },
    },
}


@pytest.fixture(scope="module")
def schema(example: str) -> Schema:
    return load_project(EXAMPLES_DIR / example).schema


@pytest.fixture
async def engine(sql_url: str, sqlalchemy_package: ModuleType) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(sql_url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _foreign_keys(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

    async with engine.begin() as conn:
        await conn.run_sync(sqlalchemy_package.Base.metadata.create_all)
    yield engine
    await engine.dispose()


def _instances(schema: Schema, package: ModuleType) -> dict[str, Any]:
    """One row per model with every own field filled, references pointing at each other."""
    values = Values(schema, package)
    rows = {
        m.name: getattr(package, m.name)(**values.fields(m.fields, i))
        for i, m in enumerate(schema.models)
    }
    for model in schema.models:
        for field in model.fields:
            target = field.ref_target
            if target is None or (target == model.name and field.optional):
                continue
            value = [rows[target]] if field.is_many_to_many else rows[target]
            setattr(rows[model.name], attr_name(field.name), value)
    return rows


def _stored(model: Model, row: Any) -> dict[str, Any]:
    data = {}
    for field in model.own_fields:
        if field.is_many_to_many:
            continue
        name = fk_column(field) if field.ref_target else field.name
        data[name] = getattr(row, attr_name(name))
    return data


async def test_every_model_round_trips(
    engine: AsyncEngine, schema: Schema, sqlalchemy_package: ModuleType
) -> None:
    rows = _instances(schema, sqlalchemy_package)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        session.add_all(rows.values())
        await session.commit()
    expected = {m.name: _stored(m, rows[m.name]) for m in schema.models}
    async with AsyncSession(engine) as session:
        for model in schema.models:
            cls = getattr(sqlalchemy_package, model.name)
            found = (await session.scalars(select(cls))).one()
            assert _stored(model, found) == expected[model.name]
            for field in model.own_fields:
                if field.ref_target and not field.is_many_to_many:
                    ref_id = getattr(found, attr_name(fk_column(field)))
                    assert ref_id is None or ref_id == rows[field.ref_target].id


async def test_datetimes_come_back_timezone_aware(
    engine: AsyncEngine, schema: Schema, sqlalchemy_package: ModuleType
) -> None:
    rows = _instances(schema, sqlalchemy_package)
    async with AsyncSession(engine) as session:
        session.add_all(rows.values())
        await session.commit()
    async with AsyncSession(engine) as session:
        user = (await session.scalars(select(sqlalchemy_package.User))).one()
        assert user.created_at.tzinfo is not None
        assert user.created_at.utcoffset().total_seconds() == 0


async def test_reflected_indexes_match_the_spec(engine: AsyncEngine, example: str) -> None:
    def reflect(conn: Any) -> dict[str, set[tuple[str, bool]]]:
        inspector = inspect(conn)
        return {
            table: {(ix["name"], bool(ix["unique"])) for ix in inspector.get_indexes(table)}
            for table in EXPECTED_INDEXES[example]
        }

    async with engine.connect() as conn:
        found = await conn.run_sync(reflect)
    for table, expected in EXPECTED_INDEXES[example].items():
        # MariaDB adds an index of its own for every foreign key it has no index for.
        own = {ix for ix in found[table] if not ix[0].startswith("fk_")}
        assert own == expected, table


async def test_enum_values_are_stored_as_the_spec_writes_them(
    engine: AsyncEngine, schema: Schema, sqlalchemy_package: ModuleType
) -> None:
    rows = _instances(schema, sqlalchemy_package)
    async with AsyncSession(engine) as session:
        session.add_all(rows.values())
        await session.commit()
    async with engine.connect() as conn:
        raw = (await conn.exec_driver_sql("SELECT status FROM users")).scalar_one()
    user_status = schema.model("User").field_map["status"].type
    assert raw == schema.enum(user_status.name).values[-1].value  # type: ignore[union-attr]
