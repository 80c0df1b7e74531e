"""Indexes the MongoDB applier creates carry the options the generated Beanie documents
declare, so ``init_beanie`` after ``farmgen db migrate`` finds nothing to change.

On the fake, ``index_information`` reports what was asked for; a real server (through
``FARMGEN_TEST_MONGODB_URL``) also enforces it.
"""

from __future__ import annotations

from typing import Any

import pytest
from beanie import init_beanie

from farmgen.migrations.files import load_chain
from farmgen.runtime.migrate import migrate
from tests.conftest import EXAMPLES
from tests.generated.support import EXAMPLES as GENERATED_EXAMPLES
from tests.generated.support import import_generated, unload

pytestmark = pytest.mark.mongodb


def _summary(info: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {
        name: (
            [tuple(k) for k in spec["key"]],
            bool(spec.get("unique")),
            spec.get("partialFilterExpression"),
        )
        for name, spec in info.items()
        if name != "_id_"
    }


@pytest.mark.parametrize("example", GENERATED_EXAMPLES)
async def test_migrated_indexes_equal_what_init_beanie_creates(
    example: str, mongo_client: Any, mongo_database: Any
) -> None:
    await migrate(mongo_database, load_chain(EXAMPLES / example / "migrations"))
    fresh = mongo_client[f"{mongo_database.name}_beanie"]
    package = import_generated(example, "beanie")
    try:
        await init_beanie(database=fresh, document_models=package.DOCUMENT_MODELS)
        compared = 0
        for document in package.DOCUMENT_MODELS:
            collection = document.Settings.name
            migrated = _summary(await mongo_database[collection].index_information())
            created = _summary(await fresh[collection].index_information())
            assert migrated == created, collection
            compared += len(created)
        assert compared > 0
    finally:
        unload(package.__name__)
        await mongo_client.drop_database(fresh.name)


async def test_unique_optional_field_index_skips_documents_without_a_value(
    mongo_database: Any,
) -> None:
    await migrate(mongo_database, load_chain(EXAMPLES / "farm-users" / "migrations"))
    info = await mongo_database["users"].index_information()
    username = next(v for v in info.values() if list(v["key"]) == [("username", 1)])
    assert username["unique"] is True
    assert username["partialFilterExpression"] == {"username": {"$type": "string"}}
