"""`farmgen db backup` on PostgreSQL or MariaDB restores into SQLite and backs up the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_db_example import _farmgen, blog

__all__ = ["blog"]


def _use(project: Path, db_type: str) -> None:
    config = project / "farmgen.toml"
    text = config.read_text()
    for name in ("sqlite", "postgresql", "mysql"):
        text = text.replace(f'type = "{name}"', f'type = "{db_type}"')
    config.write_text(text)


def _records(path: Path) -> list[object]:
    """The records of a backup file in a provider-independent order.

    Each database orders rows by its own primary-key storage (MariaDB's native UUID
    type sorts by the time fields first), so rows are compared by collection and id.
    """
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    records = [json.loads(line) for line in lines]
    return sorted(records, key=lambda r: (r["collection"], json.dumps(r["record"], sort_keys=True)))


@pytest.mark.slow
@pytest.mark.parametrize("source", ["pg_url", "mysql_url"])
def test_a_server_backup_restores_into_a_migrated_sqlite_database(
    blog: Path, source: str, sqlite_url: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(source)
    _use(blog, "postgresql" if source == "pg_url" else "mysql")
    _farmgen(blog, url, "migrate", "make", "initial")
    _farmgen(blog, url, "db", "migrate")
    _farmgen(blog, url, "db", "seed")
    _farmgen(blog, url, "db", "backup", "--out", "server.jsonl")
    _use(blog, "sqlite")
    _farmgen(blog, sqlite_url, "db", "migrate")
    restored = _farmgen(blog, sqlite_url, "db", "restore", "server.jsonl")
    assert restored.startswith("restored 3 records")
    _farmgen(blog, sqlite_url, "db", "backup", "--out", "sqlite.jsonl")
    assert _records(blog / "sqlite.jsonl") == _records(blog / "server.jsonl")
    users = [r for r in _records(blog / "sqlite.jsonl") if r["collection"] == "users"]  # type: ignore[index]
    user = users[0]["record"]  # type: ignore[index]
    assert user["id"]["$type"] == "uuid"
    assert user["created_at"]["value"].endswith("+00:00")
