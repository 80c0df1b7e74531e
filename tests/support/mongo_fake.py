"""The one MongoDB fake: mongomock behind PyMongo's async client API.

``pymongo-async-mock`` wraps mongomock in the shape of ``AsyncMongoClient``, which
Beanie 2 drives. One adapter is needed: Beanie calls
``Database.list_collection_names(authorizedCollections=..., nameOnly=...)`` and
mongomock's signature does not take those keywords, so ``init_beanie`` would fail
with a TypeError. We accept and ignore them.

The fake is more permissive than a server: it ignores ``$jsonSchema`` validators and
most index options. Tests that depend on those must say so and also run against a
real server through ``FARMGEN_TEST_MONGODB_URL``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import mongomock.database

_original_list_collection_names = mongomock.database.Database.list_collection_names


def _list_collection_names(
    self: Any, filter: Any = None, session: Any = None, **_ignored: Any
) -> list[str]:
    return _original_list_collection_names(self, filter=filter, session=session)


mongomock.database.Database.list_collection_names = _list_collection_names  # type: ignore[method-assign]


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
