"""A migration that fails half-way can be run again once the cause is fixed.

PostgreSQL and SQLite roll the whole migration back. MySQL/MariaDB commit each DDL
statement, so the applier records the operations done; the re-run resumes after
them instead of repeating them (which would fail: the column exists already).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from farmgen.migrations.files import Migration, write_migration
from farmgen.ops import AddField, CreateCollection, CreateIndex, apply_all, reverse_all
from farmgen.runtime import schema_state as st
from farmgen.runtime.migrate import MigrationError, migrate


def _write(directory: Path) -> None:
    first = [
        CreateCollection("items", {"name": {"type": "string", "optional": False, "max_length": 40}})
    ]
    v1 = apply_all(st.empty_snapshot(), first)
    second = [
        AddField("items", "code", {"type": "string", "optional": True, "max_length": 10}),
        CreateIndex("items", {"name": "uq_items_name", "fields": [["name", 1]], "unique": True}),
    ]
    write_migration(
        directory, Migration("0001_items", None, "items", first, reverse_all(first), v1)
    )
    write_migration(
        directory,
        Migration("0002_unique", "0001_items", "unique", second, reverse_all(second), None),
    )


async def test_rerun_after_a_failure_midway(sql_url: str, tmp_path: Path) -> None:
    _write(tmp_path)
    engine = create_async_engine(sql_url)
    new_id = (uuid.uuid4) if "postgresql" in sql_url else (lambda: uuid.uuid4().hex)
    try:
        await migrate(engine, tmp_path, target="0001_items")
        async with engine.begin() as conn:
            for _ in range(2):
                await conn.execute(
                    sa.text("INSERT INTO items (id, name) VALUES (:id, 'same')"), {"id": new_id()}
                )
        with pytest.raises(MigrationError) as failed:
            await migrate(engine, tmp_path)
        message = str(failed.value)
        assert message.startswith("applying migration 0002_unique failed at operation 2/2 (")
        assert "uq_items_name" in message or "items" in message
        assert "\n" not in message and "[SQL:" not in message
        assert isinstance(failed.value.__cause__, sa.exc.IntegrityError)
        async with engine.connect() as conn:
            history = (await conn.execute(sa.text("SELECT id FROM schema_migrations"))).all()
            columns = {
                c["name"] for c in await conn.run_sync(lambda c: sa.inspect(c).get_columns("items"))
            }
        assert [r[0] for r in history] == ["0001_items"]
        mysql = "mysql" in sql_url
        assert ("code" in columns) is mysql  # only MySQL keeps the first operation's DDL
        async with engine.connect() as conn:
            done = (
                await conn.execute(sa.text("SELECT id, steps_done FROM schema_migrations_progress"))
            ).all()
        assert [tuple(r) for r in done] == ([("0002_unique", 1)] if mysql else [])
        async with engine.begin() as conn:
            await conn.execute(sa.text("DELETE FROM items"))
        result = await migrate(engine, tmp_path)
        assert result.applied == ["0002_unique"]
        async with engine.connect() as conn:
            indexes = await conn.run_sync(lambda c: sa.inspect(c).get_indexes("items"))
            left = await conn.scalar(sa.text("SELECT count(*) FROM schema_migrations_progress"))
        assert [(ix["name"], bool(ix["unique"])) for ix in indexes] == [("uq_items_name", True)]
        assert left == 0
    finally:
        await engine.dispose()


async def test_the_failure_message_masks_the_password(pg_url: str, tmp_path: Path) -> None:
    """PostgreSQL's DETAIL quotes the duplicated value: here it is the password."""
    _write(tmp_path)
    secret = "hunter2secret"
    engine = create_async_engine(pg_url.replace("postgres@", f"postgres:{secret}@"))
    try:
        await migrate(engine, tmp_path, target="0001_items")
        async with engine.begin() as conn:
            for _ in range(2):
                await conn.execute(
                    sa.text("INSERT INTO items (id, name) VALUES (:id, :name)"),
                    {"id": uuid.uuid4(), "name": secret},
                )
        with pytest.raises(MigrationError) as failed:
            await migrate(engine, tmp_path)
        assert "DETAIL: Key (name)=(***) is duplicated." in str(failed.value)
        assert secret not in str(failed.value)
        assert isinstance(failed.value.__cause__, sa.exc.IntegrityError)
    finally:
        await engine.dispose()
