"""Transactions: all or nothing on every SQL database; a clear refusal on standalone MongoDB."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from farmgen.runtime.config import DatabaseConfig, PoolConfig, PostgreSQLConfig
from farmgen.runtime.errors import TransactionsUnsupportedError
from farmgen.runtime.manager import DatabaseManager
from tests.runtime.conftest import sql_config
from tests.runtime.models import SQL_MODELS, Account, Entry, Gadget, Item


class Boom(Exception):
    pass


async def _count(manager: DatabaseManager, model: type[Any]) -> int:
    return await manager.query(model).count()


async def test_an_exception_leaves_no_rows_behind(sql_url: str) -> None:
    async with DatabaseManager(sql_config(sql_url), models=SQL_MODELS) as manager:
        await manager.provider.create_tables()  # type: ignore[union-attr]
        with pytest.raises(Boom):
            async with manager.transaction() as tx:
                account = Account(email="a@example.com", balance=Decimal("10"))
                tx.add(account)  # type: ignore[attr-defined]
                await tx.session.flush()  # type: ignore[attr-defined]
                tx.add(Entry(account_id=account.id, amount=Decimal("1.5")))  # type: ignore[attr-defined]
                tx.add(Item(name="x"))  # type: ignore[attr-defined]
                await tx.session.flush()  # type: ignore[attr-defined]
                assert await tx.query(Item).count() == 1  # type: ignore[attr-defined]
                raise Boom
        assert await _count(manager, Account) == 0
        assert await _count(manager, Entry) == 0
        assert await _count(manager, Item) == 0


async def test_a_database_error_inside_rolls_back_earlier_writes(sql_url: str) -> None:
    async with DatabaseManager(sql_config(sql_url), models=SQL_MODELS) as manager:
        await manager.provider.create_tables()  # type: ignore[union-attr]
        with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
            async with manager.transaction() as tx:
                tx.add(Item(name="first"))  # type: ignore[attr-defined]
                tx.add(Account(email="dup@example.com"))  # type: ignore[attr-defined]
                await tx.session.flush()  # type: ignore[attr-defined]
                tx.add(Account(email="dup@example.com"))  # type: ignore[attr-defined]
                await tx.session.flush()  # type: ignore[attr-defined]
        assert await _count(manager, Item) == 0
        assert await _count(manager, Account) == 0


async def test_success_commits(sql_url: str) -> None:
    async with DatabaseManager(sql_config(sql_url), models=SQL_MODELS) as manager:
        await manager.provider.create_tables()  # type: ignore[union-attr]
        async with manager.transaction() as tx:
            tx.add(Item(name="kept", n=3))  # type: ignore[attr-defined]
        rows = await manager.query(Item).to_list()
        assert [(r.name, r.n) for r in rows] == [("kept", 3)]


@pytest.mark.mongodb
async def test_standalone_mongodb_refuses_transactions(
    mongo_client: Any, mongo_database: Any
) -> None:
    config = DatabaseConfig(
        type="mongodb", url="mongodb://u:pw@db.example/app", database=mongo_database.name
    )
    async with DatabaseManager(config, models=[Gadget], client=mongo_client) as manager:
        assert manager.provider.supports_transactions is False  # type: ignore[union-attr]
        with pytest.raises(TransactionsUnsupportedError, match="replica set") as info:
            async with manager.transaction():
                await Gadget(name="never").insert()
        assert "u:***@db.example" in str(info.value)
        assert await manager.query(Gadget).count() == 0


def _concurrency_config(url: str) -> DatabaseConfig:
    # a pool much smaller than the number of tasks: they must queue, not fail
    return sql_config(
        url,
        pool=PoolConfig(min_size=5, max_size=15),
        postgresql=PostgreSQLConfig(pool_size=5, max_overflow=10),
    )


async def _two_hundred_writers(url: str) -> None:
    async with DatabaseManager(_concurrency_config(url), models=SQL_MODELS) as manager:
        await manager.provider.create_tables()  # type: ignore[union-attr]

        async def write(i: int) -> None:
            async with manager.transaction() as tx:
                tx.add(Item(name=f"task-{i:03d}", n=i))  # type: ignore[attr-defined]
                await tx.session.flush()  # type: ignore[attr-defined]
                await asyncio.sleep(0)

        await asyncio.gather(*(write(i) for i in range(200)))
        assert await _count(manager, Item) == 200
        async with manager.provider.session() as session:  # type: ignore[union-attr]
            total = (await session.execute(select(func.sum(Item.n)))).scalar_one()
        assert total == sum(range(200))
        pool = manager.provider.pool_metrics()  # type: ignore[union-attr]
        assert pool["checked_out"] == 0
        assert pool["capacity"] == 15


@pytest.mark.postgresql
async def test_200_concurrent_writers_postgresql(pg_url: str) -> None:
    await _two_hundred_writers(pg_url)


@pytest.mark.mysql
async def test_200_concurrent_writers_mariadb(mysql_url: str) -> None:
    await _two_hundred_writers(mysql_url)
