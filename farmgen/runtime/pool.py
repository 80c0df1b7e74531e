"""Periodic health checks of a provider's connection pool, with a bounded history."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from farmgen.runtime.providers.base import DatabaseProvider

logger = logging.getLogger("farmgen.runtime.pool")


@dataclass(frozen=True)
class HealthRecord:
    timestamp: float
    healthy: bool
    latency_ms: float | None
    pool: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "timestamp": datetime.fromtimestamp(self.timestamp, UTC).isoformat(),
            "healthy": self.healthy,
            "latency_ms": self.latency_ms,
            "pool": dict(self.pool),
            "error": self.error,
        }


class ConnectionPoolManager:
    """Checks ``provider.health_check()`` every ``interval`` seconds on a background task.

    ``stop_health_monitoring`` lets a check in flight finish and waits for the task,
    so nothing is left running. The last ``history_size`` results are kept.
    """

    def __init__(
        self, provider: DatabaseProvider, *, interval: float = 30.0, history_size: int = 100
    ) -> None:
        self.provider = provider
        self.health_check_interval = interval
        self.connection_history: deque[HealthRecord] = deque(maxlen=history_size)
        self.pool_stats = {"checks": 0, "failures": 0, "consecutive_failures": 0}
        self._task: asyncio.Task[None] | None = None
        self._stop: asyncio.Event | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start_health_monitoring(self) -> None:
        if self.running:
            return
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self._loop(self._stop))

    async def stop_health_monitoring(self) -> None:
        task, stop = self._task, self._stop
        self._task = self._stop = None
        if task is not None and stop is not None:
            stop.set()
            await task

    async def _loop(self, stop: asyncio.Event) -> None:
        while True:
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.health_check_interval)
            except TimeoutError:
                await self.check_now()
            else:
                return

    async def check_now(self) -> HealthRecord:
        """Run one health check and record it."""
        try:
            health = await self.provider.health_check()
        except Exception as exc:  # a provider bug must not kill the monitor; it is recorded
            logger.exception("health check raised")
            health = {"status": "unhealthy", "error": type(exc).__name__}
        healthy = health.get("status") == "healthy"
        record = HealthRecord(
            timestamp=time.time(),
            healthy=healthy,
            latency_ms=health.get("latency_ms"),
            pool=self.provider.pool_metrics(),
            error=None if healthy else str(health.get("error")),
        )
        self.connection_history.append(record)
        self.pool_stats["checks"] += 1
        if healthy:
            self.pool_stats["consecutive_failures"] = 0
        else:
            self.pool_stats["failures"] += 1
            self.pool_stats["consecutive_failures"] += 1
            logger.warning("database health check failed: %s", record.error)
        return record

    def get_pool_metrics(self, minutes: float = 5) -> dict[str, Any]:
        """Current pool figures and the health of the last ``minutes``."""
        cutoff = time.time() - minutes * 60
        recent = [r for r in self.connection_history if r.timestamp >= cutoff]
        latencies = [r.latency_ms for r in recent if r.latency_ms is not None]
        last = self.connection_history[-1] if self.connection_history else None
        return {
            "pool": self.provider.pool_metrics(),
            "pool_stats": dict(self.pool_stats),
            "recent_checks": len(recent),
            "recent_healthy_ratio": (
                round(sum(r.healthy for r in recent) / len(recent), 3) if recent else None
            ),
            "recent_avg_latency_ms": (
                round(sum(latencies) / len(latencies), 3) if latencies else None
            ),
            "health_checks": len(self.connection_history),
            "last_health_check": last.to_dict() if last else None,
        }
