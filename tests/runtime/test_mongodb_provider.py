"""The MongoDB provider through the MongoDB fixture (the in-memory fake unless
FARMGEN_TEST_MONGODB_URL is set) and a real ``AsyncMongoClient`` for failures.

On the fake, index options (``unique``) and validators are not enforced: these tests
check names and keys only, never that a unique index rejects a duplicate.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest

from farmgen.runtime.config import DatabaseConfig
from farmgen.runtime.errors import DatabaseConnectionError, ModelError
from farmgen.runtime.providers import create_provider
from farmgen.runtime.providers.mongodb import MongoDBProvider, database_name
from tests.runtime.models import MONGO_MODELS, Gadget, Item, Member

pytestmark = pytest.mark.mongodb


def _config(name: str) -> DatabaseConfig:
    return DatabaseConfig(type="mongodb", url="mongodb://app:pw@localhost/ignored", database=name)


async def _provider(client: Any, database: Any) -> MongoDBProvider:
    provider = create_provider(_config(database.name), client=client)
    assert isinstance(provider, MongoDBProvider)
    for model in MONGO_MODELS:
        provider.register_model(model)
    await provider.connect()
    return provider


async def test_connect_registers_beanie_documents(mongo_client: Any, mongo_database: Any) -> None:
    provider = await _provider(mongo_client, mongo_database)
    try:
        await Member(email="a@example.com", balance=Decimal("1.25")).insert()
        found = await provider.query(Member).find(email="a@example.com").first()
        assert found is not None and found.balance == Decimal("1.25")
        assert provider.model_for("members") is Member
        assert provider.model_for("Gadget") is Gadget
        with pytest.raises(ModelError, match="no registered model named 'nope'"):
            provider.model_for("nope")
    finally:
        await provider.disconnect()
    assert provider.client is None


async def test_indexes_are_created_on_request_only(mongo_client: Any, mongo_database: Any) -> None:
    provider = await _provider(mongo_client, mongo_database)
    try:
        await Gadget(name="g").insert()
        await Member(email="m@example.com").insert()
        assert await provider.list_indexes() == []
        created = await provider.create_indexes()
        assert sorted(created) == ["email_1", "n_1_name_1"]
        assert await provider.create_indexes() == []
        listed = {(ix.collection, ix.name): ix for ix in await provider.list_indexes()}
        assert listed[("gadgets", "n_1_name_1")].keys == (("n", 1), ("name", 1))
        assert set(listed) == {("gadgets", "n_1_name_1"), ("members", "email_1")}
    finally:
        await provider.disconnect()


async def test_health_stats_and_drop_all(mongo_client: Any, mongo_database: Any) -> None:
    provider = await _provider(mongo_client, mongo_database)
    try:
        await Gadget(name="g", n=1).insert()
        await Gadget(name="h", n=2).insert()
        health = await provider.health_check()
        assert health["status"] == "healthy"
        assert health["url"] == "mongodb://app:***@localhost/ignored"
        assert health["version"]
        stats = await provider.get_stats()
        assert {"name": "gadgets", "objects": 2} in stats["collections"]
        assert stats["database"]["objects"] == 2
        assert await provider.drop_all() == ["gadgets"]
        assert await provider.list_collections() == []
    finally:
        await provider.disconnect()


def test_sql_models_are_refused() -> None:
    provider = create_provider(_config("x"))
    with pytest.raises(ModelError, match="not a Beanie Document"):
        provider.register_model(Item)


def test_database_name_from_url_or_setting() -> None:
    assert database_name(DatabaseConfig(type="mongodb", url="mongodb://h:1/shop")) == "shop"
    assert database_name(DatabaseConfig(type="mongodb", url="mongodb://h/a", database="b")) == "b"
    with pytest.raises(DatabaseConnectionError, match="no MongoDB database name"):
        database_name(DatabaseConfig(type="mongodb", url="mongodb://h:1"))


async def test_unreachable_server_is_one_masked_line(unused_port: int) -> None:
    url = f"mongodb://app:s3cret@127.0.0.1:{unused_port}/shop"
    provider = create_provider(DatabaseConfig(type="mongodb", url=url, connect_timeout=1))
    with pytest.raises(DatabaseConnectionError) as info:
        await asyncio.wait_for(provider.connect(), 15)
    message = str(info.value)
    assert message.startswith(
        f"cannot connect to mongodb at mongodb://app:***@127.0.0.1:{unused_port}"
    )
    assert "s3cret" not in message
    assert "\n" not in message
    assert not provider.is_connected


async def test_a_server_that_never_answers_times_out(silent_port: int) -> None:
    url = f"mongodb://127.0.0.1:{silent_port}/shop"
    provider = create_provider(DatabaseConfig(type="mongodb", url=url, connect_timeout=1))
    with pytest.raises(DatabaseConnectionError, match="cannot connect to mongodb"):
        await asyncio.wait_for(provider.connect(), 15)
