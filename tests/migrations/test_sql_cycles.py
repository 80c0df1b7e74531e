"""Foreign keys on a cycle of references (``Org.owner`` → users, ``User.org`` → orgs).

On SQLite, PostgreSQL and MariaDB: migrating from empty gives the schema a fresh
``create_all`` gives (both foreign keys present), a table of the cycle rebuilt by a
later migration keeps them (SQLite's batch mode), rows that point at each other can
be inserted, and rolling back to zero drops every table. SQLAlchemy must not warn that
it cannot sort the tables.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from farmgen.migrations.files import Chain, load_chain, write_migration
from farmgen.migrations.make import plan_migration
from farmgen.migrations.snapshot import snapshot_of
from farmgen.resolve import load_schema
from farmgen.runtime.migrate import migrate, rollback
from farmgen.runtime.sqlschema import build_metadata, cyclic_references
from tests.migrations.evolution import snapshots
from tests.migrations.oracle import HISTORY_TABLES, diffs_against, fresh_schema, reflect

pytestmark = pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning")

VERSIONS = [
    """
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
    """
models:
  Org:
    fields:
      name: {type: string, max_length: 80}
      owner: "ref[User]?"
  User:
    fields:
      name: {type: string, max_length: 80}
      org: "ref[Org]?"
      team: "ref[Team]?"
  Team:
    fields:
      name: {type: string, max_length: 50}
      captain: "ref[User]?"
""",
]


def _chain(directory: Path, tmp_path: Path) -> Chain:
    for number, text in enumerate(VERSIONS, start=1):
        spec_dir = tmp_path / f"v{number:02d}"
        spec_dir.mkdir()
        (spec_dir / "models.yaml").write_text("farmgen: 1\n" + text, encoding="utf-8")
        schema = load_schema([spec_dir / "models.yaml"], spec_dir)
        result = plan_migration(load_chain(directory), schema, f"v{number:02d}")
        assert result.migration is not None
        write_migration(directory, result.migration)
    return load_chain(directory)


async def _fks(engine: AsyncEngine) -> set[tuple[str, str, str]]:
    def read(conn: sa.Connection) -> set[tuple[str, str, str]]:
        inspector = sa.inspect(conn)
        return {
            (table, fk["constrained_columns"][0], fk["referred_table"])
            for table in inspector.get_table_names()
            for fk in inspector.get_foreign_keys(table)
        }

    async with engine.connect() as conn:
        return await conn.run_sync(read)


async def _insert_pointing_at_each_other(engine: AsyncEngine, md: sa.MetaData) -> None:
    org, user = uuid.uuid4(), uuid.uuid4()
    async with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        orgs, users = md.tables["orgs"], md.tables["users"]
        await conn.execute(sa.insert(orgs).values(id=org, name="acme", owner_id=None))
        await conn.execute(sa.insert(users).values(id=user, name="ann", org_id=org))
        await conn.execute(sa.update(orgs).where(orgs.c.id == org).values(owner_id=user))
        found = (await conn.execute(sa.select(orgs.c.owner_id))).scalar_one()
        assert uuid.UUID(str(found)) == user


async def test_cycle_migrates_from_empty_and_rolls_back_to_zero(
    sql_pair: tuple[str, str], tmp_path: Path
) -> None:
    chain = _chain(tmp_path / "migrations", tmp_path)
    states = snapshots(chain)
    engine = create_async_engine(sql_pair[0])
    try:
        for migration, state in zip(chain.migrations, states, strict=True):
            await migrate(engine, chain, target=migration.id)
            assert await diffs_against(engine, build_metadata(state)) == [], migration.id
        assert await reflect(engine) == await fresh_schema(sql_pair[1], build_metadata(states[-1]))
        assert {("orgs", "owner_id", "users"), ("users", "org_id", "orgs")} <= await _fks(engine)
        assert {("teams", "captain_id", "users"), ("users", "team_id", "teams")} <= await _fks(
            engine
        )
        await _insert_pointing_at_each_other(engine, build_metadata(states[-1]))
        result = await rollback(engine, chain, None)
        assert result.current is None
        tables = set((await reflect(engine))["tables"]) - HISTORY_TABLES
        assert tables == set()
    finally:
        await engine.dispose()


async def test_cycle_creates_and_drops_with_metadata(sql_url: str, tmp_path: Path) -> None:
    chain = _chain(tmp_path / "migrations", tmp_path)
    metadata = build_metadata(snapshots(chain)[0])
    assert all(fk.use_alter for t in metadata.tables.values() for fk in t.foreign_keys)
    engine = create_async_engine(sql_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        assert {("orgs", "owner_id", "users"), ("users", "org_id", "orgs")} == await _fks(engine)
        await _insert_pointing_at_each_other(engine, metadata)
        async with engine.begin() as conn:
            if conn.dialect.name != "sqlite":
                await conn.execute(sa.update(metadata.tables["orgs"]).values(owner_id=None))
            await conn.run_sync(metadata.drop_all)
        assert (await reflect(engine))["tables"] == {}
    finally:
        await engine.dispose()


def test_only_references_on_a_cycle_are_created_after_the_tables(tmp_path: Path) -> None:
    spec = tmp_path / "models.yaml"
    spec.write_text(
        """farmgen: 1
models:
  Team:
    fields:
      captain: "ref[Player]?"
      coach: "ref[Coach]?"
  Player:
    fields:
      team: "ref[Team]"
      mentor: "ref[Player]?"
  Coach:
    fields:
      name: string
""",
        encoding="utf-8",
    )
    snapshot = snapshot_of(load_schema([spec], tmp_path))
    assert cyclic_references(snapshot) == {("teams", "captain"), ("players", "team")}
    metadata = build_metadata(snapshot)
    alter = {
        (t.name, fk.parent.name)
        for t in metadata.tables.values()
        for fk in t.foreign_keys
        if fk.use_alter
    }
    assert alter == {("teams", "captain_id"), ("players", "team_id")}
    names = {fk.constraint.name for t in metadata.tables.values() for fk in t.foreign_keys}
    assert "fk_teams_captain_id_players" in names and None not in names
