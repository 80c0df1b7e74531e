"""Enum evolution on every database: values added (PostgreSQL ``ALTER TYPE ... ADD
VALUE`` outside the migration's transaction, so the same migration can use the new
value), MySQL ``ENUM`` columns changed, SQLite CHECK constraints rebuilt; a removed
value is refused by the database afterwards; rollback brings the values back."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from farmgen.migrations.files import load_chain, write_migration
from farmgen.migrations.make import plan_migration
from farmgen.resolve import load_schema
from farmgen.runtime.migrate import migrate, rollback

V1 = """farmgen: 1
enums:
  Status: [a, b]
models:
  Item:
    collection: items
    fields:
      status: {type: Status, default: a}
"""
V2 = V1.replace("[a, b]", "[a, c, b]") + "      level: {type: Status, default: c}\n"
V3 = V2.replace("[a, c, b]", "[a, c]")


def _chain(tmp_path: Path) -> list[str]:
    spec = tmp_path / "spec" / "schema.yaml"
    spec.parent.mkdir()
    for n, text in enumerate((V1, V2, V3), 1):
        spec.write_text(text)
        result = plan_migration(
            load_chain(tmp_path / "m"),
            load_schema([spec], tmp_path),
            f"v{n}",
            allow_destructive=True,
        )
        assert result.migration is not None
        write_migration(tmp_path / "m", result.migration)
    return [m.id for m in load_chain(tmp_path / "m").migrations]


async def test_enum_values_added_used_removed_and_restored(sql_url: str, tmp_path: Path) -> None:
    ids = _chain(tmp_path)
    engine = create_async_engine(sql_url)
    insert = sa.text("INSERT INTO items (id, status, level) VALUES (:id, :s, :l)")

    def new_id() -> object:
        return uuid.uuid4() if "postgresql" in sql_url else uuid.uuid4().hex

    async def add(status: str, level: str) -> None:
        async with engine.begin() as conn:
            await conn.execute(insert, {"id": new_id(), "s": status, "l": level})

    try:
        await migrate(engine, tmp_path / "m", target=ids[0])
        async with engine.begin() as conn:
            await conn.execute(
                sa.text("INSERT INTO items (id, status) VALUES (:id, 'b')"), {"id": new_id()}
            )
        await migrate(engine, tmp_path / "m", target=ids[1])
        async with engine.connect() as conn:
            rows = (await conn.execute(sa.text("SELECT status, level FROM items"))).all()
        assert [tuple(r) for r in rows] == [("b", "c")]
        await add("c", "c")
        if "postgresql" in sql_url:
            async with engine.connect() as conn:
                labels = await conn.execute(
                    sa.text(
                        "SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid "
                        "WHERE t.typname = 'status' ORDER BY e.enumsortorder"
                    )
                )
                assert [r[0] for r in labels] == ["a", "c", "b"]
        async with engine.begin() as conn:
            await conn.execute(sa.text("UPDATE items SET status = 'a' WHERE status = 'b'"))
        await migrate(engine, tmp_path / "m")
        with pytest.raises(sa.exc.DBAPIError):
            await add("b", "a")
        async with engine.begin() as conn:  # rows holding 'c' would stop the rollback
            await conn.execute(sa.text("UPDATE items SET status = 'a', level = 'a'"))
        await rollback(engine, tmp_path / "m", ids[0])
        async with engine.begin() as conn:
            await conn.execute(
                sa.text("INSERT INTO items (id, status) VALUES (:id, 'b')"), {"id": new_id()}
            )
            count = await conn.scalar(sa.text("SELECT count(*) FROM items"))
        assert count == 3
    finally:
        await engine.dispose()
