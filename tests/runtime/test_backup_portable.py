"""Backups do not depend on the provider: PostgreSQL → SQLite → MariaDB, same records."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from farmgen.runtime.backup import backup, restore
from farmgen.runtime.providers import create_provider
from farmgen.runtime.providers.sql import SQLProvider
from tests.runtime.conftest import sql_config
from tests.runtime.models import SQL_MODELS, Account, Base, Entry, Item, Level, Ticket

MODELS = [*SQL_MODELS, Ticket]


async def _provider(url: str, models: list[type[Any]]) -> SQLProvider:
    provider = create_provider(sql_config(url))
    assert isinstance(provider, SQLProvider)
    for model in models:
        provider.register_model(model)
    await provider.connect()
    await provider.create_tables()
    return provider


async def _fill(provider: SQLProvider) -> None:
    async with provider.transaction() as tx:
        account = Account(
            email="ada@example.com",
            balance=Decimal("-1234.5678"),
            born=dt.date(1815, 12, 10),
            # the model's DATETIME has no fractional seconds on MariaDB
            seen_at=dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC),
            avatar=b"\x00\x01\xfe\xff",
            profile={"a": [1, 2.5, None], "b": {"c": "ü"}},
        )
        tx.add(account)
        await tx.session.flush()
        tx.add(Entry(account_id=account.id, amount=Decimal("0.0001")))
        tx.add(Item(name=None, n=-3))
        tx.add(Ticket(level=Level.MEDIUM))


def _records(path: Path) -> list[Any]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


async def _restore_and_back_up(url: str, source: Path, out: Path) -> list[Any]:
    provider = await _provider(url, MODELS)
    try:
        restored = await restore(provider, source)
        assert restored.records == 4
        await backup(provider, out)
    finally:
        await provider.disconnect()
    return _records(out)


async def test_postgresql_backup_restores_into_sqlite_and_mariadb_unchanged(
    pg_url: str, sqlite_url: str, mysql_url: str, tmp_path: Path
) -> None:
    provider = await _provider(pg_url, MODELS)
    try:
        await _fill(provider)
        await backup(provider, tmp_path / "pg.jsonl")
    finally:
        await provider.disconnect()
    expected = _records(tmp_path / "pg.jsonl")
    from_sqlite = await _restore_and_back_up(
        sqlite_url, tmp_path / "pg.jsonl", tmp_path / "sqlite.jsonl"
    )
    assert from_sqlite == expected
    from_mariadb = await _restore_and_back_up(
        mysql_url, tmp_path / "sqlite.jsonl", tmp_path / "mariadb.jsonl"
    )
    assert from_mariadb == expected


async def test_sqlite_backup_tags_uuids_and_writes_aware_utc_datetimes(
    sqlite_url: str, tmp_path: Path
) -> None:
    provider = await _provider(sqlite_url, MODELS)
    try:
        await _fill(provider)
        await backup(provider, tmp_path / "by-models.jsonl")
    finally:
        await provider.disconnect()
    accounts = [r["record"] for r in _records(tmp_path / "by-models.jsonl")]
    account = next(r for r in accounts if "email" in r)
    assert account["id"]["$type"] == "uuid"
    uuid.UUID(account["id"]["value"])
    assert account["seen_at"] == {"$type": "datetime", "value": "2024-05-06T07:08:09+00:00"}
    assert account["profile"] == {"a": [1, 2.5, None], "b": {"c": "ü"}}


async def test_an_explicit_schema_types_the_columns_without_registered_models(
    sqlite_url: str, tmp_path: Path
) -> None:
    provider = await _provider(sqlite_url, MODELS)
    try:
        await _fill(provider)
    finally:
        await provider.disconnect()
    bare = create_provider(sql_config(sqlite_url))
    await bare.connect()
    try:
        await backup(bare, tmp_path / "bare.jsonl", schema=Base.metadata)
        records = [r["record"] for r in _records(tmp_path / "bare.jsonl")]
        assert all(r["id"]["$type"] == "uuid" for r in records)
        await bare.drop_all()
    finally:
        await bare.disconnect()


async def test_older_sqlite_backups_with_hex_ids_and_naive_datetimes_restore(
    pg_url: str, tmp_path: Path
) -> None:
    account_id = uuid.uuid4()
    header = {"farmgen_backup": 1, "database": "sqlite", "collections": {"accounts": 1}}
    record = {
        "id": account_id.hex,
        "email": "old@example.com",
        "balance": {"$type": "decimal", "value": "1.0000"},
        "seen_at": {"$type": "datetime", "value": "2024-05-06T07:08:09"},
    }
    old = tmp_path / "old.jsonl"
    line = {"collection": "accounts", "record": record}
    old.write_text(json.dumps(header) + "\n" + json.dumps(line) + "\n", encoding="utf-8")
    provider = await _provider(pg_url, MODELS)
    try:
        await restore(provider, old)
        account = await provider.query(Account).first()
    finally:
        await provider.disconnect()
    assert account is not None and account.id == account_id
    assert account.seen_at == dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
