"""SQLAlchemy output for schemas with corner cases: self-referencing many-to-many,
models that refer to each other, one enum in several columns, 64-bit integers.

Each schema is generated, imported, its mappers configured, rows inserted on SQLite,
PostgreSQL and MariaDB, and its tables compared with the migration applier's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import configure_mappers, selectinload

from farmgen.ir import Schema
from farmgen.migrations.snapshot import snapshot_of
from farmgen.resolve import load_schema
from farmgen.runtime.sqlschema import build_metadata
from farmgen.targets.sqlalchemy import SqlAlchemyOptions, SqlAlchemyTarget
from tests.generated.support import import_generated, unload_sqlalchemy
from tests.unit.targets.test_python_targets import render

pytestmark = pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning")

SPECS = {
    "follows": """
models:
  User:
    fields:
      name: {type: string, max_length: 50}
      follows: "list[ref[User]]"
""",
    "mutual": """
models:
  Org:
    fields:
      name: {type: string, max_length: 50}
      owner: "ref[User]?"
  User:
    fields:
      name: {type: string, max_length: 50}
      org: "ref[Org]?"
""",
    "captain": """
models:
  Team:
    fields:
      name: {type: string, max_length: 50}
      captain: "ref[Player]?"
  Player:
    fields:
      name: {type: string, max_length: 50}
      team: "ref[Team]"
""",
    "widest": """
models:
  Contact:
    fields:
      email: email
      note: {type: string, max_length: 448}
    indexes:
      - [email, note]  # (320 + 448) * 4 = 3072 bytes: the most MySQL/MariaDB accept
""",
    "colors": """
enums:
  Color: [red, green, blue]
models:
  Customer:
    fields:
      primary: Color
      secondary: Color
      accent: "Color?"
      visits: {type: int, default: 0}
""",
}


def schema_of(name: str, tmp_path: Path) -> Schema:
    spec = tmp_path / f"{name}.yaml"
    spec.write_text("farmgen: 1\n" + SPECS[name], encoding="utf-8")
    return load_schema([spec], tmp_path)


@pytest.fixture
def generated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ModuleType]:
    name: str = request.param
    out = render(SqlAlchemyTarget(), schema_of(name, tmp_path), SqlAlchemyOptions(), tmp_path, "s")
    module = import_generated(f"corner_{name}", "sqlalchemy", out)
    module.spec_name = name
    try:
        yield module
    finally:
        unload_sqlalchemy(module)


async def _engine(url: str, module: ModuleType) -> AsyncEngine:
    engine = create_async_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _foreign_keys(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

    async with engine.begin() as conn:
        await conn.run_sync(module.Base.metadata.create_all)
    return engine


@pytest.mark.parametrize("generated", list(SPECS), indirect=True)
def test_mappers_configure(generated: ModuleType) -> None:
    configure_mappers()
    assert generated.Base.registry.mappers


@pytest.mark.parametrize("generated", list(SPECS), indirect=True)
async def test_models_match_the_migration_schema(
    generated: ModuleType, sql_url: str, tmp_path: Path
) -> None:
    migrated = build_metadata(snapshot_of(schema_of(generated.spec_name, tmp_path)))
    engine = create_async_engine(sql_url)

    def diffs(conn: Any) -> list[Any]:
        migrated.create_all(conn)
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, generated.Base.metadata))

    try:
        async with engine.begin() as conn:
            assert await conn.run_sync(diffs) == []
    finally:
        await engine.dispose()


@pytest.mark.parametrize("generated", ["follows"], indirect=True)
async def test_a_model_follows_itself_many_to_many(generated: ModuleType, sql_url: str) -> None:
    User = generated.User
    engine = await _engine(sql_url, generated)
    try:
        async with AsyncSession(engine) as session:
            ann, bob = User(name="ann"), User(name="bob")
            ann.follows = [bob, ann]
            session.add_all([ann, bob])
            await session.commit()
        async with AsyncSession(engine) as session:
            query = select(User).options(selectinload(User.follows)).where(User.name == "ann")
            found = (await session.execute(query)).scalar_one()
            assert sorted(u.name for u in found.follows) == ["ann", "bob"]
    finally:
        await engine.dispose()


@pytest.mark.parametrize("generated", ["mutual"], indirect=True)
async def test_models_that_refer_to_each_other(generated: ModuleType, sql_url: str) -> None:
    engine = await _engine(sql_url, generated)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            org = generated.Org(name="acme")
            user = generated.User(name="ann", org=org)
            org.owner = user
            session.add_all([org, user])
            await session.commit()
            org_id = org.id
        async with AsyncSession(engine) as session:
            query = select(generated.Org).options(
                selectinload(generated.Org.owner), selectinload(generated.Org.users)
            )
            found = (await session.execute(query.where(generated.Org.id == org_id))).scalar_one()
            assert found.owner.name == "ann"
            assert [u.name for u in found.users] == ["ann"]
    finally:
        await engine.dispose()


@pytest.mark.parametrize("generated", ["captain"], indirect=True)
async def test_a_required_reference_back_to_an_optional_one(
    generated: ModuleType, sql_url: str
) -> None:
    engine = await _engine(sql_url, generated)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            team = generated.Team(name="reds")
            player = generated.Player(name="ann", team=team)
            team.captain = player
            session.add_all([team, player])
            await session.commit()
            team_id = team.id
        async with AsyncSession(engine) as session:
            query = select(generated.Team).options(selectinload(generated.Team.captain))
            found = (await session.execute(query.where(generated.Team.id == team_id))).scalar_one()
            assert found.captain.name == "ann"
    finally:
        await engine.dispose()


@pytest.mark.parametrize("generated", ["colors"], indirect=True)
async def test_one_enum_in_several_columns(generated: ModuleType, sql_url: str) -> None:
    checks = [
        c.name for c in generated.Customer.__table__.constraints if c.name and "enum" in c.name
    ]
    assert sorted(checks) == [
        "ck_customers_accent_enum",
        "ck_customers_primary_enum",
        "ck_customers_secondary_enum",
    ]
    engine = await _engine(sql_url, generated)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            session.add(generated.Customer(primary="red", secondary="blue", accent="green"))
            await session.commit()
        async with AsyncSession(engine) as session:
            found = (await session.execute(select(generated.Customer))).scalar_one()
            assert (found.primary, found.secondary, found.accent) == ("red", "blue", "green")
    finally:
        await engine.dispose()


@pytest.mark.parametrize("generated", ["colors"], indirect=True)
async def test_ints_are_64_bit(generated: ModuleType, sql_url: str) -> None:
    engine = await _engine(sql_url, generated)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            row = generated.Customer(primary="red", secondary="blue", visits=-(2**63))
            session.add(row)
            await session.commit()
            row_id = row.id
        async with AsyncSession(engine) as session:
            found = await session.get(generated.Customer, row_id)
            assert found is not None and found.visits == -(2**63)
    finally:
        await engine.dispose()
