"""A seed record for an existing key gives only the fields it changes; a new one is whole."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from beanie import Document, Indexed
from pydantic import field_validator
from sqlalchemy import String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from farmgen.runtime.config import DatabaseConfig
from farmgen.runtime.errors import SeedError
from farmgen.runtime.providers import create_provider
from farmgen.runtime.seed import apply_seeds, load_seed_file
from tests.runtime.conftest import sql_config


class Base(DeclarativeBase):
    pass


class Person(Base):
    __tablename__ = "people"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(120), unique=True)
    username: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20), default="user")


class Profile(Document):
    email: Indexed(str, unique=True)  # type: ignore[valid-type]
    username: str
    role: str = "user"

    @field_validator("role")
    @classmethod
    def known_role(cls, value: str) -> str:
        if value not in ("user", "admin"):
            raise ValueError(f"unknown role {value!r}")
        return value

    class Settings:
        name = "profiles"


DAVE = {"email": "dave@example.com", "username": "dave"}


def _seed(tmp_path: Path, name: str, model: str, records: list[dict[str, Any]]) -> Any:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps([{"model": model, "key": "email", "records": records}]))
    return load_seed_file(path)


async def test_sql_existing_record_takes_only_the_given_fields(
    sql_url: str, tmp_path: Path
) -> None:
    provider = create_provider(sql_config(sql_url))
    provider.register_model(Person)
    await provider.connect()
    try:
        await provider.create_tables()  # type: ignore[attr-defined]
        await apply_seeds(provider, _seed(tmp_path, "a", "Person", [DAVE]))
        change = [{"email": "dave@example.com", "role": "admin"}]
        summary = await apply_seeds(provider, _seed(tmp_path, "b", "Person", change))
        assert vars(summary.models["Person"]) == {"inserted": 0, "updated": 1, "unchanged": 0}
        dave = await provider.query(Person).first()
        assert dave is not None and (dave.username, dave.role) == ("dave", "admin")
        new = [{"email": "eve@example.com", "role": "admin"}]
        with pytest.raises(SeedError, match="record 1: username: field required"):
            await apply_seeds(provider, _seed(tmp_path, "c", "Person", new))
        too_long = [{"email": "dave@example.com", "role": "x" * 30}]
        with pytest.raises(SeedError, match="role: longer than 20"):
            await apply_seeds(provider, _seed(tmp_path, "d", "Person", too_long))
        assert await provider.query(Person).count() == 1
    finally:
        await provider.disconnect()


@pytest.mark.mongodb
async def test_mongodb_existing_record_takes_only_the_given_fields(
    mongo_client: Any, mongo_database: Any, tmp_path: Path
) -> None:
    config = DatabaseConfig(type="mongodb", url="mongodb://localhost", database=mongo_database.name)
    provider = create_provider(config, client=mongo_client)
    provider.register_model(Profile)
    await provider.connect()
    try:
        await apply_seeds(provider, _seed(tmp_path, "a", "Profile", [DAVE]))
        change = [{"email": "dave@example.com", "role": "admin"}]
        summary = await apply_seeds(provider, _seed(tmp_path, "b", "Profile", change))
        assert vars(summary.models["Profile"]) == {"inserted": 0, "updated": 1, "unchanged": 0}
        dave = await Profile.find_one({"email": "dave@example.com"})
        assert dave is not None and (dave.username, dave.role) == ("dave", "admin")
        again = await apply_seeds(provider, _seed(tmp_path, "b", "Profile", change))
        assert vars(again.models["Profile"]) == {"inserted": 0, "updated": 0, "unchanged": 1}
        with pytest.raises(SeedError, match="record 1: username: Field required"):
            await apply_seeds(provider, _seed(tmp_path, "c", "Profile", [{"email": "e@x.org"}]))
        bad = [{"email": "dave@example.com", "role": "root"}]
        with pytest.raises(SeedError, match=r"record 1: role: .*unknown role 'root'"):
            await apply_seeds(provider, _seed(tmp_path, "d", "Profile", bad))
        assert await provider.query(Profile).count() == 1
    finally:
        await provider.disconnect()
