"""Query metrics from the drivers' own hooks, slow-query detection and snapshots.

SQL: SQLAlchemy ``before_cursor_execute``/``after_cursor_execute``/``handle_error``
engine events. MongoDB: a PyMongo ``CommandListener`` (``duration_micros`` comes
from the driver). The per-query path is a ``perf_counter`` pair, a few counter
updates and an append to a bounded deque; statement kinds and table names are
parsed once per distinct statement text and cached. Nothing is logged unless a
query is slower than the threshold.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from farmgen.runtime.config import MonitoringConfig

logger = logging.getLogger("farmgen.runtime.monitor")

_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE|TABLE)\s+[`\"\[]?([A-Za-z_][\w$]*)", re.IGNORECASE)
_IGNORED_COMMANDS = frozenset(
    {
        "hello",
        "ismaster",
        "isMaster",
        "saslStart",
        "saslContinue",
        "endSessions",
        "buildinfo",
        "buildInfo",
        "getnonce",
        "authenticate",
    }
)
_STATEMENT_CACHE_SIZE = 2048
_SLOW_STATEMENT_CHARS = 500


class HealthSource(Protocol):
    async def health_check(self) -> dict[str, Any]: ...


@dataclass(slots=True)
class QueryMetrics:
    """One executed statement or command."""

    query_type: str
    """``SELECT``/``INSERT``/… for SQL, the command name (``find``, ``insert``) for MongoDB."""
    collection: str
    execution_time: float
    """Seconds."""
    timestamp: float
    """When it finished (``time.time()``)."""
    statement: str | None = None
    """The SQL text (no parameters) of a slow or failed statement."""
    error: str | None = None

    @property
    def finished_at(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp, UTC)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["timestamp"] = self.finished_at.isoformat()
        data["execution_ms"] = round(self.execution_time * 1000, 3)
        return data


@dataclass
class PerformanceSnapshot:
    """The queries of one interval and the database's health at its end."""

    timestamp: datetime
    queries: int
    errors: int
    slow_queries: int
    total_time: float
    max_time: float
    query_types: dict[str, int]
    active_connections: int | None = None
    health: dict[str, Any] = field(default_factory=dict)
    slow: list[QueryMetrics] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "timestamp": self.timestamp.isoformat(),
            "queries": self.queries,
            "errors": self.errors,
            "slow_queries": self.slow_queries,
            "total_time": self.total_time,
            "max_time": self.max_time,
            "query_types": dict(self.query_types),
            "active_connections": self.active_connections,
            "slow": [m.to_dict() for m in self.slow],
        }


class _Window:
    """Counters since the last snapshot (or since start, for the totals)."""

    __slots__ = ("count", "errors", "max_time", "slow", "total_time", "types")

    def __init__(self) -> None:
        self.count = self.errors = self.slow = 0
        self.total_time = self.max_time = 0.0
        self.types: Counter[str] = Counter()


