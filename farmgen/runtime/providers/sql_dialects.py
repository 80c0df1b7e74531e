"""What differs between PostgreSQL, MySQL/MariaDB and SQLite: URLs, connect options,
binary collation, and the health and statistics queries.

Everything else in the SQL provider is written once against SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection

from farmgen.runtime.config import DatabaseConfig, mask_url
from farmgen.runtime.errors import DatabaseConnectionError

_DRIVERS = {"postgresql": "asyncpg", "mysql": "aiomysql", "sqlite": "aiosqlite"}
_SCHEMES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


def async_url(config: DatabaseConfig) -> str:
    """The configured URL with the async driver farmgen uses for its dialect.

    ``postgresql://…`` becomes ``postgresql+asyncpg://…``; a URL that names another
    database than ``type`` says is an error.
    """
    try:
        url = make_url(config.url)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseConnectionError(
            f"invalid database URL {mask_url(config.url)}: {exc}"
        ) from None
    backend = _SCHEMES.get(url.get_backend_name())
    if backend != config.type:
        raise DatabaseConnectionError(
            f"database URL {mask_url(config.url)} is not a {config.type} URL "
            f"(set [database] type to match it)"
        )
    driver = _DRIVERS[backend]
    if url.get_driver_name() not in (driver, url.get_backend_name()) and "+" in url.drivername:
        raise DatabaseConnectionError(
            f"database URL {mask_url(config.url)}: farmgen connects to {backend} through "
            f"{driver}; use {backend}+{driver}://"
        )
    return url.set(drivername=f"{backend}+{driver}").render_as_string(hide_password=False)


def engine_options(config: DatabaseConfig) -> dict[str, Any]:
    """Pool and connect arguments for ``create_async_engine``."""
    pool = config.pool
    size, overflow = pool.min_size, max(pool.max_size - pool.min_size, 0)
    timeout, recycle = pool.acquire_timeout_ms / 1000, pool.idle_timeout_ms / 1000
    if config.type == "postgresql":
        pg = config.postgresql
        size, overflow, timeout, recycle = (
            pg.pool_size,
            pg.max_overflow,
            pg.pool_timeout,
            pg.pool_recycle,
        )
    connect_args: dict[str, Any]
    if config.type == "postgresql":
        connect_args = {"timeout": config.connect_timeout}
        if config.postgresql.ssl:
            connect_args["ssl"] = True
    elif config.type == "mysql":
        connect_args = {"connect_timeout": config.connect_timeout}
    else:
        connect_args = {"timeout": config.connect_timeout}
    return {
        "pool_size": max(size, 1),
        "max_overflow": overflow,
        "pool_timeout": timeout,
        "pool_recycle": recycle if recycle > 0 else -1,
        "pool_pre_ping": pool.pre_ping,
        "echo": config.development.show_queries,
        "connect_args": connect_args,
    }


BINARY_COLLATION = {"postgresql": "C", "mysql": "utf8mb4_bin", "sqlite": "BINARY"}


@dataclass(frozen=True)
class DialectQueries:
    """Health and statistics for one dialect; every method takes an open connection."""

    name: str

    async def version(self, conn: AsyncConnection) -> str:
        sql = {
            "postgresql": "SHOW server_version",
            "mysql": "SELECT VERSION()",
            "sqlite": "SELECT sqlite_version()",
        }[self.name]
        return str((await conn.execute(text(sql))).scalar_one())

    async def connections(self, conn: AsyncConnection) -> dict[str, Any]:
        """Server-side connection counts (SQLite has no server: empty)."""
        if self.name == "postgresql":
            row = (
                await conn.execute(
                    text(
                        "SELECT count(*), count(*) FILTER (WHERE state = 'active'), "
                        "current_setting('max_connections')::int FROM pg_stat_activity "
                        "WHERE datname = current_database()"
                    )
                )
            ).one()
            return {"current": row[0], "active": row[1], "max": row[2]}
        if self.name == "mysql":
            status = await _mysql_status(conn, ("Threads_connected", "Threads_running"))
            max_conn = (await conn.execute(text("SELECT @@max_connections"))).scalar_one()
            return {
                "current": status.get("Threads_connected", 0),
                "active": status.get("Threads_running", 0),
                "max": int(max_conn),
            }
        return {}

    async def size_bytes(self, conn: AsyncConnection) -> int | None:
        if self.name == "postgresql":
            sql = "SELECT pg_database_size(current_database())"
        elif self.name == "mysql":
            sql = (
                "SELECT COALESCE(SUM(data_length + index_length), 0) "
                "FROM information_schema.tables WHERE table_schema = DATABASE()"
            )
        else:
            sql = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
        value = (await conn.execute(text(sql))).scalar_one()
        return int(value) if value is not None else None

    async def operations(self, conn: AsyncConnection) -> dict[str, int]:
        """Server counters of inserts, updates, deletes (and reads where known)."""
        if self.name == "postgresql":
            row = (
                await conn.execute(
                    text(
                        "SELECT COALESCE(SUM(n_tup_ins), 0), COALESCE(SUM(n_tup_upd), 0), "
                        "COALESCE(SUM(n_tup_del), 0), COALESCE(SUM(seq_scan), 0) + "
                        "COALESCE(SUM(idx_scan), 0) FROM pg_stat_user_tables"
                    )
                )
            ).one()
            return {
                "insert": int(row[0]),
                "update": int(row[1]),
                "delete": int(row[2]),
                "query": int(row[3]),
            }
        if self.name == "mysql":
            names = ("Com_insert", "Com_update", "Com_delete", "Com_select")
            status = await _mysql_status(conn, names)
            return {
                key: status.get(name, 0)
                for key, name in zip(("insert", "update", "delete", "query"), names, strict=True)
            }
        return {}


async def _mysql_status(conn: AsyncConnection, names: tuple[str, ...]) -> dict[str, int]:
    placeholders = ", ".join(f":n{i}" for i in range(len(names)))
    params = {f"n{i}": name for i, name in enumerate(names)}
    sql = f"SHOW GLOBAL STATUS WHERE Variable_name IN ({placeholders})"
    rows = (await conn.execute(text(sql), params)).all()
    return {str(name): int(value) for name, value in rows}
