"""The one MongoDB fake: mongomock behind PyMongo's async client API.

``pymongo-async-mock`` wraps mongomock in the shape of ``AsyncMongoClient``, which
Beanie 2 drives. One adapter is needed: Beanie calls
``Database.list_collection_names(authorizedCollections=..., nameOnly=...)`` and
mongomock's signature does not take those keywords, so ``init_beanie`` would fail
with a TypeError. We accept and ignore them.

The migration applier needs three more things mongomock lacks, added here minimally:
``create_collection`` with validator options and the ``collMod`` command (both only
*record* the validator, per database, for :func:`validators` to read back; the fake
never enforces it), and ``$rename`` of dotted paths (done document by document).
``create_indexes`` keeps every option of an ``IndexModel``, as ``create_index`` does.

The fake is more permissive than a server: it does not enforce ``$jsonSchema``
validators and ignores most index options. Tests that depend on those must say so
and also run against a real server through ``FARMGEN_TEST_MONGODB_URL``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import mongomock.collection
import mongomock.database

_original_list_collection_names = mongomock.database.Database.list_collection_names


def _list_collection_names(
    self: Any, filter: Any = None, session: Any = None, **_ignored: Any
) -> list[str]:
    return _original_list_collection_names(self, filter=filter, session=session)


mongomock.database.Database.list_collection_names = _list_collection_names  # type: ignore[method-assign]


def _recorded(database: Any) -> dict[str, dict[str, Any]]:
    """Collection name → the validator options asked for, kept on the database's store."""
    store = database._store
    if not hasattr(store, "farmgen_options"):
        store.farmgen_options = {}
    options: dict[str, dict[str, Any]] = store.farmgen_options
    return options


_original_create_collection = mongomock.database.Database.create_collection


def _create_collection(self: Any, name: str, **kwargs: Any) -> Any:
    validation = {k: v for k, v in kwargs.items() if k.startswith("validat")}
    others = {k: v for k, v in kwargs.items() if k not in validation}
    collection = _original_create_collection(self, name, **others)
    _recorded(self)[name] = validation
    return collection


_original_command = mongomock.database.Database.command


def _command(self: Any, command: Any, value: Any = None, **kwargs: Any) -> Any:
    if command == "collMod":
        _recorded(self).setdefault(value, {}).update(kwargs)
        return {"ok": 1.0}
    return _original_command(self, command, **kwargs)


_original_update_many = mongomock.collection.Collection.update_many


def _update_many(self: Any, filter: Any, update: Any, *args: Any, **kwargs: Any) -> Any:
    """mongomock's ``update_many``, plus ``$rename`` of dotted paths (as $set + $unset)."""
    renames = update.get("$rename") if isinstance(update, dict) else None
    if not renames or not any("." in k or "." in v for k, v in renames.items()):
        return _original_update_many(self, filter, update, *args, **kwargs)
    for doc in list(self.find(filter)):
        for old, new in renames.items():
            found, value = _get_path(doc, old.split("."))
            if found:
                self.update_one({"_id": doc["_id"]}, {"$set": {new: value}, "$unset": {old: ""}})
    return None


def _get_path(doc: dict[str, Any], path: list[str]) -> tuple[bool, Any]:
    current: Any = doc
    for part in path:
        if not isinstance(current, dict) or part not in current:
            return False, None
        current = current[part]
    return True, current


def _create_indexes(self: Any, indexes: Any, session: Any = None) -> list[str]:
    """mongomock's ``create_indexes`` keeps only some options; keep them all, as
    ``create_index`` does (``partialFilterExpression`` matters to farmgen)."""
    names = []
    for index in indexes:
        options = dict(index.document)
        key = options.pop("key")
        names.append(self.create_index(list(key.items()), session=session, **options))
    return names


mongomock.collection.Collection.create_indexes = _create_indexes  # type: ignore[method-assign]
mongomock.database.Database.create_collection = _create_collection  # type: ignore[method-assign]
mongomock.database.Database.command = _command  # type: ignore[method-assign]
mongomock.collection.Collection.update_many = _update_many  # type: ignore[method-assign]


async def validators(database: Any) -> dict[str, Any]:
    """Collection name → its validator: recorded on the fake, read from a real server."""
    names = set(await database.list_collection_names())
    if is_fake(database.client):
        recorded = _recorded(database.delegate)
        return {n: o.get("validator") for n, o in recorded.items() if n in names}
    found: dict[str, Any] = {}
    async for info in await database.list_collections():
        found[info["name"]] = info.get("options", {}).get("validator")
    return found


@asynccontextmanager
async def client(url: str | None = None) -> AsyncIterator[Any]:
    """Yield a real ``AsyncMongoClient`` for ``url``, or the fake when ``url`` is None."""
    if url:
        from pymongo import AsyncMongoClient

        real: Any = AsyncMongoClient(url, serverSelectionTimeoutMS=5000)
        try:
            yield real
        finally:
            await real.close()
        return
    from pymongo_async_mock import AsyncMongoMockClient

    yield AsyncMongoMockClient()


def is_fake(client: Any) -> bool:
    return type(client).__module__.startswith(("pymongo_async_mock", "mongomock"))
