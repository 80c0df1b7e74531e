"""Create and drop throw-away databases on the real PostgreSQL and MariaDB servers."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

PG_HOST = os.environ.get("FARMGEN_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("FARMGEN_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("FARMGEN_TEST_PG_USER", "postgres")
MYSQL_HOST = os.environ.get("FARMGEN_TEST_MYSQL_HOST", "127.0.0.1")
MYSQL_PORT = int(os.environ.get("FARMGEN_TEST_MYSQL_PORT", "3306"))
MYSQL_USER = os.environ.get("FARMGEN_TEST_MYSQL_USER", "root")


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database="test")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextmanager
def postgres_database() -> Iterator[str]:
    name = unique_name("farmgen")
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _mysql_admin(sql: str) -> None:
    import pymysql

    conn = pymysql.connect(host=MYSQL_HOST, port=MYSQL_PORT, user=MYSQL_USER, password="")
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
        conn.commit()
    finally:
        conn.close()


@contextmanager
def mysql_database() -> Iterator[str]:
    name = unique_name("farmgen")
    _mysql_admin(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    try:
        yield f"mysql+aiomysql://{MYSQL_USER}@{MYSQL_HOST}:{MYSQL_PORT}/{name}?charset=utf8mb4"
    finally:
        _mysql_admin(f"DROP DATABASE IF EXISTS `{name}`")
