"""DatabaseMonitor: fed by SQLAlchemy engine events and PyMongo command events."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from farmgen.runtime.config import MonitoringConfig
from farmgen.runtime.monitor import DatabaseMonitor, QueryMetrics
from farmgen.runtime.providers import create_provider
from farmgen.runtime.providers.sql import SQLProvider
from tests.runtime.conftest import sql_config
from tests.runtime.models import Item


async def _provider(url: str, monitor: DatabaseMonitor) -> SQLProvider:
    provider = create_provider(sql_config(url), monitor=monitor)
    assert isinstance(provider, SQLProvider)
    provider.register_model(Item)
    await provider.connect()
    return provider


async def test_sql_statements_are_counted_by_kind_and_table(sql_url: str) -> None:
    monitor = DatabaseMonitor(slow_query_threshold=60)
    provider = await _provider(sql_url, monitor)
    try:
        await provider.create_tables()
        before = monitor.get_performance_summary()["total_queries"]
        async with provider.transaction() as tx:
            tx.add(Item(name="a"))
        await provider.query(Item).find(name="a").to_list()
        summary = monitor.get_performance_summary()
        assert summary["total_queries"] == before + 2
        assert summary["query_type_distribution"]["INSERT"] >= 1
        last = list(monitor.query_metrics)[-2:]
        assert [(m.query_type, m.collection) for m in last] == [
            ("INSERT", "items"),
            ("SELECT", "items"),
        ]
        assert all(m.statement is None and m.execution_time >= 0 for m in last)
    finally:
        await provider.disconnect()
    count = monitor.get_performance_summary()["total_queries"]
    await provider.connect()
    try:
        await provider.query(Item).count()
        assert (
            monitor.get_performance_summary()["total_queries"] == count + 1
        )  # re-attached to the new engine
    finally:
        await provider.disconnect()


async def test_slow_and_failed_statements_are_kept(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    monitor = DatabaseMonitor(slow_query_threshold=0.0)
    provider = await _provider(sqlite_url, monitor)
    try:
        with caplog.at_level(logging.WARNING, logger="farmgen.runtime.monitor"):
            async with provider._engine().connect() as conn:
                await conn.execute(text("SELECT 1"))
                with pytest.raises(OperationalError):
                    await conn.execute(text("SELECT * FROM missing_table"))
        assert monitor.slow_queries[-2].statement == "SELECT 1"
        failed = [m for m in monitor.query_metrics if m.error]
        assert failed[-1].statement == "SELECT * FROM missing_table"
        assert failed[-1].collection == "missing_table"
        assert monitor.get_performance_summary()["errors"] == 1
        assert "slow query: SELECT" in caplog.text
    finally:
        await provider.disconnect()


def test_fast_queries_are_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    monitor = DatabaseMonitor(slow_query_threshold=1.0)
    with caplog.at_level(logging.DEBUG, logger="farmgen.runtime.monitor"):
        monitor.record_statement("SELECT * FROM t", 0.001)
    assert caplog.records == []
    assert monitor.slow_queries.maxlen == 100
    assert len(monitor.slow_queries) == 0


def test_history_is_bounded() -> None:
    monitor = DatabaseMonitor(history_size=10)
    for i in range(25):
        monitor.record_statement(f"SELECT {i}", 0.001)
    assert len(monitor.query_metrics) == 10
    assert monitor.get_performance_summary()["total_queries"] == 25


def test_snapshots_close_intervals_and_expire() -> None:
    monitor = DatabaseMonitor(retention_hours=1)
    monitor.record_statement("INSERT INTO t VALUES (1)", 0.002)
    first = monitor.take_snapshot({"connections": {"current": 4}})
    assert (first.queries, first.active_connections, first.query_types) == (1, 4, {"INSERT": 1})
    monitor.record_statement("SELECT * FROM t", 0.004)
    summary = monitor.get_performance_summary()
    assert summary["total_queries"] == 2
    assert summary["snapshots_count"] == 1
    assert summary["average_connections"] == 4
    assert summary["max_ms"] == 4.0
    old = monitor.metrics_history[0]
    old.timestamp = old.timestamp.replace(year=old.timestamp.year - 1)
    monitor.take_snapshot()
    assert len(monitor.metrics_history) == 1
    assert monitor.get_performance_summary()["total_queries"] == 1


def test_from_config_reads_milliseconds() -> None:
    monitor = DatabaseMonitor.from_config(MonitoringConfig(slow_query_threshold=250))
    assert monitor.slow_query_threshold == 0.25


async def test_snapshot_task_runs_and_stops() -> None:
    monitor = DatabaseMonitor()
    checked = asyncio.Event()

    class Source:
        async def health_check(self) -> dict[str, Any]:
            checked.set()
            return {"status": "healthy", "connections": {"current": 2}}

    await monitor.start_monitoring(Source(), interval=0.01)
    await asyncio.wait_for(checked.wait(), 10)
    await monitor.stop_monitoring()
    assert monitor.monitoring_enabled is False
    assert monitor.metrics_history[-1].active_connections == 2
    await monitor.stop_monitoring()


def test_pymongo_command_events_are_recorded() -> None:
    monitor = DatabaseMonitor(slow_query_threshold=0.5)
    listener = monitor.command_listener()
    started = SimpleNamespace(
        command_name="find",
        command={"find": "users", "filter": {}},
        connection_id=("h", 1),
        request_id=7,
    )
    listener.started(started)
    listener.succeeded(
        SimpleNamespace(
            command_name="find", connection_id=("h", 1), request_id=7, duration_micros=600_000
        )
    )
    handshake = SimpleNamespace(
        command_name="hello", command={"hello": 1}, connection_id=("h", 1), request_id=8
    )
    listener.started(handshake)
    listener.succeeded(
        SimpleNamespace(
            command_name="hello", connection_id=("h", 1), request_id=8, duration_micros=10
        )
    )
    listener.started(
        SimpleNamespace(
            command_name="insert", command={"insert": "users"}, connection_id=("h", 1), request_id=9
        )
    )
    listener.failed(
        SimpleNamespace(
            command_name="insert",
            connection_id=("h", 1),
            request_id=9,
            duration_micros=100,
            failure={"errmsg": "duplicate key"},
        )
    )
    recorded = list(monitor.query_metrics)
    assert [(m.query_type, m.collection, m.error) for m in recorded] == [
        ("find", "users", None),
        ("insert", "users", "duplicate key"),
    ]
    assert recorded[0].execution_time == pytest.approx(0.6)
    assert list(monitor.slow_queries) == [recorded[0]]


def test_query_metrics_serialise() -> None:
    metrics = QueryMetrics("SELECT", "t", 0.0125, 0.0)
    data = metrics.to_dict()
    assert data["timestamp"] == "1970-01-01T00:00:00+00:00"
    assert data["execution_ms"] == 12.5
