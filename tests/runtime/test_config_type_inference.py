"""``[database] type`` defaults to what the URL's scheme names."""

from __future__ import annotations

import pytest

from farmgen.runtime.config import DatabaseConfig, database_type_of


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql+asyncpg://u@h/db", "postgresql"),
        ("postgres://u@h/db", "postgresql"),
        ("mysql+aiomysql://root@h/db", "mysql"),
        ("mariadb+aiomysql://root@h/db", "mysql"),
        ("sqlite+aiosqlite:///x.db", "sqlite"),
        ("mongodb://h:27017/app", "mongodb"),
        ("mongodb+srv://cluster/app", "mongodb"),
        ("oracle://h/db", None),
        ("no scheme", None),
    ],
)
def test_database_type_of(url: str, expected: str | None) -> None:
    assert database_type_of(url) == expected


def test_type_follows_an_interpolated_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FARMGEN_TEST_DB_URL", "postgresql+asyncpg://u@127.0.0.1/app")
    config = DatabaseConfig.model_validate({"url": "${FARMGEN_TEST_DB_URL:-sqlite:///x.db}"})
    assert config.type == "postgresql"
    monkeypatch.delenv("FARMGEN_TEST_DB_URL")
    config = DatabaseConfig.model_validate({"url": "${FARMGEN_TEST_DB_URL:-sqlite:///x.db}"})
    assert config.type == "sqlite"


def test_an_explicit_type_wins() -> None:
    config = DatabaseConfig.model_validate({"type": "mysql", "url": "sqlite:///x.db"})
    assert config.type == "mysql"
