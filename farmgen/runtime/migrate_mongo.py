"""Migrations on MongoDB: collections, ``$jsonSchema`` validators, data moves, indexes.

Collections are created with a ``$jsonSchema`` validator derived from the snapshot
(:func:`validator_for`); after each migration every collection whose derived
validator changed gets it through ``collMod``, so enum values, types and required
fields follow the spec. ``add_field`` writes its default where the field is missing,
``rename_field`` is ``$rename`` (dotted paths for embedded fields), indexes are
created and dropped by name. MongoDB has no transactional DDL: a failed migration
stops where it failed and is not recorded; operations are safe to run again
(``$set`` only where missing, ``$rename``/``$unset`` of absent fields do nothing,
collections and indexes are checked before they are created or dropped).

History is the ``schema_migrations`` collection (``_id`` = migration id); the lock
is a document in ``schema_migrations_lock``, taken by inserting it (a duplicate key
means another applier holds it) and deleted afterwards. A lock older than
``LOCK_STALE_S`` (an applier that died) is taken over.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from farmgen import ops
from farmgen.runtime import schema_state as st
from farmgen.runtime.mongo_schema import index_keys, partial_filter, validator_for

if TYPE_CHECKING:
    from farmgen.runtime.migrate import AppliedMigration, Step

HISTORY = "schema_migrations"
LOCKS = "schema_migrations_lock"
LOCK_ID = "farmgen_migrate"
LOCK_STALE_S = 600.0
LOCK_WAIT_S = 300.0

MongoHandler = Callable[["MongoBackend", Any, st.Snapshot], Coroutine[Any, Any, None]]
MONGO_HANDLERS: dict[type[ops.Operation], MongoHandler] = {}


def mongo_handles(kind: type[ops.Operation]) -> Callable[[MongoHandler], MongoHandler]:
    def register(fn: MongoHandler) -> MongoHandler:
        if kind in MONGO_HANDLERS:
            raise ops.OperationError(f"two MongoDB handlers for '{kind.type}'")
        MONGO_HANDLERS[kind] = fn
        return fn

    return register


class MongoBackend:
    def __init__(self, database: Any) -> None:
        self.db = database

    @asynccontextmanager
    async def lock(self) -> AsyncIterator[None]:
        from pymongo.errors import DuplicateKeyError

        owner = f"{socket.gethostname()}:{os.getpid()}:{id(self)}"
        waited = 0.0
        while True:
            now = dt.datetime.now(dt.UTC)
            try:
                await self.db[LOCKS].insert_one({"_id": LOCK_ID, "owner": owner, "at": now})
                break
            except DuplicateKeyError:
                stale = now - dt.timedelta(seconds=LOCK_STALE_S)
                taken = await self.db[LOCKS].delete_one({"_id": LOCK_ID, "at": {"$lt": stale}})
                if taken.deleted_count:
                    continue
                if waited >= LOCK_WAIT_S:
                    from farmgen.runtime.migrate import MigrationError

                    raise MigrationError("another applier holds the migration lock") from None
                await asyncio.sleep(0.05)
                waited += 0.05
        try:
            yield
        finally:
            await self.db[LOCKS].delete_one({"_id": LOCK_ID, "owner": owner})

    async def ensure_history(self) -> None:
        return None

    async def history(self) -> dict[str, AppliedMigration]:
        from farmgen.runtime.migrate import AppliedMigration

        found: dict[str, AppliedMigration] = {}
        async for doc in self.db[HISTORY].find({}):
            found[doc["_id"]] = AppliedMigration(
                doc["_id"], doc["checksum"], doc.get("applied_at"), doc.get("duration")
            )
        return found

    async def set_checksum(self, migration_id: str, checksum: str) -> None:
        await self.db[HISTORY].update_one({"_id": migration_id}, {"$set": {"checksum": checksum}})

    async def run(self, step: Step) -> bool:
        applied = await self.db[HISTORY].find_one({"_id": step.migration.id})
        if (applied is not None) == step.up:
            return False
        started = dt.datetime.now(dt.UTC)
        state = step.before
        for n, op in enumerate(step.operations, 1):
            handler = MONGO_HANDLERS.get(type(op))
            if handler is None:
                raise ops.OperationError(f"no MongoDB handler for operation '{op.type}'")
            try:
                await handler(self, op, state)
            except Exception as exc:
                from farmgen.runtime.migrate import OperationFailed

                raise OperationFailed(n, op) from exc
            state = ops.apply_all(state, [op])
        await self.sync_validators(step.before, state)
        if step.up:
            duration = (dt.datetime.now(dt.UTC) - started).total_seconds()
            await self.db[HISTORY].insert_one(
                {
                    "_id": step.migration.id,
                    "checksum": step.migration.checksum,
                    "applied_at": started,
                    "duration": duration,
                }
            )
        else:
            await self.db[HISTORY].delete_one({"_id": step.migration.id})
        return True

    async def collections(self) -> set[str]:
        return set(await self.db.list_collection_names())

    async def sync_validators(self, before: st.Snapshot, after: st.Snapshot) -> None:
        for name in sorted(after["models"]):
            wanted = validator_for(after, name)
            if name in before["models"] and validator_for(before, name) == wanted:
                continue
            await self.db.command(
                "collMod",
                name,
                validator=wanted,
                validationLevel="moderate",
                validationAction="error",
            )


def _mongo_path(snapshot: st.Snapshot, collection: str, path: str) -> tuple[str, bool]:
    """The update path, with ``$[]`` after list-of-embedded parents; True if it has one."""
    parts = path.split(".")
    fields = st.model(snapshot, collection)["fields"]
    out: list[str] = []
    through_list = False
    for part in parts[:-1]:
        spec = fields[part]
        out.append(part)
        if spec["type"].startswith("list["):
            out.append("$[]")
            through_list = True
        fields = spec.get("fields", {})
    out.append(parts[-1])
    return ".".join(out), through_list


@mongo_handles(ops.CreateCollection)
async def _create_collection(b: MongoBackend, op: ops.CreateCollection, state: st.Snapshot) -> None:
    after = ops.apply_all(state, [op])
    if op.collection not in await b.collections():
        await b.db.create_collection(
            op.collection,
            validator=validator_for(after, op.collection),
            validationLevel="moderate",
            validationAction="error",
        )


@mongo_handles(ops.DropCollection)
async def _drop_collection(b: MongoBackend, op: ops.DropCollection, state: st.Snapshot) -> None:
    await b.db.drop_collection(op.collection)


@mongo_handles(ops.RenameCollection)
async def _rename_collection(b: MongoBackend, op: ops.RenameCollection, state: st.Snapshot) -> None:
    names = await b.collections()
    if op.old_name in names and op.new_name not in names:
        await b.db[op.old_name].rename(op.new_name)


@mongo_handles(ops.AddField)
async def _add_field(b: MongoBackend, op: ops.AddField, state: st.Snapshot) -> None:
    path, through_list = _mongo_path(state, op.collection, op.field)
    parent = op.field.rpartition(".")[0]
    if through_list:
        filtered = path.replace("$[]", "$[e]", path.count("$[]") - 1).rsplit("$[]", 1)
        path = "$[e]".join(filtered)
        await b.db[op.collection].update_many(
            {},
            {"$set": {path: op.default_value}},
            array_filters=[{f"e.{op.field.rsplit('.', 1)[-1]}": {"$exists": False}}],
        )
        return
    query: dict[str, Any] = {op.field: {"$exists": False}}
    if parent:
        query[parent] = {"$type": "object"}
    value = op.default_value
    if value is None and op.spec.get("mixin") == "timestamps":
        value = dt.datetime.now(dt.UTC)  # as SQL's server default fills existing rows
    await b.db[op.collection].update_many(query, {"$set": {path: value}})


@mongo_handles(ops.RemoveField)
async def _remove_field(b: MongoBackend, op: ops.RemoveField, state: st.Snapshot) -> None:
    path, _ = _mongo_path(state, op.collection, op.field)
    await b.db[op.collection].update_many({}, {"$unset": {path: ""}})


@mongo_handles(ops.RenameField)
async def _rename_field(b: MongoBackend, op: ops.RenameField, state: st.Snapshot) -> None:
    _, through_list = _mongo_path(state, op.collection, op.old_name)
    if through_list:
        from farmgen.runtime.migrate import MigrationError

        raise MigrationError(
            f"{op.describe()}: renaming a field inside a list of embedded values needs a "
            "data migration on MongoDB ($rename does not reach into arrays)"
        )
    await b.db[op.collection].update_many(
        {op.old_name: {"$exists": True}}, {"$rename": {op.old_name: op.new_name}}
    )


@mongo_handles(ops.AlterField)
async def _alter_field(b: MongoBackend, op: ops.AlterField, state: st.Snapshot) -> None:
    if op.fill_value is None or op.new.get("optional") or not op.old.get("optional"):
        return
    path, through_list = _mongo_path(state, op.collection, op.field)
    if not through_list:
        await b.db[op.collection].update_many({op.field: None}, {"$set": {path: op.fill_value}})


@mongo_handles(ops.CreateIndex)
async def _create_index(b: MongoBackend, op: ops.CreateIndex, state: st.Snapshot) -> None:
    options: dict[str, Any] = {"name": op.index["name"]}
    if op.index.get("unique"):
        options["unique"] = True
    partial = partial_filter(state, op.collection, op.index)
    if partial is not None:
        options["partialFilterExpression"] = partial
    await b.db[op.collection].create_index(index_keys(op.index), **options)


@mongo_handles(ops.DropIndex)
async def _drop_index(b: MongoBackend, op: ops.DropIndex, state: st.Snapshot) -> None:
    existing = await b.db[op.collection].index_information()
    if op.index["name"] in existing:
        await b.db[op.collection].drop_index(op.index["name"])


async def _nothing(b: MongoBackend, op: ops.Operation, state: st.Snapshot) -> None:
    """Enums live in validators, which ``sync_validators`` updates after the migration."""


for _kind in (ops.CreateEnum, ops.DropEnum, ops.AlterEnum):
    mongo_handles(_kind)(_nothing)
