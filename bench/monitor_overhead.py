"""What DatabaseMonitor costs: 10,000 simple queries with and without it.

    .venv/bin/python bench/monitor_overhead.py              # SQLite and PostgreSQL
    .venv/bin/python bench/monitor_overhead.py --queries 20000 --only postgresql

The queries run without the monitor and with it attached to the same engine,
alternating every 100 queries, on one connection, through SQLAlchemy's async
engine: a primary-key lookup on a small table. Each adjacent pair of blocks gives a
ratio; the overhead is the median ratio (robust to load from other processes). The
columns "without" and "with" are mean times per query. The cost of the hooks alone
is printed too. PostgreSQL runs
in a throw-away database on 127.0.0.1:5432 (``FARMGEN_BENCH_PG`` overrides the
admin URL), never in the shared ``test`` database. Exit status 1 when an overhead
reaches the limit (10 %).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from farmgen.runtime.monitor import DatabaseMonitor

LIMIT = 0.10
PG_ADMIN = os.environ.get("FARMGEN_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")


@asynccontextmanager
async def sqlite_url() -> AsyncIterator[str]:
    with TemporaryDirectory() as directory:
        yield f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"


@asynccontextmanager
async def postgres_url() -> AsyncIterator[str]:
    import asyncpg

    name = f"farmgen_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(PG_ADMIN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        try:
            yield f"{base}/{name}"
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def prepare(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(20))"))
        await conn.execute(
            text("INSERT INTO items (id, name) VALUES (:id, :name)"),
            [{"id": i, "name": f"item {i}"} for i in range(100)],
        )


async def run_queries(engine: AsyncEngine, count: int) -> float:
    """Seconds for ``count`` primary-key lookups on one connection."""
    query = text("SELECT id, name FROM items WHERE id = :id")
    async with engine.connect() as conn:
        started = time.perf_counter()
        for i in range(count):
            (await conn.execute(query, {"id": i % 100})).one()
        return time.perf_counter() - started


async def measure(url: str, count: int, chunk: int = 100) -> tuple[float, float, float, int]:
    """(seconds without, seconds with, median overhead of adjacent chunk pairs, queries seen).

    The two modes alternate every ``chunk`` queries; each pair of adjacent chunks
    gives one ratio, and the median ratio is the overhead, so that load from other
    processes (which comes and goes) falls on both modes alike and spikes do not count.
    """
    engine = create_async_engine(url, pool_size=1, max_overflow=0)
    monitor = DatabaseMonitor(slow_query_threshold=1.0)
    try:
        await prepare(engine)
        await run_queries(engine, chunk * 5)  # warm the statement cache and the pool
        plain = monitored = 0.0
        ratios: list[float] = []
        for number in range(max(count // chunk, 1)):
            pair: dict[bool, float] = {}
            for with_monitor in (False, True) if number % 2 == 0 else (True, False):
                if with_monitor:
                    monitor.attach_engine(engine)
                pair[with_monitor] = await run_queries(engine, chunk)
                if with_monitor:
                    monitor.detach_engine(engine)
            plain += pair[False]
            monitored += pair[True]
            ratios.append(pair[True] / pair[False])
        seen = monitor.get_performance_summary()["since_start"]["queries"]
        return plain, monitored, statistics.median(ratios) - 1, seen
    finally:
        await engine.dispose()


def hook_cost(calls: int = 100_000) -> float:
    """Microseconds the two cursor hooks add to one statement, measured directly."""

    class Context:
        pass

    monitor = DatabaseMonitor()
    statement = "SELECT id, name FROM items WHERE id = $1::INTEGER"
    contexts = [Context() for _ in range(calls)]
    started = time.perf_counter()
    for context in contexts:
        monitor._before_cursor_execute(None, None, statement, None, context, False)
        monitor._after_cursor_execute(None, None, statement, None, context, False)
    return (time.perf_counter() - started) / calls * 1e6


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    targets = {"sqlite": sqlite_url, "postgresql": postgres_url}
    print(f"{'database':<11} {'queries':>8} {'without':>12} {'with':>12} {'overhead':>9}")
    failed = False
    for name, make_url in targets.items():
        if args.only and name != args.only:
            continue
        async with make_url() as url:
            plain, monitored, overhead, seen = await measure(url, args.queries)
        assert seen == args.queries, seen
        failed |= overhead >= LIMIT
        per_plain = plain / args.queries * 1e6
        per_monitored = monitored / args.queries * 1e6
        print(
            f"{name:<11} {args.queries:>8} {per_plain:>9.1f} us {per_monitored:>9.1f} us "
            f"{overhead * 100:>8.1f}%"
        )
    print(f"hook cost measured alone: {hook_cost():.2f} us per statement")
    print(f"limit: {LIMIT * 100:.0f}% ({'exceeded' if failed else 'met'})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
