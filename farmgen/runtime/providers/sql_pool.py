"""Pool figures of a SQL engine, named for what they mean.

SQLAlchemy's ``QueuePool.overflow()`` counts from ``-pool_size`` (``-4`` means one
connection is open); the figures here are derived from it instead:

- ``open``: connections the pool holds now (``checked_out`` + ``idle``);
- ``checked_out``: in use by a session or connection;
- ``idle``: open and waiting in the pool;
- ``size``: connections kept open once made; ``max_overflow``: extra connections
  allowed under load, closed when returned; ``capacity``: ``size + max_overflow``,
  the most connections at once (``None``: unlimited);
- ``timeout_s``: how long a checkout waits for a free connection.

Pools other than a queue say what they are in ``kind`` and ``note``: SQLite's
in-memory database uses one shared connection (``StaticPool``); a ``NullPool`` opens
a connection per checkout.
"""

from __future__ import annotations

from typing import Any

SQLITE_NOTE = (
    "aiosqlite: each connection is a worker thread on the database file; "
    "SQLite lets one connection write at a time"
)


def _queue_metrics(pool: Any) -> dict[str, Any]:
    size = int(pool.size())
    max_overflow = int(pool._max_overflow)
    checked_out = int(pool.checkedout())
    idle = int(pool.checkedin())
    return {
        "kind": "queue",
        "open": checked_out + idle,
        "checked_out": checked_out,
        "idle": idle,
        "size": size,
        "max_overflow": max_overflow if max_overflow >= 0 else None,
        "capacity": size + max_overflow if max_overflow >= 0 else None,
        "timeout_s": float(pool.timeout()),
    }


def _other_metrics(pool: Any, dialect: str) -> dict[str, Any]:
    from sqlalchemy.pool import NullPool, SingletonThreadPool, StaticPool

    if isinstance(pool, StaticPool | SingletonThreadPool):
        note = "one shared connection" + (
            " (SQLite in-memory database)" if dialect == "sqlite" else ""
        )
        return {"kind": "single", "capacity": 1, "note": note}
    if isinstance(pool, NullPool):
        return {"kind": "none", "capacity": None, "note": "a new connection per checkout"}
    return {"kind": "other", "note": pool.status()}


def pool_metrics(pool: Any, dialect: str) -> dict[str, Any]:
    """The figures above for ``engine.pool`` of an engine on ``dialect``."""
    metrics: dict[str, Any] = {"class": type(pool).__name__}
    if all(hasattr(pool, m) for m in ("size", "checkedout", "checkedin", "_max_overflow")):
        metrics.update(_queue_metrics(pool))
        if dialect == "sqlite":
            metrics["note"] = SQLITE_NOTE
    else:
        metrics.update(_other_metrics(pool, dialect))
    return metrics
