"""ConnectionPoolManager: background health checks, bounded history, pool figures."""

from __future__ import annotations

import asyncio

from farmgen.runtime.config import DatabaseConfig
from farmgen.runtime.pool import ConnectionPoolManager
from farmgen.runtime.providers import create_provider
from tests.runtime.conftest import sql_config


async def test_checks_run_in_the_background_and_stop_cleanly(sql_url: str) -> None:
    provider = create_provider(sql_config(sql_url))
    await provider.connect()
    try:
        pool = ConnectionPoolManager(provider, interval=0.01, history_size=3)
        await pool.start_health_monitoring()
        assert pool.running
        for _ in range(1000):
            if pool.pool_stats["checks"] >= 5:
                break
            await asyncio.sleep(0.01)
        await pool.stop_health_monitoring()
        assert not pool.running
        checks = pool.pool_stats["checks"]
        assert checks >= 5
        assert len(pool.connection_history) == 3
        await asyncio.sleep(0.05)
        assert pool.pool_stats["checks"] == checks
        metrics = pool.get_pool_metrics()
        assert metrics["recent_healthy_ratio"] == 1.0
        assert metrics["pool"]["checked_out"] == 0
        assert metrics["last_health_check"]["healthy"] is True
    finally:
        await provider.disconnect()


async def test_failures_are_counted(unused_port: int) -> None:
    url = f"postgresql+asyncpg://u:pw@127.0.0.1:{unused_port}/db"
    provider = create_provider(DatabaseConfig(type="postgresql", url=url, connect_timeout=1))
    pool = ConnectionPoolManager(provider)
    record = await pool.check_now()
    assert record.healthy is False
    assert record.error == "not connected"
    await pool.check_now()
    assert pool.pool_stats == {"checks": 2, "failures": 2, "consecutive_failures": 2}
    assert pool.get_pool_metrics()["recent_healthy_ratio"] == 0.0
    await pool.stop_health_monitoring()