class DatabaseMonitor:
    """Collects query metrics; ``start_monitoring`` adds periodic snapshots."""

    def __init__(
        self,
        slow_query_threshold: float = 1.0,
        *,
        retention_hours: float = 24,
        history_size: int = 1000,
        slow_history_size: int = 100,
    ) -> None:
        """``slow_query_threshold`` in seconds; ``history_size`` recent queries are kept."""
        self.slow_query_threshold = slow_query_threshold
        self.retention_hours = retention_hours
        self.query_metrics: deque[QueryMetrics] = deque(maxlen=history_size)
        self.slow_queries: deque[QueryMetrics] = deque(maxlen=slow_history_size)
        self.metrics_history: deque[PerformanceSnapshot] = deque(maxlen=10_000)
        self.started_at = time.time()
        self._window = _Window()
        self._closed = _Window()
        """Counters of the intervals already closed by snapshots (for the totals)."""
        self._statements: dict[str, tuple[str, str]] = {}
        self._task: asyncio.Task[None] | None = None
        self._stop: asyncio.Event | None = None
        self.monitoring_enabled = False

    @classmethod
    def from_config(cls, config: MonitoringConfig) -> DatabaseMonitor:
        return cls(
            config.slow_query_threshold / 1000, retention_hours=config.metrics_retention_hours
        )

    # -- recording (the hot path) --------------------------------------------

    def record_query(self, metrics: QueryMetrics) -> None:
        """Record one query; slow ones are kept apart and logged."""
        duration = metrics.execution_time
        window = self._window
        window.count += 1
        window.total_time += duration
        if duration > window.max_time:  # noqa: PLR1730 - cheaper than max() on the hot path
            window.max_time = duration
        window.types[metrics.query_type] += 1
        if metrics.error is not None:
            window.errors += 1
        self.query_metrics.append(metrics)
        if duration >= self.slow_query_threshold:
            window.slow += 1
            self.slow_queries.append(metrics)
            logger.warning(
                "slow query: %s on %s took %.3f s",
                metrics.query_type,
                metrics.collection or "?",
                duration,
            )

    def _describe(self, statement: str) -> tuple[str, str]:
        described = self._statements.get(statement)
        if described is None:
            words = statement.split(None, 1)
            kind = words[0].upper() if words else ""
            match = _TABLE.search(statement)
            described = (kind, match.group(1) if match else "")
            if len(self._statements) >= _STATEMENT_CACHE_SIZE:
                self._statements.clear()
            self._statements[statement] = described
        return described

    def record_statement(self, statement: str, duration: float, error: str | None = None) -> None:
        kind, table = self._describe(statement)
        keep = error is not None or duration >= self.slow_query_threshold
        text = statement[:_SLOW_STATEMENT_CHARS] if keep else None
        self.record_query(QueryMetrics(kind, table, duration, time.time(), text, error))

    # -- SQLAlchemy -------------------------------------------------------------

    def attach_engine(self, engine: AsyncEngine) -> None:
        from sqlalchemy import event

        sync_engine = engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", self._before_cursor_execute)
        event.listen(sync_engine, "after_cursor_execute", self._after_cursor_execute)
        event.listen(sync_engine, "handle_error", self._handle_error)

    def detach_engine(self, engine: AsyncEngine) -> None:
        from sqlalchemy import event

        sync_engine = engine.sync_engine
        for name, fn in (
            ("before_cursor_execute", self._before_cursor_execute),
            ("after_cursor_execute", self._after_cursor_execute),
            ("handle_error", self._handle_error),
        ):
            if event.contains(sync_engine, name, fn):
                event.remove(sync_engine, name, fn)

    def _before_cursor_execute(self, *args: Any) -> None:
        # (conn, cursor, statement, parameters, context, executemany)
        context = args[4]
        if context is not None:
            context._farmgen_started = time.perf_counter()

    def _after_cursor_execute(self, *args: Any) -> None:
        started = getattr(args[4], "_farmgen_started", None)
        if started is not None:
            self.record_statement(args[2], time.perf_counter() - started)

    def _handle_error(self, exception_context: Any) -> None:
        context = exception_context.execution_context
        started = getattr(context, "_farmgen_started", None)
        if started is None or exception_context.statement is None:
            return
        error = type(exception_context.original_exception).__name__
        self.record_statement(exception_context.statement, time.perf_counter() - started, error)

    # -- PyMongo ----------------------------------------------------------------

    def command_listener(self) -> Any:
        """A PyMongo ``CommandListener`` feeding this monitor (pass it to the client)."""
        from pymongo.monitoring import CommandListener

        monitor = self
        pending: dict[tuple[Any, int], str] = {}

        class _Listener(CommandListener):
            def started(self, event: Any) -> None:
                name = event.command_name
                if name not in _IGNORED_COMMANDS:
                    target = event.command.get(name)
                    pending[(event.connection_id, event.request_id)] = (
                        target if isinstance(target, str) else ""
                    )

            def succeeded(self, event: Any) -> None:
                monitor._command_done(event, pending, None)

            def failed(self, event: Any) -> None:
                failure = event.failure
                message = failure.get("errmsg") if isinstance(failure, dict) else None
                monitor._command_done(event, pending, str(message or "failed"))

        return _Listener()

    def _command_done(
        self, event: Any, pending: dict[tuple[Any, int], str], error: str | None
    ) -> None:
        collection = pending.pop((event.connection_id, event.request_id), None)
        if collection is None:
            return
        duration = event.duration_micros / 1_000_000
        self.record_query(
            QueryMetrics(event.command_name, collection, duration, time.time(), None, error)
        )

    # -- snapshots ----------------------------------------------------------------

    def take_snapshot(self, health: dict[str, Any] | None = None) -> PerformanceSnapshot:
        """Close the current interval: its counters become a snapshot kept for the retention."""
        window, self._window = self._window, _Window()
        self._closed.count += window.count
        self._closed.slow += window.slow
        self._closed.errors += window.errors
        health = health or {}
        current = health.get("connections", {}).get("current")
        snapshot = PerformanceSnapshot(
            timestamp=datetime.now(UTC),
            queries=window.count,
            errors=window.errors,
            slow_queries=window.slow,
            total_time=window.total_time,
            max_time=window.max_time,
            query_types=dict(window.types),
            active_connections=current if isinstance(current, int) else None,
            health=health,
            slow=[m for m in self.slow_queries if m.timestamp >= time.time() - 3600][-10:],
        )
        self.metrics_history.append(snapshot)
        cutoff = time.time() - self.retention_hours * 3600
        while self.metrics_history and self.metrics_history[0].timestamp.timestamp() < cutoff:
            self.metrics_history.popleft()
        return snapshot

    async def start_monitoring(self, source: HealthSource, interval: float = 60) -> None:
        """Take a snapshot every ``interval`` seconds until :meth:`stop_monitoring`."""
        if self._task is not None:
            return
        self._stop = asyncio.Event()
        self.monitoring_enabled = True
        self._task = asyncio.create_task(self._loop(source, interval, self._stop))

    async def stop_monitoring(self) -> None:
        """Stop the snapshot task and wait for it to finish."""
        task, stop = self._task, self._stop
        self._task = self._stop = None
        self.monitoring_enabled = False
        if task is not None and stop is not None:
            stop.set()
            await task

    async def _loop(self, source: HealthSource, interval: float, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
            except TimeoutError:
                pass
            else:
                return
            try:
                health = await source.health_check()
            except Exception:  # the loop must outlive one failed check; it is logged
                logger.exception("database monitor: health check failed")
                health = {"status": "unhealthy"}
            self.take_snapshot(health)

    # -- summary --------------------------------------------------------------

    def get_performance_summary(self, hours: float = 1) -> dict[str, Any]:
        """Queries in the last ``hours`` (snapshots plus the open interval) and since start."""
        cutoff = time.time() - hours * 3600
        recent = [s for s in self.metrics_history if s.timestamp.timestamp() >= cutoff]
        queries = sum(s.queries for s in recent) + self._window.count
        slow = sum(s.slow_queries for s in recent) + self._window.slow
        errors = sum(s.errors for s in recent) + self._window.errors
        total_time = sum(s.total_time for s in recent) + self._window.total_time
        types: Counter[str] = Counter(self._window.types)
        for snapshot in recent:
            types.update(snapshot.query_types)
        connections = [s.active_connections for s in recent if s.active_connections is not None]
        return {
            "period_hours": hours,
            "snapshots_count": len(recent),
            "total_queries": queries,
            "slow_queries": slow,
            "errors": errors,
            "slow_query_percentage": round(slow / queries * 100, 2) if queries else 0.0,
            "average_ms": round(total_time / queries * 1000, 3) if queries else 0.0,
            "max_ms": round(max([s.max_time for s in recent] + [self._window.max_time]) * 1000, 3),
            "average_connections": (
                round(sum(connections) / len(connections), 1) if connections else None
            ),
            "query_type_distribution": dict(sorted(types.items())),
            "slowest": [
                m.to_dict() for m in sorted(self.slow_queries, key=lambda m: -m.execution_time)[:5]
            ],
            "since_start": {
                "queries": self._closed.count + self._window.count,
                "slow_queries": self._closed.slow + self._window.slow,
                "errors": self._closed.errors + self._window.errors,
            },
            "last_updated": recent[-1].timestamp.isoformat() if recent else None,
        }
