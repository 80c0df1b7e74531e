"""SQL pool figures mean what they say: no raw QueuePool counters, the real pool named."""

from __future__ import annotations

from farmgen.runtime.config import DatabaseConfig, PoolConfig
from farmgen.runtime.providers import create_provider
from farmgen.runtime.providers.sql import SQLProvider
from tests.runtime.conftest import sql_config


async def test_queue_pool_figures_count_connections(sql_url: str) -> None:
    provider = create_provider(sql_config(sql_url, pool=PoolConfig(min_size=2, max_size=6)))
    assert isinstance(provider, SQLProvider)
    await provider.connect()
    try:
        idle = provider.pool_metrics()
        assert idle["kind"] == "queue" and "overflow" not in idle
        assert (idle["open"], idle["checked_out"], idle["idle"]) == (1, 0, 1)
        async with provider.native.connect(), provider.native.connect():
            busy = provider.pool_metrics()
        assert (busy["open"], busy["checked_out"], busy["idle"]) == (2, 2, 0)
        if provider.dialect != "postgresql":  # PostgreSQL sizes come from [database.postgresql]
            assert (busy["size"], busy["max_overflow"], busy["capacity"]) == (2, 4, 6)
        assert ("note" in busy) == (provider.dialect == "sqlite")
    finally:
        await provider.disconnect()


async def test_sqlite_in_memory_says_it_shares_one_connection() -> None:
    config = DatabaseConfig(type="sqlite", url="sqlite+aiosqlite:///:memory:")
    provider = create_provider(config)
    await provider.connect()
    try:
        metrics = provider.pool_metrics()
    finally:
        await provider.disconnect()
    assert metrics == {
        "class": "StaticPool",
        "kind": "single",
        "capacity": 1,
        "note": "one shared connection (SQLite in-memory database)",
    }
