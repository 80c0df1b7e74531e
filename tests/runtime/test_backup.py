"""Backups round-trip every value exactly, through the driver, on every provider."""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bson import Binary, Decimal128, ObjectId
from sqlalchemy import MetaData, select

from farmgen.runtime.backup import backup, decode_value, encode_value, read_backup, restore
from farmgen.runtime.config import DatabaseConfig
from farmgen.runtime.errors import BackupError
from farmgen.runtime.providers import create_provider
from farmgen.runtime.providers.sql import SQLProvider
from tests.runtime.conftest import sql_config
from tests.runtime.models import SQL_MODELS, Account, Entry, Item

UTC = dt.UTC

VALUES: list[Any] = [
    None,
    True,
    0,
    -(2**63),
    2**70,
    1.5,
    "text",
    "ünïcode ✓",
    dt.datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=UTC),
    dt.datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    dt.datetime(2024, 1, 1, 12, 0),
    dt.date(1999, 12, 31),
    dt.time(8, 30, 1, 5),
    dt.timedelta(days=-1, seconds=5, microseconds=7),
    Decimal("12345678901234567890.000000001"),
    Decimal("-0.00"),
    Decimal("NaN"),
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
    b"\x00\xffbytes",
    ObjectId("65a1b2c3d4e5f6a7b8c9d0e1"),
    Decimal128("1.10"),
    Binary(b"\x01" * 16, 4),
    Binary(b"ab", 0x80),
    {"nested": {"list": [1, {"deep": Decimal("1.0")}], "when": dt.date(2020, 1, 1)}},
    {"$type": "not a tag", "value": 1},
    [dt.time(0, 0), [b"", {"x": None}]],
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_every_value_round_trips_through_json(value: Any) -> None:
    line = json.dumps(encode_value(value))
    decoded = decode_value(json.loads(line))
    assert decoded == value or (isinstance(value, Decimal) and value.is_nan() and decoded.is_nan())
    assert type(decoded) is type(value)


def test_special_floats_round_trip() -> None:
    for value in (math.inf, -math.inf):
        assert decode_value(json.loads(json.dumps(encode_value(value)))) == value
    assert math.isnan(decode_value(json.loads(json.dumps(encode_value(math.nan)))))
    assert "NaN" not in json.dumps(encode_value(math.nan))


def test_unknown_types_are_refused() -> None:
    with pytest.raises(BackupError, match="cannot back up a value of type object"):
        encode_value(object())
    with pytest.raises(BackupError, match="unknown value type 'mystery'"):
        decode_value({"$type": "mystery", "value": 1})


async def _rows(provider: SQLProvider) -> dict[str, list[dict[str, Any]]]:
    metadata = MetaData()
    async with provider._engine().connect() as conn:
        await conn.run_sync(metadata.reflect)
        found = {}
        for table in metadata.sorted_tables:
            result = await conn.execute(select(table).order_by(*table.primary_key.columns))
            found[table.name] = [dict(row._mapping) for row in result]
    return found


async def test_sql_round_trip_loses_nothing(sql_url: str, tmp_path: Path) -> None:
    provider = create_provider(sql_config(sql_url))
    assert isinstance(provider, SQLProvider)
    for model in SQL_MODELS:
        provider.register_model(model)
    await provider.connect()
    try:
        await provider.create_tables()
        async with provider.transaction() as tx:
            account = Account(
                email="ada@example.com",
                balance=Decimal("-1234.5678"),
                born=dt.date(1815, 12, 10),
                seen_at=dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC),
                avatar=b"\x00\x01\xfe\xff",
                profile={"a": [1, 2.5, None], "b": {"c": "ü"}},
            )
            tx.add(account)
            tx.add(Account(email="empty@example.com"))
            await tx.session.flush()
            tx.add(Entry(account_id=account.id, amount=Decimal("0.0001")))
            tx.add(Item(name=None, n=-3))
        before = await _rows(provider)
        out = tmp_path / "backups" / "db.jsonl"
        summary = await backup(provider, out)
        assert summary.collections == {"accounts": 2, "items": 1, "entries": 1}
        assert list(summary.collections).index("accounts") < list(summary.collections).index(
            "entries"
        )
        with pytest.raises(BackupError, match=r"not empty.*--replace"):
            await restore(provider, out)
        await provider.drop_all()
        with pytest.raises(BackupError, match=r"does not exist.*farmgen db migrate"):
            await restore(provider, out)
        await provider.create_tables()
        restored = await restore(provider, out)
        assert restored.records == 4
        assert await _rows(provider) == before
        await restore(provider, out, replace=True)
        assert await _rows(provider) == before
    finally:
        await provider.disconnect()


@pytest.mark.mongodb
async def test_mongodb_round_trip_loses_nothing(
    mongo_client: Any, mongo_database: Any, tmp_path: Path
) -> None:
    config = DatabaseConfig(type="mongodb", url="mongodb://localhost", database=mongo_database.name)
    provider = create_provider(config, client=mongo_client)
    await provider.connect()
    try:
        docs = [
            {
                "_id": ObjectId(),
                "when": dt.datetime(2024, 1, 2, 3, 4, 5, 6000),
                "price": Decimal128("19.99"),
                "uid": Binary(uuid.uuid4().bytes, 4),
                "raw": b"\x00\x01",
                "nested": {"tags": ["a", "b"], "n": {"x": 1.25}},
            },
            {"_id": "string-id", "empty": {}, "list": [], "none": None, "big": 2**62},
        ]
        await mongo_database["things"].insert_many([dict(d) for d in docs])
        await mongo_database["other"].insert_one({"_id": 1, "v": "x"})
        before = {
            name: await mongo_database[name].find({}, sort=[("_id", 1)]).to_list(None)
            for name in ("things", "other")
        }
        out = tmp_path / "mongo.jsonl"
        summary = await backup(provider, out)
        assert summary.collections == {"other": 1, "things": 2}
        await provider.drop_all()
        await restore(provider, out)
        after = {
            name: await mongo_database[name].find({}, sort=[("_id", 1)]).to_list(None)
            for name in ("things", "other")
        }
        assert after == before
        assert isinstance(after["things"][-1]["price"], Decimal128)
    finally:
        await provider.disconnect()


def test_malformed_files_are_reported_with_their_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    with pytest.raises(BackupError, match=r"bad\.jsonl:1: not a farmgen backup"):
        read_backup(bad)
    bad.write_text('{"farmgen_backup": 1, "collections": {}}\n{"collection": "x"}\n')
    _, records = read_backup(bad)
    with pytest.raises(BackupError, match=r"bad\.jsonl:2: malformed record"):
        list(records)
    with pytest.raises(BackupError, match="cannot read"):
        read_backup(tmp_path / "missing.jsonl")
