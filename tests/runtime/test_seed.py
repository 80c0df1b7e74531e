"""Seed files: JSON or YAML, validated against the registered models, idempotent upserts."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from farmgen.runtime.config import DatabaseConfig
from farmgen.runtime.errors import SeedError
from farmgen.runtime.providers import create_provider
from farmgen.runtime.seed import apply_seeds, discover_seed_files, load_seed_file
from tests.runtime.conftest import sql_config
from tests.runtime.models import SQL_MODELS, Account, Member

ACCOUNTS_YAML = """\
- model: Account
  key: email
  records:
    - email: ada@example.com
      balance: "12.50"
      born: 1815-12-10
      profile: {langs: [en, fr]}
    - email: alan@example.com
      balance: {"$type": "decimal", "value": "0.0001"}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


async def test_sql_seed_is_idempotent(sql_url: str, tmp_path: Path) -> None:
    provider = create_provider(sql_config(sql_url))
    for model in SQL_MODELS:
        provider.register_model(model)
    await provider.connect()
    try:
        await provider.create_tables()  # type: ignore[attr-defined]
        blocks = load_seed_file(_write(tmp_path, "10_accounts.yaml", ACCOUNTS_YAML))
        first = await apply_seeds(provider, blocks)
        assert vars(first.models["Account"]) == {"inserted": 2, "updated": 0, "unchanged": 0}
        second = await apply_seeds(provider, blocks)
        assert vars(second.models["Account"]) == {"inserted": 0, "updated": 0, "unchanged": 2}
        changed = ACCOUNTS_YAML.replace('"12.50"', '"13.00"')
        third = await apply_seeds(provider, load_seed_file(_write(tmp_path, "c.yaml", changed)))
        assert vars(third.models["Account"]) == {"inserted": 0, "updated": 1, "unchanged": 1}
        rows = await provider.query(Account).sort("email").to_list()
        assert [(r.email, r.balance) for r in rows] == [
            ("ada@example.com", Decimal("13.0000")),
            ("alan@example.com", Decimal("0.0001")),
        ]
        assert rows[0].profile == {"langs": ["en", "fr"]}
        assert str(rows[0].born) == "1815-12-10"
    finally:
        await provider.disconnect()


async def test_sql_seed_errors_are_all_reported_before_writing(
    sqlite_url: str, tmp_path: Path
) -> None:
    provider = create_provider(sql_config(sqlite_url))
    for model in SQL_MODELS:
        provider.register_model(model)
    await provider.connect()
    try:
        await provider.create_tables()  # type: ignore[attr-defined]
        seed = [
            {
                "model": "accounts",
                "key": "email",
                "records": [
                    {"email": "ok@example.com"},
                    {"email": "x" * 200, "nickname": "x", "balance": "lots"},
                    {"balance": "1", "email": None},
                ],
            },
        ]
        path = _write(tmp_path, "bad.json", json.dumps(seed))
        with pytest.raises(SeedError) as info:
            await apply_seeds(provider, load_seed_file(path))
        lines = info.value.lines()
        assert any("record 2: unknown field 'nickname'" in line for line in lines)
        assert any("record 2: email: longer than 120 characters" in line for line in lines)
        assert any("record 2: balance: expected Decimal" in line for line in lines)
        assert any("record 3: email: must not be null" in line for line in lines)
        assert await provider.query(Account).count() == 0
    finally:
        await provider.disconnect()


@pytest.mark.mongodb
async def test_mongodb_seed_is_idempotent(
    mongo_client: Any, mongo_database: Any, tmp_path: Path
) -> None:
    config = DatabaseConfig(type="mongodb", url="mongodb://localhost", database=mongo_database.name)
    provider = create_provider(config, client=mongo_client)
    provider.register_model(Member)
    await provider.connect()
    try:
        seed = [
            {
                "model": "Member",
                "key": ["email"],
                "records": [
                    {"email": "a@example.com", "balance": "2.5", "tags": ["x"]},
                    {"email": "b@example.com"},
                ],
            }
        ]
        blocks = load_seed_file(_write(tmp_path, "members.json", json.dumps(seed)))
        first = await apply_seeds(provider, blocks)
        assert vars(first.models["Member"]) == {"inserted": 2, "updated": 0, "unchanged": 0}
        second = await apply_seeds(provider, blocks)
        assert vars(second.models["Member"]) == {"inserted": 0, "updated": 0, "unchanged": 2}
        assert await provider.query(Member).count() == 2
        member = await Member.find_one({"email": "a@example.com"})
        assert member is not None and member.balance == Decimal("2.5")
        bad = [{"model": "Member", "key": "email", "records": [{"email": "c", "balance": "x"}]}]
        with pytest.raises(SeedError, match="record 1: balance"):
            await apply_seeds(provider, load_seed_file(_write(tmp_path, "b.json", json.dumps(bad))))
    finally:
        await provider.disconnect()


@pytest.mark.parametrize(
    ("text", "suffix", "message"),
    [
        ("model: [", ".yaml", "invalid YAML"),
        ("{", ".json", "invalid JSON"),
        ("42", ".json", "expected a list"),
        ('[{"model": "A", "key": "id", "records": [], "extra": 1}]', ".json", "unknown key extra"),
        ('[{"model": "A", "records": []}]', ".json", "'key' must be a field name"),
        ('[{"model": "A", "key": "k", "records": [{"x": 1}]}]', ".json", "missing key field 'k'"),
        ('[{"model": "A", "key": "k", "records": {}}]', ".json", "'records' must be a list"),
    ],
)
def test_malformed_seed_files(tmp_path: Path, text: str, suffix: str, message: str) -> None:
    with pytest.raises(SeedError, match=message):
        load_seed_file(_write(tmp_path, "seed" + suffix, text))


async def test_unknown_model_is_named(sqlite_url: str, tmp_path: Path) -> None:
    provider = create_provider(sql_config(sqlite_url))
    provider.register_model(Account)
    await provider.connect()
    try:
        path = _write(tmp_path, "s.json", '[{"model": "Ghost", "key": "id", "records": []}]')
        with pytest.raises(SeedError, match="no registered model named 'Ghost'"):
            await apply_seeds(provider, load_seed_file(path))
    finally:
        await provider.disconnect()


def test_discovery_is_sorted_and_filtered(tmp_path: Path) -> None:
    for name in ("20_b.yml", "10_a.json", "notes.txt", "30_c.yaml"):
        (tmp_path / name).write_text("[]")
    assert [p.name for p in discover_seed_files(tmp_path)] == ["10_a.json", "20_b.yml", "30_c.yaml"]
    assert discover_seed_files(tmp_path / "missing") == []
