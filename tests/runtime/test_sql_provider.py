"""The SQL provider on the real PostgreSQL and MariaDB servers and on SQLite."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from farmgen.runtime.config import DatabaseConfig, DevelopmentConfig
from farmgen.runtime.errors import DatabaseConnectionError, ModelError, NotConnectedError
from farmgen.runtime.providers import create_provider
from farmgen.runtime.providers.sql import SQLProvider
from tests.runtime.conftest import sql_config
from tests.runtime.models import SQL_MODELS, Gadget, Item

HANG_GUARD = 15  # seconds: far above connect_timeout; only catches a hang


async def connected(url: str) -> SQLProvider:
    provider = create_provider(sql_config(url))
    assert isinstance(provider, SQLProvider)
    for model in SQL_MODELS:
        provider.register_model(model)
    await provider.connect()
    return provider


async def test_connect_health_stats_and_disconnect(sql_url: str) -> None:
    provider = await connected(sql_url)
    try:
        await provider.create_tables()
        async with provider.session() as session:
            session.add_all([Item(name="a", n=1), Item(name="b", n=2)])
            await session.commit()
        health = await provider.health_check()
        assert health["status"] == "healthy"
        assert health["connected"] is True
        assert health["version"]
        assert health["connections"]["pool"]["checked_out"] == 0
        stats = await provider.get_stats()
        assert stats["database"]["collections"] == 3
        assert {"name": "items", "objects": 2} in stats["collections"]
        assert stats["database"]["size_bytes"] > 0
    finally:
        await provider.disconnect()
    assert not provider.is_connected
    assert (await provider.health_check())["status"] == "unhealthy"
    await provider.disconnect()  # twice is fine


async def test_indexes_created_listed_and_not_recreated(sql_url: str) -> None:
    provider = await connected(sql_url)
    try:
        async with provider._engine().begin() as conn:
            await conn.run_sync(Item.__table__.create)
        names = {ix.name for ix in await provider.list_indexes()}
        assert names == {"ix_items_name", "ix_items_n_name"}
        async with provider._engine().begin() as conn:
            for index in list(Item.__table__.indexes):
                await conn.run_sync(index.drop)
        assert await provider.create_indexes(Item) == ["ix_items_n_name", "ix_items_name"]
        assert await provider.create_indexes(Item) == []
        listed = {ix.name: ix for ix in await provider.list_indexes()}
        assert listed["ix_items_n_name"].keys == (("n", 1), ("name", 1))
        assert listed["ix_items_n_name"].unique is False
    finally:
        await provider.disconnect()


async def test_create_indexes_on_a_missing_table_says_to_migrate(sql_url: str) -> None:
    provider = await connected(sql_url)
    try:
        with pytest.raises(ModelError, match=r"table 'items' does not exist.*farmgen db migrate"):
            await provider.create_indexes(Item)
    finally:
        await provider.disconnect()


async def test_drop_all_removes_every_table(sql_url: str) -> None:
    provider = await connected(sql_url)
    try:
        await provider.create_tables()
        assert await provider.list_collections() == ["accounts", "entries", "items"]
        assert await provider.drop_all() == ["accounts", "entries", "items"]
        assert await provider.list_collections() == []
    finally:
        await provider.disconnect()


def test_a_beanie_document_is_refused(sqlite_url: str) -> None:
    provider = create_provider(sql_config(sqlite_url))
    with pytest.raises(ModelError, match="not a SQLAlchemy mapped class"):
        provider.register_model(Gadget)


async def test_query_before_connect_is_a_clear_error(sqlite_url: str) -> None:
    provider = create_provider(sql_config(sqlite_url))
    with pytest.raises(NotConnectedError, match="call connect"):
        provider.transaction()
    with pytest.raises(NotConnectedError):
        await provider.query(Item).to_list()


@pytest.mark.parametrize(
    ("db_type", "url", "message"),
    [
        ("postgresql", "mysql+aiomysql://h/db", "is not a postgresql URL"),
        ("mysql", "mysql+pymysql://h/db", r"use mysql\+aiomysql://"),
        ("sqlite", "nonsense", "invalid database URL"),
    ],
)
def test_url_and_type_must_agree(db_type: str, url: str, message: str) -> None:
    with pytest.raises(DatabaseConnectionError, match=message):
        create_provider(DatabaseConfig(type=db_type, url=url))  # type: ignore[arg-type]


def test_plain_urls_get_the_async_driver() -> None:
    pg = SQLProvider(DatabaseConfig(type="postgresql", url="postgresql://u:p@h/db"))
    assert pg.url == "postgresql+asyncpg://u:p@h/db"
    my = SQLProvider(DatabaseConfig(type="mysql", url="mariadb://u@h/db"))
    assert my.url == "mysql+aiomysql://u@h/db"


# -- failure behaviour -------------------------------------------------------


async def _connect_error(db_type: str, url: str) -> str:
    config = DatabaseConfig(type=db_type, url=url, connect_timeout=1)  # type: ignore[arg-type]
    provider = create_provider(config)
    with pytest.raises(DatabaseConnectionError) as info:
        await asyncio.wait_for(provider.connect(), HANG_GUARD)
    assert not provider.is_connected
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("db_type", "template"),
    [
        ("postgresql", "postgresql+asyncpg://u:s3cret@127.0.0.1:{port}/db"),
        ("mysql", "mysql+aiomysql://u:s3cret@127.0.0.1:{port}/db"),
    ],
)
async def test_server_down_is_one_line_with_the_masked_url(
    db_type: str, template: str, unused_port: int
) -> None:
    message = await _connect_error(db_type, template.format(port=unused_port))
    assert message.startswith(f"cannot connect to {db_type} at ")
    assert f"u:***@127.0.0.1:{unused_port}/db" in message
    assert "s3cret" not in message


@pytest.mark.parametrize(
    ("db_type", "template"),
    [
        ("postgresql", "postgresql+asyncpg://u:s3cret@127.0.0.1:{port}/db"),
        ("mysql", "mysql+aiomysql://u:s3cret@127.0.0.1:{port}/db"),
    ],
)
async def test_a_server_that_never_answers_times_out(
    db_type: str, template: str, silent_port: int
) -> None:
    message = await _connect_error(db_type, template.format(port=silent_port))
    assert "s3cret" not in message
    assert "within 1 s" in message or "timeout" in message.lower() or "timed out" in message


@pytest.mark.mysql
async def test_wrong_mysql_password_is_masked(mysql_url: str) -> None:
    bad = mysql_url.replace("root@", "root:Wr0ngPass@")
    message = await _connect_error("mysql", bad)
    assert "Access denied" in message
    assert "Wr0ngPass" not in message
    assert "root:***@" in message


@pytest.mark.postgresql
async def test_unknown_postgresql_user_is_masked(pg_url: str) -> None:
    bad = pg_url.replace("postgres@", "nobody_here:Wr0ngPass@")
    message = await _connect_error("postgresql", bad)
    assert "nobody_here" in message
    assert "Wr0ngPass" not in message


async def test_sqlite_in_memory_shares_one_database() -> None:
    provider = await connected("sqlite+aiosqlite:///:memory:")
    try:
        await provider.create_tables()
        async with provider.session() as session:
            session.add(Item(name="x"))
            await session.commit()
        async with provider.session() as session:
            assert (await session.execute(select(Item.name))).scalars().all() == ["x"]
    finally:
        await provider.disconnect()


async def test_show_queries_turns_on_sqlalchemy_echo(sqlite_url: str) -> None:
    config = sql_config(sqlite_url, development=DevelopmentConfig(show_queries=True))
    provider = create_provider(config)
    await provider.connect()
    try:
        assert provider.engine is not None and provider.engine.echo is True  # type: ignore[attr-defined]
    finally:
        await provider.disconnect()
    quiet = create_provider(sql_config(sqlite_url))
    await quiet.connect()
    try:
        assert quiet.engine.echo is False  # type: ignore[attr-defined]
    finally:
        await quiet.disconnect()
