"""What the MongoDB fake lacks for migrations, added to one fake database object.

mongomock (behind ``tests/support/mongo_fake.py``) has no ``create_collection``
options, no ``command`` (so no ``collMod``), no ``list_collections`` and no dotted
``$rename``. ``adapt(db)`` gives the fake database object those four, minimally:
validators are *recorded* (the fake never enforces them) and a dotted ``$rename`` is
done document by document. So on the fake the tests prove which validators and
indexes the applier asks for, not that a server enforces them; with
``FARMGEN_TEST_MONGODB_URL`` set, the same tests run against a real server and
``adapt`` changes nothing.
"""

from __future__ import annotations

from typing import Any

import mongomock.collection

from tests.support.mongo_fake import is_fake

_original_update_many = mongomock.collection.Collection.update_many


def _update_many(self: Any, filter: Any, update: Any, *args: Any, **kwargs: Any) -> Any:
    """mongomock's ``update_many``, plus ``$rename`` of dotted paths (as $set + $unset)."""
    renames = update.get("$rename") if isinstance(update, dict) else None
    if not renames or not any("." in k or "." in v for k, v in renames.items()):
        return _original_update_many(self, filter, update, *args, **kwargs)
    for doc in list(self.find(filter)):
        for old, new in renames.items():
            found, value = _get(doc, old.split("."))
            if found:
                self.update_one({"_id": doc["_id"]}, {"$set": {new: value}, "$unset": {old: ""}})
    return None


mongomock.collection.Collection.update_many = _update_many  # type: ignore[method-assign]


def _get(doc: dict[str, Any], path: list[str]) -> tuple[bool, Any]:
    cur: Any = doc
    for part in path:
        if not isinstance(cur, dict) or part not in cur:
            return False, None
        cur = cur[part]
    return True, cur


def adapt(db: Any) -> Any:
    if not is_fake(db.client):
        return db
    options: dict[str, dict[str, Any]] = {}
    original_create = db.create_collection

    async def create_collection(name: str, **kwargs: Any) -> Any:
        options[name] = {k: v for k, v in kwargs.items() if k.startswith("validat")}
        return await original_create(name)

    async def command(name: str, target: str, **kwargs: Any) -> dict[str, Any]:
        if name != "collMod":
            raise NotImplementedError(name)
        options.setdefault(target, {}).update(kwargs)
        return {"ok": 1}

    db.create_collection = create_collection
    db.command = command
    db.farmgen_options = options
    return db


async def validators(db: Any) -> dict[str, Any]:
    """Collection name → its validator (recorded on the fake, read from a real server)."""
    if hasattr(db, "farmgen_options"):
        names = set(await db.list_collection_names())
        return {n: o.get("validator") for n, o in db.farmgen_options.items() if n in names}
    found: dict[str, Any] = {}
    async for info in await db.list_collections():
        found[info["name"]] = info.get("options", {}).get("validator")
    return found
