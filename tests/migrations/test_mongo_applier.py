"""The applier on MongoDB (the ``mongo_database`` fixture: the in-memory fake unless
``FARMGEN_TEST_MONGODB_URL`` names a server).

On the fake, validators are recorded, not enforced (see ``tests/support/mongo_fake.py``): these
tests prove that migrating step by step asks for exactly the validators and indexes
that creating each version fresh asks for, and that documents keep their values.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from farmgen.migrations.files import load_chain, write_migration
from farmgen.migrations.make import plan_migration
from farmgen.runtime.migrate import migrate, rollback
from farmgen.runtime.mongo_schema import validator_for
from tests.migrations.evolution import build_chain, load_version, snapshots, versions
from tests.support.mongo_fake import validators

pytestmark = pytest.mark.mongodb


async def _indexes(db: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in sorted(await db.list_collection_names()):
        if name.startswith("schema_migrations"):
            continue
        info = await db[name].index_information()
        found[name] = {k: (v["key"], bool(v.get("unique"))) for k, v in info.items()}
    return found


async def _fresh(client: Any, name: str, version: Path, tmp_path: Path) -> Any:
    directory = tmp_path / f"fresh_{version.name}"
    result = plan_migration(load_chain(directory), load_version(version), "initial")
    assert result.migration is not None
    write_migration(directory, result.migration)
    db = client[name]
    await client.drop_database(name)
    await migrate(db, load_chain(directory))
    return db


async def test_migrated_equals_fresh_at_every_step(
    mongo_client: Any, mongo_database: Any, tmp_path: Path
) -> None:
    chain = build_chain(tmp_path / "m", "blog")
    db = mongo_database
    states = snapshots(chain)
    for migration, state, version in zip(chain.migrations, states, versions("blog"), strict=True):
        await migrate(db, chain, target=migration.id)
        fresh = await _fresh(mongo_client, f"{mongo_database.name}_fresh", version, tmp_path)
        got, want = await validators(db), await validators(fresh)
        assert {k: v for k, v in got.items() if k in state["models"]} == want, migration.id
        assert want == {c: validator_for(state, c) for c in state["models"]}
        assert await _indexes(db) == await _indexes(fresh), migration.id
    await mongo_client.drop_database(f"{mongo_database.name}_fresh")


async def test_documents_keep_values_through_renames_and_get_defaults(
    mongo_database: Any, tmp_path: Path
) -> None:
    chain = build_chain(tmp_path / "m", "blog")
    ids = [m.id for m in chain.migrations]
    db = mongo_database
    await migrate(db, chain, target=ids[0])
    await db["users"].insert_one(
        {
            "_id": "u1",
            "email": "a@b.c",
            "username": "ann",
            "status": "active",
            "profile": {"display_name": "Ann", "nick": "annie"},
            "age": 30,
        }
    )
    await migrate(db, chain, target=ids[2])
    user = await db["users"].find_one({"_id": "u1"})
    assert user["handle"] == "ann" and "username" not in user
    assert user["profile"] == {"display_name": "Ann", "nickname": "annie"}
    assert user["score"] == 0
    await rollback(db, chain, ids[0])
    user = await db["users"].find_one({"_id": "u1"})
    assert user["username"] == "ann" and "score" not in user
    assert user["profile"] == {"display_name": "Ann", "nick": "annie"}


async def test_two_appliers_apply_each_migration_once(mongo_database: Any, tmp_path: Path) -> None:
    chain = build_chain(tmp_path / "m", "blog")
    db = mongo_database
    a, b = await asyncio.gather(migrate(db, chain), migrate(db, chain))
    ids = [m.id for m in chain.migrations]
    assert sorted(a.applied + b.applied) == sorted(ids)
    assert not set(a.applied) & set(b.applied)
    history = [doc["_id"] async for doc in db["schema_migrations"].find({})]
    assert sorted(history) == sorted(ids)
    assert await db["schema_migrations_lock"].count_documents({}) == 0


@pytest.mark.slow
def test_random_evolutions_on_mongodb_match_a_fresh_database(mongo_url: str | None) -> None:
    from hypothesis import HealthCheck, Phase, given, settings

    from farmgen.migrations.compare import diff
    from farmgen.migrations.files import Migration, build_chain
    from farmgen.ops import reverse_all
    from farmgen.runtime import schema_state as st
    from tests.migrations.strategies import evolutions
    from tests.support import mongo_fake

    def one(mig_id: str, parent: str | None, before: Any, after: Any, renames: Any = None) -> Any:
        ops = diff(before, after, renames).operations
        return Migration(mig_id, parent, mig_id, ops, reverse_all(ops), after)

    async def check(v1: Any, v2: Any, renames: Any) -> None:
        async with mongo_fake.client(mongo_url) as mongo_client:
            await compare(mongo_client, v1, v2, renames)

    async def compare(mongo_client: Any, v1: Any, v2: Any, renames: Any) -> None:
        chain = build_chain(
            [
                one("0001_v1", None, st.empty_snapshot(), v1),
                one("0002_v2", "0001_v1", v1, v2, renames),
            ]
        )
        fresh_chain = build_chain([one("0001_v2", None, st.empty_snapshot(), v2)])
        for name in ("rnd_migrated", "rnd_fresh"):
            await mongo_client.drop_database(name)
        db, fresh = mongo_client["rnd_migrated"], mongo_client["rnd_fresh"]
        await migrate(db, chain)
        await migrate(fresh, fresh_chain)
        got = {k: v for k, v in (await validators(db)).items() if k in v2["models"]}
        assert got == await validators(fresh)
        assert await _indexes(db) == await _indexes(fresh)
        await rollback(db, chain, "0001_v1")
        assert {k: v for k, v in (await validators(db)).items() if k in v1["models"]} == {
            c: validator_for(v1, c) for c in v1["models"]
        }

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    @given(evolutions())
    def run(evolution: Any) -> None:
        asyncio.run(check(*evolution))

    run()


async def test_a_failing_operation_names_the_migration(mongo_database: Any, tmp_path: Path) -> None:
    from farmgen.migrations.files import Migration
    from farmgen.ops import CreateCollection, CreateIndex, apply_all, reverse_all
    from farmgen.runtime import schema_state as st
    from farmgen.runtime.migrate import MigrationError

    first = [CreateCollection("items", {"name": {"type": "string", "optional": False}})]
    second = [
        CreateIndex("items", {"name": "uq_items_name", "fields": [["name", 1]], "unique": True})
    ]
    v1 = apply_all(st.empty_snapshot(), first)
    write_migration(tmp_path, Migration("0001_items", None, "items", first, reverse_all(first), v1))
    write_migration(
        tmp_path, Migration("0002_unique", "0001_items", "u", second, reverse_all(second), None)
    )
    await migrate(mongo_database, tmp_path, target="0001_items")
    await mongo_database["items"].insert_many([{"name": "same"}, {"name": "same"}])
    with pytest.raises(MigrationError) as failed:
        await migrate(mongo_database, tmp_path)
    assert str(failed.value).startswith(
        "applying migration 0002_unique failed at operation 1/1 (create_index items.uq_items_name"
    )
    assert type(failed.value.__cause__).__module__.startswith("pymongo")
