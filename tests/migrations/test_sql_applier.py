"""The SQL applier: history, checksums, concurrent appliers, data kept through changes."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from farmgen.migrations.files import Chain, load_chain
from farmgen.runtime.migrate import (
    ChecksumMismatch,
    MigrationError,
    migrate,
    migration_status,
    rollback,
)
from farmgen.runtime.sqlschema import build_metadata
from tests.migrations.evolution import build_chain, snapshots


async def _rows(engine: AsyncEngine, sql: str) -> list[dict[str, object]]:
    async with engine.connect() as conn:
        return [dict(r._mapping) for r in (await conn.execute(sa.text(sql))).all()]


def _ids(chain: Chain) -> list[str]:
    return [m.id for m in chain.migrations]


async def test_history_records_id_checksum_time_and_duration(sql_url: str, tmp_path: Path) -> None:
    chain = build_chain(tmp_path / "m", "blog")
    engine = create_async_engine(sql_url)
    try:
        events: list[tuple[str, str]] = []
        result = await migrate(
            engine,
            chain,
            target=_ids(chain)[2],
            progress=lambda e: events.append((e.kind, e.migration.id)),
        )
        assert result.applied == _ids(chain)[:3]
        assert events[:2] == [("start", _ids(chain)[0]), ("done", _ids(chain)[0])]
        rows = await _rows(
            engine, "SELECT id, checksum, applied_at, duration FROM schema_migrations ORDER BY id"
        )
        assert [r["id"] for r in rows] == _ids(chain)[:3]
        assert rows[0]["checksum"] == chain.migrations[0].checksum
        assert all(r["applied_at"] is not None and float(r["duration"]) >= 0 for r in rows)
        status = await migration_status(engine, chain)
        assert [record is not None for _m, record in status][:4] == [True, True, True, False]
        again = await migrate(engine, chain, target=_ids(chain)[2])
        assert again.applied == [] and again.current == _ids(chain)[2]
        with pytest.raises(MigrationError, match="use `farmgen db rollback"):
            await migrate(engine, chain, target=_ids(chain)[0])
        back = await rollback(engine, chain, None)
        assert back.rolled_back == list(reversed(_ids(chain)[:3])) and back.current is None
    finally:
        await engine.dispose()


async def test_changed_file_is_refused_naming_both_checksums(
    sqlite_url: str, tmp_path: Path
) -> None:
    directory = tmp_path / "m"
    chain = build_chain(directory, "blog")
    engine = create_async_engine(sqlite_url)
    try:
        await migrate(engine, chain, target=_ids(chain)[1])
        path = directory / f"{_ids(chain)[1]}.json"
        data = json.loads(path.read_text())
        old = chain.migrations[1].checksum
        data["operations"][0]["default_value"] = 7
        path.write_text(json.dumps(data))
        edited = load_chain(directory)
        new = edited.migrations[1].checksum
        with pytest.raises(ChecksumMismatch) as caught:
            await migrate(engine, edited)
        assert old in caught.value.message and new in caught.value.message
        assert f"--accept-checksum {_ids(chain)[1]}" in caught.value.message
        result = await migrate(
            engine, edited, target=_ids(chain)[1], accept_checksum=[_ids(chain)[1]]
        )
        assert result.accepted == [_ids(chain)[1]]
        rows = await _rows(
            engine, f"SELECT checksum FROM schema_migrations WHERE id = '{_ids(chain)[1]}'"
        )
        assert rows == [{"checksum": new}]
    finally:
        await engine.dispose()


async def test_two_appliers_started_together_apply_each_migration_once(
    sql_url: str, tmp_path: Path
) -> None:
    chain = build_chain(tmp_path / "m", "blog")
    first, second = create_async_engine(sql_url), create_async_engine(sql_url)
    try:
        a, b = await asyncio.gather(migrate(first, chain), migrate(second, chain))
        assert sorted(a.applied + b.applied) == sorted(_ids(chain))
        assert not set(a.applied) & set(b.applied)
        rows = await _rows(first, "SELECT id FROM schema_migrations")
        assert sorted(r["id"] for r in rows) == sorted(_ids(chain))
    finally:
        await first.dispose()
        await second.dispose()


async def test_rows_survive_renames_widenings_and_new_defaults(
    sql_url: str, tmp_path: Path
) -> None:
    chain = build_chain(tmp_path / "m", "blog")
    ids, states = _ids(chain), snapshots(chain)
    engine = create_async_engine(sql_url)
    user, post, tag = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        await migrate(engine, chain, target=ids[0])
        v1 = build_metadata(states[0])
        async with engine.begin() as conn:
            await conn.execute(
                sa.insert(v1.tables["users"]).values(
                    id=user,
                    email="ann@example.com",
                    username="ann",
                    status="active",
                    profile={"display_name": "Ann", "nick": "annie"},
                    age=30,
                )
            )
            await conn.execute(
                sa.insert(v1.tables["posts"]).values(
                    id=post, author_id=user, title="Hello", body="text", views=5
                )
            )
            await conn.execute(sa.insert(v1.tables["tags"]).values(id=tag, name="news"))
        await migrate(engine, chain, target=ids[7])
        v8 = build_metadata(states[7])
        async with engine.begin() as conn:
            await conn.execute(sa.insert(v8.tables["posts_tags"]).values(post_id=post, tag_id=tag))
        await migrate(engine, chain, target=ids[11])
        v12 = build_metadata(states[11])
        async with engine.connect() as conn:
            u = (await conn.execute(sa.select(v12.tables["users"]))).one()._mapping
            p = (await conn.execute(sa.select(v12.tables["posts"]))).one()._mapping
            links = (await conn.execute(sa.select(v12.tables["posts_tags"]))).all()
            labels = (await conn.execute(sa.select(v12.tables["labels"]))).all()
        assert (u["handle"], u["email"], u["score"], u["status"]) == (
            "ann",
            "ann@example.com",
            0,
            "active",
        )
        assert u["profile"] == {"display_name": "Ann", "nickname": "annie"}
        assert u["age"] == 30.0 and u["metadata"] == {} and u["tags"] == []
        assert (p["title"], p["views"], p["summary"], p["is_deleted"]) == ("Hello", 5, "", False)
        assert p["created_at"] is not None
        assert [tuple(r) for r in links] == [(post, tag)] and [r.name for r in labels] == ["news"]
    finally:
        await engine.dispose()
